"""Every API route that takes an id, on the demo city: an id that names nothing is a 404 (not a
500) for a user who may use the route, and a row out of the caller's scope (a caseworker of
another county, a donor, staff of another organisation) is a 403 or a 404, never served.

The table below must list exactly the OpenAPI operations with an integer path id, so a new
route cannot be left out."""

from __future__ import annotations

import os
import re
import tempfile

import pytest
from sqlmodel import select

from tests.zhuanjie.factories import make_offer, make_user, valid_id
from zhuanjie.bounds import MAX_ID

FUTURE = "2099-01-01"
STORY = "一户三口之家，户主患尿毒症，每周透析三次，自付部分难以承担。"

# operation -> (the demo user who may use it on the scoped row, the body it sends, public?)
# "public" routes serve any signed-in user the row (a published offer, a board entry), so only
# the unknown id is checked for them.
ROUTES: dict[str, tuple[str, dict | None, bool]] = {
    "GET /api/v1/organisations/{organisation_id}": ("admin", None, True),
    "PATCH /api/v1/organisations/{organisation_id}": ("org_staff", {"description": "简介"}, False),
    "GET /api/v1/organisations/{organisation_id}/events": ("org_staff", None, False),
    "GET /api/v1/organisations/{organisation_id}/colleagues": ("org_staff", None, False),
    "POST /api/v1/organisations/{organisation_id}/colleagues": (
        "org_staff", {"username": "colleague_x", "display_name": "新同事",
                      "password": "secret-pass-1"}, False),
    "POST /api/v1/organisations/{organisation_id}/{action}": (
        "admin", {"reason": "核验材料不全"}, False),
    "GET /api/v1/households/{household_id}": ("caseworker", None, False),
    "PUT /api/v1/households/{household_id}": ("caseworker", {"village": "新华村"}, False),
    "POST /api/v1/households/{household_id}/members/{member_id}/reveal": (
        "caseworker", None, False),
    "POST /api/v1/households/{household_id}/members": (
        "caseworker", {"name": "王小明", "id_number": valid_id()}, False),
    "PUT /api/v1/households/{household_id}/members/{member_id}": (
        "caseworker", {"name": "王小明", "relation": "child"}, False),
    "POST /api/v1/households/{household_id}/members/{member_id}/remove": (
        "caseworker", {"reason": "迁出本户"}, False),
    "POST /api/v1/households/{household_id}/changes": (
        "caseworker", {"kind": "income", "note": "收入增加"}, False),
    "GET /api/v1/households/{household_id}/changes": ("caseworker", None, False),
    "GET /api/v1/households/{household_id}/entitlements": ("caseworker", None, False),
    "POST /api/v1/households/{household_id}/entitlements": (
        "caseworker", {"programme": "低保金", "category": "basic_living",
                       "since_date": "2026-01-01"}, False),
    "POST /api/v1/households/{household_id}/review": ("caseworker", None, False),
    "POST /api/v1/households/{household_id}/transition": ("caseworker", None, False),
    "POST /api/v1/households/{household_id}/needs": (
        "caseworker", {"category": "care", "title": "照料", "description": "老人需要照料"},
        False),
    "GET /api/v1/needs/{need_id}": ("caseworker", None, False),
    "PUT /api/v1/needs/{need_id}": (
        "caseworker", {"category": "care", "title": "照料", "description": "老人需要照料"},
        False),
    "POST /api/v1/needs/{need_id}/close": ("caseworker", {"outcome": "withdrawn"}, False),
    "GET /api/v1/needs/{need_id}/timeline": ("caseworker", None, False),
    "GET /api/v1/needs/{need_id}/matches": ("caseworker", None, False),
    "POST /api/v1/needs/{need_id}/referrals": (
        "caseworker", {"offer_id": 1, "consent": {"member_id": 1, "fields": ["name"],
                                                   "valid_until": FUTURE}}, False),
    "GET /api/v1/referrals/{referral_id}": ("org_staff", None, False),
    "GET /api/v1/referrals/{referral_id}/household": ("org_staff", None, False),
    "POST /api/v1/referrals/{referral_id}/accept": ("org_staff", None, False),
    "POST /api/v1/referrals/{referral_id}/decline": ("org_staff", {"reason": "full"}, False),
    "POST /api/v1/referrals/{referral_id}/start": ("org_staff", None, False),
    "POST /api/v1/referrals/{referral_id}/deliver": (
        "org_staff", {"delivery_date": "2026-11-30", "what": "发放救助金"}, False),
    "POST /api/v1/referrals/{referral_id}/fail": ("org_staff", {"note": "联系不上"}, False),
    "POST /api/v1/referrals/{referral_id}/withdraw": ("caseworker", {"note": "撤回"}, False),
    "POST /api/v1/referrals/{referral_id}/close": ("caseworker", {"note": "办结"}, False),
    "POST /api/v1/followups/{followup_id}": ("caseworker", {"need_met": True}, False),
    "POST /api/v1/referrals/{referral_id}/plan": (
        "org_staff", {"description": "每周上门一次", "every_days": 7,
                      "start_date": "2026-12-01"}, False),
    "GET /api/v1/referrals/{referral_id}/plan": ("org_staff", None, False),
    "POST /api/v1/visits/{visit_id}": ("org_staff", {}, False),
    "GET /api/v1/board/{publication_id}": ("donor", None, True),
    "GET /api/v1/needs/{need_id}/publication": ("caseworker", None, False),
    "POST /api/v1/needs/{need_id}/publication": (
        "caseworker", {"title": "一户困难家庭的求助", "story": STORY, "category": "medical",
                       "region_path": "南通市/如皋市/白蒲镇", "consent_member_id": 1,
                       "consent_valid_until": FUTURE, "amount_goal": "3000"}, False),
    "POST /api/v1/publications/{publication_id}/takedown": (
        "supervisor_rugao", {"reason": "家庭要求撤下"}, False),
    "GET /api/v1/pledges/{pledge_id}": ("donor", None, False),
    "POST /api/v1/pledges/{pledge_id}/confirm": ("caseworker", None, False),
    "POST /api/v1/pledges/{pledge_id}/decline": ("caseworker", {}, False),
    "POST /api/v1/pledges/{pledge_id}/deliver": (
        "caseworker", {"thank_you_note": "善款已转交，谢谢您"}, False),
    "POST /api/v1/pledges/{pledge_id}/cancel": ("donor", None, False),
    "GET /api/v1/offers/{offer_id}": ("org_staff", None, False),
    "PATCH /api/v1/offers/{offer_id}": ("org_staff", {"title": "新的项目名称"}, False),
    "POST /api/v1/offers/{offer_id}/{action}": ("org_staff", None, False),
    "GET /api/v1/offers/{offer_id}/revisions": ("org_staff", None, False),
    "POST /api/v1/plans/{plan_id}/end": ("org_staff", {"reason": "服务提前完成"}, False),
    "GET /api/v1/needs/{need_id}/consents": ("caseworker", None, False),
    "POST /api/v1/needs/{need_id}/consents/withdraw": (
        "caseworker", {"reason": "户主不愿再授权"}, False),
    "POST /api/v1/reviews/offers/{offer_id}": ("admin", {"decision": "approve"}, False),
    "DELETE /api/v1/account/tokens/{token_id}": ("caseworker", None, False),
    "POST /api/v1/unclaimed/{unclaimed_id}/mark": ("caseworker", {"outcome": "applied"}, False),
    "DELETE /api/v1/account/sessions/{session_id}": ("caseworker", None, False),
    "GET /api/v1/admin/models/{model_id}": ("admin", None, False),
    "POST /api/v1/admin/models/{model_id}/promote": ("admin", None, False),
    "GET /api/v1/allocation/runs/{run_id}": ("supervisor_rugao", None, False),
    "POST /api/v1/allocation/runs/{run_id}/run": ("supervisor_rugao", None, False),
    "POST /api/v1/allocation/runs/{run_id}/adjust": (
        "supervisor_rugao", {"action": "restore", "need_id": 1}, False),
    "POST /api/v1/allocation/runs/{run_id}/confirm": ("supervisor_rugao", None, False),
    "POST /api/v1/allocation/proposals/{proposal_id}/decline": (
        "caseworker", {"reason": "not_needed"}, False),
    "GET /api/v1/intakes/{intake_id}": ("caseworker", None, False),
    "POST /api/v1/intakes/{intake_id}/accept": (
        "caseworker", {"category": "basic_living", "title": "低保评估", "description": "评估",
                       "household": {"village": "新华村"}}, False),
    "POST /api/v1/intakes/{intake_id}/decline": ("caseworker", {"reason": "不符合条件"}, False),
    "POST /api/v1/intakes/{intake_id}/close": ("caseworker", {"outcome": "other"}, False),
    "POST /api/v1/referrals/{referral_id}/arrival": ("org_staff", None, False),
    "GET /api/v1/attachments/{attachment_id}": ("caseworker", None, False),
    "DELETE /api/v1/attachments/{attachment_id}": ("caseworker", None, False),
    # 台帐比对 of 如皋市: its civil affairs (org_staff_gov) manages it; 海安, donors may not
    "GET /api/v1/roll-reviews/{review_id}": ("org_staff_gov", None, False),
    "POST /api/v1/roll-review-items/{item_id}/assign": (
        "org_staff_gov", {"assignee_id": 1}, False),
    "POST /api/v1/roll-review-items/{item_id}/close": (
        "org_staff_gov", {"outcome": "no_change"}, False),
}
ACTIONS = {"organisation_id": "suspend", "offer_id": "pause"}  # for .../{action}
OUTSIDERS = ("caseworker_haian", "donor", "org_staff_gov", "other_donor")


