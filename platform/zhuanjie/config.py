"""One Settings class: every knob comes from `ZHUANJIE_*` environment variables."""

from __future__ import annotations

import base64
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class ConfigError(RuntimeError):
    """Start-up configuration that cannot work; the message says what to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZHUANJIE_", extra="ignore")

    mode: Literal["local", "production"] = "local"
    var_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""
    secret_key: str = ""
    field_key: str = Field(
        default="",
        description="urlsafe-base64 32-byte key that encrypts personal fields at rest",
    )
    timezone: str = "Asia/Shanghai"
    run_scheduler: bool = True
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "zhuanjie@localhost"
    smtp_starttls: bool = False
    base_url: str = "http://127.0.0.1:8000"
    # Time limits (时限): how long an organisation has to answer a referral, by urgency.
    answer_hours_emergency: int = 24
    answer_hours_urgent: int = 48
    answer_working_days: int = 5
    # Days from acceptance to delivery, by urgency (3 急难, 2 紧急, 1 普通).
    deliver_days: dict[int, int] = {3: 3, 2: 7, 1: 14}
    # Follow-up visits after delivery, in days; a category may have its own list.
    followup_days: list[int] = [7, 30]
    followup_days_by_category: dict[str, list[int]] = {}
    review_months: int = 12
    transition_months: int = 6
    stale_need_days: int = 30
    # Data overview (数据概览): fewer cases than this give no rate ("样本不足"), and days a
    # need of a category may stay open before it counts as not reached (overrides).
    insight_min_cases: int = 10
    insight_expected_days: dict[str, int] = {}
    # Scheduled work: how many due items a worker claims at once, and when a claim is stale.
    task_batch: int = 200
    task_claim_seconds: int = 300
    session_max_age_seconds: int = 8 * 3600

    @model_validator(mode="after")
    def _fill_local_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'zhuanjie.db'}"
        if self.mode == "production":
            missing = [name for name in ("secret_key", "field_key") if not getattr(self, name)]
            if missing:
                names = ", ".join(f"ZHUANJIE_{n.upper()}" for n in missing)
                raise ConfigError(
                    f"production mode needs {names}: set them in the environment "
                    "(generate a field key with `zhuanjie gen-key`)"
                )
        else:
            stored = _local_secrets(self.var_dir)
            self.secret_key = self.secret_key or stored["secret_key"]
            self.field_key = self.field_key or stored["field_key"]
        _check_field_key(self.field_key)
        return self


def new_field_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _local_secrets(var_dir: Path) -> dict[str, str]:
    """Generate the local secrets once and keep them under var/ so data stays readable."""
    path = var_dir / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    var_dir.mkdir(parents=True, exist_ok=True)
    values = {"secret_key": secrets.token_urlsafe(48), "field_key": new_field_key()}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return values


def _check_field_key(key: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(key.encode())
    except ValueError as exc:
        raise ConfigError("ZHUANJIE_FIELD_KEY is not urlsafe base64") from exc
    if len(raw) != 32:
        raise ConfigError("ZHUANJIE_FIELD_KEY must decode to 32 bytes")


@lru_cache
def get_settings() -> Settings:
    return Settings()
