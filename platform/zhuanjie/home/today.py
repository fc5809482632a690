"""Today's work on the start page: what is due for this person, most urgent first, each item
with the one link that gets it done.

Every kind is one bounded query that starts from its feature's `visible_*` query, so the list
agrees with the lists it links to, and its cost does not grow with the number of rows (the
next best match of several needs is ranked in one call of the engine)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, and_, bindparam, exists, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from zhuanjie.clock import local_day, local_text, today
from zhuanjie.codes import FollowUpStatus, ReferralStatus
from zhuanjie.db import UTCDateTime, utc_now
from zhuanjie.errors import Forbidden
from zhuanjie.followups import service as followups
from zhuanjie.home.scoped import PerScope
from zhuanjie.households import service as households
from zhuanjie.matches import service as matches
from zhuanjie.models import (
    Consent,
    FollowUp,
    Household,
    Need,
    Notification,
    Offer,
    Referral,
    ServicePlan,
    ServiceVisit,
    User,
)
from zhuanjie.needs import service as needs
from zhuanjie.notifications import service as notifications
from zhuanjie.referrals import service as referrals

PER_KIND = 20  # rows read of each kind; the page says when there are more than it shows
SHOWN_PER_KIND = 5  # the start page lists this many of each kind, and links to the rest
CONSENT_WARNING_DAYS = 14
NO_REFERRAL_DAYS = 7
DELIVERY_WARNING_DAYS = 3
RUNNING = (ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE)

# Between items due the same day, the one that hurts the household more comes first.
WEIGHT = {
    "followup_missed": 0, "referral_overdue": 1, "referral_declined": 2, "delivery_overdue": 3,
    "followup_due": 4, "consent_expiring": 5, "need_waiting": 6, "transition_ending": 7,
    "review_due": 8, "better_match": 9,
    "answer": 0, "deliver": 1, "visit": 2,
}
KIND_LABELS = {
    "followup_missed": "回访已逾期", "followup_due": "今日回访",
    "referral_overdue": "转介超期未答复",
    "referral_declined": "转介被拒绝", "delivery_overdue": "超期未送达",
    "consent_expiring": "授权即将到期", "need_waiting": "一周未转介", "review_due": "年度复核",
    "transition_ending": "渐退到期", "better_match": "有更合适的项目",
    "answer": "待答复转介", "deliver": "待送达", "visit": "服务探访",
}


# Where the rest of a kind is listed, when the start page shows only the first few.
MORE_LINKS = {
    "followup_missed": "/followups", "followup_due": "/followups",
    "referral_overdue": "/referrals", "referral_declined": "/referrals",
    "delivery_overdue": "/referrals", "consent_expiring": "/needs",
    "need_waiting": "/needs?status=open", "review_due": "/households",
    "transition_ending": "/households", "better_match": "/notifications",
    "answer": "/referrals?box=new", "deliver": "/referrals?box=in_service",
    "visit": "/referrals?box=in_service",
}


@dataclass
class DueItem:
    kind: str
    due: date
    title: str
    detail: str
    link: str
    action: str  # the button's words
    post: bool = False  # the link is a form action (opening a notification marks it read)
    next_offer: str = ""  # 下一个匹配, for a declined or unanswered referral

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def when(self, on: date) -> str:
        days = (self.due - on).days
        if days < 0:
            return f"已逾期 {-days} 天"
        if days == 0:
            return "今天"
        return f"{days} 天后（{_md(self.due)}）"

    def overdue(self, on: date) -> bool:
        return self.due < on


@dataclass
class Today:
    day: date
    items: list[DueItem]
    more: bool  # some kind had more rows than were read

    @property
    def shown(self) -> list[DueItem]:
        """The most urgent few of each kind, in order."""
        seen: dict[str, int] = {}
        out = []
        for item in self.items:
            seen[item.kind] = seen.get(item.kind, 0) + 1
            if seen[item.kind] <= SHOWN_PER_KIND:
                out.append(item)
        return out

    @property
    def not_shown(self) -> list[tuple[str, int, str]]:
        """(label, how many, where they are listed) for each kind cut short."""
        counts: dict[str, int] = {}
        for item in self.items:
            counts[item.kind] = counts.get(item.kind, 0) + 1
        return [(KIND_LABELS[k], n - SHOWN_PER_KIND, MORE_LINKS[k])
                for k, n in counts.items() if n > SHOWN_PER_KIND]


def due_today(session: Session, *, user: User) -> Today | None:
    """The signed-in person's due work (None for roles without a list)."""
    if user.role == "caseworker":
        items, more = _caseworker(session, user)
    elif user.role == "org_staff":
        try:
            items, more = _organisation(session, user)
        except Forbidden:  # pending, suspended or rejected: nothing to answer
            items, more = [], False
    else:
        return None
    day = today()
    items.sort(key=lambda i: (i.due, WEIGHT[i.kind], i.link))
    return Today(day, items, more)