def _id_operations() -> list[str]:
    os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zhuanjie-ids-"))
    from zhuanjie.main import create_app

    found = []
    for path, operations in create_app().openapi()["paths"].items():
        for method, operation in operations.items():
            if any(p["in"] == "path" and p["schema"].get("type") == "integer"
                   for p in operation.get("parameters", [])):
                found.append(f"{method.upper()} {path}")
    return found


OPERATIONS = _id_operations()


def test_the_table_lists_every_route_that_takes_an_id():
    assert len(OPERATIONS) >= 40
    assert set(ROUTES) == set(OPERATIONS)


@pytest.fixture(scope="module")
def scoped(demo_session) -> dict[str, int]:
    """One row of each kind in the scope of the demo caseworker (白蒲镇), the demo org_staff's
    organisation and the demo donor: what the outsiders must not reach. The offer is a draft,
    so that even reading it is out of scope."""
    from zhuanjie import models as m

    s = demo_session
    user = {u.username: u for u in s.exec(select(m.User)).all()}
    town, org = user["caseworker"].region_path, user["org_staff"].organisation_id

    def first(query):
        row = s.exec(query.limit(1)).first()
        assert row is not None, "the demo city has none"
        return row

    referral = first(select(m.Referral).join(m.Need, m.Need.id == m.Referral.need_id)
                     .where(m.Referral.organisation_id == org, m.Need.region_path == town)
                     .order_by(m.Referral.status != "sent", m.Referral.id))
    pledge = first(select(m.Pledge).join(m.NeedPublication)
                   .join(m.Need, m.Need.id == m.NeedPublication.need_id)
                   .where(m.Pledge.donor_id == user["donor"].id, m.Need.region_path == town)
                   .order_by(m.Pledge.id))
    need = s.get(m.Need, s.get(m.NeedPublication, pledge.publication_id).need_id)
    followup = first(select(m.FollowUp).join(m.Need, m.Need.id == m.FollowUp.need_id)
                     .where(m.Need.region_path == town).order_by(m.FollowUp.id))
    attachment = first(select(m.Attachment).join(m.Household)
                       .where(m.Household.region_path == town).order_by(m.Attachment.id))
    return {
        "household_id": need.household_id,
        "member_id": need.member_id,
        "need_id": need.id,
        "referral_id": referral.id,
        "followup_id": followup.id,
        "attachment_id": attachment.id,
        "publication_id": pledge.publication_id,
        "pledge_id": pledge.id,
        "offer_id": make_offer(s, s.get(m.Organisation, org), status="draft").id,
        "organisation_id": org,
        "unclaimed_id": first(select(m.UnclaimedBenefit)
                              .where(m.UnclaimedBenefit.region_path == town,
                                     m.UnclaimedBenefit.status == "open")
                              .order_by(m.UnclaimedBenefit.id)).id,
        "model_id": _model(s),
        "intake_id": first(select(m.Intake).where(m.Intake.region_path == town)
                           .order_by(m.Intake.status != "received", m.Intake.id)).id,
        **_plan_and_visit(s, user["org_staff"], town),
        **_review_and_item(s, town),
        **_token_and_session(s, user["caseworker"]),
        **_run_and_proposal(s, user["supervisor_rugao"], need, referral.offer_id),
    }


