"""Referral slip check-in (转介单签到): the receiving organisation's staff open a referral from
its slip, by the QR code's address or the typed number, and record that the person arrived.
Arrival is an event of the referral (referrals.flow.record_arrival), not a state."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from zhuanjie import audit
from zhuanjie.documents import numbers
from zhuanjie.errors import Invalid, NotFound
from zhuanjie.models import Need, Offer, Referral, ReferralEvent, User
from zhuanjie.policy import ensure_role
from zhuanjie.referrals import flow, service

CHECKIN_ROLES = ("org_staff",)


@dataclass
class SlipView:
    number: str
    referral: Referral
    need: Need
    offer: Offer
    arrivals: list[ReferralEvent]

    @property
    def open(self) -> bool:
        return self.referral.status in flow.LIVE


def may_check_in(actor: User) -> None:
    ensure_role(actor, *CHECKIN_ROLES)


def slip_number(actor: User, number: str) -> str:
    """The canonical number of a typed or scanned slip (a form field's error otherwise)."""
    may_check_in(actor)
    referral_id = numbers.parse(number, numbers.SLIP)
    if referral_id is None:
        raise Invalid("转介单编号无效，请核对后重新输入（如 ZJ-000123-4）", field="number")
    return numbers.number(numbers.SLIP, referral_id)


def open_slip(session: Session, *, actor: User, number: str) -> SlipView:
    """The referral a slip names, for the receiving organisation's staff only (others: 403;
    an unknown or mistyped number: 404)."""
    may_check_in(actor)
    referral_id = numbers.parse(number, numbers.SLIP)
    if referral_id is None:
        raise NotFound("转介单编号无效")
    referral = service.get_referral(session, actor=actor, referral_id=referral_id)
    arrivals = session.exec(
        select(ReferralEvent).where(ReferralEvent.referral_id == referral.id,
                                    ReferralEvent.kind == flow.ARRIVED)
        .order_by(ReferralEvent.at)
    ).all()
    return SlipView(numbers.number(numbers.SLIP, referral.id), referral,
                    session.get(Need, referral.need_id), session.get(Offer, referral.offer_id),
                    list(arrivals))


def arrive_by_slip(session: Session, *, actor: User, number: str, ip: str = "") -> str:
    """Record the arrival of the person a slip names; the slip's canonical number back."""
    view = open_slip(session, actor=actor, number=number)
    record_arrival(session, actor=actor, referral_id=view.referral.id, ip=ip)
    return view.number


def record_arrival(session: Session, *, actor: User, referral_id: int, ip: str = "") -> Referral:
    may_check_in(actor)
    referral = service.get_referral(session, actor=actor, referral_id=referral_id)
    event = flow.record_arrival(session, referral, by=actor)
    audit.record(session, actor, "referral_arrived", object_type="referral",
                 object_id=referral.id, detail={"event_id": event.id}, ip=ip)
    session.commit()
    return referral
