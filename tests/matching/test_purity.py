import ast
import os
import subprocess
import sys

PKG = os.path.join(os.path.dirname(__file__), "..", "..", "matching")
FORBIDDEN = {"fastapi", "sqlalchemy", "sqlmodel", "zhuanjie"}


def test_matching_imports_nothing_from_the_platform():
    for root, _, files in os.walk(PKG):
        for name in files:
            if not name.endswith(".py"):
                continue
            tree = ast.parse(open(os.path.join(root, name), encoding="utf-8").read())
            for node in ast.walk(tree):
                mods = []
                if isinstance(node, ast.Import):
                    mods = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    mods = [node.module]
                for m in mods:
                    assert m.split(".")[0] not in FORBIDDEN, f"{name} imports {m}"


def test_importing_matching_loads_no_platform_module():
    code = ("import sys, matching, matching.cli, matching.allocate; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=os.path.join(PKG, ".."), timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "[]", r.stderr
