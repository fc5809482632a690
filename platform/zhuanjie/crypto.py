"""Personal fields at rest: encrypted, searchable by keyed hash, masked for display."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken


def encrypt(plain: str | None) -> str | None:
    return keyring().encrypt(plain)


def decrypt(token: str | None) -> str | None:
    return keyring().decrypt(token)


def encrypt_bytes(plain: bytes) -> tuple[bytes, str]:
    """A file's content under the newest field key, with that key's id (attachments)."""
    ring = keyring()
    return ring.encrypt_bytes(plain), ring.current_id


def decrypt_bytes(token: bytes) -> bytes:
    return keyring().decrypt_bytes(token)


def keyed_hash(plain: str) -> str:
    """Stable lookup key for an encrypted value; without the key it says nothing."""
    return keyring().hash(plain)


def lookup_hashes(plain: str) -> list[str]:
    """Every hash a stored value may carry: the current key's first, then those of keys that
    hashed before a rotation finished (so searches and duplicate checks hold meanwhile)."""
    return keyring().lookup_hashes(plain)


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


# --- keys and their rotation ---------------------------------------------------------------------

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
LEGACY_KEY_ID = "0"  # ZHUANJIE_FIELD_KEY's id when it sits in a ring


class FieldKeyError(RuntimeError):
    """A stored value names a key that is not configured, or no key opens it."""


def _mac_key(secret: str) -> bytes:
    return hashlib.sha256(b"zhuanjie-lookup:" + secret.encode()).digest()


@dataclass(frozen=True)
class KeyRing:
    """Field keys by id, oldest first: the last encrypts, every one decrypts. Values are
    stored as `<key id>:<Fernet token>`; untagged tokens (written before rotation existed)
    are tried with every key. Lookup hashes are HMACs under `hash_key`."""

    keys: tuple[tuple[str, str], ...]
    hash_key: str
    _fernets: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.keys:
            raise ValueError("a key ring needs at least one key")
        for kid, key in self.keys:
            if not KEY_ID.match(kid):
                raise ValueError(f"key id {kid!r}: letters, digits, _ or -, at most 20")
            self._fernets[kid] = Fernet(key.encode())

    @property
    def current_id(self) -> str:
        return self.keys[-1][0]

    def encrypt(self, plain: str | None) -> str | None:
        if plain is None or plain == "":
            return None
        return f"{self.current_id}:" + self._fernets[self.current_id].encrypt(
            plain.encode()
        ).decode()

    def encrypt_bytes(self, plain: bytes) -> bytes:
        return self.current_id.encode() + b":" + self._fernets[self.current_id].encrypt(plain)

    def decrypt_bytes(self, token: bytes) -> bytes:
        kid, sep, body = token.partition(b":")
        fernet = self._fernets.get(kid.decode("ascii", "replace")) if sep else None
        if fernet is None:
            raise FieldKeyError("attachment encrypted with a key that is not configured")
        try:
            return fernet.decrypt(body)
        except InvalidToken as exc:
            raise FieldKeyError("attachment cannot be decrypted: wrong field key?") from exc

    def key_id_of(self, token: str) -> str | None:
        """The id a stored value was encrypted under, None for an untagged (old) value."""
        kid, sep, _rest = token.partition(":")
        return kid if sep else None

    def decrypt(self, token: str | None) -> str | None:
        if not token:
            return None
        kid, sep, body = token.partition(":")
        if sep:
            fernet = self._fernets.get(kid)
            if fernet is None:
                raise FieldKeyError(
                    f"personal field encrypted with key id {kid!r}, which is not configured "
                    "(ZHUANJIE_FIELD_KEYS)"
                )
            candidates = [fernet]
        else:
            body = token
            candidates = [self._fernets[k] for k, _ in reversed(self.keys)]
        for fernet in candidates:
            try:
                return fernet.decrypt(body.encode()).decode()
            except InvalidToken:
                continue
        raise FieldKeyError("personal field cannot be decrypted: wrong ZHUANJIE_FIELD_KEY(S)?")

    def hash(self, plain: str) -> str:
        return hmac.new(_mac_key(self.hash_key), plain.encode(), hashlib.sha256).hexdigest()

    def lookup_hashes(self, plain: str) -> list[str]:
        secrets = [self.hash_key] + [k for _i, k in reversed(self.keys) if k != self.hash_key]
        return [
            hmac.new(_mac_key(s), plain.encode(), hashlib.sha256).hexdigest()
            for s in dict.fromkeys(secrets)
        ]


def keyring_from(field_key: str, field_keys: dict[str, str], hash_key: str) -> KeyRing:
    keys: dict[str, str] = {}
    if field_key:
        keys[LEGACY_KEY_ID] = field_key
    for kid, key in field_keys.items():
        if kid == LEGACY_KEY_ID and field_key and key != field_key:
            raise ValueError('key id "0" is ZHUANJIE_FIELD_KEY\'s; give the new key another id')
        keys.pop(kid, None)
        keys[kid] = key
    return _ring(tuple(keys.items()), hash_key or field_key)


@lru_cache(maxsize=8)
def _ring(keys: tuple[tuple[str, str], ...], hash_key: str) -> KeyRing:
    return KeyRing(keys, hash_key)


def keyring() -> KeyRing:
    from zhuanjie.config import get_settings

    s = get_settings()
    return keyring_from(s.field_key, s.field_keys, s.hash_key)
