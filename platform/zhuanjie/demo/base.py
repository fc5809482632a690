"""What every step of the demo load shares: the session, the seeded dice, the clock, the rows."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from zhuanjie.clock import local_day
from zhuanjie.models import Household, Member, Need, Offer, Organisation, User

Progress = Callable[[str, int, int], None]


@dataclass
class Family:
    """A household row with its members and what the story-writer needs to know of it."""

    row: Household
    members: list[Member]
    ages: dict[int, int]  # index in members → age
    county: str
    town: str
    caseworker: User
    family_text: str
    work_text: str
    guardian: str

    @property
    def head(self) -> Member:
        return self.members[0]


@dataclass
class OfferInfo:
    row: Offer
    org: Organisation
    cats: list[str]
    coverage: list[str]
    groups: list[str]
    holds: int = 0


@dataclass
class NeedInfo:
    row: Need
    family: Family
    member: Member
    age: int
    referrals: list = field(default_factory=list)  # Referral rows in time order
    free_after: datetime | None = None  # a new referral may be sent after this instant
    live: bool = False  # has a referral that is not declined / failed / withdrawn


@dataclass
class Ctx:
    session: Session
    seed: int
    now: datetime
    progress: Progress | None
    rng: random.Random = field(default_factory=random.Random)
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    staff_of: dict[int, User] = field(default_factory=dict)  # organisation id → its worker
    caseworker_of: dict[str, User] = field(default_factory=dict)  # region path → caseworker
    offers: list[OfferInfo] = field(default_factory=list)
    programme_offer: dict[str, Offer] = field(default_factory=dict)
    families: list[Family] = field(default_factory=list)
    needs: list[NeedInfo] = field(default_factory=list)
    # referral id → its events as (from, to, actor id, at, note), in time order
    referral_events: dict[int, list[tuple]] = field(default_factory=dict)

    def stage(self, name: str) -> None:
        """Fresh dice for each stage, so what one stage draws (which can hang on today's date,
        e.g. whether a follow-up is already due) never changes what later stages write."""
        self.rng = random.Random(f"{self.seed}/{name}")

    @property
    def today(self) -> date:
        return local_day(self.now)  # the local day: visits and deadlines fall on it

    def ago(self, days: float = 0, hours: float = 0) -> datetime:
        return self.now - timedelta(days=days, hours=hours)

    def report(self, label: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(label, done, total)

    def add_all(self, rows: list) -> None:
        self.session.add_all(rows)
        self.session.flush()


def yuan(value: float | int) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"))
