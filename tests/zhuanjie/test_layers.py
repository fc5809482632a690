"""The platform's layers, checked by reading the source (like the engine's purity test):
routes hold no queries and no transactions, no module reaches into another's private names,
and no route does blocking work on the event loop."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "platform" / "zhuanjie"
ROUTE_MODULES = sorted(
    p
    for p in PACKAGE.rglob("*.py")
    if p.name in ("pages.py", "api.py") or p.stem.endswith(("_pages", "_api"))
    or "APIRouter(" in p.read_text(encoding="utf-8")
)
FORBIDDEN = ("sqlmodel", "sqlalchemy", "zhuanjie.models")
SESSION_WORK = {"exec", "execute", "get", "scalar", "scalars", "add", "add_all", "delete",
                "flush", "commit", "rollback", "begin", "begin_nested", "refresh", "merge"}
ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "api_route"}
# auth/ belongs to the accounts work, which converts its login route itself.
ASYNC_ALLOWED: set[tuple[str, str]] = set()


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def _module_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _from_base(node: ast.ImportFrom, module: str) -> str:
    base = node.module or ""
    if node.level:
        package = module.split(".")[: -node.level]
        base = ".".join([*package, base] if base else package)
    return base


def database_imports(source: str, module: str) -> list[str]:
    """Imports of the database layer (sqlmodel, sqlalchemy, the table models)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            taken = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(node, module)
            taken = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        found += [m for m in taken if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
    return found


def session_work(source: str) -> list[str]:
    """`session.exec`, `.get`, `.commit` … anywhere in the module."""
    return [
        f"line {n.lineno}: session.{n.attr}"
        for n in ast.walk(ast.parse(source))
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
        and n.value.id == "session" and n.attr in SESSION_WORK
    ]


def async_routes(source: str) -> list[str]:
    """Functions declared `async def` under a router decorator."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.AsyncFunctionDef):
            continue
        for deco in node.decorator_list:
            call = deco.func if isinstance(deco, ast.Call) else deco
            if isinstance(call, ast.Attribute) and call.attr in ROUTE_DECORATORS:
                found.append(node.name)
    return found


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(source: str, module: str) -> list[str]:
    """Private names of another of our modules (zhuanjie, matching), imported or reached
    through a module's name (`service._write_links`)."""
    tree, found, ours = ast.parse(source), [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = _from_base(node, module)
            if base.split(".")[0] not in ("zhuanjie", "matching") or base == module:
                continue
            for alias in node.names:
                if _is_private(alias.name):
                    found.append(f"line {node.lineno}: {alias.name} from {base}")
                ours[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("zhuanjie", "matching"):
                    ours[alias.asname or alias.name.split(".")[0]] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and ours.get(node.value.id, module) != module
            and _is_private(node.attr)
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_the_guards_catch_what_they_should():
    """Each check finds a planted fault, so a clean result below means something."""
    planted = (
        "from sqlmodel import select\n"
        "from ..models import Need\n"
        "from zhuanjie.offers.service import _row_values\n"
        "from zhuanjie.offers import service\n"
        "@router.post('/x')\n"
        "async def x(session):\n"
        "    service._write_links(session)\n"
        "    session.commit()\n"
        "    return session.get(Need, 1)\n"
    )
    module = "zhuanjie.needs.pages"
    assert {"sqlmodel", "zhuanjie.models"} <= set(database_imports(planted, module))
    assert session_work(planted) == ["line 8: session.commit", "line 9: session.get"]
    assert async_routes(planted) == ["x"]
    assert private_uses(planted, module) == [
        "line 3: _row_values from zhuanjie.offers.service", "line 7: service._write_links"
    ]
    assert private_uses("from zhuanjie.needs.pages import _x\n_x()\n", module) == []


def test_the_guard_sees_every_route_module():
    names = {_name(p) for p in ROUTE_MODULES}
    assert {"admin/pages.py", "referrals/pages.py", "referrals/api.py", "offers/bulk_pages.py",
            "offers/hsds_api.py"} <= names
    assert len(names) >= 24


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=_name)
def test_routes_import_no_database_layer(path):
    """Routes call a service, which queries; they never see a table or a query builder."""
    assert database_imports(_source(path), _module_of(path)) == []


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=_name)
def test_routes_neither_query_nor_commit(path):
    assert session_work(_source(path)) == []


@pytest.mark.parametrize("path", ROUTE_MODULES, ids=_name)
def test_routes_run_in_the_thread_pool(path):
    """An `async def` route runs on the event loop: its database work and password hashing
    would stall every other request. Forms arrive through `forms.FormDep` instead."""
    allowed = {f for m, f in ASYNC_ALLOWED if m == _name(path)}
    assert [f for f in async_routes(_source(path)) if f not in allowed] == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=_name)
def test_no_module_uses_another_modules_private_names(path):
    assert private_uses(_source(path), _module_of(path)) == []
