"""The one owner of the allocation lifecycles: a run (draft → confirmed) and the proposals a
confirmed run makes (proposed → sent once the household consents, or → declined).

Each move is one conditional UPDATE from the states the table allows, so a run is confirmed
once however often the button is pressed, and a proposal is sent or declined once; a refused
move raises Conflict and changes nothing. A proposal holds its place until it leaves
`proposed`: the allocation counts it against the offer's places (allocation.service).
"""

from __future__ import annotations

from sqlmodel import Session, update

from zhuanjie import codes, transitions
from zhuanjie.codes import ProposalStatus, RunStatus
from zhuanjie.db import utc_now
from zhuanjie.errors import Conflict
from zhuanjie.models import AllocationProposal, AllocationRun, Referral, User

P = ProposalStatus
R = RunStatus

RUN_TRANSITIONS: dict[str, frozenset[str]] = {
    R.DRAFT: frozenset({R.CONFIRMED}),
    R.CONFIRMED: frozenset(),
}
TRANSITIONS: dict[str, frozenset[str]] = {
    P.PROPOSED: frozenset({P.SENT, P.DECLINED}),
    P.SENT: frozenset(),
    P.DECLINED: frozenset(),
}


def move_run(session: Session, run: AllocationRun, *, to: str,
             by: User | None) -> AllocationRun:
    """Move a run to `to` from a state that allows it (draft → confirmed, once); Conflict
    and nothing changed otherwise. The caller adds the proposals and commits."""
    to = RunStatus(to)
    now = utc_now()
    values: dict = {"status": to, "updated_at": now}
    if to == R.CONFIRMED:
        values |= {"confirmed_at": now, "confirmed_by_id": by.id if by else None}
    result = session.exec(
        update(AllocationRun)
        .where(AllocationRun.id == run.id,
               AllocationRun.status.in_(transitions.sources(RUN_TRANSITIONS, to)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict("该分配方案已确认，不能再次确认或调整")
    session.refresh(run)
    return run


def propose(session: Session, run: AllocationRun, *, need_id: int, offer_id: int, score: float,
            reasons: list[str]) -> AllocationProposal:
    """A new proposal of a confirmed run (the caller commits)."""
    row = AllocationProposal(run_id=run.id, need_id=need_id, offer_id=offer_id,
                             status=P.PROPOSED, score=score, reasons=reasons)
    session.add(row)
    return row


def move(session: Session, proposal: AllocationProposal, *, to: str, by: User | None,
         referral: Referral | None = None, reason: str | None = None,
         note: str = "") -> AllocationProposal:
    """Move a proposal to `to` from a state that allows it; Conflict (nothing changed)
    otherwise. The caller commits."""
    to = ProposalStatus(to)
    values: dict = {"status": to, "decided_at": utc_now(), "decided_by_id": by.id if by else None}
    if to == P.SENT:
        values["referral_id"] = referral.id if referral else None
    if to == P.DECLINED:
        values |= {"decline_reason": reason, "decline_note": note}
    result = session.exec(
        update(AllocationProposal)
        .where(AllocationProposal.id == proposal.id,
               AllocationProposal.status.in_(transitions.sources(TRANSITIONS, to)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(proposal)
        now = codes.PROPOSAL_STATUSES.get(proposal.status, proposal.status)
        raise Conflict(f"该分配建议当前为「{now}」，不能再处理")
    session.refresh(proposal)
    return proposal


def sent_as(session: Session, referral: Referral, *, by: User | None) -> int:
    """The household consented and the caseworker sent this need to this offer: its pending
    proposal (if any) is sent, with the referral. How many moved (0 or 1)."""
    result = session.exec(
        update(AllocationProposal)
        .where(AllocationProposal.need_id == referral.need_id,
               AllocationProposal.offer_id == referral.offer_id,
               AllocationProposal.status.in_(transitions.sources(TRANSITIONS, P.SENT)))
        .values(status=P.SENT, referral_id=referral.id, decided_at=utc_now(),
                decided_by_id=by.id if by else None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
