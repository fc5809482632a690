"""docker-compose cannot run here (no engine); read it and check it against the real CLI."""

from pathlib import Path

import yaml
from click.testing import CliRunner

from zhuanjie.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_service_command_is_a_real_cli_command():
    services = _compose()["services"]
    assert {"db", "migrate", "web", "worker"} <= set(services)
    for name in ("migrate", "web", "worker"):
        command = services[name]["command"]
        assert command[0] == "zhuanjie", name
        result = CliRunner().invoke(main, [*command[1:], "--help"])
        assert result.exit_code == 0, (name, result.output)
        # every option the service passes is one the command knows
        for option in (a for a in command[1:] if a.startswith("--")):
            assert option in result.output, (name, option)


def test_postgres_16_with_a_volume_and_migrations_before_web():
    compose = _compose()
    db = compose["services"]["db"]
    assert db["image"] == "postgres:16"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    web = compose["services"]["web"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["environment"]["ZHUANJIE_RUN_SCHEDULER"] == "false"
    assert "healthz" in " ".join(web["healthcheck"]["test"])
    assert compose["services"]["worker"]["command"] == ["zhuanjie", "worker"]
    assert web["environment"]["ZHUANJIE_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_the_image_copies_everything_the_app_reads_at_run_time():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for folder in ("platform", "matching", "templates", "migrations", "alembic.ini"):
        assert folder in dockerfile
    assert "fonts-noto-cjk" in dockerfile  # printed documents' Chinese


def test_attachments_live_in_a_named_volume_every_app_service_mounts():
    compose = _compose()
    assert "attachments" in compose["volumes"]
    for name in ("migrate", "web", "worker"):
        assert "attachments:/app/var/attachments" in compose["services"][name]["volumes"], name
