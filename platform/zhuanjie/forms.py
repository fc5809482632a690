"""Turning validation errors into Chinese messages keyed by field, for forms and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from zhuanjie.errors import DomainError

T = TypeVar("T")

_MESSAGES = {
    "missing": "此项必填",
    "string_too_short": "至少填写{min_length}个字符",
    "string_too_long": "内容过长（最多{max_length}个字）",
    "int_parsing": "请填写整数",
    "int_type": "请填写整数",
    "float_parsing": "请填写数字",
    "decimal_parsing": "请填写数字",
    "decimal_type": "请填写数字",
    "decimal_max_places": "最多保留两位小数",
    "greater_than_equal": "不能小于{ge}",
    "greater_than": "必须大于{gt}",
    "less_than_equal": "不能大于{le}",
    "less_than": "必须小于{lt}",
    "date_parsing": "日期格式应为 年-月-日，如 2026-03-01",
    "date_from_datetime_parsing": "日期格式应为 年-月-日，如 2026-03-01",
    "date_type": "日期格式应为 年-月-日，如 2026-03-01",
    "bool_parsing": "请选择是或否",
    "literal_error": "请从列表中选择",
    "enum": "请从列表中选择",
    "list_type": "请选择一项或多项",
    "string_type": "请填写文字",
    "too_short": "请至少选择{min_length}项",
    "json_invalid": "请求内容不是有效的 JSON",
    "string_pattern_mismatch": "格式不正确",
}


def chinese_message(error: dict[str, Any]) -> str:
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error") or error["msg"]).removeprefix("Value error, ")
    if error["type"] == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "此项必填"
    template = _MESSAGES.get(error["type"])
    if template is None:
        return error["msg"]
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return template


def field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "__all__"


def field_errors(exc: ValidationError) -> dict[str, str]:
    """{field: Chinese message}, first message per field, for re-rendering a form."""
    out: dict[str, str] = {}
    for err in exc.errors():
        out.setdefault(field_name(err["loc"]), chinese_message(err))
    return out


def attempt(action: Callable[[], T], *, session=None) -> tuple[T | None, dict[str, str]]:
    """Run a form's validate-and-save step; field errors come back for re-rendering.

    A domain error that names no field is not a form problem and propagates to the
    error handler. With `session`, a step that fails on a field is rolled back, so the page
    is re-rendered from what is saved, not from a half-done change.
    """
    try:
        return action(), {}
    except ValidationError as exc:
        errors = field_errors(exc)
    except DomainError as exc:
        if exc.field is None:
            raise
        errors = {exc.field: exc.message}
    if session is not None:
        session.rollback()
    return None, errors


async def form_values(request: Request) -> dict[str, str]:
    """Single-valued form fields as strings (multi-valued ones: use form.getlist)."""
    form = await request.form()
    return {k: str(v) for k, v in form.items()}


async def form_data(request: Request) -> FormData:
    """The whole parsed form: lists (`getlist`) and uploaded files."""
    return await request.form()


# Page routes that take a form are sync `def`s: the form is awaited here, in a dependency, so
# the route's body (database, password hashing) runs in FastAPI's thread pool, not on the loop.
FormDep = Annotated[dict[str, str], Depends(form_values)]
FormDataDep = Annotated[FormData, Depends(form_data)]
