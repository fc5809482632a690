"""Every table of the platform, in one module so Alembic imports one thing.

Conventions: instants are `*_at` (UTC, aware), days are `*_date`; codes are plain strings
validated by the input schemas (no database enums, so adding a code needs no migration);
personal fields are stored encrypted in `*_enc` columns with a keyed hash beside the ones
that must be searchable; money is Decimal(12, 2) yuan.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Index, Numeric, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from zhuanjie.db import UTCDateTime, utc_now


def _at(*, nullable: bool = True, index: bool = False):
    if nullable:
        return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)
    return Field(default_factory=utc_now, sa_type=UTCDateTime, nullable=False, index=index)


def _money(*, nullable: bool = True, default=None):
    return Field(default=default, sa_type=Numeric(12, 2), nullable=nullable)


def _text():
    return Field(default="", sa_type=Text, nullable=False)


def _codes():
    return Field(default_factory=list, sa_type=JSON, nullable=False)


# --- places and people who use the platform -------------------------------------------------


class Region(SQLModel, table=True):
    """The Nantong region tree (city → county → township), synced from the shipped data."""

    __tablename__ = "regions"

    path: str = Field(primary_key=True, max_length=120)
    name: str = Field(max_length=60)
    level: int
    parent_path: str | None = Field(
        default=None, max_length=120, foreign_key="regions.path", index=True
    )


class Organisation(SQLModel, table=True):
    __tablename__ = "organisations"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, index=True)
    kind: str = Field(max_length=20, index=True)  # government / ngo / donor / enterprise
    # codes.DEPARTMENTS, a government body only (民政, 乡村振兴, 残联 …); an administrator sets it
    department: str | None = Field(default=None, max_length=20, index=True)
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    status: str = Field(default="pending", max_length=20, index=True)
    status_reason: str = _text()
    verified_at: datetime | None = _at()
    contact_name: str = Field(default="", max_length=60)
    contact_phone: str = Field(default="", max_length=30)
    contact_email: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=200)
    service_area: str | None = Field(default=None, max_length=120, foreign_key="regions.path")
    description: str = _text()
    is_person: bool = False  # a private donor rather than a body
    created_at: datetime = _at(nullable=False)
    updated_at: datetime = _at(nullable=False)


class OrganisationEvent(SQLModel, table=True):
    """Verification, suspension and reactivation, with the reason that was given."""

    __tablename__ = "organisation_events"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    from_status: str = Field(max_length=20)
    to_status: str = Field(max_length=20)
    reason: str = _text()
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    at: datetime = _at(nullable=False)


class User(SQLModel, table=True):
    """One person, one role; the scope is a region (caseworker, supervisor) or an organisation."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, unique=True)
    display_name: str = Field(max_length=60)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=20, index=True)
    region_path: str | None = Field(
        default=None, max_length=120, foreign_key="regions.path", index=True
    )
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id", index=True)
    email: str = Field(default="", max_length=120)
    email_kinds: list[str] = _codes()  # notification kinds also sent by e-mail
    is_active: bool = True
    created_at: datetime = _at(nullable=False)
    last_login_at: datetime | None = _at()
    must_change_password: bool = False  # set by an administrator's reset
    password_changed_at: datetime | None = _at()


