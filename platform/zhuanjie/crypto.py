"""Personal fields at rest: encrypted, searchable by keyed hash, masked for display."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


def _key() -> str:
    from zhuanjie.config import get_settings

    return get_settings().field_key


def encrypt(plain: str | None) -> str | None:
    if plain is None or plain == "":
        return None
    return _fernet(_key()).encrypt(plain.encode()).decode()


def decrypt(token: str | None) -> str | None:
    if not token:
        return None
    try:
        return _fernet(_key()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise RuntimeError("personal field cannot be decrypted: wrong ZHUANJIE_FIELD_KEY?") from exc


def keyed_hash(plain: str) -> str:
    """Stable lookup key for an encrypted value; without the key it says nothing."""
    mac_key = hashlib.sha256(b"zhuanjie-lookup:" + _key().encode()).digest()
    return hmac.new(mac_key, plain.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str | None) -> str:
    """The last four characters only: the first six name the county and the next eight the
    birth date, which with the check digit rebuild the whole number."""
    if not value:
        return ""
    return "*" * (len(value) - 4) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_name(value: str | None) -> str:
    """张三 -> 张*, 张小明 -> 张*明, as public display (公示) requires."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_address(value: str | None) -> str:
    if not value:
        return ""
    keep = max(len(value) // 3, 1)
    return value[:keep] + "****"
