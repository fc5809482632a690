"""The one owner of the referral lifecycle: `open_referral` and `move`.

Every caller that creates or moves a referral comes here: the caseworker's and the
organisation's use cases (referrals.service, bulk accept included), pledges (donors.service)
and the demo city (demo.flow, backdating through `at`). A move is one conditional UPDATE from
the states `TRANSITIONS` allows, so two people acting at once cannot both succeed; with it, in
the same savepoint, go the ReferralEvent, the deadlines (answer reminder and escalation when
sent, delivery deadline when accepted, follow-ups after delivery), the offer's place (taken on
accept, given back on fail or withdraw), the end of the referral's service plans, the need's
status and the notifications. A refused move raises Conflict and changes nothing.

`at` backdates everything the move writes (the demo replays months of history); the deadline
tasks it schedules are then simply due already.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, select, update

from zhuanjie import codes, transitions
from zhuanjie.codes import ReferralStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.followups import service as followups
from zhuanjie.models import Need, Offer, Referral, ReferralEvent, User
from zhuanjie.notifications import service as notifications
from zhuanjie.offers import capacity
from zhuanjie.plans import flow as plans
from zhuanjie.referrals import jobs
from zhuanjie.referrals.deadlines import respond_by

S = ReferralStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.IN_SERVICE, S.DELIVERED, S.FAILED, S.WITHDRAWN}),
    S.IN_SERVICE: frozenset({S.DELIVERED, S.FAILED, S.WITHDRAWN}),
    S.DELIVERED: frozenset({S.CLOSED}),
    S.FAILED: frozenset({S.CLOSED}),
    S.DECLINED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
LIVE = (S.SENT, S.ACCEPTED, S.IN_SERVICE)
# A referral's service plans end when it reaches one of these.
ENDS_PLANS = {
    S.DELIVERED: "转介已送达",
    S.FAILED: "转介未能完成",
    S.WITHDRAWN: "转介已撤回",
    S.CLOSED: "转介已关闭",
}

_VERB = {
    S.SENT: "重新发送",
    S.ACCEPTED: "接收",
    S.DECLINED: "拒绝",
    S.IN_SERVICE: "开始服务",
    S.DELIVERED: "登记送达",
    S.FAILED: "登记未完成",
    S.WITHDRAWN: "撤回",
    S.CLOSED: "关闭",
}


def sources(to: str) -> tuple[str, ...]:
    """The states from which a referral may move to `to` (a typo is a ValueError)."""
    to = ReferralStatus(to)
    return transitions.sources(TRANSITIONS, to)


def _actor_id(by: User | None) -> int | None:
    return by.id if by is not None else None


# --- opening ---------------------------------------------------------------------------------


def open_referral(
    session: Session,
    *,
    need: Need,
    offer: Offer,
    consent_id: int | None,
    by: User | None,
    at: datetime | None = None,
    note: str = "",
    score: float | None = None,
    pledge_id: int | None = None,
    notify: bool = True,
) -> Referral:
    """A new referral, sent: its first event, its answer deadline and reminder, the need's
    status, and the organisation told. Use-case checks (scope, consent, duplicates) are the
    caller's; the caller commits."""
    now = at or utc_now()
    referral = Referral(
        need_id=need.id,
        offer_id=offer.id,
        organisation_id=offer.organisation_id,
        consent_id=consent_id,
        pledge_id=pledge_id,
        status=S.SENT,
        note=note,
        score=score,
        sent_by_id=_actor_id(by),
        sent_at=now,
        respond_by_at=respond_by(now, need.urgency),
        updated_at=now,
    )
    session.add(referral)
    session.flush()
    session.add(
        ReferralEvent(
            referral_id=referral.id, from_status=None, to_status=S.SENT, actor_id=_actor_id(by),
            at=now, note=note,
        )
    )
    jobs.schedule_answer(session, referral)
    refresh_need(session, need, at=now)
    if notify:
        notifications.notify(
            session,
            user_ids=_except(
                notifications.organisation_staff(session, offer.organisation_id), by
            ),
            kind="referral_received",
            title=f"新转介：{need.title}",
            body=f"「{offer.title}」收到一条{codes.URGENCY[need.urgency]}转介，请在期限内答复。",
            link=f"/referrals/{referral.id}",
        )
    session.flush()
    return referral


# --- moving ----------------------------------------------------------------------------------


def move(
    session: Session,
    referral: Referral,
    *,
    to: str,
    by: User | None,
    at: datetime | None = None,
    note: str = "",
    notify: bool = True,
    decline_reason: str | None = None,
    delivery_date: date | None = None,
    delivery_amount: Decimal | None = None,
) -> Referral:
    """Move a referral to `to` from a state that allows it, with everything that goes with
    the move; Conflict (and nothing changed) otherwise. The caller commits."""
    to = ReferralStatus(to)
    savepoint = session.begin_nested()
    try:
        _move(session, referral, to=to, by=by, at=at or utc_now(), note=note, notify=notify,
              decline_reason=decline_reason, delivery_date=delivery_date,
              delivery_amount=delivery_amount)
    except BaseException:
        savepoint.rollback()
        session.refresh(referral)
        raise
    savepoint.commit()
    return referral


