"""Errors of signing in, beside the domain errors every feature shares."""

from __future__ import annotations

from zhuanjie.errors import DomainError, Forbidden


class TooManyAttempts(DomainError):
    """Too many failed sign-ins for an account name or a client address: 429."""

    status_code = 429
    title = "尝试次数过多"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class PasswordChangeRequired(Forbidden):
    """An administrator reset the password: pages send the user to the change page, the API
    answers 403 until the password is changed."""

    def __init__(self) -> None:
        super().__init__("管理员已重置您的密码，请先修改密码（POST /api/v1/account/password 或"
                         "网页“修改密码”）后再继续使用")


CHANGE_PASSWORD_PAGE = "/account/password"