class ApiToken(SQLModel, table=True):
    """A bearer token for programs; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(max_length=60)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)  # shown in lists so a person can tell tokens apart
    created_at: datetime = _at(nullable=False)
    last_used_at: datetime | None = _at()
    expires_at: datetime | None = _at()
    revoked_at: datetime | None = _at()


# --- the people helped ------------------------------------------------------------------------


class Household(SQLModel, table=True):
    __tablename__ = "households"

    id: int | None = Field(default=None, primary_key=True)
    region_path: str = Field(max_length=120, foreign_key="regions.path", index=True)  # township
    village: str = Field(default="", max_length=60, index=True)  # 村 / 社区
    address_enc: str | None = Field(default=None, sa_type=Text)
    phone_enc: str | None = Field(default=None, sa_type=Text)
    groups: list[str] = _codes()
    income_per_capita: Decimal | None = _money()
    status: str = Field(default="active", max_length=20, index=True)  # active / transition / exited
    transition_until_date: date | None = None  # 渐退: keeps support until this day
    next_review_date: date | None = Field(default=None, index=True)
    notes: str = _text()
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = _at(nullable=False)
    updated_at: datetime = _at(nullable=False)


class Member(SQLModel, table=True):
    __tablename__ = "household_members"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    name: str = Field(max_length=40, index=True)
    relation: str = Field(default="head", max_length=20)
    is_head: bool = False
    id_number_enc: str | None = Field(default=None, sa_type=Text)
    # Keyed hash of the ID number: finds duplicates and exact searches without decrypting.
    id_number_hash: str | None = Field(default=None, max_length=64, unique=True)
    id_last4: str = Field(default="", max_length=4)
    birth_date: date | None = None
    sex: str = Field(default="", max_length=2)
    phone_enc: str | None = Field(default=None, sa_type=Text)
    disability: str = Field(default="", max_length=60)
    illness: str = Field(default="", max_length=120)
    # A member who left (moved out, died …) keeps the row that needs and consents point to;
    # the ID number's lookup hash is cleared so the person can be registered elsewhere.
    removed_at: datetime | None = _at()
    removed_by_id: int | None = Field(default=None, foreign_key="users.id")
    removed_reason: str = _text()


class HouseholdChange(SQLModel, table=True):
    """A change of income or circumstance recorded at the household (each one starts a
    review), and members joining or leaving."""

    __tablename__ = "household_changes"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    kind: str = Field(max_length=20)  # income / member_left / health / housing / work / other
    note: str = _text()
    income_before: Decimal | None = _money()
    income_after: Decimal | None = _money()
    member_id: int | None = Field(default=None, foreign_key="household_members.id")
    recorded_by_id: int | None = Field(default=None, foreign_key="users.id")
    recorded_at: datetime = _at(nullable=False)


class Entitlement(SQLModel, table=True):
    """A government programme the household receives (government first, charity for the gap)."""

    __tablename__ = "entitlements"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    programme: str = Field(max_length=60)
    category: str = Field(max_length=30)
    offer_id: int | None = Field(default=None, foreign_key="offers.id")
    monthly_amount: Decimal | None = _money()
    since_date: date | None = None
    until_date: date | None = None


class UnclaimedBenefit(SQLModel, table=True):
    """应享未享: a government programme a household meets the rules of and does not receive.

    Written by the unclaimed job (open rows come and go with the facts) and moved by
    `unclaimed.flow` alone once a caseworker marks it: applied, refused or not wanted. A
    marked row is kept, so the job never lists that programme for that household again.
    """

    __tablename__ = "unclaimed_benefits"
    __table_args__ = (
        UniqueConstraint("household_id", "offer_id"),
        Index("ix_unclaimed_benefits_region_path_status", "region_path", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    offer_id: int = Field(foreign_key="offers.id", index=True)
    # Copied from the household so the caseworker's scope needs no join.
    region_path: str = Field(max_length=120, foreign_key="regions.path")
    reason: str = _text()  # the rules that make the household eligible, in Chinese
    status: str = Field(default="open", max_length=20)  # open / applied / refused / not_wanted
    found_at: datetime = _at(nullable=False)
    marked_at: datetime | None = _at()
    marked_by_id: int | None = Field(default=None, foreign_key="users.id")
    note: str = _text()


# --- supply: organisations' projects ------------------------------------------------------------


class Offer(SQLModel, table=True):
    """A project (帮扶项目) or standing government programme that can meet needs."""

    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("places_taken >= 0", name="places_taken_non_negative"),
        CheckConstraint(
            "capacity IS NULL OR places_taken <= capacity", name="places_within_capacity"
        ),
        Index("ix_offers_status_valid_until", "status", "valid_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisations.id", index=True)
    title: str = Field(max_length=120)
    description: str = _text()
    mode: str = Field(default="service", max_length=20)
    status: str = Field(default="draft", max_length=20)
    is_programme: bool = False  # a government standing programme
    rules: dict = Field(
        default_factory=dict, sa_type=JSON, nullable=False
    )  # structured eligibility
    age_min: int | None = None
    age_max: int | None = None
    income_ceiling: Decimal | None = _money()
    capacity: int | None = None  # people; None means not limited
    # Taken by accepted referrals in the same transaction; never typed by hand.
    places_taken: int = 0
    amount_per_person: Decimal | None = _money()
    budget_total: Decimal | None = _money()
    valid_from: date | None = None
    valid_until: date | None = None
    how_to_apply: str = _text()
    contact: str = Field(default="", max_length=120)
    # The id the offer had where it was imported from (an HSDS service id): a file imported
    # twice finds its offers again instead of creating them twice.
    source_id: str | None = Field(default=None, max_length=100, unique=True, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = _at(nullable=False)
    updated_at: datetime = _at(nullable=False)
    published_at: datetime | None = _at()


class OfferCategory(SQLModel, table=True):
    __tablename__ = "offer_categories"

    offer_id: int = Field(foreign_key="offers.id", primary_key=True, ondelete="CASCADE")
    category: str = Field(primary_key=True, max_length=30, index=True)


class OfferRegion(SQLModel, table=True):
    """Coverage: an offer serves every region at or below each of these paths."""

    __tablename__ = "offer_regions"

    offer_id: int = Field(foreign_key="offers.id", primary_key=True, ondelete="CASCADE")
    region_path: str = Field(
        max_length=120, foreign_key="regions.path", primary_key=True, index=True
    )


class OfferGroup(SQLModel, table=True):
    """Eligible groups; an offer with none is open to everyone in its coverage."""

    __tablename__ = "offer_groups"

    offer_id: int = Field(foreign_key="offers.id", primary_key=True, ondelete="CASCADE")
    group_code: str = Field(primary_key=True, max_length=30, index=True)


class OfferRevision(SQLModel, table=True):
    __tablename__ = "offer_revisions"

    id: int | None = Field(default=None, primary_key=True)
    offer_id: int = Field(foreign_key="offers.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    at: datetime = _at(nullable=False)
    changes: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)  # field: [old, new]


# --- demand and the referral flow ---------------------------------------------------------------


class Need(SQLModel, table=True):
    __tablename__ = "needs"
    __table_args__ = (
        Index("ix_needs_region_path_status", "region_path", "status"),
        # The needs list's order (most urgent, then oldest first), whole and by status: a page
        # is a range of one of these (migration 0020).
        Index("ix_needs_urgency_created_at_id", "urgency", "created_at", "id"),
        Index("ix_needs_status_urgency_created_at_id", "status", "urgency", "created_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="household_members.id")
    # Copied from the household so scope filters and matching need no join.
    region_path: str = Field(max_length=120, foreign_key="regions.path")
    category: str = Field(max_length=30, index=True)
    title: str = Field(max_length=120)
    description: str = _text()
    urgency: int = 1
    amount_needed: Decimal | None = _money()
    deadline_date: date | None = None
    status: str = Field(default="open", max_length=20, index=True)
    outcome: str | None = Field(default=None, max_length=20)
    outcome_note: str = _text()
    created_by_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    created_at: datetime = _at(nullable=False, index=True)
    updated_at: datetime = _at(nullable=False)
    last_action_at: datetime = _at(nullable=False)
    closed_at: datetime | None = _at(index=True)
    best_seen_score: float | None = None  # nightly re-matching tells only of clearly better offers


class Consent(SQLModel, table=True):
    """Who in the household agreed that which organisation may see which fields, until when."""

    __tablename__ = "consents"

    id: int | None = Field(default=None, primary_key=True)
    household_id: int = Field(foreign_key="households.id", index=True)
    member_id: int = Field(foreign_key="household_members.id")
    need_id: int | None = Field(default=None, foreign_key="needs.id", index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id")
    purpose: str = Field(default="referral", max_length=20)  # referral / publication
    fields: list[str] = _codes()
    given_at: datetime = _at(nullable=False)
    valid_until: date
    recorded_by_id: int | None = Field(default=None, foreign_key="users.id")
    revoked_at: datetime | None = _at()
    # A withdrawal is recorded with who recorded it and why (the household's words).
    revoked_by_id: int | None = Field(default=None, foreign_key="users.id")
    revoke_reason: str = _text()


class Referral(SQLModel, table=True):
    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_organisation_id_status", "organisation_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="needs.id", index=True)
    offer_id: int = Field(foreign_key="offers.id", index=True)
    organisation_id: int = Field(foreign_key="organisations.id")
    consent_id: int | None = Field(default=None, foreign_key="consents.id")
    pledge_id: int | None = Field(default=None, foreign_key="pledges.id")
    status: str = Field(default="sent", max_length=20, index=True)
    note: str = _text()
    score: float | None = None  # the engine's score when it was sent
    decline_reason: str | None = Field(default=None, max_length=30)
    decline_note: str = _text()
    holds_place: bool = False  # True while an accepted referral has taken one of the offer's places
    sent_by_id: int | None = Field(default=None, foreign_key="users.id")
    sent_at: datetime = _at(nullable=False, index=True)
    respond_by_at: datetime | None = _at(index=True)
    responded_at: datetime | None = _at()
    deliver_by_date: date | None = None
    delivered_at: datetime | None = _at(index=True)
    delivery_date: date | None = None
    delivery_note: str = _text()
    delivery_amount: Decimal | None = _money()
    closed_at: datetime | None = _at()
    updated_at: datetime = _at(nullable=False)


class ReferralEvent(SQLModel, table=True):
    """Every transition of a referral: who moved it, when, from what to what."""

    __tablename__ = "referral_events"

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referrals.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    at: datetime = _at(nullable=False)
    note: str = _text()
    # "move" for a transition; "arrived" records that the person came with the slip (转介单
    # check-in), which leaves the status as it was (from_status == to_status).
    kind: str = Field(default="move", max_length=20)


class FollowUp(SQLModel, table=True):
    """A follow-up visit (回访) after delivery."""

    __tablename__ = "follow_ups"
    # The data overview's visits of a period, read from the index alone (migration 0021).
    __table_args__ = (
        Index("ix_follow_ups_done_at_status_need_id", "done_at", "status", "need_id", "need_met"),
    )

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="needs.id", index=True)
    referral_id: int | None = Field(default=None, foreign_key="referrals.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    due_date: date = Field(index=True)
    status: str = Field(default="scheduled", max_length=20, index=True)
    done_at: datetime | None = _at(index=True)
    need_met: bool | None = None
    rating: int | None = None
    notes: str = _text()


class ServicePlan(SQLModel, table=True):
    """Recurring service help, e.g. a weekly care visit, tied to an accepted referral."""

    __tablename__ = "service_plans"

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referrals.id", index=True)
    description: str = _text()
    every_days: int = 7
    start_date: date
    end_date: date | None = None
    active: bool = True  # cleared once, by zhuanjie.plans.flow.end_plan; never set again
    created_at: datetime = _at(nullable=False)
    # Who ended the plan (None: the platform, with its referral or on its end date), when, why.
    ended_at: datetime | None = _at()
    ended_by_id: int | None = Field(default=None, foreign_key="users.id")
    end_reason: str = _text()


class ServiceVisit(SQLModel, table=True):
    __tablename__ = "service_visits"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="service_plans.id", index=True)
    due_date: date = Field(index=True)
    status: str = Field(default="due", max_length=20)  # due / done / missed / cancelled
    done_at: datetime | None = _at()
    notes: str = _text()


class Attachment(SQLModel, table=True):
    """A scan or photo (signed consent, diagnosis, 低保证, 残疾证, the house) kept for a
    household, need, consent or follow-up. The file itself is encrypted with the field key
    and lives in the attachment storage under `storage_key`; `key_id` names the key."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner_type_owner_id", "owner_type", "owner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # Scope comes from the household, whatever the attachment hangs on.
    household_id: int = Field(foreign_key="households.id", index=True)
    owner_type: str = Field(max_length=20)  # household / need / consent / follow_up
    owner_id: int
    kind: str = Field(max_length=30)
    content_type: str = Field(max_length=40)
    size: int = 0  # bytes of the stored (re-encoded) file, before encryption
    name_enc: str | None = Field(default=None, sa_type=Text)  # the uploaded file's name
    storage_key: str = Field(max_length=64, unique=True)
    key_id: str = Field(default="", max_length=20)
    uploaded_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = _at(nullable=False)