def _bounded(session: Session, query) -> tuple[list, bool]:
    rows = list(session.exec(query.limit(PER_KIND + 1)).all())
    return rows[:PER_KIND], len(rows) > PER_KIND


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# The caseworker's six statements, built once per process for each scope (building them
# cost more than running them): the day and the moment come in as bound parameters.
_DAY = bindparam("zj_day", type_=Date())
_NOW = bindparam("zj_now", type_=UTCDateTime())
_WEEK_AGO = bindparam("zj_week_ago", type_=UTCDateTime())
_CONSENT_LAST = bindparam("zj_consent_last", type_=Date())
_MONTH_END = bindparam("zj_month_end", type_=Date())


def _build_caseworker(user: User) -> dict:
    later = aliased(Referral)
    newer = aliased(Consent)
    visible_need_ids = needs.visible_needs(user).with_only_columns(Need.id)
    return {k: q.limit(PER_KIND + 1) for k, q in {
        "followups": followups.visible_followups(user, Need).where(
            or_(FollowUp.status == FollowUpStatus.MISSED,
                and_(FollowUp.status == FollowUpStatus.SCHEDULED, FollowUp.due_date <= _DAY)),
        ).order_by(FollowUp.due_date, FollowUp.id),
        "referrals": referrals.visible_referrals(user, Need, Offer)
        .join(Offer, Offer.id == Referral.offer_id)
        .where(or_(
            and_(Referral.status == ReferralStatus.SENT, Referral.respond_by_at < _NOW),
            and_(Referral.status == ReferralStatus.DECLINED, Need.status != "closed",
                 ~exists().where(later.need_id == Referral.need_id, later.id > Referral.id)),
            and_(Referral.status.in_(RUNNING), Referral.deliver_by_date < _DAY),
        )).order_by(Referral.id),
        "consents": select(Consent, Need)
        .join(Need, Need.id == Consent.need_id)
        .where(Need.id.in_(visible_need_ids), Need.status != "closed",
               Consent.revoked_at.is_(None), Consent.valid_until >= _DAY,
               Consent.valid_until <= _CONSENT_LAST,
               ~exists().where(newer.need_id == Consent.need_id,
                               newer.organisation_id == Consent.organisation_id,
                               newer.purpose == Consent.purpose, newer.revoked_at.is_(None),
                               newer.valid_until > Consent.valid_until))
        .order_by(Consent.valid_until, Consent.id),
        "waiting": needs.visible_needs(user).where(
            Need.status == "open", Need.created_at < _WEEK_AGO,
            ~exists().where(Referral.need_id == Need.id),
        ).order_by(Need.urgency.desc(), Need.created_at),
        "households": households.visible_households(user).where(
            Household.status != "exited",
            or_(Household.next_review_date <= _MONTH_END,
                and_(Household.status == "transition",
                     Household.transition_until_date <= _MONTH_END)),
        ).order_by(Household.id),
        # The nightly re-matching tells of a clearly better offer by a notification; it
        # stays here until opened.
        "notifications": notifications.visible_notifications(user).where(
            Notification.kind == "better_match", Notification.read_at.is_(None),
        ).order_by(Notification.id.desc()),
    }.items()}


_caseworker_statements = PerScope(_build_caseworker)


