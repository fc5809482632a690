"""HTML pages for needs: record, edit, close, the timeline, matches, and sending a referral."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from zhuanjie.bounds import PathId, QueryId, form_id
from zhuanjie.clock import today
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.forms import attempt, form_values
from zhuanjie.households import service as households
from zhuanjie.matches import service as matches
from zhuanjie.models import Offer, Organisation
from zhuanjie.needs import service
from zhuanjie.needs.schemas import NeedClose, NeedCreate, NeedUpdate
from zhuanjie.offers import service as offers
from zhuanjie.pagination import PAGE_SIZE, Page, page_number
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import ReferralCreate
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)

NEED_FIELDS = (
    "category",
    "title",
    "description",
    "urgency",
    "amount_needed",
    "deadline_date",
    "member_id",
)


def _need_data(values: dict) -> dict:
    """Form strings to the schema's input: a blank optional field means "not given"."""
    return {k: values[k] for k in NEED_FIELDS if values.get(k, "") != ""}


@router.get("/needs")
def need_list(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    status: str = "",
    category: str = "",
    urgency: str = "",
    page: str = "1",
):
    number = page_number(page)
    rows, total = service.search_needs(
        session,
        actor=user,
        status=status,
        category=category,
        urgency=int(urgency) if urgency in ("1", "2", "3") else None,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    return templates.TemplateResponse(
        request,
        "needs/list.html",
        {
            "user": user,
            "rows": rows,
            "page": Page(number, PAGE_SIZE, total),
            "filters": {"status": status, "category": category, "urgency": urgency},
        },
    )


def _need_form(request, session, user, household, values, errors, need=None, status=200):
    members = households.members_of(session, household)
    return templates.TemplateResponse(
        request,
        "needs/form.html",
        {
            "user": user,
            "household": household,
            "members": members,
            "values": values,
            "errors": errors,
            "need": need,
        },
        status_code=status,
    )


@router.get("/households/{household_id}/needs/new")
def new_need(household_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    household = households.get_household(session, actor=user, household_id=household_id)
    return _need_form(request, session, user, household, {"urgency": "1"}, {})


@router.post("/households/{household_id}/needs/new")
async def create_need(
    household_id: PathId, request: Request, session: SessionDep, user: CurrentUser
):
    household = households.get_household(session, actor=user, household_id=household_id)
    values = await form_values(request)
    need, errors = attempt(
        lambda: service.create_need(
            session,
            actor=user,
            household_id=household.id,
            data=NeedCreate.model_validate(_need_data(values)),
        )
    )
    if errors:
        return _need_form(request, session, user, household, values, errors, status=400)
    return RedirectResponse(f"/needs/{need.id}", status_code=303)


@router.get("/needs/{need_id}")
def need_detail(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _detail_page(request, session, user, need_id, {}, {})


def _detail_page(request, session, user, need_id, errors, values, status=200):
    need = service.get_need(session, actor=user, need_id=need_id)
    household = households.get_household(session, actor=user, household_id=need.household_id)
    return templates.TemplateResponse(
        request,
        "needs/detail.html",
        {
            "user": user,
            "need": need,
            "h": households.household_public(session, household),
            "timeline": service.timeline(session, need),
            "referrals": referrals.referrals_of_need(session, need.id),
            "errors": errors,
            "values": values,
        },
        status_code=status,
    )


@router.get("/needs/{need_id}/edit")
def edit_need(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    need = service.get_need(session, actor=user, need_id=need_id)
    household = households.get_household(session, actor=user, household_id=need.household_id)
    values = {k: "" if getattr(need, k) is None else str(getattr(need, k)) for k in NEED_FIELDS}
    return _need_form(request, session, user, household, values, {}, need=need)


@router.post("/needs/{need_id}/edit")
async def update_need(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    need = service.get_need(session, actor=user, need_id=need_id)
    household = households.get_household(session, actor=user, household_id=need.household_id)
    values = await form_values(request)
    _saved, errors = attempt(
        lambda: service.update_need(
            session, actor=user, need_id=need.id, data=NeedUpdate.model_validate(_need_data(values))
        )
    )
    if errors:
        return _need_form(request, session, user, household, values, errors, need=need, status=400)
    return RedirectResponse(f"/needs/{need.id}", status_code=303)


@router.post("/needs/{need_id}/close")
async def close_need(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    values = await form_values(request)
    _closed, errors = attempt(
        lambda: service.close_need(
            session, actor=user, need_id=need_id, data=NeedClose.model_validate(values)
        )
    )
    if errors:
        return _detail_page(request, session, user, need_id, errors, values, 400)
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.get("/needs/{need_id}/matches")
def need_matches(
    need_id: PathId,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    provider_kind: str = "",
    mode: str = "",
    category: str = "",
):
    view = matches.matches_for_need(
        session,
        actor=user,
        need_id=need_id,
        provider_kind=provider_kind,
        mode=mode,
        category=category,
    )
    return templates.TemplateResponse(
        request,
        "needs/matches.html",
        {
            "user": user,
            "view": view,
            "need": view.need,
            "filters": {"provider_kind": provider_kind, "mode": mode, "category": category},
        },
    )


def _refer_form(request, session, user, need, offer, values, fields, errors, status=200):
    household = households.get_household(session, actor=user, household_id=need.household_id)
    return templates.TemplateResponse(
        request,
        "needs/refer.html",
        {
            "user": user,
            "need": need,
            "offer": offer,
            "organisation": session.get(Organisation, offer.organisation_id) if offer else None,
            "members": households.members_of(session, household),
            "values": values,
            "fields": fields,
            "errors": errors,
        },
        status_code=status,
    )


@router.get("/needs/{need_id}/refer")
def refer_form(
    need_id: PathId, offer_id: QueryId, request: Request, session: SessionDep, user: CurrentUser
):
    need = service.get_need(session, actor=user, need_id=need_id)
    offer = offers.get_offer(session, actor=user, offer_id=offer_id)
    until = min(today() + timedelta(days=90), offer.valid_until or today() + timedelta(days=90))
    values = {"offer_id": str(offer_id), "valid_until": str(max(until, today()))}
    return _refer_form(
        request, session, user, need, offer, values, ["name", "phone", "need_text"], {}
    )


@router.post("/needs/{need_id}/refer")
async def send_referral(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    need = service.get_need(session, actor=user, need_id=need_id)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "fields"}
    fields = [str(f) for f in form.getlist("fields")]

    def send():
        consent = {
            "member_id": values.get("member_id"),
            "fields": fields,
            "valid_until": values.get("valid_until"),
        }
        data = ReferralCreate.model_validate(
            {
                "offer_id": values.get("offer_id"),
                "note": values.get("note", ""),
                "consent": {k: v for k, v in consent.items() if v not in (None, "")},
            }
        )
        return referrals.send_referral(session, actor=user, need_id=need.id, data=data)

    _sent, errors = attempt(send)
    if errors:
        errors = {k.removeprefix("consent."): v for k, v in errors.items()}
        offer_id = form_id(values.get("offer_id"))
        offer = session.get(Offer, offer_id) if offer_id else None
        return _refer_form(request, session, user, need, offer, values, fields, errors, 400)
    return RedirectResponse(f"/needs/{need.id}", status_code=303)