# --- donors and the public board -----------------------------------------------------------------


class NeedPublication(SQLModel, table=True):
    """The de-identified, reviewed text of a need shown on the public board."""

    __tablename__ = "need_publications"

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="needs.id", unique=True)
    consent_id: int = Field(foreign_key="consents.id")
    title: str = Field(max_length=120)
    story: str = _text()
    region_path: str = Field(
        max_length=120, foreign_key="regions.path", index=True
    )  # county or township only
    category: str = Field(max_length=30, index=True)
    urgency: int = 1
    amount_goal: Decimal | None = _money()
    goods_needed: str = _text()
    amount_pledged: Decimal = _money(nullable=False, default=Decimal("0"))
    deadline_date: date | None = None
    status: str = Field(
        default="published", max_length=20, index=True
    )  # published / taken_down / done
    takedown_reason: str = _text()
    published_by_id: int | None = Field(default=None, foreign_key="users.id")
    published_at: datetime = _at(nullable=False)


class Pledge(SQLModel, table=True):
    __tablename__ = "pledges"
    __table_args__ = (CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    publication_id: int = Field(foreign_key="need_publications.id", index=True)
    donor_id: int = Field(foreign_key="users.id", index=True)
    kind: str = Field(max_length=20)  # money / goods / time
    amount: Decimal | None = _money()
    goods: str = _text()
    hours: int | None = None
    message: str = _text()
    status: str = Field(default="pending", max_length=20, index=True)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = _at()
    delivered_at: datetime | None = _at()
    thank_you_note: str = _text()
    created_at: datetime = _at(nullable=False)


# --- the machinery: notifications, audit, scheduled work -----------------------------------------


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    kind: str = Field(max_length=40)
    title: str = Field(max_length=200)
    body: str = _text()
    link: str = Field(default="", max_length=200)
    # One notification per event, however often a job runs.
    dedupe_key: str | None = Field(default=None, max_length=120, unique=True)
    created_at: datetime = _at(nullable=False)
    read_at: datetime | None = _at()
    emailed_at: datetime | None = _at()


class AuditEntry(SQLModel, table=True):
    """Who did or saw what: every reveal of personal data is one of these."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object_type_object_id", "object_type", "object_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _at(nullable=False, index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    action: str = Field(max_length=40, index=True)
    object_type: str = Field(default="", max_length=40)
    object_id: int | None = None
    detail: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)
    ip: str = Field(default="", max_length=45)


class Task(SQLModel, table=True):
    """A unit of scheduled work: due at a time, claimed by one worker, done once."""

    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("kind", "object_type", "object_id", "due_at"),
        Index("ix_tasks_done_at_due_at", "done_at", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    object_type: str = Field(max_length=40)
    object_id: int
    due_at: datetime = _at(nullable=False)
    claimed_at: datetime | None = _at()
    claimed_by: str | None = Field(default=None, sa_type=String(80))
    done_at: datetime | None = _at()
    attempts: int = 0
    result: str = _text()


class JobRun(SQLModel, table=True):
    """One run of a scheduled job, for the supervisors' job page."""

    __tablename__ = "job_runs"

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=60, index=True)
    started_at: datetime = _at(nullable=False)
    finished_at: datetime | None = _at()
    ok: bool | None = None
    items: int = 0
    message: str = _text()


