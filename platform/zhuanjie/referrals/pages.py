"""HTML pages for referrals: the organisation's inbox and one referral with its actions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlmodel import select

from zhuanjie.bounds import PathId, form_id
from zhuanjie.db import SessionDep, utc_now
from zhuanjie.deps import CurrentUser
from zhuanjie.errors import NotFound
from zhuanjie.forms import attempt, form_values
from zhuanjie.models import Need, Offer, Organisation, ReferralEvent, User
from zhuanjie.pagination import PAGE_SIZE, Page, page_number
from zhuanjie.plans import service as plans
from zhuanjie.referrals import service
from zhuanjie.referrals.schemas import DeclineIn, DeliveryIn, NoteIn
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/referrals")
def referral_list(
    request: Request, session: SessionDep, user: CurrentUser, box: str = "new", page: str = "1"
):
    number = page_number(page)
    if user.role == "org_staff":
        rows, counts = service.inbox(
            session, actor=user, box=box, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        total = counts.get(box, 0)
    else:
        rows, total = service.list_referrals(
            session, actor=user, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        counts = {}
    return _list_page(request, session, user, rows, box, counts, Page(number, PAGE_SIZE, total))


def _list_page(request, session, user, rows, box, counts, page, bulk=None):
    """The referral list with each row's need and offer, loaded in two queries."""
    need_ids, offer_ids = [r.need_id for r in rows], [r.offer_id for r in rows]
    needs = {n.id: n for n in session.exec(select(Need).where(Need.id.in_(need_ids)))}
    offers = {o.id: o for o in session.exec(select(Offer).where(Offer.id.in_(offer_ids)))}
    return templates.TemplateResponse(
        request,
        "referrals/list.html",
        {
            "user": user,
            "rows": rows,
            "needs": needs,
            "offers": offers,
            "box": box,
            "counts": counts,
            "now": utc_now(),
            "page": page,
            "bulk": bulk,
        },
    )


def detail_page(request, session, user, referral, errors=None, values=None, status=200):
    need = session.get(Need, referral.need_id)
    events = session.exec(
        select(ReferralEvent, User)
        .join(User, User.id == ReferralEvent.actor_id, isouter=True)
        .where(ReferralEvent.referral_id == referral.id)
        .order_by(ReferralEvent.id)
    ).all()
    return templates.TemplateResponse(
        request,
        "referrals/detail.html",
        {
            "user": user,
            "r": referral,
            "need": need,
            "offer": session.get(Offer, referral.offer_id),
            "organisation": session.get(Organisation, referral.organisation_id),
            "events": events,
            "consented": service.consented_view(session, actor=user, referral=referral)
            if user.role == "org_staff"
            else None,
            "plans": plans.plans_of(session, referral.id),
            "errors": errors or {},
            "values": values or {},
            "now": utc_now(),
        },
        status_code=status,
    )


@router.get("/referrals/{referral_id}")
def referral_detail(referral_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    referral = service.get_referral(session, actor=user, referral_id=referral_id)
    return detail_page(request, session, user, referral)


ACTIONS = {
    "accept": lambda s, u, rid, v: service.accept(s, actor=u, referral_id=rid),
    "decline": lambda s, u, rid, v: service.decline(
        s, actor=u, referral_id=rid, data=DeclineIn.model_validate(v)
    ),
    "start": lambda s, u, rid, v: service.start_service(s, actor=u, referral_id=rid),
    "deliver": lambda s, u, rid, v: service.deliver(
        s,
        actor=u,
        referral_id=rid,
        data=DeliveryIn(
            delivery_date=v.get("delivery_date") or None,
            what=v.get("what", ""),
            amount=v.get("amount") or None,
        ),
    ),
    "fail": lambda s, u, rid, v: service.fail(
        s, actor=u, referral_id=rid, data=NoteIn.model_validate(v)
    ),
    "withdraw": lambda s, u, rid, v: service.withdraw(
        s, actor=u, referral_id=rid, data=NoteIn.model_validate(v)
    ),
    "close": lambda s, u, rid, v: service.close(
        s, actor=u, referral_id=rid, data=NoteIn.model_validate(v)
    ),
}


@router.post("/referrals/bulk-accept")
async def bulk_accept(request: Request, session: SessionDep, user: CurrentUser):
    form = await request.form()
    ids = [i for i in map(form_id, form.getlist("referral_ids")) if i is not None]
    result = service.bulk_accept(session, actor=user, referral_ids=ids) if ids else None
    rows, counts = service.inbox(session, actor=user, box="new", limit=PAGE_SIZE)
    return _list_page(
        request,
        session,
        user,
        rows,
        "new",
        counts,
        Page(1, PAGE_SIZE, counts.get("new", 0)),
        bulk=result,
    )


@router.post("/referrals/{referral_id}/{action}")
async def referral_action(
    referral_id: PathId, action: str, request: Request, session: SessionDep, user: CurrentUser
):
    if action not in ACTIONS:
        raise NotFound("没有这个操作")
    referral = service.get_referral(session, actor=user, referral_id=referral_id)
    values = await form_values(request)
    _done, errors = attempt(lambda: ACTIONS[action](session, user, referral.id, values))
    if errors:
        session.rollback()
        return detail_page(
            request, session, user, referral, errors, values | {"action": action}, 400
        )
    return RedirectResponse(f"/referrals/{referral.id}", status_code=303)
