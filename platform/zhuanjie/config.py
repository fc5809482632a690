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
    # Key rotation: {"id": key, ...}; the last one listed encrypts, every one decrypts
    # (FIELD_KEY, when also set, is the oldest, with id "0").
    field_keys: dict[str, str] = {}
    # The key of the lookup hashes (ID number search); defaults to FIELD_KEY as before.
    hash_key: str = ""
    timezone: str = "Asia/Shanghai"
    run_scheduler: bool = True
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "zhuanjie@localhost"
    smtp_starttls: bool = False
    smtp_tls: bool = False  # implicit TLS (port 465); with credentials one of the two is used
    smtp_ca_file: str = ""  # CA bundle to check the mail server's certificate by, if not public
    base_url: str = "http://127.0.0.1:8000"
    # Reverse proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated.
    trusted_proxies: str = ""
    # Request bodies over this are refused (413); uploaded .xlsx files may not unpack to more.
    max_body_bytes: int = 10 * 1024 * 1024
    max_unpacked_bytes: int = 50 * 1024 * 1024
    # Attachments (scans, photos): largest file taken, checked on its content; and whether a
    # referral may be sent only with the signed consent's scan.
    attachment_max_bytes: int = 8 * 1024 * 1024
    require_signed_consent: bool = False
    # The font printed documents use; empty: Noto Sans CJK SC from Debian's fonts-noto-cjk.
    pdf_font: str = ""
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
    # 台帐比对: the monthly 低保 line and the 特困 basic-living standard per person (yuan).
    dibao_line: int = 1010
    tekun_standard: int = 1313
    stale_need_days: int = 30
    # Data overview (数据概览): fewer cases than this give no rate ("样本不足"), and days a
    # need of a category may stay open before it counts as not reached (overrides).
    insight_min_cases: int = 10
    insight_expected_days: dict[str, int] = {}
    # Scheduled work: how many due items a worker claims at once, and when a claim is stale.
    task_batch: int = 200
    task_claim_seconds: int = 300
    # Accounts and sessions (等保 2.0 level 3): a sign-in lasts at most session_max_age_seconds
    # and ends after session_idle_seconds without a request; its last-seen time is written at
    # most every session_touch_seconds. API tokens expire after token_days unless told.
    session_max_age_seconds: int = 12 * 3600
    session_idle_seconds: int = 30 * 60
    session_touch_seconds: int = 60
    token_days: int = 90
    # Failed sign-ins: this many within login_window_seconds lock the account (or the client
    # address) for login_lock_seconds. An address has its own, higher limit: offices share one.
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    login_window_seconds: int = 15 * 60
    login_lock_seconds: int = 15 * 60
    # Learned matching models (zhuanjie.learning): referrals of the last model_window_weeks
    # are the data, the latest model_holdout_weeks of them are held out, and a candidate is
    # promoted only when its AUC there beats the model in use by model_margin.
    model_window_weeks: int = 52
    model_holdout_weeks: int = 8
    model_margin: float = 0.01
    model_min_holdout: int = 40  # held-out referrals with a known outcome needed to judge

    @model_validator(mode="after")
    def _fill_local_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'zhuanjie.db'}"
        if self.mode == "production":
            missing = [name for name in ("secret_key", "field_key") if not getattr(self, name)]
            if self.field_keys and "field_key" in missing:
                missing.remove("field_key")
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
            self.hash_key = self.hash_key or stored.get("hash_key", "")
        if self.field_key:
            _check_field_key(self.field_key)
        for key in self.field_keys.values():
            _check_field_key(key)
        if not self.hash_key and not self.field_key:
            raise ConfigError("ZHUANJIE_FIELD_KEYS needs ZHUANJIE_HASH_KEY (the lookup-hash key)")
        if self.hash_key and len(self.hash_key) < 32:
            raise ConfigError(
                "ZHUANJIE_HASH_KEY must be at least 32 characters (`zhuanjie gen-key`)"
            )
        _check_proxies(self.trusted_proxies)
        from zhuanjie.crypto import keyring_from

        try:
            keyring_from(self.field_key, self.field_keys, self.hash_key)
        except ValueError as exc:
            raise ConfigError(f"ZHUANJIE_FIELD_KEYS: {exc}") from exc
        return self

    @property
    def trusted_proxy_networks(self) -> list:
        return _check_proxies(self.trusted_proxies)


def new_field_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _local_secrets(var_dir: Path) -> dict[str, str]:
    """Generate the local secrets once and keep them under var/ so data stays readable."""
    path = var_dir / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    var_dir.mkdir(parents=True, exist_ok=True)
    values = {
        "secret_key": secrets.token_urlsafe(48),
        "field_key": new_field_key(),
        "hash_key": new_field_key(),
    }
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


def _check_proxies(text: str) -> list:
    import ipaddress

    try:
        return [ipaddress.ip_network(p.strip(), strict=False) for p in text.split(",") if p.strip()]
    except ValueError as exc:
        raise ConfigError(f"ZHUANJIE_TRUSTED_PROXIES: {exc}") from exc
