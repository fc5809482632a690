"""Where attachment files live: a small interface, and the one implementation on a local
folder (var/attachments, which `zhuanjie backup` copies; a named volume in docker-compose).

Files arrive already encrypted; the storage only keeps bytes under a random key. A key is
checked against KEY before it becomes a path, so no stored value can point outside the folder.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Protocol

KEY = re.compile(r"^[0-9a-f]{32}$")


class Storage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...


def new_key() -> str:
    return secrets.token_hex(16)


class LocalFolder:
    """Files in `root/<first two characters>/<key>`, written whole or not at all."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if not KEY.match(key):
            raise ValueError("not an attachment key")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = target.with_suffix(".part")
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)

    def get(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def default_storage() -> Storage:
    from zhuanjie.backup import attachments_dir
    from zhuanjie.config import get_settings

    return LocalFolder(attachments_dir(get_settings().var_dir))