# --- sign-ins ---------------------------------------------------------------------------------


class UserSession(SQLModel, table=True):
    """One browser sign-in. The cookie holds a random id; only its SHA-256 is stored here."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _at(nullable=False)
    last_seen_at: datetime = _at(nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)  # absolute lifetime
    ended_at: datetime | None = _at()
    end_reason: str = Field(default="", max_length=30)
    ip: str = Field(default="", max_length=45)
    user_agent: str = Field(default="", max_length=200)


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins counted per account name ("account") or client address ("address")."""

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=10)
    key: str = Field(max_length=64)
    failures: int = 0
    window_started_at: datetime = _at(nullable=False)
    locked_until: datetime | None = _at()
    updated_at: datetime = _at(nullable=False, index=True)


# --- the matching models trained on the city's own outcomes -----------------------------------


class MatchModel(SQLModel, table=True):
    """One trained scorer (zhuanjie.learning): the data it saw, how it did on the held-out weeks
    against the model in use then, and whether it is used. At most one row is `promoted`; the
    match page, the nightly re-matching and allocation rank with it (else the packaged default)."""

    __tablename__ = "match_models"

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default="candidate", max_length=20, index=True)
    trained_by: str = Field(default="", max_length=60)  # the weekly job, the command, a person
    created_at: datetime = _at(nullable=False)
    window_start: date | None = None  # first referral sent that the model learned from
    window_end: date | None = None  # last one (held-out weeks included)
    holdout_from: date | None = None  # referrals sent from this day on were held out
    pairs: int = 0  # training pairs (referrals with a known outcome before holdout_from)
    positives: int = 0
    holdout_pairs: int = 0
    metric: str = Field(default="auc", max_length=20)
    score: float | None = None  # this model on the held-out weeks
    baseline_score: float | None = None  # the model in use then, on the same weeks
    baseline_id: int | None = Field(default=None, foreign_key="match_models.id")
    margin: float = 0.0  # how much better it had to be
    promoted_at: datetime | None = _at()
    promoted_by: str = Field(default="", max_length=60)
    promoted_by_id: int | None = Field(default=None, foreign_key="users.id")
    # the model in use that this promotion replaced: a rollback goes back to it
    replaced_id: int | None = Field(default=None, foreign_key="match_models.id")
    retired_at: datetime | None = _at()
    note: str = _text()  # why it was or was not promoted, in Chinese
    fingerprint: str = Field(default="", max_length=64)  # engine feature list it was fitted on
    engine_version: str = Field(default="", max_length=20)
    scorer: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)  # MatchScorer.to_dict
    affinity: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)  # need → offer cat


