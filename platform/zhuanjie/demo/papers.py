"""The paper side of the demo city: a signed consent's scan and a photo of a house kept for one
family of the demo caseworker's town, and that family's arrival at the organisation recorded
from its referral slip. Pictures are drawn here (no file is shipped) and go through the same
checks, cleaning and encryption as an upload."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw

from zhuanjie.attachments import service as attachments
from zhuanjie.demo.base import Ctx
from zhuanjie.models import Consent
from zhuanjie.referrals import flow as referral_flow


def _signed_form() -> bytes:
    """A photographed A4 form: printed lines, a signature's scribble, a red thumbprint."""
    page = Image.new("RGB", (620, 877), (250, 249, 244))
    pen = ImageDraw.Draw(page)
    pen.rectangle((230, 50, 390, 80), fill=(40, 40, 40))
    for y in range(140, 560, 34):
        pen.line((70, y, 550, y), fill=(120, 120, 120), width=2)
    pen.line((90, 700, 140, 670, 180, 710, 230, 668, 270, 702), fill=(20, 30, 120), width=4)
    pen.ellipse((300, 672, 340, 716), fill=(190, 30, 40))
    out = io.BytesIO()
    page.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _house() -> bytes:
    picture = Image.new("RGB", (800, 600), (150, 190, 230))
    pen = ImageDraw.Draw(picture)
    pen.rectangle((0, 430, 800, 600), fill=(110, 140, 80))
    pen.rectangle((220, 250, 580, 470), fill=(200, 190, 170))
    pen.polygon([(190, 255), (400, 120), (610, 255)], fill=(120, 60, 50))
    pen.rectangle((370, 360, 430, 470), fill=(90, 60, 40))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=80)
    return out.getvalue()


def make_papers(ctx: Ctx) -> None:
    """On a referral the demo caseworker sent to the demo organisation's staff, so both demo
    logins find them."""
    caseworker, staff_org = ctx.users["caseworker"], ctx.users["org_staff"].organisation_id
    for info in ctx.needs:
        if info.family.caseworker.id != caseworker.id:
            continue
        held = [r for r in info.referrals if r.status in ("accepted", "in_service")
                and r.consent_id and r.organisation_id == staff_org]
        if not held:
            continue
        referral = held[-1]
        consent = ctx.session.get(Consent, referral.consent_id)
        household_id = info.family.row.id
        attachments.store(ctx.session, actor=caseworker, household_id=household_id,
                          owner_type="consent", owner_id=consent.id, kind="consent_scan",
                          filename="授权书签字.jpg", data=_signed_form())
        attachments.store(ctx.session, actor=caseworker, household_id=household_id,
                          owner_type="household", owner_id=household_id, kind="house_photo",
                          filename="住房.jpg", data=_house())
        staff = ctx.users["org_staff"]
        # the day after acceptance, but never before the referral's last step (a service
        # started later would otherwise precede the arrival in the referral's history)
        arrived = max((referral.responded_at or referral.sent_at) + timedelta(days=1),
                      referral.updated_at + timedelta(hours=1))
        referral_flow.record_arrival(ctx.session, referral, by=staff,
                                     at=min(arrived, ctx.now), notify=False)
        return