def _model(session) -> int:
    """A trained matching model kept as a candidate (the demo city has none)."""
    import matching
    from zhuanjie import models as m
    from zhuanjie.learning import active

    row = m.MatchModel(scorer=matching.MatchScorer.default().to_dict(),
                       fingerprint=active.fingerprint())
    session.add(row)
    session.flush()
    return row.id


def _run_and_proposal(session, supervisor, need, offer_id) -> dict[str, int]:
    """A draft allocation run of the supervisor's county and a proposal for the town's need
    (of a confirmed run): the demo city has neither."""
    from zhuanjie import models as m

    run = m.AllocationRun(region_path=supervisor.region_path, offer_id=offer_id,
                          created_by_id=supervisor.id)
    done = m.AllocationRun(region_path=supervisor.region_path, offer_id=offer_id,
                           status="confirmed", created_by_id=supervisor.id)
    session.add_all([run, done])
    session.flush()
    proposal = m.AllocationProposal(run_id=done.id, need_id=need.id, offer_id=offer_id)
    session.add(proposal)
    session.commit()
    return {"run_id": run.id, "proposal_id": proposal.id}
def _review_and_item(session, town: str) -> dict[str, int]:
    """The demo's 台帐比对 of 如皋市 and an open row of it in the town."""
    from zhuanjie import models as m

    item = session.exec(select(m.RollReviewItem).where(
        m.RollReviewItem.region_path == town, m.RollReviewItem.status == "open")
        .order_by(m.RollReviewItem.id)).first()
    return {"review_id": item.review_id, "item_id": item.id}


