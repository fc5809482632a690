"""Document numbers printed on paper and typed back in: a prefix naming the kind, the record's
id and a check digit, e.g. ZJ-000045-7. The check digit (Luhn) catches a mistyped or swapped
digit, so a typed slip number never opens someone else's referral by accident."""

from __future__ import annotations

import re

from zhuanjie.bounds import MAX_ID

CONSENT, SLIP, FOLLOW_UP, MONTHLY = "SQ", "ZJ", "HF", "YB"
_SHAPE = re.compile(r"^([A-Z]{2})-?(\d{6,10})-?(\d)$")


def _luhn(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def number(prefix: str, row_id: int) -> str:
    digits = f"{row_id:06d}"
    return f"{prefix}-{digits}-{_luhn(prefix_code(prefix) + digits)}"


def monthly(organisation_id: int, year: int, month: int) -> str:
    digits = f"{organisation_id:06d}{year:04d}{month:02d}"
    return f"{MONTHLY}-{digits}-{_luhn(prefix_code(MONTHLY) + digits)}"


def prefix_code(prefix: str) -> str:
    # The prefix takes part in the check, so ZJ-000045-x is not also a valid SQ number.
    return "".join(f"{ord(c) - 55:02d}" for c in prefix)


def parse(text: str, prefix: str) -> int | None:
    """The id a typed or scanned number names, or None: wrong kind, bad check digit, or
    out of range. Spaces, dashes and lower case are forgiven; a scanned URL ends in it."""
    text = (text or "").strip().rsplit("/", 1)[-1].upper().replace(" ", "")
    match = _SHAPE.match(text)
    if not match or match[1] != prefix:
        return None
    digits, check = match[2], int(match[3])
    if _luhn(prefix_code(prefix) + digits) != check:
        return None
    row_id = int(digits)
    return row_id if 1 <= row_id <= MAX_ID else None
