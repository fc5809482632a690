"""Argon2 password hashing."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import AfterValidator, Field

_hasher = PasswordHasher()


def hash_password(plain: str) -> str:
    return _hasher.hash(plain)


def verify_password(password_hash: str, plain: str) -> bool:
    try:
        return _hasher.verify(password_hash, plain)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# --- the password policy (等保 2.0 level 3) ----------------------------------------------------

MIN_LENGTH = 10
MIN_CLASSES = 3
_COMMON_FILE = Path(__file__).resolve().parents[1] / "data" / "common-passwords.txt"
POLICY_TEXT = "至少10位，包含大写字母、小写字母、数字、符号中的至少三类，不能是常见密码"


@lru_cache
def _common() -> frozenset[str]:
    """Common passwords (lowercase), shipped as package data."""
    return frozenset(
        line.strip() for line in _COMMON_FILE.read_text(encoding="utf-8").splitlines() if line
    )


def _classes(plain: str) -> int:
    return sum(
        (
            any(c.islower() for c in plain),
            any(c.isupper() for c in plain),
            any(c.isdigit() for c in plain),
            any(not c.isalnum() for c in plain),
        )
    )


def policy_problem(plain: str, *, username: str = "") -> str | None:
    """Why a new password is refused (Chinese), or None when it is acceptable."""
    if len(plain) < MIN_LENGTH:
        return f"密码至少{MIN_LENGTH}位"
    if _classes(plain) < MIN_CLASSES:
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类"
    if plain.lower() in _common():
        return "这是常见密码，容易被猜中，请换一个"
    if len(username) >= 3 and username.lower() in plain.lower():
        return "密码不能包含用户名"
    return None


def _checked(plain: str) -> str:
    problem = policy_problem(plain)
    if problem:
        raise ValueError(problem)
    return plain


# A new password in an input schema: the policy is checked when a password is set or changed,
# never at sign-in (demo and older accounts keep theirs until they change it).
NewPassword = Annotated[str, Field(max_length=200), AfterValidator(_checked)]


@lru_cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def burn_verify(plain: str) -> None:
    """Spend the time of one verification, for a username that does not exist."""
    verify_password(_dummy_hash(), plain)


def random_password() -> str:
    """A temporary password that meets the policy (shown once to the administrator)."""
    while True:
        plain = "Zj-" + secrets.token_urlsafe(12)
        if policy_problem(plain) is None:
            return plain
