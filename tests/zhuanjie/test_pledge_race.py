"""Twenty-four donors pledge 500 yuan at once to a need with 5,000 yuan still needed: exactly
ten succeed, the others are told how much is left, and the remaining amount never goes below
zero. Real HTTP, real concurrency, on PostgreSQL and on SQLite."""

import threading
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from sqlmodel import Session, func, select

from tests.zhuanjie.conftest import fresh_database, running_server
from tests.zhuanjie.factories import make_need, make_user
from zhuanjie.auth import service as auth
from zhuanjie.clock import today
from zhuanjie.db import get_engine
from zhuanjie.donors import service as donors
from zhuanjie.donors.schemas import PublicationIn
from zhuanjie.migrate import upgrade
from zhuanjie.models import Member, NeedPublication, Pledge

RACERS = 24


def _prepare(url: str) -> tuple[int, list[str]]:
    with Session(get_engine(url), expire_on_commit=False) as s:
        worker = make_user(s, "caseworker")
        need = make_need(s, worker)
        member = s.exec(select(Member).where(Member.household_id == need.household_id)).first()
        pub = donors.publish(s, actor=worker, need_id=need.id, data=PublicationIn(
            title="白蒲镇一户低保家庭的求助",
            story="一户三口之家，户主患尿毒症，每周透析三次，自付部分难以承担。",
            region_path=need.region_path, category="medical", amount_goal=Decimal("5000"),
            consent_member_id=member.id, consent_valid_until=today() + timedelta(days=30),
        ))
        tokens = [auth.issue_token(s, user=make_user(s, "donor")) for _ in range(RACERS)]
        return pub.id, tokens


def _race(base: str, pub_id: int, tokens: list[str]) -> list[httpx.Response]:
    barrier = threading.Barrier(RACERS)
    results: list[httpx.Response | None] = [None] * RACERS

    def give(i: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            barrier.wait()
            results[i] = client.post(
                "/api/v1/pledges",
                json={"publication_id": pub_id, "kind": "money", "amount": "500"},
                headers={"Authorization": f"Bearer {tokens[i]}"},
            )

    threads = [threading.Thread(target=give, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_concurrent_pledges_never_overshoot(backend):
    with fresh_database(backend) as url:
        upgrade(url)
        pub_id, tokens = _prepare(url)
        with running_server(url) as base:
            results = _race(base, pub_id, tokens)
            after = httpx.get(f"{base}/api/v1/board/{pub_id}").json()
        statuses = sorted(r.status_code for r in results)
        assert statuses == [201] * 10 + [409] * (RACERS - 10), [r.text for r in results]
        refusals = {r.json()["detail"][0]["msg"] for r in results if r.status_code == 409}
        assert refusals == {"该求助所需金额已筹满，感谢您的爱心"}
        assert after["amount_remaining"] == "0.00" and after["amount_pledged"] == "5000.00"
        with Session(get_engine(url)) as s:
            pub = s.get(NeedPublication, pub_id)
            assert pub.amount_pledged == pub.amount_goal == 5000
            total = s.exec(select(func.sum(Pledge.amount)).where(Pledge.publication_id == pub_id))
            assert total.one() == 5000
        get_engine(url).dispose()
