"""What a supervisor watches in their region: work past its time limit, what came of the
referrals sent in a period (per organisation), and the same referrals as a CSV export."""

from __future__ import annotations

import io
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pydantic import BaseModel, model_validator
from sqlmodel import Session

from zhuanjie import audit, codes, regions, spreadsheets
from zhuanjie.clock import local_text, local_time, today
from zhuanjie.db import utc_now
from zhuanjie.errors import Invalid
from zhuanjie.followups import service as followups
from zhuanjie.models import FollowUp, Need, Offer, Organisation, Referral, User
from zhuanjie.pagination import count
from zhuanjie.policy import ensure_role
from zhuanjie.referrals import service as referrals

REPORT_ROLES = ("supervisor", "admin")
OVERDUE_SHOWN = 100  # rows per overdue list on the page; the count covers all of them


class ReportPeriod(BaseModel):
    """Local calendar days, both included."""

    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> ReportPeriod:
        if self.end < self.start:
            raise Invalid("结束日期不能早于开始日期", field="end")
        return self

    @classmethod
    def default(cls) -> ReportPeriod:
        """The last 30 days up to today."""
        return cls(start=today() - timedelta(days=29), end=today())

    def bounds(self) -> tuple[datetime, datetime]:
        """UTC instants from the start day's local midnight to the day after the end's."""
        return local_time(self.start, 0), local_time(self.end + timedelta(days=1), 0)


@dataclass
class Overdue:
    """Rows past their time limit (at most OVERDUE_SHOWN each) and how many there are."""

    unanswered: list[tuple[Referral, Need, Organisation]]
    undelivered: list[tuple[Referral, Need, Organisation]]
    follow_ups: list[tuple[FollowUp, Need, User | None]]
    counts: dict[str, int]


@dataclass
class OrganisationOutcome:
    name: str
    sent: int = 0
    answered: int = 0
    accepted: int = 0
    declined: int = 0
    delivered: int = 0
    answer_hours: list[float] = field(default_factory=list)

    @property
    def accept_rate(self) -> float | None:
        return self.accepted / self.answered if self.answered else None

    @property
    def delivery_rate(self) -> float | None:
        return self.delivered / self.accepted if self.accepted else None

    @property
    def median_answer_hours(self) -> float | None:
        return statistics.median(self.answer_hours) if self.answer_hours else None


def _scoped_referrals(user: User):
    """Each referral in scope with its need and organisation, as tuples."""
    return referrals.visible_referrals(user, Need, Organisation).join(
        Organisation, Organisation.id == Referral.organisation_id
    )


def overdue(session: Session, *, user: User) -> Overdue:
    """Referrals not answered by their deadline, accepted ones not delivered by their date,
    follow-ups past their due day and not recorded (the nightly job marks them missed, they
    stay overdue until done): oldest first, in the user's region."""
    ensure_role(user, *REPORT_ROLES)
    now, day = utc_now(), today()
    unanswered = _scoped_referrals(user).where(
        Referral.status == "sent", Referral.respond_by_at < now
    )
    undelivered = _scoped_referrals(user).where(
        Referral.status.in_(("accepted", "in_service")), Referral.deliver_by_date < day
    )
    follow_ups = (
        followups.visible_followups(user, Need, User)
        .join(User, User.id == FollowUp.assignee_id, isouter=True)
        .where(FollowUp.status.in_(("scheduled", "missed")), FollowUp.due_date < day)
    )
    return Overdue(
        unanswered=list(
            session.exec(unanswered.order_by(Referral.respond_by_at).limit(OVERDUE_SHOWN))
        ),
        undelivered=list(
            session.exec(undelivered.order_by(Referral.deliver_by_date).limit(OVERDUE_SHOWN))
        ),
        follow_ups=list(session.exec(follow_ups.order_by(FollowUp.due_date).limit(OVERDUE_SHOWN))),
        counts={
            "unanswered": count(session, unanswered),
            "undelivered": count(session, undelivered),
            "follow_ups": count(session, follow_ups),
        },
    )


def _sent_in(session: Session, user: User, period: ReportPeriod):
    start, end = period.bounds()
    query = (
        _scoped_referrals(user)
        .add_columns(Offer)
        .join(Offer, Offer.id == Referral.offer_id)
        .where(Referral.sent_at >= start, Referral.sent_at < end)
        .order_by(Referral.sent_at, Referral.id)
    )
    return session.exec(query)


def outcomes(
    session: Session, *, user: User, period: ReportPeriod
) -> tuple[OrganisationOutcome, list[OrganisationOutcome]]:
    """What came of the referrals sent in the period: the region's total and one line per
    organisation (most referrals first). Accepted counts every referral the organisation
    took on, whatever happened next; delivered counts those with help recorded."""
    ensure_role(user, *REPORT_ROLES)
    total = OrganisationOutcome("合计")
    by_org: dict[int, OrganisationOutcome] = {}
    for referral, _need, organisation, _offer in _sent_in(session, user, period):
        line = by_org.setdefault(organisation.id, OrganisationOutcome(organisation.name))
        for out in (total, line):
            out.sent += 1
            if referral.responded_at is not None:
                out.answered += 1
                out.answer_hours.append(
                    (referral.responded_at - referral.sent_at).total_seconds() / 3600
                )
                if referral.decline_reason is None:
                    out.accepted += 1
                else:
                    out.declined += 1
            if referral.delivered_at is not None:
                out.delivered += 1
    return total, sorted(by_org.values(), key=lambda o: (-o.sent, o.name))


EXPORT_HEADER = (
    "转介编号", "发送时间", "地区", "需求编号", "需求类别", "紧急程度", "需求标题", "服务机构",
    "项目", "状态", "答复时间", "拒绝原因", "应送达日期", "送达日期", "送达金额（元）",
    "匹配得分",
)  # fmt: skip


def export_csv(session: Session, *, user: User, period: ReportPeriod, ip: str = "") -> str:
    """The period's referrals as CSV (UTF-8 with BOM so that Excel reads the Chinese), one
    line per referral, times in local time. No household names, ID numbers, phones or
    addresses: an export leaves the platform's masking behind. The export is audited."""
    ensure_role(user, *REPORT_ROLES)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = spreadsheets.csv_writer(buffer)
    writer.writerow(EXPORT_HEADER)
    rows = 0
    for r, need, organisation, offer in _sent_in(session, user, period):
        rows += 1
        writer.writerow(
            (
                r.id,
                local_text(r.sent_at),
                regions.short_name(need.region_path),
                need.id,
                codes.CATEGORIES.get(need.category, need.category),
                codes.URGENCY.get(need.urgency, need.urgency),
                need.title,
                organisation.name,
                offer.title,
                codes.REFERRAL_STATUSES.get(r.status, r.status),
                local_text(r.responded_at),
                codes.DECLINE_REASONS.get(r.decline_reason, r.decline_reason or ""),
                r.deliver_by_date or "",
                r.delivery_date or "",
                "" if r.delivery_amount is None else f"{r.delivery_amount:.2f}",
                "" if r.score is None else f"{r.score:.3f}",
            )
        )
    audit.record(
        session,
        user,
        "report_exported",
        detail={"start": str(period.start), "end": str(period.end), "rows": rows},
        ip=ip,
    )
    session.commit()
    return buffer.getvalue()
