"""Allocation of scarce places (offers with ``capacity_remaining``) across many needs.

``allocate`` maximises the total *priority-weighted* match score

    sum over assignments (need i, offer j) of  priority(i) * score(i, j)

subject to: an offer's assignments never exceed its ``capacity_remaining``; a need receives at
most one offer per category (the offer's first, primary category); only admissible pairs (from
``rank``, the one ranking path) are used. ``priority(i) = 1 + URGENCY_BONUS[urgency] +
the largest GROUP_BONUS of its groups`` puts 急难 and 特困 needs first when places run short.

Offers without a capacity limit never run out, so they are not part of the optimisation: a
need's best unlimited offer of a category is its fallback there, and a scarce place is
assigned only where it beats that fallback. The problem splits by category; each is solved
exactly as an assignment problem on capacity-expanded columns (one column
per remaining place, plus one "no place" column per need) with
``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` (LAPJVsp) when the edges number at
most ``max_cells``, and by a greedy pass in order of weighted gain otherwise (reported in
``Allocation.method``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .index import OfferIndex
from .rank import rank
from .reasons import ReasonMaker
from .schema import Need, Offer

# A disease fund's scarce places go to patients of its diseases, and a programme for girls
# or women only gives none to a boy or a man (nor one for men only to a woman): a pair the
# engine warns of is not offered a place, whatever the priority (a 急难 cancer patient
# outweighed a kidney patient for a kidney-transplant fund's place). The same for the other
# warnings that say the programme is not for this person — a student aid of another school
# stage or for new students only, a programme for a status the need does not name (退役军人 …)
# or for another kind of disability or accident (盲人按摩 for a deaf person), the 低保 programme
# for a household already on it: a lower score alone still let an urgent, high-priority need
# take the place from the one it was meant for.
MISFIT = "专病项目：需求所患疾病不在项目所列病种"
MISFIT_SEX = "限女性项目：需求对象为男性"
MISFIT_SEX_MEN = "限男性项目：需求对象为女性"
MISFIT_STAGE = "学段不符：项目不面向需求中学生所在学段"
MISFIT_STATUS = "身份不符：项目面向特定身份人群，需求中未见该身份"
MISFIT_HELD = "已享受：需求家庭已是低保对象，本项目即低保"
MISFIT_ENROLMENT = "新生项目：需求中的学生已在读"
MISFIT_ENROLLED = "在读生项目：需求中的学生尚未入学"
MISFIT_KIND = "残疾类别或等级不符：项目只面向另一类或另一等级的残疾人"
MISFIT_ACCIDENT = "事故类别不符：项目只面向另一类意外事故"
_MISFITS = ((ReasonMaker.ILLNESS, MISFIT), (ReasonMaker.SEX[0], MISFIT_SEX),
            (ReasonMaker.SEX[1], MISFIT_SEX_MEN),
            (ReasonMaker.STAGE, MISFIT_STAGE), (ReasonMaker.STATUS, MISFIT_STATUS),
            (ReasonMaker.HELD, MISFIT_HELD), (ReasonMaker.ENROLMENT, MISFIT_ENROLMENT),
            (ReasonMaker.ENROLLED, MISFIT_ENROLLED),
            (ReasonMaker.KIND, MISFIT_KIND), (ReasonMaker.ACCIDENT, MISFIT_ACCIDENT))


def _misfit(x) -> str:
    """Why the pair may not take a scarce place ("" when it may)."""
    return next((why for warning, why in _MISFITS if warning in x.reasons), "")

URGENCY_BONUS = {1: 0.0, 2: 0.5, 3: 1.5}
GROUP_BONUS = {"tekun": 1.0, "dibao": 0.5, "disaster_victim": 0.5, "serious_illness": 0.3,
               "expenditure_hardship": 0.3, "disabled": 0.3, "jiandang": 0.2, "low_income": 0.1}


def priority(need: Need) -> float:
    """The weight of a need's score in the allocation objective."""
    g = max((GROUP_BONUS.get(c, 0.0) for c in need.groups), default=0.0)
    return 1.0 + URGENCY_BONUS.get(need.urgency or 1, 0.0) + g


