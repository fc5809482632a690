"""The command line, run as a person runs it: a real process on a real database file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = ("migrate", "demo", "serve", "worker", "create-user", "create-token", "gen-key",
            "rotate-keys", "backup", "restore", "insight-rebuild")


def _run(*args: str, env: dict[str, str], input: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "zhuanjie.cli", *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ZHUANJIE_VAR_DIR=str(tmp_path), ZHUANJIE_DATABASE_URL=f"sqlite:///{tmp_path}/cli.db")
    env.pop("ZHUANJIE_MODE", None)
    return env


def test_every_command_explains_itself_in_chinese(cli_env):
    for command in COMMANDS:
        result = _run(command, "--help", env=cli_env)
        assert result.returncode == 0, result.stderr
        assert any("\u4e00" <= ch <= "\u9fff" for ch in result.stdout), command


def test_migrate_then_create_user_then_token(cli_env):
    first = _run("migrate", env=cli_env)
    assert first.returncode == 0, first.stderr
    assert "新增行政区划 83 条" in first.stdout
    assert "新增行政区划 0 条" in _run("migrate", env=cli_env).stdout
    made = _run(
        "create-user",
        "--username",
        "zhoumin",
        "--name",
        "周敏",
        "--role",
        "caseworker",
        "--region",
        "南通市/如皋市/白蒲镇",
        "--password",
        "A-long-pass1",
        env=cli_env,
    )
    assert made.returncode == 0 and "已创建用户 zhoumin" in made.stdout
    token = _run("create-token", "zhoumin", env=cli_env)
    assert token.returncode == 0 and token.stdout.strip().startswith("zj_")


def test_create_user_refuses_bad_input_with_a_message(cli_env):
    _run("migrate", env=cli_env)
    result = _run(
        "create-user",
        "--username",
        "xiaoli",
        "--name",
        "某",
        "--role",
        "caseworker",
        "--password",
        "A-long-pass1",
        env=cli_env,
    )
    assert result.returncode == 1 and "须指定辖区" in result.stderr
    result = _run(
        "create-user",
        "--username",
        "okname",
        "--name",
        "某",
        "--role",
        "caseworker",
        "--region",
        "南通市/火星镇",
        "--password",
        "A-long-pass1",
        env=cli_env,
    )
    assert result.returncode == 1 and "未知的行政区划" in result.stderr
    result = _run(
        "create-user",
        "--username",
        "x1",
        "--name",
        "某",
        "--role",
        "donor",
        "--password",
        "A-long-pass1",
        env=cli_env,
    )
    assert result.returncode == 1 and "username: 至少填写3个字符" in result.stderr


def test_production_mode_without_secrets_stops_with_a_clear_message(cli_env):
    env = cli_env | {"ZHUANJIE_MODE": "production"}
    env.pop("ZHUANJIE_SECRET_KEY", None)
    env.pop("ZHUANJIE_FIELD_KEY", None)
    result = _run("migrate", env=env)
    assert result.returncode == 1
    assert "ZHUANJIE_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_worker_once_runs_every_job(cli_env):
    _run("migrate", env=cli_env)
    result = _run("worker", "--once", env=cli_env)
    assert result.returncode == 0 and "close_expired_offers: 成功" in result.stdout