# --- 统筹分配: scarce places allocated across a region's open needs ---------------------------


class AllocationRun(SQLModel, table=True):
    """One allocation of an offer's (or a category's) limited places over a region's open needs:
    the supervisor's pins and removals and the last result are kept, so the proposal survives
    between requests and can be run again; confirming turns its assignments into proposals."""

    __tablename__ = "allocation_runs"

    id: int | None = Field(default=None, primary_key=True)
    region_path: str = Field(max_length=120, foreign_key="regions.path", index=True)
    offer_id: int | None = Field(default=None, foreign_key="offers.id", index=True)
    category: str = Field(default="", max_length=30)
    # The organisation whose own offer this is (its staff may look); None for a category.
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id", index=True)
    status: str = Field(default="draft", max_length=20, index=True)
    pinned: list = Field(default_factory=list, sa_type=JSON, nullable=False)  # [[need, offer]]
    removed: list = Field(default_factory=list, sa_type=JSON, nullable=False)  # [need]
    result: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)
    total_score: float = 0.0
    first_come_score: float = 0.0
    needs_count: int = 0
    places: int = 0
    created_by_id: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = _at(nullable=False)
    updated_at: datetime = _at(nullable=False)
    confirmed_by_id: int | None = Field(default=None, foreign_key="users.id")
    confirmed_at: datetime | None = _at()


