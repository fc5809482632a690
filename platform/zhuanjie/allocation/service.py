"""统筹分配: an offer's (or a category's) limited places allocated across a region's open needs.

A supervisor (in their region) or an offer's own organisation starts a run; the engine's
`allocate` solves it exactly (priority-weighted score: 急难 and 特困 first), beside
`allocate_first_come` on the same needs and places as the baseline. The run is a row: its pins
(an assignment kept whatever the next run says) and removals (a need left out on purpose)
persist, and each run again stores the new result. A supervisor confirms: each assignment
becomes a proposal in the caseworker's queue. Nothing reaches the organisation then — the
caseworker records the household's consent and sends the referral through the ordinary path
(referrals.service.send_referral, which marks the proposal sent), or declines the proposal
with a reason and the place goes back to the pool.

Places: an offer's places left (capacity minus accepted referrals) minus the places already
promised — proposals still waiting and referrals sent but not yet answered — so a second run
never hands out a place the first one proposed.

Organisation staff see their own runs de-identified: need title (names, ID and phone numbers,
house numbers masked), category, township, urgency and groups; never a household.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

from sqlalchemy import func, or_
from sqlmodel import Session, select

import matching
from matching.allocate import allocate_first_come, priority
from zhuanjie import audit, codes, regions
from zhuanjie.allocation import flow
from zhuanjie.allocation.schemas import AdjustIn, ProposalDeclineIn, RunCreate
from zhuanjie.clock import today
from zhuanjie.db import utc_now
from zhuanjie.donors.deidentify import HOUSE_NUMBER, ID_NUMBER, LANDLINE, MOBILE
from zhuanjie.errors import Conflict, Forbidden, Invalid, NotFound
from zhuanjie.matches.engine import NEED_COLUMNS, engine_needs, index_cache
from zhuanjie.models import (
    AllocationProposal,
    AllocationRun,
    Household,
    Member,
    Need,
    Offer,
    Organisation,
    Referral,
    User,
)
from zhuanjie.notifications import service as notifications
from zhuanjie.offers import service as offers
from zhuanjie.pagination import paginate
from zhuanjie.policy import (
    ensure_organisation_active,
    ensure_role,
    in_region_scope,
    one_visible,
    region_filter,
)

RUN_ROLES = ("supervisor", "admin", "org_staff")
CONFIRM_ROLES = ("supervisor", "admin")
QUEUE_ROLES = ("caseworker", "supervisor", "admin")
DECIDE_ROLES = ("caseworker", "admin")
MAX_NEEDS = 10_000  # open needs one run considers; below the engine's fork threshold
LEFT_OUT_SHOWN = 200
FULL = "名额已满"
REMOVED = "主管已将其移出本次分配"


# --- what each role may see ----------------------------------------------------------------


def visible_runs(user: User):
    """The one query every run lookup starts from: supervisors their region's runs, org staff
    the runs their organisation started."""
    if user.role == "org_staff":
        ensure_organisation_active(user)
        return select(AllocationRun).where(AllocationRun.organisation_id == user.organisation_id)
    if user.role in CONFIRM_ROLES:
        return select(AllocationRun).where(region_filter(user, AllocationRun.region_path))
    raise Forbidden("您的角色无权进行统筹分配")


def visible_proposals(user: User, *also):
    """Proposals of needs in the user's region; an organisation never sees one."""
    if user.role not in QUEUE_ROLES:
        raise Forbidden("您的角色无权查看分配建议")
    return (
        select(AllocationProposal, *also)
        .join(Need, Need.id == AllocationProposal.need_id)
        .where(region_filter(user, Need.region_path))
    )


def get_run(session: Session, *, actor: User, run_id: int) -> AllocationRun:
    return one_visible(session, visible_runs(actor), AllocationRun, run_id,
                       missing="分配方案不存在", hidden="该分配方案不在您的范围内")


def get_proposal(session: Session, *, actor: User, proposal_id: int) -> AllocationProposal:
    return one_visible(session, visible_proposals(actor), AllocationProposal, proposal_id,
                       missing="分配建议不存在", hidden="该分配建议不在您的辖区内")


