from datetime import timedelta

from sqlmodel import select

from tests.zhuanjie.conftest import fresh_database
from tests.zhuanjie.factories import make_org
from zhuanjie.clock import today
from zhuanjie.db import session_scope
from zhuanjie.migrate import upgrade
from zhuanjie.models import JobRun, Offer
from zhuanjie.scheduler import JOBS, build_scheduler, run_job


def _offer(session, org, **overrides) -> Offer:
    offer = Offer(organisation_id=org.id, title="助学金", status="published", **overrides)
    session.add(offer)
    session.flush()
    return offer


def test_expired_offers_close_by_themselves_and_only_once():
    spec = next(j for j in JOBS if j.id == "close_expired_offers")
    with fresh_database() as url:
        upgrade(url)
        with session_scope(url) as s:
            org = make_org(s)
            expired = _offer(s, org, valid_until=today() - timedelta(days=1))
            current = _offer(s, org, valid_until=today())
            draft = _offer(s, org, valid_until=today() - timedelta(days=9))
            draft.status = "draft"
            s.commit()
        first, second = run_job(spec, url), run_job(spec, url)
        assert (first.ok, first.items) == (True, 1)
        assert (second.ok, second.items) == (True, 0)
        with session_scope(url) as s:
            assert s.get(Offer, expired.id).status == "closed"
            assert s.get(Offer, current.id).status == "published"
            assert s.get(Offer, draft.id).status == "draft"
            runs = s.exec(select(JobRun).order_by(JobRun.id)).all()
            assert [r.items for r in runs] == [1, 0] and all(r.finished_at for r in runs)


def test_a_failing_job_is_recorded_not_raised():
    spec = JOBS[0]
    broken = type(spec)(spec.id, spec.title, lambda s, now: 1 / 0, minutes=1)
    with fresh_database() as url:
        upgrade(url)
        run = run_job(broken, url)
        assert run.ok is False and "ZeroDivisionError" in run.message


def test_the_scheduler_registers_every_job_once_with_coalescing():
    from apscheduler.triggers.cron import CronTrigger

    scheduler = build_scheduler()
    jobs = {j.id: j for j in scheduler.get_jobs()}
    assert sorted(jobs) == sorted(s.id for s in JOBS)
    for job in jobs.values():
        assert job.coalesce and job.max_instances == 1
    nightly = jobs["nightly_rematch"].trigger
    assert isinstance(nightly, CronTrigger) and str(nightly.timezone) == "Asia/Shanghai"
    assert "hour='2'" in str(nightly)