class AllocationProposal(SQLModel, table=True):
    """A place proposed for a need by a confirmed run: it waits in the caseworker's queue until
    the household consents and it is sent (then a referral exists), or it is declined."""

    __tablename__ = "allocation_proposals"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="allocation_runs.id", index=True)
    need_id: int = Field(foreign_key="needs.id", index=True)
    offer_id: int = Field(foreign_key="offers.id", index=True)
    status: str = Field(default="proposed", max_length=20, index=True)
    score: float = 0.0
    reasons: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    referral_id: int | None = Field(default=None, foreign_key="referrals.id")
    decline_reason: str | None = Field(default=None, max_length=30)
    decline_note: str = _text()
    created_at: datetime = _at(nullable=False)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = _at()


# --- departments' rolls (台帐), their comparison and 公示 --------------------------------------


class RollImport(SQLModel, table=True):
    """One confirmed upload of a department's roll for a county: who, when, which file, counts.
    A file whose content hash equals the county's last import of that roll changes nothing."""

    __tablename__ = "roll_imports"
    __table_args__ = (Index("ix_roll_imports_kind_county", "roll_kind", "county_path"),)

    id: int | None = Field(default=None, primary_key=True)
    roll_kind: str = Field(max_length=20)  # codes.ROLL_KINDS
    department: str = Field(max_length=20)
    county_path: str = Field(max_length=120, foreign_key="regions.path")
    filename: str = Field(default="", max_length=200)
    content_hash: str = Field(max_length=64, index=True)  # SHA-256 of the file
    imported_by_id: int | None = Field(default=None, foreign_key="users.id")
    imported_at: datetime = _at(nullable=False)
    rows_total: int = 0
    rows_added: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_ended: int = 0  # on the county's roll before, not in this file: left the roll
    rows_rejected: int = 0  # rows with errors, not written
    linked: int = 0  # rows whose ID number is a member of a household on the platform


class RollEntry(SQLModel, table=True):
    """One person on a department's roll, keyed by the ID number's lookup hash; personal fields
    encrypted like members'. `household_id` links to the platform's household of the member
    with that ID number (never a household created for the roll)."""

    __tablename__ = "roll_entries"
    __table_args__ = (
        UniqueConstraint("roll_kind", "id_number_hash"),
        Index("ix_roll_entries_kind_county", "roll_kind", "county_path"),
    )

    id: int | None = Field(default=None, primary_key=True)
    roll_kind: str = Field(max_length=20)
    county_path: str = Field(max_length=120, foreign_key="regions.path")
    region_path: str = Field(max_length=120, foreign_key="regions.path", index=True)  # township
    village: str = Field(default="", max_length=60)
    household_key: str = Field(default="", max_length=40)  # the department's 户编号
    relation: str = Field(default="", max_length=20)
    is_head: bool = False
    name_enc: str | None = Field(default=None, sa_type=Text)
    id_number_enc: str | None = Field(default=None, sa_type=Text)
    id_number_hash: str = Field(max_length=64, index=True)
    id_last4: str = Field(default="", max_length=4)
    category: str = Field(default="", max_length=20)  # codes.GROUPS: dibao, tekun, jiandang …
    household_size: int | None = None
    income_per_capita: Decimal | None = _money()  # monthly, yuan
    monthly_amount: Decimal | None = _money()
    since_date: date | None = None
    disability: str = Field(default="", max_length=60)
    person_status: str = Field(default="active", max_length=20)  # codes.PERSON_STATUSES
    status_date: date | None = None
    publish: bool = False  # the roll says the household is on 公示
    household_id: int | None = Field(default=None, foreign_key="households.id", index=True)
    row_digest: str = Field(default="", max_length=64)  # keyed: unchanged rows are skipped
    import_id: int | None = Field(default=None, foreign_key="roll_imports.id")
    created_at: datetime = _at(nullable=False)
    updated_at: datetime = _at(nullable=False)
    ended_date: date | None = None  # absent from a later import of the county's roll


