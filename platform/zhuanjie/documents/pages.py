"""Printable documents as PDF downloads (opened in the browser's viewer to print)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zhuanjie.bounds import PathId, form_id
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, client_ip
from zhuanjie.documents import service
from zhuanjie.downloads import file_response

router = APIRouter(include_in_schema=False)
PDF = "application/pdf"


def _pdf(document: service.Document):
    return file_response(document.data, document.filename, PDF, inline=True)


@router.get("/consents/{consent_id}/form.pdf")
def consent_form(consent_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _pdf(service.consent_form(session, actor=user, consent_id=consent_id,
                                     ip=client_ip(request)))


@router.get("/referrals/{referral_id}/slip.pdf")
def referral_slip(referral_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _pdf(service.referral_slip(session, actor=user, referral_id=referral_id,
                                      ip=client_ip(request)))


@router.get("/followups/{followup_id}/record.pdf")
def followup_record(followup_id: PathId, request: Request, session: SessionDep,
                    user: CurrentUser):
    return _pdf(service.followup_record(session, actor=user, followup_id=followup_id,
                                        ip=client_ip(request)))


@router.get("/documents/monthly-referrals.pdf")
def monthly_list(session: SessionDep, user: CurrentUser, month: str = "",
                 organisation_id: str = ""):
    return _pdf(service.monthly_list(session, actor=user, month=month[:7],
                                     organisation_id=form_id(organisation_id)))
