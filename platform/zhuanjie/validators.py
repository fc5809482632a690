"""Checks for the identifiers of the domain; error messages are Chinese, for the person typing."""

from __future__ import annotations

import re
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    """Validate a resident ID number (GB 11643-1999) and return it upper-cased."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValueError("身份证号应为18位，前17位为数字，最后一位为数字或X")
    try:
        birth_date_from_id(value)
    except ValueError:
        raise ValueError("身份证号中的出生日期无效") from None
    if id_check_char(value[:17]) != value[17]:
        raise ValueError("身份证号校验位不正确，请核对")
    return value


def birth_date_from_id(value: str) -> date:
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def sex_from_id(value: str) -> str:
    return "男" if int(value[16]) % 2 else "女"


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    """Validate a 统一社会信用代码 (GB 32100-2015) and return it upper-cased."""
    value = (value or "").strip().upper()
    if len(value) != 18 or any(c not in _USCC_CHARS for c in value):
        raise ValueError("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）")
    if uscc_check_char(value[:17]) != value[17]:
        raise ValueError("统一社会信用代码校验位不正确，请核对")
    return value


def normalize_phone(value: str) -> str:
    value = re.sub(r"[\s]", "", value or "")
    if not _PHONE.fullmatch(value):
        raise ValueError("请填写11位手机号或带区号的固定电话")
    return value