class RollWithholding(SQLModel, table=True):
    """A roll household kept off the public 公示, with the reason (e.g. a minor at risk)."""

    __tablename__ = "roll_withholdings"

    id: int | None = Field(default=None, primary_key=True)
    roll_kind: str = Field(max_length=20)
    county_path: str = Field(max_length=120, foreign_key="regions.path")
    region_path: str = Field(max_length=120, foreign_key="regions.path")  # township
    household_key: str = Field(max_length=40, index=True)
    reason: str = _text()
    withheld_by_id: int | None = Field(default=None, foreign_key="users.id")
    withheld_at: datetime = _at(nullable=False)
    lifted_at: datetime | None = _at()
    lifted_by_id: int | None = Field(default=None, foreign_key="users.id")


class RollReview(SQLModel, table=True):
    """A 台帐比对 of a county on a day: kept, with which imports it compared and its counts."""

    __tablename__ = "roll_reviews"

    id: int | None = Field(default=None, primary_key=True)
    county_path: str = Field(max_length=120, foreign_key="regions.path", index=True)
    as_of_date: date
    run_by_id: int | None = Field(default=None, foreign_key="users.id")
    run_at: datetime = _at(nullable=False)
    imports: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)  # kind: import id
    counts: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)  # reason: rows


class RollReviewItem(SQLModel, table=True):
    """One row of a review's worklist: a person or household, the reason, who checks it, the
    outcome. `label` is already masked (张*明 ****1234)."""

    __tablename__ = "roll_review_items"
    __table_args__ = (Index("ix_roll_review_items_review_region", "review_id", "region_path"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="roll_reviews.id")
    region_path: str = Field(max_length=120, foreign_key="regions.path")  # township
    village: str = Field(default="", max_length=60)
    reason: str = Field(max_length=30)  # codes.ROLL_REASONS
    label: str = Field(default="", max_length=60)
    detail: str = _text()
    household_id: int | None = Field(default=None, foreign_key="households.id")
    assignee_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    status: str = Field(default="open", max_length=20)  # codes.ROLL_ITEM_STATUSES
    outcome: str | None = Field(default=None, max_length=30)
    outcome_note: str = _text()
    closed_by_id: int | None = Field(default=None, foreign_key="users.id")
    closed_at: datetime | None = _at()


# --- what changed, for the per-process caches ------------------------------------------------


class ChangeCounter(SQLModel, table=True):
    """One row per kind of cached data (offers, organisations, regions, model, board), bumped
    in the same transaction as every change to it: a process compares the versions it last saw
    with one read of this small table and refreshes only what moved (zhuanjie.changes)."""

    __tablename__ = "change_counters"

    name: str = Field(primary_key=True, max_length=30)
    version: int = 0
    # Log rows below this version were pruned: a process that saw less rebuilds in full.
    pruned_below: int = 0


class ChangeLog(SQLModel, table=True):
    """Which rows a bump was about (ref_id NULL: the whole kind changed)."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_kind_version", "kind", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    version: int
    ref_id: int | None = None


# --- between departments --------------------------------------------------------------------


class Intake(SQLModel, table=True):
    """Work sent by another department (intake/): a household referred for social assistance
    (kind "referral"), or a monitoring alert (kind "alert") about a person. It waits in the
    township's caseworker queue with an answer deadline until accepted (household and need
    linked or created), declined with a reason, or closed with an outcome; an alert about a
    registered household becomes that household's need at once. Its state is written by
    intake.flow alone."""

    __tablename__ = "intakes"
    __table_args__ = (
        # An alert (or referral) sent twice under the sender's own id is one intake.
        UniqueConstraint("sender_org_id", "external_id"),
        Index("ix_intakes_region_path_status", "region_path", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # codes.INTAKE_KINDS
    sender_org_id: int = Field(foreign_key="organisations.id", index=True)
    sent_by_id: int | None = Field(default=None, foreign_key="users.id")
    external_id: str | None = Field(default=None, max_length=60)
    signal: str | None = Field(default=None, max_length=30)  # codes.ALERT_SIGNALS
    region_path: str = Field(max_length=120, foreign_key="regions.path")  # township
    # The township the sender named: what the sender is shown, even when the registered
    # household with the ID number (and so the intake) lives elsewhere.
    sent_region_path: str = Field(default="", max_length=120)
    village: str = Field(default="", max_length=60)
    name_enc: str | None = Field(default=None, sa_type=Text)
    id_number_enc: str | None = Field(default=None, sa_type=Text)
    id_number_hash: str = Field(max_length=64, index=True)
    id_last4: str = Field(default="", max_length=4)
    reason: str = _text()
    situation: str = _text()
    income_per_capita: Decimal | None = _money()
    amount: Decimal | None = _money()
    occurred_date: date | None = None
    category: str = Field(max_length=30)
    urgency: int = 1
    status: str = Field(default="received", max_length=20, index=True)
    household_id: int | None = Field(default=None, foreign_key="households.id", index=True)
    need_id: int | None = Field(default=None, foreign_key="needs.id")
    decline_reason: str = _text()
    outcome: str | None = Field(default=None, max_length=20)
    outcome_note: str = _text()
    received_at: datetime = _at(nullable=False, index=True)
    respond_by_at: datetime | None = _at()
    answered_at: datetime | None = _at()
    answered_by_id: int | None = Field(default=None, foreign_key="users.id")
    closed_at: datetime | None = _at()
    updated_at: datetime = _at(nullable=False)


# --- the data overview's narrow copies (zhuanjie.insight.facts keeps them in step) ------------


class InsightNeed(SQLModel, table=True):
    """One row per need with what the overview counts by, and its first referral and first
    delivery, so a period's figures need neither a join nor a pass over referrals."""

    __tablename__ = "insight_needs"
    # A period's cohort (tiles and breakdown) read from the index alone, and a scope's need
    # ids (the visits' scope) likewise (migration 0021).
    __table_args__ = (
        Index("ix_insight_needs_created_at_cover", "created_at", "region_path", "outcome",
              "first_sent_at", "first_delivered_at"),
        Index("ix_insight_needs_region_path_need_id", "region_path", "need_id"),
    )

    need_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    region_path: str = Field(max_length=120, index=True)
    category: str = Field(max_length=30)
    status: str = Field(max_length=20)
    outcome: str | None = Field(default=None, max_length=20)
    created_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    closed_at: datetime | None = _at(index=True)
    first_sent_at: datetime | None = _at()
    first_delivered_at: datetime | None = _at()


