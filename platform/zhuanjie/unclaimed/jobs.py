"""The 应享未享 job: every active household against every government programme.

A household is listed for a programme when it meets the programme's rules
(`zhuanjie.programmes.eligibility`: the engine's hard rules plus the income line and the
excluded groups) and receives no entitlement that is this programme. The caseworkers of a
township are told once a day how many new findings their worklist has.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import Session, select

from zhuanjie import programmes
from zhuanjie.clock import today
from zhuanjie.households.jobs import caseworkers_of
from zhuanjie.models import Entitlement, Household, Member, Offer, Organisation
from zhuanjie.notifications import service as notifications
from zhuanjie.offers import service as offers
from zhuanjie.unclaimed import flow
from zhuanjie.validators import age_on


def _programmes(session: Session):
    rows = session.exec(
        select(Offer)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(offers.live(), Offer.is_programme, Organisation.kind == "government")
        .order_by(Offer.id)
    ).all()
    records = offers.engine_offers(session, list(rows))
    return [(row, record, programmes.rules_of(row.rules)) for row, record in zip(
        rows, records, strict=True)]


def scan(session: Session) -> dict[tuple[int, int], tuple[str, str]]:
    """(household, programme offer) -> (township, reason) for every finding today."""
    day = today()
    found: dict[tuple[int, int], tuple[str, str]] = {}
    progs = _programmes(session)
    if not progs:
        return found
    households = session.exec(select(Household).where(Household.status == "active")).all()
    ages: dict[int, list[int]] = defaultdict(list)
    for household_id, born in session.exec(
        select(Member.household_id, Member.birth_date).where(Member.birth_date.is_not(None))
    ):
        ages[household_id].append(age_on(born, day))
    received: dict[int, list[programmes.Received]] = defaultdict(list)
    for e in session.exec(
        select(Entitlement).where(or_(Entitlement.until_date.is_(None),
                                      Entitlement.until_date >= day))
    ):
        received[e.household_id].append(programmes.Received(
            e.category, e.programme, e.offer_id, e.monthly_amount, refuses_charity=False))
    for h in households:
        facts = programmes.HouseholdFacts(
            region=h.region_path, groups=tuple(h.groups),
            income=None if h.income_per_capita is None else float(h.income_per_capita),
            ages=tuple(sorted(set(ages.get(h.id, ())))),
        )
        for row, record, rules in progs:
            if programmes.receives(received.get(h.id, []), offer_id=row.id, title=row.title):
                continue
            reason = programmes.eligibility(facts, record, rules, as_of=day)
            if reason is not None:
                found[(h.id, row.id)] = (h.region_path, reason)
    return found


def find_unclaimed(session: Session, now: datetime) -> int:
    """Refresh the 应享未享 findings and tell each township's caseworkers of new ones."""
    added = flow.refresh(session, scan(session), at=now)
    for region, count in sorted(Counter(r.region_path for r in added).items()):
        notifications.notify(
            session,
            user_ids=caseworkers_of(session, region),
            kind="unclaimed_found",
            title=f"发现 {count} 条应享未享线索：符合政府救助条件但尚未享受",
            link="/unclaimed",
            dedupe_key=f"unclaimed_found:{region}:{today().isoformat()}",
        )
    session.commit()
    return len(added)