# --- the computation -------------------------------------------------------------------------


def _covers(record: matching.Offer, region: str) -> bool:
    return any(regions.within(region, c) or regions.within(c, region) for c in record.coverage)


def _chosen(run: AllocationRun, records: dict[str, matching.Offer]) -> list[matching.Offer]:
    """The limited offers whose places this run hands out."""
    if run.offer_id is not None:
        record = records.get(str(run.offer_id))
        if record is None:
            raise Invalid("该项目未发布或机构未认证，不能分配名额", field="offer_id")
        if record.capacity_remaining is None:
            raise Invalid("该项目不限名额，无需统筹分配", field="offer_id")
        return [record]
    found = [r for r in records.values()
             if r.capacity_remaining is not None and r.categories[0] == run.category
             and _covers(r, run.region_path)]
    if not found:
        raise Invalid("该地区没有此类别的限额项目", field="category")
    return sorted(found, key=lambda r: int(r.id))


def _promised(session: Session, offer_ids: list[int]) -> dict[int, int]:
    """Places already promised per offer: proposals waiting for consent (of needs still
    open) and referrals sent but not yet answered."""
    waiting = session.exec(
        select(AllocationProposal.offer_id, func.count())
        .join(Need, Need.id == AllocationProposal.need_id)
        .where(AllocationProposal.offer_id.in_(offer_ids),
               AllocationProposal.status == flow.P.PROPOSED,
               Need.status != codes.NeedStatus.CLOSED)
        .group_by(AllocationProposal.offer_id)
    ).all()
    sent = session.exec(
        select(Referral.offer_id, func.count())
        .where(Referral.offer_id.in_(offer_ids), Referral.status == codes.ReferralStatus.SENT)
        .group_by(Referral.offer_id)
    ).all()
    out: dict[int, int] = {}
    for offer_id, n in [*waiting, *sent]:
        out[offer_id] = out.get(offer_id, 0) + n
    return out


def _pool(session: Session, run: AllocationRun, categories: set[str]) -> list:
    """Open needs of the region in the offers' categories, none already waiting on a
    proposal; oldest first (the order first-come serves them in)."""
    waiting = select(AllocationProposal.need_id).where(
        AllocationProposal.status == flow.P.PROPOSED)
    region = run.region_path
    return list(session.exec(
        select(*NEED_COLUMNS)
        .where(Need.status == codes.NeedStatus.OPEN,
               or_(Need.region_path == region, Need.region_path.like(region + "/%")),
               Need.category.in_(sorted(categories)),
               Need.id.not_in(waiting))
        .order_by(Need.created_at, Need.id)
        .limit(MAX_NEEDS)
    ).all())