class InsightReferral(SQLModel, table=True):
    """One row per referral with its need's region, so counting a scope needs no join."""

    __tablename__ = "insight_referrals"
    # What is overdue now: unanswered past the deadline, accepted and undelivered past the
    # date, with the region so that a scope's count reads the index alone; a period's
    # referrals likewise (migration 0021).
    __table_args__ = (
        Index("ix_insight_referrals_status_region_path_respond_by_at", "status",
              "region_path", "respond_by_at"),
        Index("ix_insight_referrals_status_region_path_deliver_by_date", "status",
              "region_path", "deliver_by_date"),
        Index("ix_insight_referrals_sent_at_cover", "sent_at", "region_path", "responded_at",
              "decline_reason", "delivered_at"),
    )

    referral_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    need_id: int = Field(index=True)
    region_path: str = Field(max_length=120, index=True)
    organisation_id: int
    status: str = Field(max_length=20)
    sent_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
    respond_by_at: datetime | None = _at()
    responded_at: datetime | None = _at()
    decline_reason: str | None = Field(default=None, max_length=30)
    delivered_at: datetime | None = _at(index=True)
    deliver_by_date: date | None = None


# Records every ORM write of the watched tables in change_counters (see zhuanjie.changes).
from zhuanjie import changes as _changes  # noqa: E402, F401

# Keeps the data overview's copies (insight_needs, insight_referrals) in step with ORM writes.
from zhuanjie.insight import facts as _insight_facts  # noqa: E402, F401
