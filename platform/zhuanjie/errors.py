"""Domain errors carry their HTTP status; one handler renders them for people or programs."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    title = "操作未完成"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Invalid(DomainError):
    """Input that passed the schema but breaks a rule of the domain (names the field)."""

    status_code = 422
    title = "填写有误"


class Unauthorized(DomainError):
    status_code = 401
    title = "请先登录"


class Forbidden(DomainError):
    status_code = 403
    title = "没有权限"


class NotFound(DomainError):
    status_code = 404
    title = "未找到"


class Conflict(DomainError):
    status_code = 409
    title = "操作冲突"
