"""A year of referral outcomes for training and judging matching models (tests, benchmarks).

The demo city's organisations, offers and households at a larger size, its needs spread over
the past year, and one or two referrals per need to offers the default model ranks among
the best. Whether a referral works out follows hidden preferences of the providers, never
shown to the engine: each organisation's own reliability, how much the amount offered
covers the amount needed, whether the offer is a programme targeted at the household's
group, a taste for some need categories over others, and — unlike the default model's
belief — no advantage for offers covering only the need's own township. A model learned
from these outcomes can therefore rank better than the default, and the held-out weeks say
by how much.

``shuffled_before`` permutes the outcomes of the referrals sent before that instant (worse
data: a model trained on them learns nothing true; the later weeks stay real).
"""

from __future__ import annotations

import dataclasses
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

import matching
from matching.features import COL
from matching.schema import CATEGORIES
from zhuanjie.demo import flow, people
from zhuanjie.demo.base import Ctx
from zhuanjie.matches.engine import engine_needs
from zhuanjie.models import Offer, Organisation, Referral
from zhuanjie.offers import service as offers
from zhuanjie.regions import sync_regions

# The providers' hidden taste (logit of a success), per feature of the referred pair.
HIDDEN = {"amount": 2.5, "targeted": 1.5, "locality": -1.5, "urgency": 0.8}
RELIABILITY = 1.4  # spread of the organisations' own logit of success
FAILURES = (("declined", "ineligible", 0.45), ("declined", "other", 0.1), ("failed", None, 0.3),
            ("withdrawn", None, 0.15))
NO_EVIDENCE = (("declined", "full", 0.08), ("declined", "unreachable", 0.03))
TOP = 6  # the caseworker picks among the engine's best this many


@dataclass
class History:
    logins: dict[str, str]  # username → password
    roles: dict[str, str]
    referrals: int
    successes: int


def load_history(session: Session, *, seed: int = 2017, scale: int = 3, needs: int = 2000,
                 shuffled_before: datetime | None = None, now: datetime | None = None
                 ) -> History:
    """Fill an empty database with a larger demo city and a year of referral outcomes."""
    from zhuanjie.db import utc_now

    ctx = Ctx(session=session, seed=seed, now=now or utc_now(), progress=None)
    sync_regions(session)
    ctx.stage("organisations")
    people.make_organisations(ctx)
    ctx.stage("users")
    logins = people.make_users(ctx)
    ctx.stage("offers")
    flow.make_offers(ctx)
    ctx.stage("households")
    people.make_households(ctx, scale=scale)
    ctx.stage("needs")
    flow.make_needs(ctx, total=min(needs, 4 * len(ctx.families)))
    ctx.stage("history")
    made, good = _referrals(ctx, shuffled_before)
    session.commit()
    return History({u: p for u, _r, _n, p, _s in logins}, {u: r for u, r, _n, _p, _s in logins},
                   made, good)


def _referrals(ctx: Ctx, shuffled_before: datetime | None) -> tuple[int, int]:
    session, rng = ctx.session, ctx.rng
    live = session.exec(
        select(Offer).join(Organisation, Organisation.id == Offer.organisation_id)
        .where(offers.live())
    ).all()
    records = [dataclasses.replace(r, capacity_remaining=None, valid_from=None, valid_until=None)
               for r in offers.engine_offers(session, list(live))]
    org_of = {str(o.id): o.organisation_id for o in live}
    index = matching.OfferIndex(records)
    rows = [n.row for n in ctx.needs]
    engine = engine_needs(session, rows)
    ranked = matching.rank(engine, index, as_of=ctx.today, top=TOP, n_jobs=1)
    ni, oids, X = matching.pair_features(engine, index, as_of=ctx.today)
    feats = {(engine[i].id, o): X[k] for k, (i, o) in enumerate(zip(ni.tolist(), oids,
                                                                    strict=True))}
    reliability = {o: rng.gauss(0, RELIABILITY) for o in sorted(set(org_of.values()))}
    taste = {(a, b): rng.gauss(0, 0.8) for a in CATEGORIES for b in CATEGORIES}
    cats = {r.id: r.categories for r in records}
    sender = ctx.users.get("caseworker") or next(iter(ctx.users.values()))
    made: list[Referral] = []
    for need, record, ranking in zip(ctx.needs, engine, ranked, strict=True):
        choices = [r.offer_id for r in ranking.ranked]
        if not choices:
            continue
        picked = rng.sample(choices, 2 if len(choices) > 1 and rng.random() < 0.3 else 1)
        sent = need.row.created_at + timedelta(days=rng.uniform(0.1, 4))
        for offer_id in picked:
            x = feats[(record.id, offer_id)]
            org = org_of[offer_id]
            logit = (-0.2 + reliability[org] + sum(w * float(x[getattr(COL, f)])
                                                    for f, w in HIDDEN.items())
                     + taste[(record.category, cats[offer_id][0])])
            made.append(_referral(ctx, need.row, int(offer_id), org, sent,
                                  rng.random() < 1 / (1 + math.exp(-logit)), sender.id))
            sent += timedelta(days=rng.uniform(1, 10))
    if shuffled_before is not None:
        _shuffle([r for r in made if r.sent_at < shuffled_before], rng)
    ctx.add_all(made)
    return len(made), sum(r.delivered_at is not None for r in made)


def _referral(ctx: Ctx, need, offer_id: int, org_id: int, sent: datetime, success: bool,
              sender_id: int) -> Referral:
    rng = ctx.rng
    sent = min(sent, ctx.now - timedelta(hours=1))
    ref = Referral(need_id=need.id, offer_id=offer_id, organisation_id=org_id, sent_at=sent,
                   updated_at=sent, sent_by_id=sender_id, status="sent")
    answered = sent + timedelta(days=rng.uniform(0.2, 3))
    if answered > ctx.now:
        return ref  # still waiting for an answer
    ref.responded_at = answered
    draw = rng.random()
    for status, reason, share in NO_EVIDENCE:
        if draw < share:
            ref.status, ref.decline_reason = status, reason
            return ref
        draw -= share
    if success:
        done = answered + timedelta(days=rng.uniform(2, 20))
        if done > ctx.now:
            ref.status = "accepted"
        else:
            ref.status, ref.delivered_at, ref.delivery_date = "delivered", done, done.date()
        return ref
    status, reason = rng.choices([(s, r) for s, r, _ in FAILURES],
                                 weights=[w for *_, w in FAILURES])[0]
    ref.status, ref.decline_reason = status, reason
    return ref


def _shuffle(rows: list[Referral], rng: random.Random) -> None:
    fields = ("status", "decline_reason", "delivered_at", "delivery_date", "responded_at")
    outcomes = [tuple(getattr(r, f) for f in fields) for r in rows]
    rng.shuffle(outcomes)
    for r, values in zip(rows, outcomes, strict=True):
        for f, v in zip(fields, values, strict=True):
            setattr(r, f, v)
        if r.delivered_at is not None and r.delivered_at < r.sent_at:
            r.delivered_at = r.sent_at + timedelta(days=1)