def compute(session: Session, run: AllocationRun) -> None:
    """Run the allocation for `run` with its pins and removals and store the result on it
    (the caller audits and commits)."""
    started = time.perf_counter()
    index = index_cache.get(session)
    records = index_cache.records(session) if index is not None else {}
    chosen = _chosen(run, records)
    promised = _promised(session, [int(r.id) for r in chosen])
    places = {r.id: max(r.capacity_remaining - promised.get(int(r.id), 0), 0) for r in chosen}
    categories = {c for r in chosen for c in r.categories}
    pool = _pool(session, run, categories)
    by_id = {n.id: n for n in pool}
    removed = [i for i in dict.fromkeys(run.removed) if i in by_id]
    left = dict(places)
    pins: dict[int, str] = {}
    for need_id, offer_id in run.pinned:
        key = str(offer_id)
        if need_id in by_id and need_id not in removed and left.get(key, 0) > 0:
            pins[need_id] = key
            left[key] -= 1
    free = [n for n in pool if n.id not in pins and n.id not in set(removed)]
    everyone = engine_needs(session, free + [by_id[i] for i in pins]
                            + [by_id[i] for i in removed])
    k = len(free) + len(pins)
    needs, removed_records = everyone[:k], everyone[k:]
    free_records, pin_records = needs[:len(free)], needs[len(free):]
    sub = matching.OfferIndex(
        [dataclasses.replace(r, capacity_remaining=places[r.id]) for r in chosen],
        encoder=index.encoder, affinity=index.affinity, provider_stats=index.provider_stats,
    )
    top = len(chosen)
    scorer = index_cache.scorer(session)  # the promoted model, or the packaged default
    first = allocate_first_come(needs, sub, as_of=today(), top=top, scorer=scorer)
    for key, n in left.items():
        sub.set_capacity(key, n)
    best = matching.allocate(free_records, sub, as_of=today(), top=top, scorer=scorer)
    for key, n in places.items():
        sub.set_capacity(key, n)  # the pinned pairs and the reasons: ranked with every place
    given = {a.need_id: a for a in best.assignments if a.scarce}
    shown = pin_records + [r for r in free_records if r.id in given]
    explained = {r.need_id: r
                 for r in matching.rank(shown, sub, as_of=today(), top=top, scorer=scorer)}
    record_of = {r.id: r for r in needs}

    assignments = []
    for need_id, offer_id in pins.items():
        found = next((x for x in explained[str(need_id)].ranked if x.offer_id == offer_id), None)
        assignments.append(_assignment(record_of[str(need_id)], offer_id, found, pinned=True))
    for need_id, a in given.items():
        found = next((x for x in explained[need_id].ranked if x.offer_id == a.offer_id), None)
        assignments.append(_assignment(record_of[need_id], a.offer_id, found, pinned=False,
                                       score=a.score))
    assignments.sort(key=lambda a: (-a["priority"], -a["score"], a["need_id"]))
    left_out, inadmissible = [], 0
    no_places = sum(places.values()) == 0
    for r in free_records:
        if r.id in given:
            continue
        reason = best.unassigned.get(r.id, FULL)
        if reason.startswith(FULL) or no_places:
            left_out.append({"need_id": int(r.id), "priority": priority(r), "removed": False,
                             "reason": reason if not no_places else "名额已全部用完或已承诺"})
        else:
            inadmissible += 1
    left_out.sort(key=lambda x: (-x["priority"], x["need_id"]))
    left_out = [{"need_id": int(r.id), "priority": priority(r), "removed": True,
                 "reason": REMOVED} for r in removed_records] + left_out

    run.pinned = [[i, int(o)] for i, o in pins.items()]
    run.removed = removed
    run.places = sum(places.values())
    run.needs_count = len(pool)
    run.total_score = round(sum(a["score"] for a in assignments), 6)
    run.first_come_score = round(first.total_score(), 6)
    run.result = {
        "assignments": assignments,
        "left_out": left_out[:LEFT_OUT_SHOWN + len(removed)],
        "left_out_total": len(left_out),
        "inadmissible": inadmissible,
        "objective": round(sum(a["priority"] * a["score"] for a in assignments), 6),
        "first_come_objective": round(first.objective, 6),
        "first_come_given": sum(1 for a in first.assignments if a.scarce),
        "places": dict(places),
        "method": best.method,
        "seconds": round(time.perf_counter() - started, 3),
    }
    run.updated_at = utc_now()
    session.add(run)


def _assignment(record: matching.Need, offer_id: str, ranked, *, pinned: bool,
                score: float | None = None) -> dict:
    return {
        "need_id": int(record.id),
        "offer_id": int(offer_id),
        "score": round(float(score if score is not None else (ranked.score if ranked else 0.0)),
                       6),
        "priority": priority(record),
        "pinned": pinned,
        "reasons": list(ranked.reasons) if ranked else ["已固定：该项目现不再符合规则"],
    }


# --- use cases -------------------------------------------------------------------------------


