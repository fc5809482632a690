import json

import pytest

from zhuanjie.config import ConfigError, Settings, new_field_key


def test_production_refuses_to_start_without_secrets(tmp_path, monkeypatch):
    monkeypatch.delenv("ZHUANJIE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="ZHUANJIE_SECRET_KEY, ZHUANJIE_FIELD_KEY"):
        Settings(mode="production", var_dir=tmp_path)


def test_production_accepts_given_secrets(tmp_path, monkeypatch):
    monkeypatch.delenv("ZHUANJIE_DATABASE_URL", raising=False)
    settings = Settings(
        mode="production", var_dir=tmp_path, secret_key="s" * 40, field_key=new_field_key()
    )
    assert not (tmp_path / "secrets.json").exists()
    assert settings.database_url == f"sqlite:///{tmp_path / 'zhuanjie.db'}"


def test_local_mode_generates_secrets_once_and_keeps_them(tmp_path):
    first = Settings(var_dir=tmp_path)
    second = Settings(var_dir=tmp_path)
    assert first.secret_key == second.secret_key and first.field_key == second.field_key
    stored = json.loads((tmp_path / "secrets.json").read_text())
    assert stored["field_key"] == first.field_key
    assert (tmp_path / "secrets.json").stat().st_mode & 0o077 == 0


def test_a_malformed_field_key_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="32 bytes"):
        Settings(var_dir=tmp_path, field_key="c2hvcnQ=")