@dataclass(slots=True)
class Assignment:
    need_id: str
    offer_id: str
    score: float
    scarce: bool          # True: takes one place of a limited offer


@dataclass(slots=True)
class Allocation:
    """Result of ``allocate``: assignments, needs left without anything, remaining places."""

    assignments: list[Assignment] = field(default_factory=list)
    unassigned: dict[str, str] = field(default_factory=dict)     # need_id -> reason (Chinese)
    remaining: dict[str, int] = field(default_factory=dict)      # offer_id -> places left
    objective: float = 0.0                                       # sum priority x score
    method: str = "exact"

    def total_score(self) -> float:
        """Sum of the scores of all assignments (unweighted)."""
        return float(sum(a.score for a in self.assignments))


def allocate(needs: Iterable[Need], offers: Iterable[Offer] | OfferIndex, *, as_of: dt.date,
             top: int = 20, scorer=None, max_cells: int = 5_000_000) -> Allocation:
    """Assign offers with limited capacity across needs, fairly and optimally.

    Parameters
    ----------
    needs : iterable of Need
    offers : iterable of Offer or OfferIndex
    as_of : datetime.date
    top : int
        Candidate offers per need taken from ``rank`` (the best ``top`` admissible ones).
    scorer : MatchScorer, optional
    max_cells : int
        Largest number of (need, place) edges solved exactly per category.

    Returns
    -------
    Allocation

    Examples
    --------
    >>> res = allocate(needs, offers, as_of=date(2018, 3, 1))     # doctest: +SKIP
    >>> res.assignments[0], res.unassigned.get("N000042")         # doctest: +SKIP
    """
    needs = list(needs)
    index = offers if isinstance(offers, OfferIndex) else OfferIndex(offers)
    ranked = rank(needs, index, as_of=as_of, top=top, scorer=scorer)
    by_id = {o.id: o for o in index.live_offers()}
    cap = {oid: o.capacity_remaining for oid, o in by_id.items()
           if o.capacity_remaining is not None}
    res = Allocation(remaining=dict(cap))
    prio = np.array([priority(n) for n in needs])
    # per category: fallback (best unlimited) and scarce candidates
    cats: dict[str, tuple[dict[int, tuple[str, float]], list[tuple[int, str, float]]]] = {}
    misfit = [""] * len(needs)
    for i, r in enumerate(ranked):
        for x in r.ranked:
            c = by_id[x.offer_id].categories[0]
            fb, sc = cats.setdefault(c, ({}, []))
            if x.offer_id in cap:
                why = _misfit(x)
                if why:
                    misfit[i] = why
                else:
                    sc.append((i, x.offer_id, x.score))
            elif i not in fb or fb[i][1] < x.score:
                fb[i] = (x.offer_id, x.score)
    got = np.zeros(len(needs), bool)
    for c in sorted(cats):
        fb, sc = cats[c]
        chosen = _solve(sc, fb, prio, res.remaining, max_cells, res)
        for i, (oid, s) in fb.items():
            if i not in chosen:
                res.assignments.append(Assignment(needs[i].id, oid, s, False))
                res.objective += prio[i] * s
                got[i] = True
        for i, (oid, s) in chosen.items():
            res.assignments.append(Assignment(needs[i].id, oid, s, True))
            res.objective += prio[i] * s
            got[i] = True
    for i, n in enumerate(needs):
        if not got[i]:
            res.unassigned[n.id] = (
                "没有符合规则的项目" if not ranked[i].ranked
                else misfit[i] if misfit[i] and len(ranked[i].ranked) == 1
                else "名额已满：有限名额分给了更紧急、更困难或更匹配的需求")
    return res