def start_run(session: Session, *, actor: User, data: RunCreate) -> AllocationRun:
    """A new run, computed at once and audited."""
    ensure_role(actor, *RUN_ROLES)
    organisation_id = None
    if actor.role == "org_staff":
        ensure_organisation_active(actor)
        if data.offer_id is None:
            raise Invalid("机构只能为本机构的项目分配名额，请选择项目", field="offer_id")
        offer = _offer(session, actor, data.offer_id)
        if offer.organisation_id != actor.organisation_id:
            raise Invalid("只能为本机构的项目分配名额", field="offer_id")
        organisation_id = actor.organisation_id
    else:
        if not in_region_scope(actor, data.region_path):
            raise Invalid("只能选择您辖区内的地区", field="region_path")
        if data.offer_id is not None:
            _offer(session, actor, data.offer_id)
    run = AllocationRun(region_path=data.region_path, offer_id=data.offer_id,
                        category=data.category, organisation_id=organisation_id,
                        created_by_id=actor.id)
    session.add(run)
    session.flush()
    compute(session, run)
    _audit(session, actor, "allocation_run", run)
    session.commit()
    return run


def _offer(session: Session, actor: User, offer_id: int) -> Offer:
    try:
        return offers.get_offer(session, actor=actor, offer_id=offer_id)
    except NotFound as exc:
        raise Invalid(exc.message, field="offer_id") from None


def _audit(session: Session, actor: User, action: str, run: AllocationRun, **extra) -> None:
    audit.record(session, actor, action, object_type="allocation_run", object_id=run.id, detail={
        "region": run.region_path, "offer_id": run.offer_id, "category": run.category,
        "needs": run.needs_count, "places": run.places,
        "assigned": len(run.result.get("assignments", [])),
        "total_score": run.total_score, "first_come_score": run.first_come_score,
        "pinned": [p[0] for p in run.pinned], "removed": list(run.removed), **extra,
    })


def _draft(session: Session, actor: User, run_id: int) -> AllocationRun:
    run = get_run(session, actor=actor, run_id=run_id)
    if run.status != flow.R.DRAFT:
        raise Conflict("该分配方案已确认，不能再调整")
    return run


def rerun(session: Session, *, actor: User, run_id: int) -> AllocationRun:
    """Run again on today's needs and places, keeping the pins and removals."""
    run = _draft(session, actor, run_id)
    compute(session, run)
    _audit(session, actor, "allocation_run", run, again=True)
    session.commit()
    return run


def adjust(session: Session, *, actor: User, run_id: int, data: AdjustIn) -> AllocationRun:
    """Pin an assignment, remove a need, or undo either; then run again."""
    run = _draft(session, actor, run_id)
    assigned = {a["need_id"]: a["offer_id"] for a in run.result.get("assignments", [])}
    listed = set(assigned) | {x["need_id"] for x in run.result.get("left_out", [])}
    pinned = [p for p in run.pinned if p[0] != data.need_id]
    removed = [i for i in run.removed if i != data.need_id]
    if data.action == "pin":
        if data.need_id not in assigned:
            raise Invalid("只能固定方案中已分到名额的需求", field="need_id")
        pinned.append([data.need_id, assigned[data.need_id]])
    elif data.action == "remove":
        if data.need_id not in listed:
            raise Invalid("该需求不在本次分配中", field="need_id")
        removed.append(data.need_id)
    run.pinned, run.removed = pinned, removed  # new lists: JSON columns see the change
    compute(session, run)
    _audit(session, actor, "allocation_adjusted", run, adjustment=data.action,
           need_id=data.need_id)
    session.commit()
    return run


def confirm(session: Session, *, actor: User, run_id: int) -> AllocationRun:
    """Run once more (places may have moved since the page was drawn), then turn each
    assignment into a proposal in its caseworker's queue. Nothing goes to the organisation."""
    ensure_role(actor, *CONFIRM_ROLES)
    run = _draft(session, actor, run_id)
    compute(session, run)
    assignments = run.result.get("assignments", [])
    if not assignments:
        raise Conflict("方案中没有分到名额的需求，无需确认")
    session.flush()
    flow.move_run(session, run, to=flow.R.CONFIRMED, by=actor)
    told: dict[int, int] = {}
    creators = dict(session.exec(
        select(Need.id, Need.created_by_id).where(Need.id.in_([a["need_id"] for a in assignments]))
    ).all())
    for a in assignments:
        flow.propose(session, run, need_id=a["need_id"], offer_id=a["offer_id"],
                     score=a["score"], reasons=a["reasons"])
        worker = creators.get(a["need_id"])
        if worker:
            told[worker] = told.get(worker, 0) + 1
    for worker, n in told.items():
        notifications.notify(
            session, user_ids=[worker], kind="allocation_proposed",
            title=f"统筹分配建议：{n} 条需求分到了名额",
            body="请征得家庭同意后发送转介，或说明不采纳的原因；未发送前机构看不到。",
            link="/allocation/proposals", dedupe_key=f"allocation:{run.id}:{worker}",
        )
    _audit(session, actor, "allocation_confirmed", run,
           needs_told=sorted(a["need_id"] for a in assignments))
    session.commit()
    return run


