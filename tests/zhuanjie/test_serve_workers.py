"""`zhuanjie serve --workers N`: the scheduler runs in no worker, or in exactly one."""

from __future__ import annotations

from click.testing import CliRunner

from zhuanjie import main as app_main
from zhuanjie.cli import main


def test_serve_offers_workers_and_the_scheduler_choice():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--workers", "--scheduler-in-one", "--no-scheduler", "--no-access-log"):
        assert option in result.output


def test_only_the_first_worker_to_take_the_lock_runs_the_scheduler(tmp_path, monkeypatch):
    monkeypatch.setenv("ZHUANJIE_SCHEDULER_LOCK", str(tmp_path / "scheduler.lock"))
    monkeypatch.setattr(app_main, "_held_lock", None)
    assert app_main._scheduler_lock_won() is True
    held = app_main._held_lock
    try:
        assert app_main._scheduler_lock_won() is False  # a second worker (another open file)
    finally:
        held.close()
        app_main._held_lock = None
    monkeypatch.delenv("ZHUANJIE_SCHEDULER_LOCK")
    assert app_main._scheduler_lock_won() is True  # one process alone: always