def _move(session, referral, *, to, by, at, note, notify, decline_reason, delivery_date,
          delivery_amount) -> None:
    values: dict = {"status": to, "updated_at": at}
    if to in (S.ACCEPTED, S.DECLINED):
        values["responded_at"] = at
    if to == S.ACCEPTED:
        values["holds_place"] = True
    if to == S.DECLINED:
        values |= {"decline_reason": decline_reason, "decline_note": note}
    if to == S.DELIVERED:
        values |= {"delivered_at": at, "delivery_date": delivery_date or at.date(),
                   "delivery_note": note, "delivery_amount": delivery_amount}
    if to in (S.FAILED, S.WITHDRAWN):
        values["holds_place"] = False
    if to in (S.FAILED, S.WITHDRAWN, S.CLOSED):
        values["closed_at"] = at
    held = referral.holds_place
    result = session.exec(
        update(Referral)
        .where(Referral.id == referral.id, Referral.status.in_(sources(to)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(referral)
        current = codes.REFERRAL_STATUSES.get(referral.status, referral.status)
        raise Conflict(f"该转介当前为「{current}」，不能{_VERB[to]}")
    session.add(
        ReferralEvent(referral_id=referral.id, from_status=referral.status, to_status=to,
                      actor_id=_actor_id(by), at=at, note=note)
    )
    session.flush()
    session.refresh(referral)
    need = session.get(Need, referral.need_id)

    if to == S.ACCEPTED:
        capacity.take_place(session, referral.offer_id)  # Conflict 名额已满 undoes the move
        jobs.schedule_delivery(session, referral, need.urgency)
    elif to in (S.FAILED, S.WITHDRAWN) and held:
        capacity.release_place(session, referral.offer_id)
    if to not in (S.ACCEPTED, S.IN_SERVICE):
        jobs.stop_clocks(session, referral)
    if to == S.DELIVERED:
        followups.schedule_after_delivery(session, referral)
    if to in ENDS_PLANS:
        plans.end_plans_of_referral(session, referral.id, by=by, reason=ENDS_PLANS[to], at=at)
    refresh_need(session, need, at=at)
    if notify:
        _tell(session, referral, need, to, by=by, note=note)
    session.flush()


def _except(user_ids: list[int], by: User | None) -> list[int]:
    """Nobody is told of what they did themselves."""
    return [u for u in user_ids if u and (by is None or u != by.id)]


def _tell(session: Session, referral: Referral, need: Need, to: str, *, by, note: str) -> None:
    caseworkers = _except([referral.sent_by_id, need.created_by_id], by)
    link = f"/needs/{need.id}"
    if to == S.ACCEPTED:
        offer = session.get(Offer, referral.offer_id)
        told = ("referral_accepted", f"转介已接收：{offer.title}", "")
    elif to == S.DECLINED:
        reason = codes.DECLINE_REASONS.get(referral.decline_reason or "", "")
        told = ("referral_declined", f"转介被拒绝（{reason}）",
                "需求已回到待匹配，可在匹配页查看下一个合适的项目。")
    elif to == S.DELIVERED:
        told = ("referral_delivered", "服务已送达，请安排回访", note)
    elif to == S.FAILED:
        told = ("referral_failed", "转介未能完成", note or "需求已回到待匹配。")
    elif to == S.WITHDRAWN:
        notifications.notify(
            session,
            user_ids=_except(notifications.organisation_staff(session, referral.organisation_id),
                             by),
            kind="referral_withdrawn",
            title="转介已被经办人员撤回",
            body=note,
            link=f"/referrals/{referral.id}",
        )
        return
    else:
        return
    kind, title, body = told
    notifications.notify(session, user_ids=caseworkers, kind=kind, title=title, body=body,
                         link=link)


def refresh_need(session: Session, need: Need, *, at: datetime | None = None) -> None:
    """A need's status follows its referrals until it is closed (pledges' referrals too)."""
    if need.status == codes.NeedStatus.CLOSED:
        return
    rows = session.exec(
        select(Referral.status, Referral.delivered_at).where(Referral.need_id == need.id)
    ).all()
    # A delivered referral keeps the need in service even once closed: follow-ups decide.
    states = {S.DELIVERED if delivered_at else status for status, delivered_at in rows}
    if states & {S.ACCEPTED, S.IN_SERVICE, S.DELIVERED}:
        status = codes.NeedStatus.IN_SERVICE
    elif S.SENT in states:
        status = codes.NeedStatus.REFERRED
    else:
        status = codes.NeedStatus.OPEN
    need.status = str(status)
    need.updated_at = need.last_action_at = at or utc_now()
    session.add(need)


# --- the person arrives with the slip ------------------------------------------------------------

ARRIVED = "arrived"


def record_arrival(
    session: Session, referral: Referral, *, by: User | None, at: datetime | None = None,
    note: str = "", notify: bool = True,
) -> ReferralEvent:
    """The person came to the organisation with the referral slip (转介单): an event, not a
    state, so a referral waiting for an answer, accepted or in service stays so. Refused once
    the referral is no longer live. The caller commits."""
    if referral.status not in LIVE:
        raise Conflict("该转介已结束，不能再登记到达")
    now = at or utc_now()
    event = ReferralEvent(
        referral_id=referral.id, from_status=referral.status, to_status=referral.status,
        actor_id=_actor_id(by), at=now, note=note or "服务对象已凭转介单到达", kind=ARRIVED,
    )
    session.add(event)
    referral.updated_at = max(referral.updated_at, now) if referral.updated_at else now
    session.add(referral)
    need = session.get(Need, referral.need_id)
    need.last_action_at = max(need.last_action_at, now) if need.last_action_at else now
    session.add(need)
    if notify and referral.sent_by_id is not None and referral.sent_by_id != _actor_id(by):
        notifications.notify(
            session, user_ids=[referral.sent_by_id], kind="referral_arrived",
            title=f"转介 #{referral.id}：服务对象已到达机构",
            body="服务机构已登记服务对象凭转介单到达。",
            link=f"/referrals/{referral.id}",
        )
    session.flush()
    return event
