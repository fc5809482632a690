"""HTML pages for needs: record, edit, close, the timeline, matches, and sending a referral."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import UploadFile

from zhuanjie import pagecache
from zhuanjie.bounds import PathId, QueryId, form_id
from zhuanjie.clock import today
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser
from zhuanjie.errors import Invalid
from zhuanjie.forms import FormDataDep, FormDep, attempt
from zhuanjie.households import service as households
from zhuanjie.matches import service as matches
from zhuanjie.needs import service
from zhuanjie.needs.schemas import NeedClose, NeedCreate, NeedUpdate
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
    cursor: str = "",
):
    """Needs in scope, a page at a time by cursor ("上一页/下一页"); a stale or garbled cursor
    shows the first page with a message."""
    filters = {"status": status, "category": category,
               "urgency": int(urgency) if urgency in ("1", "2", "3") else None}
    notice = ""
    try:
        listed = service.need_page(session, actor=user, cursor=cursor, **filters)
    except Invalid as exc:
        notice = exc.message
        listed = service.need_page(session, actor=user, **filters)
    return templates.TemplateResponse(
        request,
        "needs/list.html",
        {
            "user": user,
            "rows": listed.rows,
            "listed": listed,
            "notice": notice,
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
def create_need(
    household_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
    values: FormDep,
):
    household = households.get_household(session, actor=user, household_id=household_id)
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


pagecache.cache_route("/needs/{need_id}")


@router.get("/needs/{need_id}")
def need_detail(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _detail_page(request, session, user, need_id, {}, {})


def _detail_page(request, session, user, need_id, errors, values, status=200):
    need = service.get_need(session, actor=user, need_id=need_id)
    return templates.TemplateResponse(
        request,
        "needs/detail.html",
        {
            "user": user,
            "need": need,
            "h": households.household_view(session, actor=user, household_id=need.household_id),
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
def update_need(
    need_id: PathId, request: Request, session: SessionDep, user: CurrentUser, values: FormDep
):
    need = service.get_need(session, actor=user, need_id=need_id)
    household = households.get_household(session, actor=user, household_id=need.household_id)
    _saved, errors = attempt(
        lambda: service.update_need(
            session, actor=user, need_id=need.id, data=NeedUpdate.model_validate(_need_data(values))
        )
    )
    if errors:
        return _need_form(request, session, user, household, values, errors, need=need, status=400)
    return RedirectResponse(f"/needs/{need.id}", status_code=303)


@router.post("/needs/{need_id}/close")
def close_need(
    need_id: PathId, request: Request, session: SessionDep, user: CurrentUser, values: FormDep
):
    _closed, errors = attempt(
        lambda: service.close_need(
            session, actor=user, need_id=need_id, data=NeedClose.model_validate(values)
        )
    )
    if errors:
        return _detail_page(request, session, user, need_id, errors, values, 400)
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


pagecache.cache_route("/needs/{need_id}/matches")


@router.get("/needs/{need_id}/matches")
def need_matches(
    need_id: PathId,
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    filters: Annotated[matches.MatchFilters, Depends()],
):
    view = matches.filtered_matches(session, actor=user, need_id=need_id, filters=filters)
    return templates.TemplateResponse(
        request,
        "needs/matches.html",
        {
            "user": user,
            "view": view,
            "need": view.need,
            "filters": asdict(filters),
        },
    )


def _refer_form(request, user, view, values, fields, errors, status=200):
    return templates.TemplateResponse(
        request,
        "needs/refer.html",
        {
            "user": user,
            "need": view.need,
            "offer": view.offer,
            "organisation": view.organisation,
            "members": view.members,
            "require_scan": view.require_scan,
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
    view = referrals.referral_form(session, actor=user, need_id=need_id, offer_id=offer_id)
    later = today() + timedelta(days=90)
    until = min(later, view.offer.valid_until or later)
    values = {"offer_id": str(offer_id), "valid_until": str(max(until, today()))}
    return _refer_form(request, user, view, values, ["name", "phone", "need_text"], {})


@router.post("/needs/{need_id}/refer")
def send_referral(
    need_id: PathId, request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep
):
    need = service.get_need(session, actor=user, need_id=need_id)
    values = {k: str(v) for k, v in form.items() if k not in ("fields", "scan")}
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
        sent = form.get("scan")
        scan = (sent.filename or "", sent.file.read()) if isinstance(sent, UploadFile) else None
        return referrals.send_referral(session, actor=user, need_id=need.id, data=data,
                                       scan=scan)

    _sent, errors = attempt(send, session=session)
    if errors:
        errors = {k.removeprefix("consent."): v for k, v in errors.items()}
        chosen = form_id(values.get("offer_id"))
        view = referrals.referral_form(
            session, actor=user, need_id=need.id, strict=False, offer_id=chosen
        )
        return _refer_form(request, user, view, values, fields, errors, 400)
    return RedirectResponse(f"/needs/{need.id}", status_code=303)