def decline_proposal(session: Session, *, actor: User, proposal_id: int,
                     data: ProposalDeclineIn) -> AllocationProposal:
    """The caseworker declines a proposal with the household's reason; its place is free
    again for the next run, and the supervisor who confirmed it is told."""
    ensure_role(actor, *DECIDE_ROLES)
    proposal = get_proposal(session, actor=actor, proposal_id=proposal_id)
    flow.move(session, proposal, to=flow.P.DECLINED, by=actor, reason=data.reason,
              note=data.note)
    run = session.get(AllocationRun, proposal.run_id)
    if run.confirmed_by_id and run.confirmed_by_id != actor.id:
        notifications.notify(
            session, user_ids=[run.confirmed_by_id], kind="allocation_declined",
            title=f"分配建议未采纳：{codes.PROPOSAL_DECLINE_REASONS[data.reason]}",
            body="名额已回到待分配，可再次运行统筹分配。", link=f"/allocation/{run.id}",
        )
    audit.record(session, actor, "proposal_declined", object_type="allocation_proposal",
                 object_id=proposal.id, detail={"reason": data.reason, "run_id": run.id,
                                                "need_id": proposal.need_id})
    session.commit()
    return proposal


# --- what the pages show ---------------------------------------------------------------------


@dataclass
class ShownNeed:
    """A need as the allocation page shows it: never a name (org staff: title masked too)."""

    id: int
    title: str
    category: str
    township: str
    urgency: int
    groups: list[str]


@dataclass
class RunView:
    run: AllocationRun
    offers: dict[int, Offer]
    organisations: dict[int, Organisation]
    needs: dict[int, ShownNeed]
    assignments: list[dict]
    left_out: list[dict]
    may_adjust: bool
    may_confirm: bool
    proposals: list[AllocationProposal] = field(default_factory=list)


def _masked(title: str, names: list[str]) -> str:
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        title = title.replace(name, "某")
    for pattern in (ID_NUMBER, MOBILE, LANDLINE, HOUSE_NUMBER):
        title = pattern.sub("＊", title)
    return title


def shown_needs(session: Session, need_ids: list[int], *, mask: bool) -> dict[int, ShownNeed]:
    if not need_ids:
        return {}
    rows = session.exec(
        select(Need, Household).join(Household, Household.id == Need.household_id)
        .where(Need.id.in_(need_ids))
    ).all()
    names: dict[int, list[str]] = {}
    if mask:
        for household_id, name in session.exec(
            select(Member.household_id, Member.name)
            .where(Member.household_id.in_({h.id for _, h in rows}))
        ).all():
            names.setdefault(household_id, []).append(name)
    return {
        n.id: ShownNeed(
            id=n.id, title=_masked(n.title, names.get(h.id, [])) if mask else n.title,
            category=n.category, township=regions.short_name(n.region_path),
            urgency=n.urgency, groups=list(h.groups),
        )
        for n, h in rows
    }


