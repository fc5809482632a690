"""Rows the document, attachment and check-in tests share: a referral sent with a consent."""

from __future__ import annotations

import io

from PIL import Image
from sqlmodel import select

from tests.zhuanjie.factories import make_need, make_offer, make_user
from zhuanjie.models import Member, Organisation
from zhuanjie.referrals import service as referrals
from zhuanjie.referrals.schemas import ReferralCreate


def sent_referral(session, fields=("name", "phone"), *, caseworker=None, staff=None):
    """A caseworker's need sent to an organisation's offer with the head's consent."""
    caseworker = caseworker or make_user(session, "caseworker")
    staff = staff or make_user(session, "org_staff")
    offer = make_offer(session, session.get(Organisation, staff.organisation_id))
    need = make_need(session, caseworker)
    head = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    referral = referrals.send_referral(session, actor=caseworker, need_id=need.id,
                                       data=ReferralCreate.model_validate({
                                           "offer_id": offer.id, "note": "请尽快联系",
                                           "consent": {"member_id": head.id,
                                                       "fields": list(fields),
                                                       "valid_until": "2099-01-01"}}))
    return caseworker, staff, referral


def photo(*, gps: bool = True, size=(320, 240), fmt="JPEG") -> bytes:
    """A photo as a phone takes it: with its camera, time and (by default) GPS position."""
    picture = Image.new("RGB", size, (180, 140, 90))
    exif = Image.Exif()
    exif[0x010F] = "Phone Maker"  # Make
    exif[0x0132] = "2026:11:30 10:12:00"  # DateTime
    if gps:
        exif[0x8825] = {1: "N", 2: (32.0, 23.0, 11.5), 3: "E", 4: (120.0, 33.0, 47.2)}
    out = io.BytesIO()
    picture.save(out, format=fmt, exif=exif)
    return out.getvalue()