def _solve(sc, fb, prio, remaining, max_cells, res) -> dict[int, tuple[str, float]]:
    """Scarce places of one category: need index -> (offer id, score)."""
    if not sc:
        return {}
    rows = sorted({i for i, _, _ in sc})
    row_of = {i: k for k, i in enumerate(rows)}
    offers = sorted({o for _, o, _ in sc})
    demand = dict.fromkeys(offers, 0)
    for _, o, _ in sc:
        demand[o] += 1
    places = {o: min(remaining[o], demand[o]) for o in offers}
    cols = [o for o in offers for _ in range(places[o])]
    if not cols:
        return {}
    base = np.array([prio[i] * fb[i][1] if i in fb else 0.0 for i in rows])
    gain = {}
    for i, o, s in sc:
        g = prio[i] * s - base[row_of[i]]
        if g > 0:
            gain[(row_of[i], o)] = (g, s)
    chosen: dict[int, tuple[str, float]] = {}
    col_start, k = {}, 0
    for o in offers:
        col_start[o] = k
        k += places[o]
    n_edges = sum(places[o] for (_, o) in gain) + len(rows)
    if n_edges <= max_cells:
        # sparse exact matching: every row also has its own dummy column ("no scarce place")
        er, ec, ev = [], [], []
        big = max(g for g, _ in gain.values()) + 1.0 if gain else 1.0
        for (r, o), (g, _) in gain.items():
            n = places[o]
            er.extend([r] * n)
            ec.extend(range(col_start[o], col_start[o] + n))
            ev.extend([big - g] * n)
        er.extend(range(len(rows)))
        ec.extend(range(len(cols), len(cols) + len(rows)))
        ev.extend([big] * len(rows))
        m = sp.csr_matrix((ev, (er, ec)), shape=(len(rows), len(cols) + len(rows)))
        ri, ci = min_weight_full_bipartite_matching(m)
        for r, cidx in zip(ri.tolist(), ci.tolist(), strict=True):
            if 0 <= cidx < len(cols):
                o = cols[cidx]
                chosen[rows[r]] = (o, gain[(r, o)][1])
                remaining[o] -= 1
    else:
        res.method = "greedy (size)"
        for (r, o), (_g, s) in sorted(gain.items(), key=lambda kv: -kv[1][0]):
            if rows[r] not in chosen and remaining[o] > 0:
                chosen[rows[r]] = (o, s)
                remaining[o] -= 1
    return chosen


def allocate_first_come(needs: Iterable[Need], offers: Iterable[Offer] | OfferIndex, *,
                        as_of: dt.date, top: int = 20, scorer=None) -> Allocation:
    """Baseline: needs in order of ``created_at`` (then input order) each take their best
    offer with a place left, one per category."""
    needs = list(needs)
    index = offers if isinstance(offers, OfferIndex) else OfferIndex(offers)
    ranked = rank(needs, index, as_of=as_of, top=top, scorer=scorer)
    by_id = {o.id: o for o in index.live_offers()}
    res = Allocation(remaining={oid: o.capacity_remaining for oid, o in by_id.items()
                                if o.capacity_remaining is not None}, method="first-come")
    order = sorted(range(len(needs)), key=lambda i: (needs[i].created_at or dt.date.min, i))
    for i in order:
        taken = set()
        for x in ranked[i].ranked:
            c = by_id[x.offer_id].categories[0]
            if c in taken:
                continue
            left = res.remaining.get(x.offer_id)
            if left is not None and _misfit(x):
                continue
            if left is None or left > 0:
                if left is not None:
                    res.remaining[x.offer_id] = left - 1
                taken.add(c)
                res.assignments.append(Assignment(needs[i].id, x.offer_id, x.score,
                                                  left is not None))
                res.objective += priority(needs[i]) * x.score
        if not taken:
            res.unassigned[needs[i].id] = "没有可用名额"
    return res