def _caseworker(session: Session, user: User) -> tuple[list[DueItem], bool]:
    day, now = today(), utc_now()
    month_end = _month_end(day)
    statements = _caseworker_statements(user)
    params = {"zj_day": day, "zj_now": now, "zj_week_ago": now - timedelta(days=NO_REFERRAL_DAYS),
              "zj_consent_last": day + timedelta(days=CONSENT_WARNING_DAYS),
              "zj_month_end": month_end}

    def bounded(name: str, *used: str) -> tuple[list, bool]:
        rows = list(session.exec(statements[name], params={k: params[k] for k in used}).all())
        return rows[:PER_KIND], len(rows) > PER_KIND

    items: list[DueItem] = []
    more = False

    rows, cut = bounded("followups", "zj_day")
    more |= cut
    for f, need in rows:
        late = f.status == FollowUpStatus.MISSED or f.due_date < day
        items.append(DueItem(
            "followup_missed" if late else "followup_due", f.due_date, need.title,
            f"应于 {_md(f.due_date)} 回访", f"/followups/{f.id}", "登记回访"))

    rows, cut = bounded("referrals", "zj_now", "zj_day")
    more |= cut
    waiting: list[tuple[DueItem, Need]] = []
    for r, need, offer in rows:
        if r.status == ReferralStatus.SENT:
            item = DueItem("referral_overdue", _local_day(r.respond_by_at), need.title,
                           f"「{offer.title}」应于 {local_text(r.respond_by_at)} 前答复",
                           f"/needs/{need.id}/matches", "改转其他项目")
            waiting.append((item, need))
        elif r.status == ReferralStatus.DECLINED:
            item = DueItem("referral_declined", _local_day(r.responded_at or r.updated_at),
                           need.title, f"「{offer.title}」已拒绝", f"/needs/{need.id}/matches",
                           "改转其他项目")
            waiting.append((item, need))
        else:
            item = DueItem("delivery_overdue", r.deliver_by_date, need.title,
                           f"「{offer.title}」应于 {_md(r.deliver_by_date)} 前送达",
                           f"/referrals/{r.id}", "查看并催办")
        items.append(item)
    best = matches.next_best(session, [need for _i, need in waiting])
    for item, need in waiting:
        if need.id in best:
            offer, org = best[need.id]
            item.next_offer = f"「{offer.title}」（{org.name}）"

    rows, cut = bounded("consents", "zj_day", "zj_consent_last")
    more |= cut
    for c, need in rows:
        items.append(DueItem("consent_expiring", c.valid_until, need.title,
                             f"授权有效期至 {_md(c.valid_until)}",
                             f"/needs/{need.id}/consents", "查看授权"))

    rows, cut = bounded("waiting", "zj_week_ago")
    more |= cut
    for need in rows:
        items.append(DueItem(
            "need_waiting", _local_day(need.created_at) + timedelta(days=NO_REFERRAL_DAYS),
            need.title, f"{_md(local_day(need.created_at))}登记，尚未转介",
            f"/needs/{need.id}/matches", "查看匹配"))

    rows, cut = bounded("households", "zj_month_end")
    more |= cut
    for h in rows:
        place = h.village or f"家庭 #{h.id}"
        if h.status == "transition" and h.transition_until_date and (
                h.transition_until_date <= month_end):
            items.append(DueItem("transition_ending", h.transition_until_date, f"{place} #{h.id}",
                                 f"渐退期至 {_md(h.transition_until_date)}",
                                 f"/households/{h.id}", "入户核查"))
        if h.next_review_date and h.next_review_date <= month_end:
            items.append(DueItem("review_due", h.next_review_date, f"{place} #{h.id}",
                                 f"应于 {_md(h.next_review_date)} 前复核",
                                 f"/households/{h.id}", "复核家庭"))

    rows, cut = bounded("notifications")
    more |= cut
    for n in rows:
        items.append(DueItem("better_match", _local_day(n.created_at), n.title.split("：", 1)[-1],
                             n.body, f"/notifications/{n.id}/open", "查看匹配", post=True))
    return items, more


def _organisation(session: Session, user: User) -> tuple[list[DueItem], bool]:
    day = today()
    items: list[DueItem] = []
    rows, more = _bounded(session, referrals.visible_referrals(user, Need, Offer)
        .join(Need, Need.id == Referral.need_id).join(Offer, Offer.id == Referral.offer_id)
        .where(or_(
            Referral.status == ReferralStatus.SENT,
            and_(Referral.status.in_(RUNNING),
                 Referral.deliver_by_date <= day + timedelta(days=DELIVERY_WARNING_DAYS)),
        )).order_by(Referral.id))
    for r, need, offer in rows:
        if r.status == ReferralStatus.SENT:
            items.append(DueItem("answer", _local_day(r.respond_by_at or r.sent_at), need.title,
                                 f"「{offer.title}」请于 {local_text(r.respond_by_at)} 前答复",
                                 f"/referrals/{r.id}", "答复"))
        else:
            items.append(DueItem("deliver", r.deliver_by_date, need.title,
                                 f"「{offer.title}」应于 {_md(r.deliver_by_date)} 前送达",
                                 f"/referrals/{r.id}", "登记送达"))
    visible_ids = referrals.visible_referrals(user).with_only_columns(Referral.id)
    rows, cut = _bounded(session, select(ServiceVisit, ServicePlan)
        .join(ServicePlan, ServicePlan.id == ServiceVisit.plan_id)
        .where(ServicePlan.referral_id.in_(visible_ids), ServicePlan.active.is_(True),
               ServiceVisit.status.in_(("due", "missed")), ServiceVisit.due_date <= day)
        .order_by(ServiceVisit.due_date, ServiceVisit.id))
    for v, plan in rows:
        items.append(DueItem("visit", v.due_date, plan.description or "服务计划",
                             f"应于 {_md(v.due_date)} 探访", f"/referrals/{plan.referral_id}",
                             "登记探访"))
    return items, more or cut


def _local_day(at) -> date:
    return local_day(at) if at else today()


def _md(day: date) -> str:
    """01月05日: as strftime("%m月%d日"), which is slow for a format that is not ASCII (it is
    called a few times for every item listed)."""
    return f"{day.month:02d}月{day.day:02d}日"
