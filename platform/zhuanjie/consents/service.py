"""Consents and their withdrawal.

A household may withdraw a consent at any time. The caseworker records it (who, when, why);
from that moment the organisation sees nothing more of the household (the consented view is
empty and its live referrals on that consent go back to the caseworker), publications built
on it are taken down, and its entry leaves the 公示.
"""

from __future__ import annotations

from sqlmodel import Session, select, update

from zhuanjie import audit
from zhuanjie.attachments import service as attachments
from zhuanjie.clock import today
from zhuanjie.consents.schemas import ConsentPublic, WithdrawalIn, WithdrawalResult
from zhuanjie.db import utc_now
from zhuanjie.donors import cache
from zhuanjie.errors import Conflict, NotFound
from zhuanjie.models import Consent, Member, NeedPublication, Organisation, Referral, User
from zhuanjie.needs import service as needs
from zhuanjie.notifications import service as notifications
from zhuanjie.policy import ensure_role

WITHDRAW_ROLES = ("caseworker", "admin")


def is_live(consent: Consent) -> bool:
    return consent.revoked_at is None and consent.valid_until >= today()


def consents_of_need(session: Session, *, actor: User, need_id: int) -> list[ConsentPublic]:
    """The need's consents, newest first, for the caseworker's page (scope: the need's)."""
    need = needs.get_need(session, actor=actor, need_id=need_id)
    rows = session.exec(
        select(Consent, Member, Organisation)
        .join(Member, Member.id == Consent.member_id)
        .join(Organisation, Organisation.id == Consent.organisation_id, isouter=True)
        .where(Consent.need_id == need.id)
        .order_by(Consent.id.desc())
    ).all()
    names = {u.id: u.display_name for u in session.exec(
        select(User).where(User.id.in_({c.revoked_by_id for c, _m, _o in rows} - {None} or {0}))
    ).all()}
    signed = attachments.signed_consents(session, [c.id for c, _m, _o in rows])
    return [
        ConsentPublic(
            id=c.id, purpose=c.purpose, fields=c.fields, member_name=m.name,
            organisation_name=o.name if o else None, given_at=c.given_at,
            valid_until=c.valid_until, live=is_live(c), revoked_at=c.revoked_at,
            revoked_by=names.get(c.revoked_by_id), revoke_reason=c.revoke_reason,
            signed=c.id in signed,
        )
        for c, m, o in rows
    ]


def withdraw(
    session: Session, *, actor: User, need_id: int, data: WithdrawalIn, ip: str = ""
) -> WithdrawalResult:
    """Record the household's withdrawal of one consent (or all live ones of the need)."""
    ensure_role(actor, *WITHDRAW_ROLES)
    need = needs.get_need(session, actor=actor, need_id=need_id)
    query = select(Consent).where(Consent.need_id == need.id, Consent.revoked_at.is_(None))
    if data.consent_id is not None:
        if session.get(Consent, data.consent_id) is None:
            raise NotFound("授权记录不存在", field="consent_id")
        query = query.where(Consent.id == data.consent_id)
    consents = list(session.exec(query.order_by(Consent.id)).all())
    if not consents:
        raise Conflict("该需求没有尚未撤回的授权", field="consent_id")
    reason = data.reason.strip()
    ids, returned, taken = _end(session, actor, consents, reason=reason,
                                told=f"家庭已撤回授权（{reason}），转介已收回。",
                                takedown=f"家庭已撤回同意：{reason}")
    audit.record(
        session, actor, "consent_withdrawn", object_type="need", object_id=need.id,
        detail={"consent_ids": ids, "reason": reason, "referrals_returned": returned,
                "publications_taken_down": taken},
        ip=ip,
    )
    session.commit()
    cache.clear()
    return WithdrawalResult(withdrawn=ids, referrals_returned=returned,
                            publications_taken_down=taken)


def end_for_member(session: Session, *, actor: User, member_id: int, reason: str) -> list[int]:
    """A member left the household: every live consent they gave ends as a withdrawal does
    (referrals on it come back, publications on it come down). The caller commits, then
    calls `public_pages_changed()`."""
    consents = list(session.exec(
        select(Consent).where(Consent.member_id == member_id, Consent.revoked_at.is_(None))
        .order_by(Consent.id)
    ).all())
    if not consents:
        return []
    ids, _returned, _taken = _end(session, actor, consents, reason=reason,
                                  told=f"授权人已不是该户成员（{reason}），转介已收回。",
                                  takedown=f"授权人已离户：{reason}")
    return ids


def public_pages_changed() -> None:
    """Forget the board pages cached for anonymous visitors (after a commit)."""
    cache.clear()


def _end(session: Session, actor: User, consents: list[Consent], *, reason: str, told: str,
         takedown: str) -> tuple[list[int], int, int]:
    from zhuanjie.referrals import service as referrals

    now = utc_now()
    ids = [c.id for c in consents]
    session.exec(
        update(Consent).where(Consent.id.in_(ids), Consent.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=actor.id, revoke_reason=reason)
        .execution_options(synchronize_session=False)
    )
    # The organisations' live referrals on these consents come back (pledges' referrals stay:
    # a donor never sees the household, and the caseworker decides on the pledge).
    live = list(session.exec(
        select(Referral).where(Referral.consent_id.in_(ids), Referral.pledge_id.is_(None),
                               Referral.status.in_(referrals.LIVE))
        .order_by(Referral.id)
    ).all())
    for referral in live:
        notifications.notify(
            session,
            user_ids=notifications.organisation_staff(session, referral.organisation_id),
            kind="consent_withdrawn",
            title=f"转介 #{referral.id} 的授权已撤回",
            body="该家庭已撤回授权，转介已由经办人员收回，请删除已获取的家庭信息。",
            link=f"/referrals/{referral.id}",
        )
    returned = referrals.return_to_caseworker(
        session, actor=actor, referrals=live, kind="consent_withdrawn", reason=told,
    )
    taken = session.exec(
        update(NeedPublication)
        .where(NeedPublication.consent_id.in_(ids), NeedPublication.status == "published")
        .values(status="taken_down", takedown_reason=takedown)
        .execution_options(synchronize_session=False)
    ).rowcount
    return ids, returned, taken
