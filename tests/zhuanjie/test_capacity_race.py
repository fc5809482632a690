"""Twenty people accept twenty referrals at once for an offer with one place left: exactly one
wins, the others are told 名额已满, and the offer never goes below zero. Real HTTP, real
concurrency, on PostgreSQL and on SQLite."""

import threading
from datetime import timedelta

import httpx
import pytest
from sqlmodel import Session, select

from tests.zhuanjie.conftest import fresh_database, running_server
from tests.zhuanjie.factories import make_need, make_offer, make_org, make_user
from zhuanjie.auth import service as auth
from zhuanjie.clock import today
from zhuanjie.db import get_engine
from zhuanjie.migrate import upgrade
from zhuanjie.models import Member, Offer
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import ReferralCreate

RACERS = 20


def _prepare(url: str) -> tuple[int, list[int], list[str]]:
    with Session(get_engine(url), expire_on_commit=False) as s:
        org = make_org(s)
        offer = make_offer(s, org, capacity=RACERS, places_taken=RACERS - 1)
        worker = make_user(s, "caseworker")
        ids, tokens = [], []
        for _ in range(RACERS):
            need = make_need(s, worker)
            member = s.exec(select(Member).where(Member.household_id == need.household_id)).first()
            referral = referrals.send_referral(
                s,
                actor=worker,
                need_id=need.id,
                data=(
                    ReferralCreate.model_validate(
                        {
                            "offer_id": offer.id,
                            "consent": {
                                "member_id": member.id,
                                "fields": ["need_text"],
                                "valid_until": str(today() + timedelta(days=30)),
                            },
                        }
                    )
                ),
            )
            ids.append(referral.id)
            staff = make_user(s, "org_staff", organisation_id=org.id)
            tokens.append(auth.issue_token(s, user=staff))
        return offer.id, ids, tokens


def _race(base: str, ids: list[int], tokens: list[str]) -> list[httpx.Response]:
    barrier = threading.Barrier(RACERS)
    results: list[httpx.Response | None] = [None] * RACERS

    def accept(i: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            barrier.wait()
            results[i] = client.post(
                f"/api/v1/referrals/{ids[i]}/accept",
                headers={"Authorization": f"Bearer {tokens[i]}"},
            )

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(RACERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_twenty_accepts_for_the_last_place(backend):
    with fresh_database(backend) as url:
        upgrade(url)
        offer_id, ids, tokens = _prepare(url)
        with running_server(url) as base:
            results = _race(base, ids, tokens)
        statuses = sorted(r.status_code for r in results)
        assert statuses == [200] + [409] * (RACERS - 1), [r.text for r in results]
        assert {r.json()["detail"] for r in results if r.status_code == 409} == {"名额已满"}
        with Session(get_engine(url)) as s:
            offer = s.get(Offer, offer_id)
            assert offer.places_taken == offer.capacity == RACERS
        get_engine(url).dispose()