def _token_and_session(session, user) -> dict[str, int]:
    """A token and a browser session of the user's own (only they may end them)."""
    from zhuanjie import models as m
    from zhuanjie.auth import service as auth

    auth.issue_token(session, user=user, name="ids")
    auth.start_session(session, user=user)
    token = session.exec(select(m.ApiToken).where(m.ApiToken.user_id == user.id)
                         .order_by(m.ApiToken.id.desc())).first()
    browser = session.exec(select(m.UserSession).where(m.UserSession.user_id == user.id)
                           .order_by(m.UserSession.id.desc())).first()
    return {"token_id": token.id, "session_id": browser.id}


def _plan_and_visit(session, staff, town: str) -> dict[str, int]:
    """A plan with its first visit on a referral the organisation is serving in the town (the
    demo city has no service plans)."""
    from datetime import date

    from zhuanjie import models as m
    from zhuanjie.plans import service as plans
    from zhuanjie.plans.schemas import PlanCreate

    referral = session.exec(
        select(m.Referral).join(m.Need, m.Need.id == m.Referral.need_id)
        .where(m.Referral.organisation_id == staff.organisation_id, m.Need.region_path == town,
               m.Referral.status.in_(("accepted", "in_service"))).order_by(m.Referral.id)
    ).first()
    plan = plans.create_plan(session, actor=staff, referral_id=referral.id, data=PlanCreate(
        description="每周上门一次", every_days=7, start_date=date(2026, 12, 1)))
    visit = session.exec(select(m.ServiceVisit).where(m.ServiceVisit.plan_id == plan.id)).first()
    return {"plan_id": plan.id, "visit_id": visit.id}


@pytest.fixture(scope="module")
def tokens(demo_session, demo_tokens) -> dict[str, str]:
    """The demo users', and one of a donor who is not the demo donor."""
    from zhuanjie.auth import service as auth

    other = make_user(demo_session, "donor")
    return demo_tokens | {"other_donor": auth.issue_token(demo_session, user=other)}


def _url(operation: str, ids: dict) -> tuple[str, str]:
    method, path = operation.split(" ", 1)
    for name, action in ACTIONS.items():
        if "{" + name + "}" in path:
            path = path.replace("{action}", action)
    if "/reveal" in path:
        path += "?field=phone"
    return method, re.sub(r"{(\w+)}", lambda m: str(ids[m[1]]), path)


def _send(client, token, operation, ids):
    method, url = _url(operation, ids)
    body = ROUTES[operation][1]
    return client.request(method, url, headers={"Authorization": f"Bearer {token}"},
                          **({"json": body} if body is not None else {}))


@pytest.mark.parametrize("operation", list(ROUTES))
def test_an_unknown_id_is_not_found(operation, demo_client, tokens, scoped):
    owner = ROUTES[operation][0]
    ids = dict.fromkeys(scoped, MAX_ID)  # the largest id a path takes: no row has it
    response = _send(demo_client, tokens[owner], operation, ids)
    assert response.status_code == 404, (owner, response.status_code, response.text)


@pytest.mark.parametrize("operation", [op for op, (_, _, public) in ROUTES.items()
                                       if not public])
def test_a_row_out_of_scope_is_refused(operation, demo_client, tokens, scoped):
    method = operation.split(" ", 1)[0]
    owner = ROUTES[operation][0]
    for outsider in (name for name in OUTSIDERS if name != owner):
        response = _send(demo_client, tokens[outsider], operation, scoped)
        assert response.status_code in (403, 404), (outsider, response.status_code,
                                                     response.text)
    if method == "GET":  # and the row is there: its owner reads it
        assert _send(demo_client, tokens[owner], operation, scoped).status_code == 200
