"""Referral slip check-in: the receiving organisation's staff open a referral from the slip's
QR address or its typed number and record the person's arrival, an event that leaves the
referral's status as it was; nobody else may."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.zhuanjie.factories import make_user
from tests.zhuanjie.paper_helpers import sent_referral
from zhuanjie.documents import numbers
from zhuanjie.documents.service import slip_url
from zhuanjie.models import Notification, Referral, ReferralEvent


def _arrivals(session, referral_id: int) -> list[ReferralEvent]:
    return list(session.exec(select(ReferralEvent).where(
        ReferralEvent.referral_id == referral_id, ReferralEvent.kind == "arrived")).all())


def test_the_slips_qr_address_asks_for_sign_in_then_opens_the_referral(session, client, login):
    _caseworker, staff, referral = sent_referral(session)
    number = numbers.number(numbers.SLIP, referral.id)
    path = slip_url(number).split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    page = login(staff).get("/" + path)
    assert page.status_code == 200 and number in page.text and "登记服务对象已到达" in page.text


def test_a_typed_number_is_forgiven_its_case_and_dashes_but_not_a_wrong_digit(session, login):
    _caseworker, staff, referral = sent_referral(session)
    number = numbers.number(numbers.SLIP, referral.id)
    client = login(staff)
    typed = client.post("/checkin", data={"number": number.lower().replace("-", " ")},
                        follow_redirects=False)
    assert typed.status_code == 303 and typed.headers["location"] == f"/checkin/{number}"
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    refused = client.post("/checkin", data={"number": wrong})
    assert refused.status_code == 400 and 'id="err-number"' in refused.text
    assert f'value="{wrong}"' in refused.text  # what was typed stays
    assert client.get(f"/checkin/{wrong}").status_code == 404


def test_arrival_is_an_event_that_leaves_the_status_and_tells_the_caseworker(session, login):
    caseworker, staff, referral = sent_referral(session)
    number = numbers.number(numbers.SLIP, referral.id)
    client = login(staff)
    response = client.post(f"/checkin/{number}", follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "已登记到达" in page.text and "尚未登记" not in page.text
    session.expire_all()
    assert session.get(Referral, referral.id).status == "sent"
    (event,) = _arrivals(session, referral.id)
    assert event.from_status == event.to_status == "sent" and event.actor_id == staff.id
    told = session.exec(select(Notification).where(Notification.user_id == caseworker.id,
                                                   Notification.kind == "referral_arrived")).all()
    assert len(told) == 1
    detail = login(caseworker).get(f"/referrals/{referral.id}")
    assert "到达机构" in detail.text


@pytest.mark.parametrize("outsider", ["caseworker", "other_org_staff", "donor", "admin"])
def test_only_the_receiving_organisations_staff_check_in(session, login, outsider):
    caseworker, _staff, referral = sent_referral(session)
    user = caseworker if outsider == "caseworker" else make_user(
        session, "org_staff" if outsider == "other_org_staff" else outsider)
    number = numbers.number(numbers.SLIP, referral.id)
    client = login(user)
    assert client.get(f"/checkin/{number}").status_code in (403, 404)
    assert client.post(f"/checkin/{number}").status_code in (403, 404)
    assert _arrivals(session, referral.id) == []


def test_the_api_records_an_arrival_and_refuses_a_finished_referral(session, client):
    from zhuanjie.auth import service as auth
    from zhuanjie.referrals import service as referrals
    from zhuanjie.referrals.schemas import NoteIn

    caseworker, staff, referral = sent_referral(session)
    token = {"Authorization": f"Bearer {auth.issue_token(session, user=staff)}"}
    response = client.post(f"/api/v1/referrals/{referral.id}/arrival", headers=token)
    assert response.status_code == 200 and response.json()["status"] == "sent"
    referrals.withdraw(session, actor=caseworker, referral_id=referral.id, data=NoteIn(note="撤回"))
    again = client.post(f"/api/v1/referrals/{referral.id}/arrival", headers=token)
    assert again.status_code == 409
    assert len(_arrivals(session, referral.id)) == 1


def test_the_demo_organisation_checks_in_a_slip(demo_client, demo_session):
    """On the demo city: the arrival the demo recorded shows, and the check-in page works."""
    event = demo_session.exec(select(ReferralEvent).where(ReferralEvent.kind == "arrived")).first()
    assert event is not None
    referral = demo_session.get(Referral, event.referral_id)
    client = demo_client.sign_in("org_staff")
    assert client.get("/checkin").status_code == 200
    page = client.get(f"/checkin/{numbers.number(numbers.SLIP, referral.id)}")
    assert page.status_code == 200 and "尚未登记" not in page.text