def run_view(session: Session, *, actor: User, run_id: int) -> RunView:
    run = get_run(session, actor=actor, run_id=run_id)
    assignments = run.result.get("assignments", [])
    left_out = run.result.get("left_out", [])
    offer_ids = {a["offer_id"] for a in assignments} | {int(k) for k in run.result.get("places",
                                                                                        {})}
    if run.offer_id:
        offer_ids.add(run.offer_id)
    rows = list(session.exec(select(Offer).where(Offer.id.in_(offer_ids))).all())
    proposals = []
    if run.status == flow.R.CONFIRMED and actor.role != "org_staff":
        proposals = list(session.exec(
            select(AllocationProposal).where(AllocationProposal.run_id == run.id)
            .order_by(AllocationProposal.id)).all())
    return RunView(
        run=run,
        offers={o.id: o for o in rows},
        organisations=offers.organisations_of(session, rows),
        needs=shown_needs(session, [a["need_id"] for a in assignments]
                          + [x["need_id"] for x in left_out], mask=actor.role == "org_staff"),
        assignments=assignments,
        left_out=left_out,
        may_adjust=run.status == flow.R.DRAFT,
        may_confirm=run.status == flow.R.DRAFT and actor.role in CONFIRM_ROLES,
        proposals=proposals,
    )


@dataclass
class StartForm:
    """What the start-a-run form offers: the actor's runs and the limited offers to pick."""

    runs: list[AllocationRun]
    total: int
    offers: list[Offer]
    region: str
    titles: dict[int, str] = field(default_factory=dict)  # the runs' offers


def start_form(session: Session, *, actor: User, offset: int = 0, limit: int = 30) -> StartForm:
    query = visible_runs(actor).order_by(AllocationRun.id.desc())
    runs, total = paginate(session, query, offset=offset, limit=limit)
    limited = offers.visible_offers(actor).where(offers.live(), Offer.capacity.is_not(None))
    if actor.role == "org_staff":
        limited = limited.where(Offer.organisation_id == actor.organisation_id)
    wanted = {r.offer_id for r in runs if r.offer_id}
    return StartForm(
        runs=list(runs), total=total,
        offers=list(session.exec(limited.order_by(Offer.id).limit(500)).all()),
        region=actor.region_path or regions.root_path(),
        titles=dict(session.exec(select(Offer.id, Offer.title).where(Offer.id.in_(wanted))).all())
        if wanted else {},
    )


@dataclass
class QueueRow:
    proposal: AllocationProposal
    need: Need
    offer: Offer
    organisation: Organisation


def proposal_queue(session: Session, *, actor: User, offset: int = 0,
                   limit: int = 30) -> tuple[list[QueueRow], int]:
    """Proposals waiting for the household's consent, in the actor's region, oldest first."""
    ensure_role(actor, *QUEUE_ROLES)
    base = visible_proposals(actor, Need).where(
        AllocationProposal.status == flow.P.PROPOSED, Need.status != codes.NeedStatus.CLOSED)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    pairs = session.exec(base.order_by(AllocationProposal.id).offset(offset).limit(limit)).all()
    rows = list(session.exec(select(Offer).where(
        Offer.id.in_({p.offer_id for p, _ in pairs}))).all())
    by_id = {o.id: o for o in rows}
    orgs = offers.organisations_of(session, rows)
    return [QueueRow(p, n, by_id[p.offer_id], orgs[by_id[p.offer_id].organisation_id])
            for p, n in pairs], total


def run_out(view: RunView) -> dict:
    """The API's shape of a run (need titles as the page shows them to this actor)."""
    run, result = view.run, view.run.result

    def need(i: int) -> dict:
        n = view.needs.get(i)
        return {"need_title": n.title if n else "", "category": n.category if n else "",
                "township": n.township if n else "", "urgency": n.urgency if n else 1,
                "groups": n.groups if n else []}

    return {
        "id": run.id, "status": run.status, "region_path": run.region_path,
        "offer_id": run.offer_id, "category": run.category, "places": run.places,
        "needs_count": run.needs_count, "total_score": run.total_score,
        "first_come_score": run.first_come_score,
        "objective": result.get("objective", 0.0),
        "first_come_objective": result.get("first_come_objective", 0.0),
        "method": result.get("method", ""), "seconds": result.get("seconds", 0.0),
        "assignments": [a | need(a["need_id"]) for a in view.assignments],
        "left_out": [{k: v for k, v in (x | need(x["need_id"])).items()
                      if k not in ("category", "township")} for x in view.left_out],
        "inadmissible": result.get("inadmissible", 0),
        "pinned": [p[0] for p in run.pinned], "removed": list(run.removed),
        "created_at": run.created_at, "confirmed_at": run.confirmed_at,
    }
