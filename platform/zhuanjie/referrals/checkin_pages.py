"""HTML pages for referral slip check-in: type a number or follow the slip's QR code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse

from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.forms import FormDep, attempt
from zhuanjie.referrals import checkin
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)
SlipNumber = Annotated[str, Path(max_length=40)]


def _start(request, user, values=None, errors=None, status=200):
    return templates.TemplateResponse(
        request, "referrals/checkin.html",
        {"user": user, "values": values or {}, "errors": errors or {}}, status_code=status)


@router.get("/checkin")
def checkin_form(request: Request, user: CurrentUser):
    checkin.may_check_in(user)
    return _start(request, user)


@router.post("/checkin")
def checkin_number(request: Request, user: CurrentUser, values: FormDep):
    number, errors = attempt(lambda: checkin.slip_number(user, values.get("number", "")))
    if errors:
        return _start(request, user, {"number": values.get("number", "")[:40]}, errors, 400)
    return RedirectResponse(f"/checkin/{number}", status_code=303)


@router.get("/checkin/{number}")
def slip(number: SlipNumber, request: Request, session: SessionDep, user: CurrentUser):
    view = checkin.open_slip(session, actor=user, number=number)
    return templates.TemplateResponse(request, "referrals/slip.html", {"user": user, "v": view})


@router.post("/checkin/{number}")
def arrived(number: SlipNumber, request: Request, session: SessionDep, user: CurrentUser):
    canonical = checkin.arrive_by_slip(session, actor=user, number=number, ip=client_ip(request))
    return RedirectResponse(f"/checkin/{canonical}?arrived=1", status_code=303)
