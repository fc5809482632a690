"""HTML pages for referrals: the organisation's inbox and one referral with its actions."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId, form_id
from zhuanjie.clock import today
from zhuanjie.db import SessionDep, utc_now
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.errors import Invalid, NotFound
from zhuanjie.forms import FormDataDep, FormDep, attempt
from zhuanjie.pagination import Page
from zhuanjie.plans import service as plans
from zhuanjie.referrals import service
from zhuanjie.referrals.schemas import DeclineIn, DeliveryIn, NoteIn
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/referrals")
def referral_list(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    box: str = "new",
    page: str = "1",
    cursor: str = "",
):
    """The organisation's inbox by page number; platform staff's referrals by cursor (a stale
    or garbled cursor shows the first page with a message)."""
    shown = Page.requested(page)
    notice = ""
    try:
        listed = service.referral_list(
            session, actor=user, box=box, offset=shown.offset, limit=shown.size, cursor=cursor
        )
    except Invalid as exc:
        notice = exc.message
        listed = service.referral_list(session, actor=user, box=box, limit=shown.size)
    return _list_page(request, user, listed, box, shown, notice)


def _list_page(request, user, listed: service.ReferralList, box, page: Page, notice=""):
    return templates.TemplateResponse(
        request,
        "referrals/list.html",
        {
            "user": user,
            "rows": listed.rows,
            "needs": listed.needs,
            "offers": listed.offers,
            "box": box,
            "counts": listed.counts,
            "now": utc_now(),
            "page": page.of(listed.total),
            "bulk": listed.bulk,
            "listed": listed.listed,
            "notice": notice,
        },
    )


def detail_page(request, session, user, referral_id, errors=None, values=None, status=200):
    view = service.referral_detail(
        session, actor=user, referral_id=referral_id, ip=client_ip(request)
    )
    return templates.TemplateResponse(
        request,
        "referrals/detail.html",
        {
            "user": user,
            "r": view.referral,
            "need": view.need,
            "offer": view.offer,
            "organisation": view.organisation,
            "events": view.events,
            "consented": view.consented,
            "plans": plans.plans_of(session, view.referral.id),
            "errors": errors or {},
            "values": values or {},
            "now": utc_now(),
            # visits fall due on local days (Asia/Shanghai), not on the UTC date of `now`
            "today": today(),
        },
        status_code=status,
    )


@router.get("/referrals/{referral_id}")
def referral_detail(referral_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return detail_page(request, session, user, referral_id)


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
def bulk_accept(request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep):
    ids = [i for i in map(form_id, form.getlist("referral_ids")) if i is not None]
    listed = service.bulk_accept_listed(session, actor=user, referral_ids=ids)
    return _list_page(request, user, listed, "new", Page(1))


@router.post("/referrals/{referral_id}/{action}")
def referral_action(
    referral_id: PathId,
    action: str,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    values: FormDep,
):
    if action not in ACTIONS:
        raise NotFound("没有这个操作")
    referral = service.get_referral(session, actor=user, referral_id=referral_id)
    _done, errors = attempt(
        lambda: ACTIONS[action](session, user, referral.id, values), session=session
    )
    if errors:
        return detail_page(
            request, session, user, referral.id, errors, values | {"action": action}, 400
        )
    return RedirectResponse(f"/referrals/{referral.id}", status_code=303)
