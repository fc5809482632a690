"""Routes find their rows through the feature's visibility query: an id that does not exist
is 404, one outside the caller's scope 403 (or 404 where even its existence is private),
never a 500; and the pages built on those lookups still show what they did."""

from __future__ import annotations

from tests.zhuanjie.factories import HAIAN_TOWN, make_need, make_offer, make_org, make_user
from zhuanjie.bounds import MAX_ID
from zhuanjie.notifications import service as notifications


def test_refer_form_shows_a_visible_offer_and_refuses_unknown_or_hidden_ones(session, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    org = make_org(session, name="爱心助医服务社")
    live = make_offer(session, org, title="困难群众助医券")
    draft = make_offer(session, org, title="还未发布的项目", status="draft")
    client = login(worker.username)

    page = client.get(f"/needs/{need.id}/refer?offer_id={live.id}")
    assert page.status_code == 200
    assert "困难群众助医券" in page.text and "爱心助医服务社" in page.text

    for offer_id in (draft.id, 999_999, MAX_ID):  # a draft is not the caseworker's to see
        response = client.get(f"/needs/{need.id}/refer?offer_id={offer_id}")
        assert response.status_code == 404, offer_id
        assert "还未发布的项目" not in response.text
    assert client.get(f"/needs/{need.id}/refer?offer_id={MAX_ID + 1}").status_code == 422


def test_refer_form_of_a_need_out_of_scope_is_refused(session, login):
    other = make_user(session, "caseworker", region_path=HAIAN_TOWN)
    need = make_need(session, other)
    offer = make_offer(session)
    client = login(make_user(session, "caseworker").username)
    assert client.get(f"/needs/{need.id}/refer?offer_id={offer.id}").status_code == 403
    assert client.get(f"/needs/{MAX_ID}/refer?offer_id={offer.id}").status_code == 404


def test_a_failed_referral_form_keeps_its_values_whatever_the_offer_id(session, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    client = login(worker.username)
    for offer_id in ("", "abc", "99999999999999999999999", str(MAX_ID)):
        response = client.post(
            f"/needs/{need.id}/refer",
            data={"offer_id": offer_id, "note": "请尽快联系", "fields": ["name"]},
        )
        assert response.status_code == 400, offer_id
        assert "请尽快联系" in response.text


def test_unknown_ids_are_404_on_every_lookup_the_routes_moved(session, login):
    worker = make_user(session, "caseworker")
    client = login(worker.username)
    for path in (
        f"/households/{MAX_ID}",
        f"/households/{MAX_ID}/edit",
        f"/needs/{MAX_ID}",
        f"/followups/{MAX_ID}",
        f"/referrals/{MAX_ID}",
        f"/api/v1/households/{MAX_ID}/entitlements",
        f"/api/v1/referrals/{MAX_ID}/plan",
    ):
        assert client.get(path).status_code == 404, path
    for path in (f"/visits/{MAX_ID}", f"/notifications/{MAX_ID}/open",
                 f"/pledges/{MAX_ID}/confirm"):
        response = client.post(path, data={"notes": "x"}, follow_redirects=False)
        assert response.status_code == 404, path


def test_another_persons_notification_is_not_found_and_stays_unread(session, login):
    owner = make_user(session, "caseworker")
    notifications.notify(session, user_ids=[owner.id], kind="test", title="给别人的通知",
                         link="/needs")
    session.commit()
    (row,), _total, unread = notifications.inbox(session, user=owner)
    client = login(make_user(session, "caseworker").username)
    response = client.post(f"/notifications/{row.id}/open", follow_redirects=False)
    assert response.status_code == 404
    assert notifications.unread_count(session, owner) == unread == 1

    own = login(owner.username).post(f"/notifications/{row.id}/open", follow_redirects=False)
    assert (own.status_code, own.headers["location"]) == (303, "/needs")
    assert notifications.unread_count(session, owner) == 0


def test_editing_a_household_shows_the_contact_whole_and_audits_the_look(session, login):
    from sqlmodel import select

    from zhuanjie.models import AuditEntry

    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    page = login(worker.username).get(f"/households/{need.household_id}/edit")
    assert page.status_code == 200
    assert "新华村6组28号" in page.text and "13912345678" in page.text
    looks = session.exec(
        select(AuditEntry).where(
            AuditEntry.action == "reveal_household_contact",
            AuditEntry.object_id == need.household_id,
            AuditEntry.actor_id == worker.id,
        )
    ).all()
    assert len(looks) == 1
