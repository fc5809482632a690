"""Pair features: the one list of features, each with its name, formula and meaning.

Every feature is in a small fixed range and 0 means "no evidence", so a linear scorer can
combine them and a missing value never counts as a penalty. ``PAIR_FEATURES`` below is the
only list: the feature names (``FEATURES``), the columns of the feature matrix (``COL``), the
scorer's weights and saved models, training (``pair_features``) and ranking all follow it.

To add a feature, append one ``Feature(name, compute, doc)`` to ``PAIR_FEATURES``:

- ``compute(pairs)`` gets a ``Pairs`` (the selected need/offer pairs of a block, their fields
  named below) and returns one value per pair; use numpy on whole arrays, never a loop.
- Its weight is ``coef[name]`` in ``data/default_model.json``; without one it is 0 (no effect)
  until ``python -m matching train`` learns it. Saved models of the old feature list are then
  refused (``ModelMismatchError``): retrain them.
- It is computed for each need's best ``top + 4`` candidates by the cheap pre-selection score
  and re-ranks them. The pre-selection score (rank.py: ``RegionTables``,
  ``_Engine._score_block``, ``_Engine.rank_one``) re-states text, concept, named, category,
  urgency, locality, targeted, provider, government and category_fit as per-region tables:
  change one of those ten here and change it there too (tests/matching/test_kernel.py
  compares them).
- A feature that needs a new offer-side array gets it in ``OfferIndex._alloc``/``_append``
  (index.py); a need-side one in ``NeedSide`` (index.py).
"""

from __future__ import annotations

import json
import math
import re
from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from .beneficiary import CHILD
from .schema import CAT_INDEX, CATEGORIES, GROUP_BIT, Need, Offer
from .status import (
    ACCIDENT_COLS,
    ANSWERS_COLS,
    GRADE_COLS,
    INSURED_COLS,
    KIND_COLS,
    STATUS_COLS,
    WORKER,
)
from .text import ONE_F32, ZERO_F32, cn_number

if TYPE_CHECKING:
    from .index import OfferIndex
    from .rank import RegionTables


class Pairs(NamedTuple):
    """The (need, offer) pairs whose features are computed together, and what a feature reads.

    Offer-side values are per pair. Need-side values are per pair in a batch, or the one need's
    values when a need is ranked alone (arrays of one row, scalars): numpy broadcasting makes
    the same formula right for both.
    """

    index: OfferIndex          # offer arrays by slot (fast, amount, targeted, prov, flags …)
    region: RegionTables       # the region's tables over its candidates (cataff, local)
    column: np.ndarray         # each pair's candidate column in ``region``
    offer: np.ndarray          # each pair's offer slot in ``index``
    offer_concepts: np.ndarray  # index.concepts[offer]: (pairs, the region's active concepts)
    text: np.ndarray           # TF-IDF cosine (computed by the pre-selection score)
    category: Any              # need category (index into CATEGORIES)
    urgency: Any               # need urgency 1..3 (float32)
    amount: Any                # amount needed (float32, NaN when unknown)
    bill: Any                  # the need's bill: amount needed, else a large cost its text
                               # names (large_bill; float32, NaN when neither)
    concepts: np.ndarray       # need concept vectors, L2-normalised: (pairs or 1, active)
    title_concepts: np.ndarray  # the same for the need's title alone
    flags: np.ndarray          # need flag concepts (bool): (pairs or 1, flags); index.flag(name)
    received: np.ndarray | None = None   # need concepts already received (bool, as concepts)
    ill: Any = None            # whether the need names an illness (bool; NeedSide.ill)
    # the region's illness columns at or below the need's narrowest illnesses (bool;
    # NeedSide.ill_narrow @ RegionTables.ill_down), None when no need names one
    ill_down: Any = None
    sex: Any = None            # the beneficiary's sex: 1 male, -1 female, 0 unknown (int8;
                               # NeedSide.sex)
    stage: Any = None          # the school stages the need names (bool; NeedSide.stage)
    status: Any = None         # the statuses the need names (bool; NeedSide.status)
    bits: Any = 0              # the household's groups (GROUP_BIT bits; NeedSide.bits)
    # one need's ``status`` row as one int (bit j: column j; ``row_bits``), read once for the
    # five features that compare it, None in a batch
    status_bits: int | None = None
    # one need's pairs: their candidates' records (``candidate_records``, gathered once), None
    # in a batch
    rec: Any = None
    age: Any = None            # the beneficiary's age (float32, NaN unknown; NeedSide.age)
    troubled: Any = None       # names an illness, injury, disability or bill (NeedSide.troubled)
    bedridden: Any = None      # names someone bedridden (NeedSide.bedridden)


@dataclass(frozen=True)
class Feature:
    name: str                                     # a Python identifier (COL.<name>)
    compute: Callable[[Pairs], np.ndarray | float]  # one value per pair (broadcast is fine)
    doc: str


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise dot products (one need's row broadcasts against its candidates'). A gufunc
    whose inner loop runs once per row: a row's value does not depend on where it sits nor on
    how many rows there are (one need scores as in a batch, two identical offers tie), and
    it costs half of einsum's call (numpy >= 2.0)."""
    return np.vecdot(a, b)


# more operands of the one-need path as 0-d arrays of their arrays' dtypes (text.py: numpy 2
# converts a Python number on every call, and a numpy scalar saves less time than these)
_HALF = np.full((), 0.5, np.float32)
_NO_BITS = np.zeros((), np.int64)
# the statuses whose holding lifts a programme (feature holds): not the employee's. Anyone at
# work is one, and the union's help for 困难职工 asks for more (a member, a file): over dev and
# the diagnostic sets such titles in a worker's top five were graded 0 in most pairs, and
# leaving the employee out of holds moved 84 needs up and 15 down there
_HOLDS_MASK = np.int64(~(1 << WORKER))


def _some(x: np.ndarray) -> bool:
    """Whether any of a need-side bool holds: one need's numpy bool read as a bool (its
    ``any`` method costs as much as an array's), a batch's array by its method."""
    return bool(x) if x.ndim == 0 else x.any()


def _by_category(table: np.ndarray, q: Pairs) -> np.ndarray:
    """``table[need category, candidate column]`` per pair (a region's table, categories x
    candidates). One need: its row, then the columns (an index of a scalar and an array
    costs twice that)."""
    if q.category.ndim == 0:        # one need: a numpy integer
        return table[q.category][q.column]
    return table[q.category, q.column]


def _urgency(q: Pairs) -> np.ndarray | float:
    if q.urgency.ndim == 0 and q.urgency == 1.0:   # one need that counts no urgency: 0
        return 0.0
    return ((q.urgency - ONE_F32) * _HALF) * q.index.fast[q.offer]


def _specific(q: Pairs) -> np.ndarray:
    if len(q.concepts) == 1:         # one need: only the columns it names can be shared
        nz = q.concepts[0].nonzero()[0]
        # the candidates' shared specificities are the region's (RegionTables.fires_specific);
        # the ufunc's own reduce: ndarray.max adds two Python layers
        return np.maximum.reduce(q.region.fires_specific.take(q.column, axis=0).take(nz, axis=1),
                                 axis=1, initial=ZERO_F32)
    shared = (q.concepts > 0) & (q.offer_concepts > 0)
    return (shared * q.region.specificity).max(axis=1, initial=0.0)


def _prevention(q: Pairs) -> np.ndarray | float:
    ix = q.index
    existing, future = ix.flag("_existing"), ix.flag("_future_wish")
    offer = q.region.sides.preventive
    # a need asking for cover against what may come (万一得了大病) wants the preventive offer —
    # but not a check when its own cancer is being treated (化疗) and it does not say its
    # person is well: its 免费查 is the notice it heard of (over dev and the diagnostic sets,
    # the screenings for cancer in such needs' top three were graded 0 in 9 of 10)
    treated, well = ix.flag("_cancer_treatment"), ix.flag("_well")
    if len(q.flags) == 1:       # one need: its flags decide (nothing happened: no work)
        f = q.flags[0]
        if not f[existing] or f[future] and (not f[treated] or f[well]):
            return 0.0
        base = _side(q, "preventive")
        if f[future]:            # a patient's wish: only the checks stay warned
            base = base & q.region.screening_title.take(q.column)
    else:
        wish = q.flags[:, future]
        checked = (wish & q.flags[:, treated] & ~q.flags[:, well]
                   & q.region.screening_title.take(q.column))
        base = q.flags[:, existing] & (~wish | checked) & offer.take(q.column)
    if not base.any():           # no pair warned: nothing to lift or to double
        return base
    c = q.region.check_up
    if c >= 0:
        # a need that names no illness and asks to be checked (做个检查, 检查一下) wants the
        # screening, whatever else has happened to it (a lump found, a relative's cancer)
        asks = (q.concepts[:, c] > ZERO_F32) & ~q.ill
        base = base & ~(asks & q.region.screening_title[q.column])
    prevents = q.region.prevents
    if prevents is None or not _some(q.ill):
        return base
    # twice when the title names the illness the need already has (两癌筛查 or 防癌险 for a
    # woman whose cervical cancer was diagnosed: in the top three 56 times over the diagnostic
    # sets, graded 0 each time) — unless the need asks to be screened (癌症筛查: its warning
    # signs, a relative's cancer and the wish to have a check)
    need = q.concepts.take(q.region.ill_cols, axis=1) > ZERO_F32
    own = np.logical_or.reduce(prevents[q.column] & need, axis=1)
    j = q.region.screening
    if j >= 0:
        own &= q.concepts[:, j] <= ZERO_F32
    return np.add(base, base & own, dtype=np.float32)


def _untimely(q: Pairs) -> np.ndarray | float:
    ix = q.index
    future, well = ix.flag("_future_wish"), ix.flag("_well")
    # one need that asks for nothing to come, or names an illness of its own and does not say
    # its person is well (the illnesses of a need that does are a relative's): no work
    if len(q.flags) == 1 and (not q.flags[0, future] or q.ill and not q.flags[0, well]):
        return 0.0
    # a cover to buy or join (投保, 参保, a mutual-aid fund) is what such a need asks for; a
    # programme that pays part of a patient's bill is not (``OfferSides.pays_patient``)
    return q.flags[:, future] & (~q.ill | q.flags[:, well]) \
        & q.region.sides.pays_patient.take(q.column)


def _bereaved(q: Pairs) -> np.ndarray | float:
    ix = q.index
    died, future = ix.flag("_died"), ix.flag("_future_wish")
    # one need that tells no death, names an illness of the living or asks for cover against
    # what may come (``_untimely`` warns the same programmes for it): no work
    if len(q.flags) == 1 and (not q.flags[0, died] or q.ill or q.flags[0, future]):
        return 0.0
    # the patient the bills were for has died (deceased.py takes the illnesses of a death
    # clause back) and no one living is ill: a programme that pays part of a patient's bill
    # has no patient left (graded 0 in 658 of 663 such pairs of the diagnostic sets; the
    # debts the treatment left are a basic-living matter)
    return _no_patient(q) & ~q.flags[:, future] & q.region.sides.pays_patient.take(q.column)


def _minor(q: Pairs) -> np.ndarray | float:
    j = q.region.serious
    if j < 0 or not _some(q.ill):
        return 0.0
    # the title names major illness (重特大疾病医疗救助; its terms light 重大疾病); the need names
    # an illness or an injury (骨折), and none under 重大疾病 (a named cancer lights it as its
    # parent)
    offer = q.region.serious_title[q.column]
    if q.ill.ndim == 0:          # one need, which names an illness (above)
        if q.concepts[0, j] > ZERO_F32:
            return 0.0
        return offer & ~_title_names_illness(q, offer)
    return offer & (q.concepts[:, j] <= ZERO_F32) & q.ill & ~_title_names_illness(q, offer)


def _title_names_illness(q: Pairs, offer: np.ndarray) -> np.ndarray:
    # a title that names a major illness beside the need's own (中风、骨折出院后康复 for a hip
    # broken in a fall) is no programme for major illness alone: its 骨折 is the need's (read
    # for the pairs whose title names major illness only: most have none)
    rows = np.flatnonzero(offer)
    if not rows.size:
        return offer
    ill = q.region.ill_cols
    title = q.region.title_concepts[np.ix_(q.column.take(rows), ill)] > ZERO_F32
    need = q.concepts[np.ix_(rows if len(q.concepts) > 1 else [0], ill)] > ZERO_F32
    named = np.zeros_like(offer)
    named[rows] = (title & need).any(axis=1)
    return named


def _merit(q: Pairs) -> np.ndarray | float:
    # good grades, unless the text says the pupil is not among the best (不在年级前列: its
    # 年级前 lit `_merit`; flag `_no_merit`)
    col, no = q.index.flag("_merit"), q.index.flag("_no_merit")
    if len(q.flags) == 1 and q.flags[0, col] and not q.flags[0, no]:
        return 0.0                               # one need that tells of good grades: no work
    if q.rec is not None:                        # one need's pairs: their records
        return q.rec["merit"]
    offer = q.region.sides.merit.take(q.column)
    return offer if len(q.flags) == 1 else offer & ~(q.flags[:, col] & ~q.flags[:, no])


def _enrolment(q: Pairs) -> np.ndarray | float:
    ix = q.index
    new, enrolled = ix.flag("_new_student"), ix.flag("_enrolled")
    final, later = ix.flag("_final_year"), ix.flag("_later_year")
    if len(q.flags) == 1 and not (q.flags[0, enrolled] or q.flags[0, final]):
        return 0.0           # one need, not a student: no work
    sides = q.region.sides
    # a pupil in the last year of high school (读高三) is the next year's new student; a
    # student past the first year (读大二) is no new student whatever the need recalls
    fresh = (sides.new_only.take(q.column) & q.flags[:, enrolled]
             & (~q.flags[:, new] | q.flags[:, later]) & ~q.flags[:, final])
    # ... and is not at university yet: aid for students already there (在读大学生助学,
    # 尚未入学的不受理) is not hers (graded 0 in 16 of the 17 such pairs of the labelled sets)
    return fresh | (sides.enrolled_only.take(q.column) & q.flags[:, final] & ~q.flags[:, later])


def _received(q: Pairs) -> np.ndarray | float:
    if q.received is None:       # no need of the block says it already receives anything
        return 0.0
    return (q.received & (q.offer_concepts > ZERO_F32)).any(axis=1)


def _shortfall(q: Pairs) -> np.ndarray | float:
    # one need without a large bill (a numpy scalar: its own ndim, a Python float compared)
    if q.bill.ndim == 0 and not float(q.bill) >= LARGE_BILL:
        return 0.0
    # the bill a death left (丈夫患肝癌去世，治病欠债十几万) is a debt: no medical programme
    # comes before cash for it (``_bereaved``)
    # the 低保 is paid every month for as long as the household is poor: its monthly sum
    # against a debt or a bill says nothing of falling short
    dibao = q.region.sides.dibao.take(q.column)
    return shortfall(q.bill, _offer_amount(q)) * ~_no_patient(q) * ~dibao


def _no_patient(q: Pairs) -> np.ndarray:
    """Per pair (or the one need's, shape (1,)): the need tells of a death (去世, 病故 …) and
    names no illness or injury of anyone living."""
    return q.flags[:, q.index.flag("_died")] & ~q.ill


_HEALTH = [CAT_INDEX[c] for c in ("medical", "rehabilitation", "psychological")]
_EDUCATION = CAT_INDEX["education"]
_DIBAO = GROUP_BIT["dibao"]
_DISABLED = GROUP_BIT["disabled"]
_BELOW_LINE = GROUP_BIT["dibao"] | GROUP_BIT["tekun"]
_LOW_INCOME = GROUP_BIT["low_income"]


class OfferSides(NamedTuple):
    """Per candidate of a region (``offer_sides``), the offer's side of the warnings that read
    its flags: computed once per region, so a need's call takes one bool per candidate
    instead of gathering the offers' flag rows (the match page ranks one need)."""

    preventive: np.ndarray    # ``prevention``: cover bought in advance for what may come
    pays_patient: np.ndarray  # ``untimely``, ``bereaved``: pays part of a patient's bill
    merit: np.ndarray         # ``merit``: rewards good grades
    new_only: np.ndarray      # ``enrolment``: for new students only
    enrolled_only: np.ndarray  # ``enrolment``: for students already at university
    women_only: np.ndarray    # ``sex``: for girls or women only
    men_only: np.ndarray      # ``sex``: for boys or men only
    parent: np.ndarray        # ``sex``: for single mothers or fathers (not a child's sex)
    dibao: np.ndarray         # ``held``: the 低保 programme itself
    edge: np.ndarray          # ``held``: for households just above the 低保 line
    tekun: np.ndarray         # ``kin``: the support of 特困人员 itself
    low_claim: np.ndarray     # ``held``: the recognition of 低收入 (低收入家庭认定)
    orphan: np.ndarray        # ``parented``: support for orphans and children no one raises
    kid_aid: np.ndarray       # ``parented``: the living allowance of children in difficulty
    work_aid: np.ndarray      # ``retired``: help into work or for it (社保补贴, 创业贷款)
    day_care: np.ndarray      # ``bedridden``: a day centre for the old


# Per candidate of a region, the values one need's features read one each (offer slot,
# covering depth, amount offered, the warnings' offer sides, the title's insured and answered
# bits), side by side in one record (``candidate_records``): one gather of a need's pairs
# brings them in a few cache lines, where a gather per array cost about a cache miss per pair
# each. The match page ranks one need; the region's tables are seldom in cache then, and on
# a small shared VM those misses, not the instructions, were most of the features' wall time.
CANDIDATE = np.dtype([("cand", np.int64), ("depth", np.int64), ("insured", np.int64),
                      ("answers", np.int64), ("amount", np.float32), ("merit", bool),
                      ("preventive", bool), ("dibao", bool), ("edge", bool), ("tekun", bool),
                      ("low_claim", bool),
                      ("orphan", bool), ("kid_aid", bool), ("work_aid", bool),
                      ("day_care", bool), ("ill_any", bool), ("ill_titled", bool)])


def candidate_records(region: RegionTables) -> np.ndarray:
    """``CANDIDATE`` records of a region's candidates (its tables built: sides, status_of,
    ill_any); a field whose status table is None (no candidate names any) is 0."""
    rec = np.zeros(len(region.cand), CANDIDATE)
    rec["cand"], rec["depth"] = region.cand, region.depth
    rec["amount"] = region.ix.amount[region.cand]
    for name in ("merit", "preventive", "dibao", "edge", "tekun", "low_claim", "orphan",
                 "kid_aid", "work_aid", "day_care"):
        rec[name] = getattr(region.sides, name)
    rec["ill_any"] = region.ill_any
    rec["ill_titled"] = region.ill_titled
    for name in ("insured", "answers"):
        if region.status_of[name] is not None:
            rec[name] = region.status_of[name]
    return rec


def _offer_amount(q: Pairs) -> np.ndarray:
    """The amount each pair's offer gives per beneficiary (NaN: unknown)."""
    return q.index.amount[q.offer] if q.rec is None else q.rec["amount"]


def offer_sides(ix: OfferIndex, slots: np.ndarray) -> OfferSides:
    """``OfferSides`` of the offers at ``slots``."""
    rows = ix.flags[slots]

    def flag(name: str) -> np.ndarray:
        return rows[:, ix.flag(name)]

    # a claim on a policy the household already holds (统一投保 by the government, 报案理赔)
    # is not something to buy in advance: it can meet what already happened — unless the
    # policy says it leaves out what the insured already had (既往症除外). Nor is joining
    # basic medical insurance, which covers an illness already there (资助参保)
    claim = flag("_claim") & ~flag("_excludes_existing")
    both = flag("_both_sexes")
    women = (flag("_women_only") | ix.is_women[slots]) & ~both
    men = (flag("_men_only") | ix.is_men[slots]) & ~both
    return OfferSides(
        # not a surgery whose title names the illness it treats (老年白内障免费复明手术), its
        # patients found by a screening (在县医院眼科筛查登记: 17 needs up, 5 down over dev and
        # the diagnostic sets in the thirty-sixth session, with ``illness_fund``); and a title
        # that is a check for named illnesses (两癌免费检查) whatever its text says
        preventive=((flag("_preventive") & ~ix.title_treats[slots])
                    | (ix.title_screening[slots] & ix.title_ill[slots].any(axis=1)))
        & ~claim & ~flag("_basic_medical"),
        # a cover to buy or join (投保, 参保, a mutual-aid fund) pays no bill of a patient's,
        # even one listed under insurance that the household holds without asking
        # (大病保险倾斜支付: graded 0 in all 15 such pairs of the diagnostic sets)
        pays_patient=flag("_pays_bills") & ~flag("_preventive") & ~flag("_mutual_aid"),
        merit=flag("_merit"),
        # an offer for new and enrolled students alike (新生和在校生) is not a new-student grant;
        # one whose only pupils in school are next year's freshmen (高三学生可先预登记) is
        new_only=flag("_new_student") & ~(flag("_enrolled") & ~flag("_final_year")),
        # aid whose title names university students in school (在读大学生助学, 在校大学生资助;
        # a 生源地贷款 whose text names 在校生 is for new students too)
        enrolled_only=ix.title_enrolled[slots],
        # 春蕾计划 女童助学, 农村妇女“两癌”筛查, a title for women (index ``is_women``), or for
        # men (只收父亲, 单亲父亲家庭服务) — unless the offer says it takes both (男女不限, 女童
        # 优先) or names both (单亲母亲、单亲父亲)
        women_only=women & ~men, men_only=men & ~women, parent=ix.is_parent[slots],
        dibao=ix.is_dibao[slots], edge=ix.is_edge[slots], tekun=ix.is_tekun[slots],
        low_claim=ix.is_low_claim[slots], orphan=ix.is_orphan[slots], kid_aid=ix.is_kid_aid[slots],
        work_aid=ix.is_work_aid[slots], day_care=ix.is_day_care[slots])


def offer_category_shares(catmask: np.ndarray) -> np.ndarray:
    """Each offer's categories (bool, offers x CATEGORIES) as shares summing to 1 (an offer
    without a category: 0): feature ``category_fit`` is the model's ``category_fit`` row of the
    need's category times these, a mean over the offer's categories."""
    n = catmask.sum(axis=1, keepdims=True)
    return (catmask / np.maximum(n, 1)).astype(np.float32)


def category_pairs(need_category: np.ndarray, catmask: np.ndarray) -> sp.csr_matrix:
    """Per pair (need category index, offer categories as ``catmask`` rows), the pair's
    ``category_fit`` feature as a linear function of the model's table: a sparse pairs x
    (CATEGORIES x CATEGORIES) matrix whose row holds the offer's shares in the need
    category's block (``MatchScorer.fit_pairs``)."""
    shares = sp.coo_matrix(offer_category_shares(catmask))
    k = len(CATEGORIES)
    return sp.csr_matrix((shares.data.astype(np.float64),
                          (shares.row, np.asarray(need_category)[shares.row] * k + shares.col)),
                         shape=(catmask.shape[0], k * k))


def title_names_illness(ix: OfferIndex, slots: np.ndarray) -> np.ndarray:
    """Whether each offer's title names an illness that is no category (“两癌”救助, 白血病患儿
    救助; not 重特大疾病医疗救助): features ``illness`` and ``healthy``."""
    return ix.title_ill[slots][:, ~ix.illness_category].any(axis=1)


def illness_fund(ix: OfferIndex, slots: np.ndarray) -> np.ndarray:
    """Whether each offer can be a fund for named illnesses (feature ``illness``)."""
    fund = ix.catmask[slots][:, _HEALTH].any(axis=1)
    # a category word in the text (…等重特大疾病) makes the programme one for the category,
    # unless its title names its illnesses and no category: “两癌”救助 whose text also takes
    # 因病致贫的重病妇女 is still for the two cancers
    named = title_names_illness(ix, slots) & ~ix.title_category[slots]
    fund &= ~ix.flags[slots, ix.flag("_illness_category")] | named
    # a screening or an insurance (投保, 筛查) is for people who do not have the illnesses it
    # names yet, not a fund for their patients (feature ``prevention`` warns it for those who
    # do): a diabetic wife who fears a stomach cancer is the cancer screening's
    # — unless its title names the illness it treats (白内障复明手术: a surgery for cataracts,
    # whose text says the patients are found by a screening)
    fund &= ~ix.flags[slots, ix.flag("_preventive")] | ix.title_treats[slots]
    # a programme that lists kinds of disability (听力、言语、肢体、智力残疾和孤独症儿童康复)
    # serves their causes too: a cleft palate left a speech disability. One kind named is a
    # symptom of the illnesses it is for (脑卒中后…遗留偏瘫或言语障碍)
    fund &= (ix.concepts[slots][:, ix.statuses.disability_cols] > 0).sum(axis=1) < 2
    return fund


def stage_aid(ix: OfferIndex, slots: np.ndarray) -> np.ndarray:
    """Whether each offer is for some school stages only (feature ``stage``): student aid,
    or a programme whose title names its stages (留守初中生周末成长营, 高校毕业生求职补贴)."""
    # education first: a basic-living programme that adds a word on students at one stage
    # (孤儿基本生活保障 …就读高校的孤儿另有助学资助) is not paid by school stage
    aid = (ix.cat0[slots] == _EDUCATION) & (ix.concepts[slots, ix.stages.aid_col] > 0)
    return aid | ix.title_stage[slots].any(axis=1)


class Implied(NamedTuple):
    """Which illness column a narrower one implies (胃癌 implies 恶性肿瘤 and 癌症肿瘤): as a
    (narrower, broader) float32 matrix for a batch's product, and per column the broader
    columns, for one need."""
    matrix: np.ndarray
    up: list[list[int]]


def implied_illnesses(ix: OfferIndex, cols: np.ndarray) -> Implied:
    """``Implied`` over the illness columns ``cols`` (``OfferIndex.ancestors``)."""
    pos = {int(c): j for j, c in enumerate(cols)}
    up = [sorted(pos[a] for a in ix.ancestors[int(c)] if a in pos) for c in cols]
    matrix = np.zeros((len(cols), len(cols)), np.float32)
    for j, broader in enumerate(up):
        matrix[j, broader] = 1.0
    return Implied(matrix, up)


def narrowest(lit: np.ndarray, implied: Implied) -> np.ndarray:
    """``lit`` (rows x illness columns) without the broad illnesses that a narrower one lit
    beside it implies (feature ``illness``)."""
    if len(lit) == 1:       # one need: its few columns in Python, no product
        on = lit[0].nonzero()[0].tolist()
        broad = {b for j in on for b in implied.up[j]}
        out = np.zeros(lit.shape, bool)          # (np.zeros_like adds a Python layer)
        out[0, [j for j in on if j not in broad]] = True
        return out
    return narrowest_of(lit, implied.matrix)


def narrowest_of(lit: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``narrowest`` by the product with ``Implied.matrix`` (or its rows and columns of some
    illness columns, as a region's tables keep them)."""
    return lit & ~((lit.astype(np.float32) @ matrix) > 0)


def _illness(q: Pairs) -> np.ndarray | float:
    if not _some(q.ill):
        return 0.0
    ill = q.region.ill_cols
    # only a medical, rehabilitation or psychological programme can be a fund for named
    # illnesses: emergency or basic-living aid names illnesses among the causes it meets
    # (因突发事件、意外伤害、重大疾病…导致生活困难), not as the people it is for
    # an offer that names a category medical assistance pays by (…等重特大疾病, 门诊慢特病) is for
    # the whole category: the illnesses it lists are examples (flag `_illness_category`);
    # per candidate in the region's tables (``illness_fund``). An offer is for its narrowest
    # illnesses (its terms light only themselves): a leukaemia fund whose text says 化疗
    # lights 癌症肿瘤 too, but a 乳腺癌 patient is not its (``RegionTables.ill_offer``)
    offer = q.region.ill_offer[q.column]
    # the need meets one when it names it or one broader (a need's terms light their
    # ancestors too) or when its narrowest illness is broader than the offer's (查癌症:
    # any cancer, also the 胃癌 a screening names; ``ill_down``). Every illness an offer names
    # is among the region's columns, so the overlap is exact; whether the need names one at
    # all is read from its whole vector (q.ill)
    need = (q.concepts.take(ill, axis=1) > ZERO_F32) | q.ill_down
    # the ufunc's reduce: what ndarray.any calls, without its Python layers
    met = np.logical_or.reduce(offer & need, axis=1)
    some = q.region.ill_any[q.column] if q.rec is None else q.rec["ill_any"]
    if q.ill.ndim == 0:          # one need, which names an illness (above)
        return some & ~met
    return some & q.ill & ~met


def _sex(q: Pairs) -> np.ndarray | float:
    if not _some(q.sex):
        return 0.0
    sides = q.region.sides
    out = (sides.women_only.take(q.column) & (q.sex > 0)) \
        | (sides.men_only.take(q.column) & (q.sex < 0))
    # a child's sex read from a relative's word (beneficiary.CHILD) is not the parent's a
    # programme for single mothers or fathers serves
    if q.sex.ndim == 0:          # one need: its sex in Python
        return out & ~sides.parent.take(q.column) if abs(int(q.sex)) == CHILD else out
    child = np.abs(q.sex) == CHILD
    return out & ~(sides.parent.take(q.column) & child) if child.any() else out


def _stage(q: Pairs) -> np.ndarray | float:
    need = q.stage
    if need is None:                 # no need of the block names a school stage
        return 0.0
    offer = q.index.stage[q.offer]
    # only student aid is paid by stage: a mentoring or basic-living programme whose text
    # (not its title) names 中小学生 among those it reaches is not closed to a 中专 student
    aid = q.region.stage_aid[q.column]       # per candidate in the region's tables
    return aid & offer.any(axis=1) & need.any(axis=-1) & ~(offer & need).any(axis=1)


def status_tables(ix: OfferIndex, slots: np.ndarray) -> dict[str, np.ndarray | None]:
    """Per candidate, the status, kind, accident, insured and answers columns its title
    names, by feature, as bits of an int64 (column j of the feature is bit j); None where no
    candidate of the region names any (the feature is 0 there, which the match page's
    one-need call then skips). Bits, not bool columns: a feature is then three or four
    numpy calls on a vector, not a dozen on a matrix (the match page ranks one need)."""
    rows = ix.status[slots]
    out = {}
    for name, cols in _STATUS_FEATURES:
        part = rows[:, cols]
        out[name] = (part @ _BITS[:part.shape[1]]) if part.any() else None
    return out


_STATUS_FEATURES = (("status", STATUS_COLS), ("kind", KIND_COLS), ("grade", GRADE_COLS),
                    ("accident", ACCIDENT_COLS),
                    ("insured", INSURED_COLS), ("answers", ANSWERS_COLS))
_BITS = np.int64(1) << np.arange(62, dtype=np.int64)


def row_bits(row: np.ndarray) -> int:
    """A bool row as one int (bit j: column j)."""
    return sum(1 << j for j in row.nonzero()[0].tolist())     # (most rows: no bit)


def _need_bits(q: Pairs, cols: slice) -> np.ndarray:
    """The need's columns of one feature as bits: one numpy integer for one need, else per
    pair."""
    if q.status is None:
        return _NO_BITS
    if q.status_bits is not None:
        return np.int64((q.status_bits >> cols.start) & ((1 << (cols.stop - cols.start)) - 1))
    part = q.status[..., cols]
    if len(part) == 1:
        return np.int64(row_bits(part[0]))
    return part @ _BITS[:part.shape[1]]


def _statuses(q: Pairs) -> tuple[np.ndarray, np.ndarray | int] | None:
    """The statuses each pair's offer title names and the need holds (bits), or None when no
    candidate's title names one (features ``status`` and ``holds``)."""
    table = q.region.status_of["status"]
    return None if table is None else (table[q.column], _need_bits(q, STATUS_COLS))


def _status(q: Pairs) -> np.ndarray | float:
    bits = _statuses(q)
    if bits is None:
        return 0.0
    offer, need = bits
    # a status the title names, none of which the need holds
    return (offer != _NO_BITS) & ((offer & need) == _NO_BITS)


def _holds(q: Pairs) -> np.ndarray | float:
    bits = _statuses(q)
    # a status the title names that the need holds too
    return 0.0 if bits is None else (bits[0] & bits[1] & _HOLDS_MASK) != _NO_BITS


def _lacks(q: Pairs, name: str, cols: slice) -> np.ndarray | float:
    """The offer's title names troubles it covers (what an insurance insures, what a
    programme answers) and the need lacks one of them."""
    table = q.region.status_of[name]
    if table is None:
        return 0.0
    offer = table[q.column] if q.rec is None else q.rec[name]
    if q.status is None:          # the need names none: it lacks whatever the title names
        return offer != _NO_BITS
    return (offer & ~_need_bits(q, cols)) != _NO_BITS


def _other_kind(q: Pairs, name: str, cols: slice) -> np.ndarray | float:
    """The offer's title names kinds (of disability, of accident) and the need names only
    other kinds of the same family."""
    table = q.region.status_of[name]
    if q.status is None or table is None:
        return 0.0
    need = _need_bits(q, cols)
    offer = table[q.column]
    return (offer != _NO_BITS) & (need != _NO_BITS) & ((offer & need) == _NO_BITS)


def _kind(q: Pairs) -> np.ndarray | float:
    kind = _other_kind(q, "kind", KIND_COLS)
    grade = _other_kind(q, "grade", GRADE_COLS)
    # (a float 0.0 where no candidate's title names a kind, or a grade)
    if isinstance(grade, float):
        return kind
    return grade if isinstance(kind, float) else kind | grade


def _side(q: Pairs, name: str) -> np.ndarray:
    """Each pair's offer's ``OfferSides`` field ``name``: from the one need's candidate records
    when it has them, else from the region's sides by the pairs' columns."""
    return getattr(q.region.sides, name).take(q.column) if q.rec is None else q.rec[name]


def _held(q: Pairs) -> np.ndarray | float:
    held = 0.0
    on = q.bits & _BELOW_LINE         # one need's bits are a Python int, a batch's an array
    if on if isinstance(on, int) else on.any():
        # the help of households just above the line is not for one on 低保 or 特困 (over dev
        # and the diagnostic sets graded 0 in 79 of the 80 such pairs)
        # nor is the 低保 itself for one on 特困, whose support already keeps it (graded 0 in
        # all 76 such pairs)
        held = (_side(q, "edge") | _side(q, "dibao")) & (on != _NO_BITS)
    on = q.bits & _LOW_INCOME
    if on if isinstance(on, int) else on.any():
        # the recognition of a status is nothing for a household that holds it (低收入家庭认定
        # for a 低收入 one; index ``is_low_claim``)
        claimed = _side(q, "low_claim") & (on != _NO_BITS)
        held = claimed if isinstance(held, float) else held | claimed
    return held


_TEKUN = GROUP_BIT["tekun"]


def _kin(q: Pairs) -> np.ndarray | float:
    ix = q.index
    child, spouse, none, gone, died = (ix.flag(f) for f in ("_kin", "_spouse", "_no_kin",
                                                             "_kin_died", "_died"))
    # one need that names no child and no living spouse and lives alone, says it has no kin,
    # or is 特困 already (its support is then no question): no work
    if len(q.flags) == 1:
        f = q.flags[0]
        named = (f[child] or f[spouse] and not f[died]) and not f[gone]
        if not (named or q.bits & SHARED) or f[none] or q.bits & _TEKUN:
            return 0.0
    # the support of 特困人员 is for people no one is bound to keep (无法定赡养、抚养、扶养义务人):
    # over dev and the 126 diagnostic sets it was graded 0 in 253 of the 258 admissible pairs
    # where a need names a child or a spouse (a widow's sons are bound to keep her: 丈夫病故，
    # 两个儿子推诿赡养) and says none died; over dev and 135 diagnostic sets, in 243 of 247 more
    # where the household has two members or more and names neither (a couple, a grandmother
    # and her grandson: a household's poverty is 低保's)
    named = (q.flags[:, child] | (q.flags[:, spouse] & ~q.flags[:, died])) & ~q.flags[:, gone]
    kin = named | ((q.bits & SHARED) != 0)
    return _side(q, "tekun") & kin & ~q.flags[:, none] & ((q.bits & _TEKUN) == 0)


def _parented(q: Pairs) -> np.ndarray | float:
    ix = q.index
    parents, gone = ix.flag("_parents"), ix.flag("_parents_gone")
    # one need that names no parent, or a parent's death, prison, loss …: no work
    if len(q.flags) == 1 and (not q.flags[0, parents] or q.flags[0, gone]):
        return 0.0
    # support for orphans and children no one raises is for children whose parents are dead,
    # in prison, lost or unable; a child whose parents are named and none of that (父母在外
    # 打工: left behind, not unsupported) has them (over dev and the 126 diagnostic sets all
    # 103 admissible pairs where this fires were graded 0)
    raised = q.flags[:, parents] & ~q.flags[:, gone]
    out = _side(q, "orphan") & raised
    # so is the living allowance of children in difficulty, which also takes a child who is
    # itself, or whose parent is, severely ill or disabled: over dev and the diagnostic sets,
    # 240 of the 256 admissible pairs whose need names parents and none gone were graded 0,
    # none 3, and the 16 graded 1–2 name an illness or a disability
    kid = _side(q, "kid_aid")
    if kid.any():
        well = ~q.ill if q.ill is not None else True
        out = out | (kid & raised & well & ((q.bits & _DISABLED) == _NO_BITS))
    return out


# the age past which help into work is no help (the statutory retirement age of men; the
# women's, 50 or 55, is left alone: a 55-year-old woman still looks for work)
RETIRED_AGE = np.float32(60)


def _healthy(q: Pairs) -> np.ndarray | float:
    troubled = q.troubled
    # one need (or one pair) that names an illness, an injury, a disability …: no work; a
    # block whose every need does alike
    if troubled is None or (troubled[0] if len(troubled) == 1 else troubled.all()):
        return 0.0
    # a fund for the illnesses its title names (白血病患儿救助, 先心病手术资助) is for their
    # patients: over dev and the diagnostic sets, for needs that name no illness, injury,
    # disability or medical bill such programmes ranked in the top three, graded 0
    titled = q.region.ill_titled[q.column] if q.rec is None else q.rec["ill_titled"]
    return titled if len(troubled) == 1 else titled & ~troubled


def _bedridden(q: Pairs) -> np.ndarray | float:
    bed = q.bedridden
    if bed is None:
        return 0.0
    # a day centre (日间照料中心) takes the old who can come in the morning and go home at night:
    # over dev and the diagnostic sets, for a bedridden beneficiary of 60 or more, such centres
    # were graded 0 whenever they stood in the top three
    if len(bed) == 1:            # one need (or one pair): its values in Python
        return _side(q, "day_care") if bed[0] and q.age[0] >= RETIRED_AGE else 0.0
    if not bed.any():
        return 0.0               # no need of the block names someone bedridden
    return _side(q, "day_care") & bed & (q.age >= RETIRED_AGE)


def _retired(q: Pairs) -> np.ndarray | float:
    age = q.age
    if age is None:
        return 0.0
    if len(age) == 1:            # one need (or one pair): its age in Python (NaN: unknown)
        return _side(q, "work_aid") if age[0] >= RETIRED_AGE else 0.0
    if not (age >= RETIRED_AGE).any():
        return 0.0      # no beneficiary of the block is 60 or older (or none's age is known)
    # help into work or for it — the social-insurance subsidy of flexible work, employment
    # assistance for people hard to place, a business loan — is for people of working age:
    # over dev and the diagnostic sets such programmes were graded 0 in all but one of the
    # pairs where the beneficiary was 60 or older and ranked in the top three 20 times
    return _side(q, "work_aid") & (age >= RETIRED_AGE)


def _aged(q: Pairs) -> np.ndarray | float:
    age = q.age
    if age is None or not q.index.any_text_ages:
        return 0.0
    if len(age) == 1 and age[0] != age[0]:
        return 0.0               # one need whose age is unknown (NaN)
    # the ages the programme's own text says it serves (age_window.py: 年龄35周岁至64周岁,
    # 服务对象：10至18周岁; a title for old people alone, 50 and over; student aid that says
    # none, 24 and under: index.py): a beneficiary outside them is not its person (NaN compares
    # False: no span, no warning)
    span = q.index.text_ages.take(q.offer, axis=0)
    return (age < span[:, 0]) | (age > span[:, 1])


PAIR_FEATURES: tuple[Feature, ...] = (
    Feature("text", lambda q: q.text,
            "cosine of character bigram TF-IDF (title counted twice for needs)"),
    Feature("concept", lambda q: _dot(q.concepts * q.region.cscale, q.offer_concepts),
            "cosine of domain-concept vectors (synonyms and colloquial wording), each concept's "
            "share times the model's factor for it (1 unless fitted)"),
    Feature("category", lambda q: _by_category(q.region.cataff, q),
            "affinity of the need's category to the best of the offer's categories"),
    Feature("urgency", _urgency,
            "(urgency - 1) / 2  x  fast help (emergency category 1, other cash 0.5)"),
    Feature("locality", lambda q: q.region.local[q.column],
            "specificity of the covering path: township 1, county 0.5, city 0"),
    Feature("amount", lambda q: 0.0 if q.bill.ndim == 0 and not q.bill > ZERO_F32
            else amount_fit(q.bill, _offer_amount(q)),
            "sqrt(min(1, offered / needed)) - 0.5 where both amounts are known (needed: the "
            "amount asked for, else a large bill the text names, as for shortfall)"),
    Feature("targeted", lambda q: q.index.targeted[q.offer],
            "the offer is restricted to groups the household holds (a targeted programme)"),
    Feature("provider", lambda q: q.index.prov[q.offer],
            "smoothed delivery rate of the provider minus the prior (history optional)"),
    Feature("title", lambda q: _dot(q.title_concepts, q.offer_concepts),
            "cosine of the need title's concepts with the offer's concepts (the summary)"),
    Feature("specific", _specific,
            "the most specific shared concept (its idf over offers, scaled to 0..1)"),
    Feature("prevention", _prevention,
            "1 when the need describes something that already happened (确诊, 骨折 …) and "
            "the offer is preventive (投保, 筛查, 次日起生效 …): insurance or screening "
            "cannot meet it; not for a surgery whose title names the illness it treats "
            "(白内障复明手术, its patients found by a screening), nor for a claim on a "
            "policy already held (统一投保, 报案理赔), "
            "nor when the need asks for cover against what may come (万一得了大病, 查一查), "
            "nor for a screening when the need names no illness and asks to be checked; 2 "
            "when the title of a screening or a cover names the illness the need has"),
    Feature("merit", _merit,
            "1 when the offer rewards merit (奖学金, 品学兼优, 成绩优异 …) and the need says "
            "nothing of good grades: need-based help comes first"),
    Feature("enrolment", _enrolment,
            "1 when the offer is for new students only (新生入学资助, 当年考取, 入学路费 …) and "
            "the need is a student already enrolled (在读, 读高二, 大三学生, 下学期 …) who "
            "says nothing of starting school and is not in the last year of high school "
            "(读高三, 今年高考: next year's new student)"),
    Feature("shortfall", _shortfall,
            "1 when the need's bill is large (>= LARGE_BILL: 住院费用三十万) and the offer's "
            "sum is a small part of it (< SMALL_SHARE): a catastrophic bill needs the medical "
            "assistance and major-illness programmes before small one-off cash (not the "
            "低保, paid every month)"),
    Feature("received", _received,
            "1 when the offer names a programme the need says the family already receives "
            "(已办理生源地助学贷款, 已领取失业保险金; received.py): other help comes first"),
    Feature("illness", _illness,
            "1 when the offer is for named illnesses (白血病, 肾移植术后, 孤独症 …) and the "
            "need names an illness that is none of them nor under them (a cervical-cancer "
            "patient and a kidney-transplant fund): a disease fund serves its disease. Only "
            "medical, rehabilitation and psychological programmes that name no whole category "
            "(重特大疾病, 门诊慢特病) are such funds. An offer is for the narrowest illnesses "
            "its text names and those its title names (a leukaemia fund whose text says 化疗 is "
            "not for every cancer; a 癌症 screening that lists 肺癌 is); a need that names only "
            "a broad illness (查癌症) meets any narrower one"),
    Feature("sex", _sex,
            "1 when the offer is for girls or women only (春蕾计划 女童, 农村妇女“两癌”) and the "
            "need's text records its beneficiary as male (陈某，男，15岁; 15岁的儿子; "
            "beneficiary.py), or for boys or men only (只收父亲, 单亲父亲家庭服务) and the "
            "need's as female (女，38岁): the hard rules cannot see sex, the need format has "
            "no field"),
    Feature("stage", _stage,
            "1 when the offer is student aid for some school stages (中职免学费, 普通高中助学金, "
            "学前教育资助 …) or a programme whose title names its stages (留守初中生周末成长营) "
            "and the need names only other stages (读高二, 中专生, 上幼儿园; stages.py)"),
    Feature("status", _status,
            "1 when the offer's title names a status it is for (退役军人, 刑满释放人员, "
            "计划生育特殊家庭, 受暴妇女 …; status.py) and the need names none of them: the spec "
            "has no group code for these, so every hard rule passes them for anyone"),
    Feature("held", _held,
            "1 when the offer is the 低保 programme itself (its title names 最低生活保障) and "
            "the household is already on 低保 (group dibao): what it has is no referral; or "
            "when the offer is for households just above the line (低保边缘家庭生活补助, 低收入"
            "家庭认定) and the household is on 低保 or 特困; or the 低保 itself for a 特困 "
            "household; or the recognition of 低收入 (低收入家庭认定) for a household that "
            "holds it"),
    Feature("kind", _kind,
            "1 when the offer's title names kinds of disability it is for (盲人按摩培训, "
            "助听器验配 …; status.py) and the need names only other kinds: the group code "
            "disabled passes every disabled person; or the grades it is for (重度残疾人护理补贴: "
            "一、二级) and the need names only others (肢体残疾三级)"),
    Feature("accident", lambda q: _other_kind(q, "accident", ACCIDENT_COLS),
            "1 when the offer's title names kinds of accident it is for (道路交通事故社会救助基金, "
            "火灾, 防溺水 …; status.py) and the need names only other kinds (落水, 工地摔伤): a "
            "fund for one kind of 意外事故 is no fund for another"),
    Feature("insured", lambda q: _lacks(q, "insured", INSURED_COLS),
            "1 when the offer is an insurance whose title says what it insures (农房保险: a "
            "house; 大病保险, 医保, 重疾险: illness and its bills; 长护险: long-term care; "
            "农业保险: crops and livestock; status.py) and the need names no such trouble (a "
            "house insurance: no damaged house, or no disaster or fire that damaged it)"),
    Feature("answers", lambda q: _lacks(q, "answers", ANSWERS_COLS),
            "1 when the offer's title says the one trouble it answers — relief for people a "
            "disaster struck (受灾群众生活救助, 救灾物资), a channel for unpaid wages (农民工讨薪"
            "绿色通道), the 低保 taper for a household whose income rose above the line (低保渐退"
            "帮扶), the road-accident fund for a hit-and-run or an uninsured vehicle (道路交通"
            "事故社会救助基金), a business loan (创业担保贷款), free medicine for severe mental "
            "disorders, house repair (危房改造), medical costs (医疗救助, 住院), a medical-"
            "insurance premium (医保个人缴费资助), the work-injury insurance's benefits "
            "(工亡待遇), the aid for crime victims (刑事被害人司法救助), a prosthesis fitting "
            "(假肢装配: a lost limb or an orthosis, not a stroke) — and the need does not "
            "have it (status.py)"),
    # two kinds of evidence found by leaving one diagnostic set out (default_model.json):
    # graders put the statutory programme and the programme named for the need's trouble
    # above the charity and the programme that mentions the trouble in its description
    Feature("government", lambda q: q.index.gov[q.offer],
            "1 when the offer is a government body's (民政、医保、教育、人社 …): what a "
            "household is entitled to comes first (应保尽保, 应享未享), charity beside it"),
    Feature("named", lambda q: _dot(q.concepts, q.region.title_concepts.take(q.column, axis=0)),
            "cosine of the need's concepts with the offer title's (the programme's name says "
            "the need's trouble: 助餐 for a meal problem, not a list that mentions it)"),
    Feature("holds", _holds,
            "1 when the offer's title names a status it is for (as ``status``) and the need "
            "holds it: the programme for released prisoners for a man just out of prison "
            "(not the employee's status, which anyone at work holds)"),
    Feature("minor", _minor,
            "1 when the offer's title names major illness (重特大疾病医疗救助, 大病救助) and the "
            "need names an illness or an injury that is none of them (高血压, 骨折, 摔伤): "
            "graders gave such programmes 0 for most of these needs (fitted, not set by hand)"),
    Feature("untimely", _untimely,
            "1 when the need asks for cover against what may come or for a check (万一得了大病, "
            "怕查出来, 身体尚好) and names no illness of its own, and the offer pays part of a "
            "patient's bill (住院费用, 自付部分 …): nothing to pay yet. Not for a cover to buy or "
            "join (投保, 参保, a mutual-aid fund), which is what such a need asks for"),
    Feature("bereaved", _bereaved,
            "1 when the need tells of a death (丈夫患肝癌去世, 病故) and names no illness of "
            "anyone living, and the offer pays part of a patient's bill (住院费用, 自付部分 "
            "…): the patient has died; the debts the treatment left are a basic-living matter. "
            "Not for a cover to buy or join, nor for a need asking for cover against what may "
            "come (``untimely`` warns it)"),
    Feature("kin", _kin,
            "1 when the offer is the support of 特困人员 itself (特困人员救助供养, 五保; a title "
            "that lists 低保 beside 特困 is another programme) and the need, not 特困, names a "
            "child (儿子, 女儿 …) or a spouse and no death, or is a household of two or more, "
            "and does not say it has none (无子女, 终身未婚, 儿子早亡): someone is bound to keep "
            "the household, or it is a household's poverty (低保)"),
    Feature("parented", _parented,
            "1 when the offer supports orphans or children no one raises (孤儿, 事实无人抚养儿童) "
            "and the need names a parent (爸爸, 父母 …) and no death, prison, loss or inability "
            "of one (去世, 服刑, 失联, 重残 …): the child has parents raising it; or when the "
            "offer is the living allowance of children in difficulty (困境儿童基本生活保障) and "
            "the need, which names no illness and no disabled member, names a parent likewise"),
    Feature("healthy", _healthy,
            "1 when the offer is a fund for illnesses its title names (白血病患儿救助, 先心病"
            "手术资助, “两癌”救助; as for ``illness``) and the need names no illness, injury, "
            "disability or medical bill at all (an accident, a death or a check-up alone is "
            "none: a son killed on the road): a disease fund serves its patients"),
    Feature("bedridden", _bedridden,
            "1 when the offer is a day centre for the old (日间照料中心, its title) or another "
            "service one must go to (助餐点, 托老, 阳光工场, 白天托管; not one whose title "
            "takes the bedridden or severely disabled: 失能老人日间照料, 上门, 托养) and the "
            "beneficiary, 60 or older, is bedridden (瘫痪在床, 长期卧床)"),
    Feature("retired", _retired,
            "1 when the offer helps into work or pays for it (灵活就业社保补贴, 就业援助, 托底"
            "安置, 创业贷款: its title) and the beneficiary is 60 or older: past the age of "
            "work"),
    Feature("aged", _aged,
            "1 when the offer's own text says the ages it serves (年龄35周岁至64周岁, 服务对象："
            "10至18周岁; a title for old people alone, 老年人心理关爱热线: 50 and over; "
            "age_window.py; student aid that says none: 24 and under) and the beneficiary's "
            "age lies outside them"),
    Feature("elsewhere", lambda q: q.region.elsewhere[q.column],
            "1 when the offer's own text confines it to named towns or streets (只在磨头镇、"
            "搬经镇设点, 目前只开通金沙、兴东、先锋三街道) or districts (服务地点仅限崇川区; "
            "places.py) and the need's is not among them: its coverage, the whole county or "
            "city, passes every one"),
    # found by leaving one diagnostic set out (default_model.json): beside the hand-set
    # affinity (``category``), how graders rank a category's programmes for a need filed
    # under another, learned from graded pairs
    Feature("category_fit", lambda q: 0.0 if q.region.catfit is None
            else _by_category(q.region.catfit, q),
            "the model's learned affinity of the need's category to the offer's categories "
            "(``category_fit``: one value per need category and offer category, fitted on "
            "graded pairs, 0 for the need's own category and MatchScorer.CATEGORY_FLOOR (-2) "
            "to 0 for the others: how much less graders thought of another category's "
            "programmes than the hand-set affinity says; the mean over the offer's categories, "
            "so listing more of them neither gains nor loses); 0 for a model without one"),
)
FEATURES: tuple[str, ...] = tuple(f.name for f in PAIR_FEATURES)
COL = namedtuple("Columns", FEATURES)(*range(len(FEATURES)))   # COL.text == 0 …

PROVIDER_PRIOR = 0.7      # delivery rate assumed for a provider without history
PROVIDER_STRENGTH = 4.0   # pseudo-referrals of that prior


def default_affinity() -> np.ndarray:
    """The packaged category affinity matrix (need category x offer category)."""
    raw = json.loads(
        resources.files("matching").joinpath("data/category_affinity.json").read_text("utf-8"))
    return affinity_from_mapping(raw)


def affinity_from_mapping(raw: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Matrix from ``{need_cat: {offer_cat: value}}``; the diagonal is 1."""
    a = np.eye(len(CATEGORIES), dtype=np.float32)
    for nc, row in raw.items():
        if nc.startswith("_"):
            continue
        for oc, v in row.items():
            a[CAT_INDEX[nc], CAT_INDEX[oc]] = float(v)
    return a


# Words of an official name that read as something else, left out before encoding (texts
# and titles alike):
# - 大学 in the name of an institution a university runs (南通大学附属医院, 苏州大学附属儿童医院,
#   南京大学附属中学): where a patient is treated or a pupil studies, not a student at
#   university (the hospitals are named in many case texts);
# - 抢救性 in 抢救性康复, the national programme of early rehabilitation for disabled children
#   under 7 (0—6岁残疾儿童抢救性康复救助): no emergency, yet its 抢救 fired 重大疾病, and the
#   programme was warned "not for a major illness" for the autistic child it is for
_AFFILIATED = re.compile("大学(?=(?:第[一二三四五六七八九十]+)?附属|附院)")
# - 高职 in 五年制高职前三年: those first three years are 中职 (a 中职 fee waiver lists them), and
#   the 高职 in its name made a 中职 programme one for a 高职 student in his second year.
_FIVE_YEAR = re.compile("高职(?=前三年|前3年|的?前三个?学年)")
# - 职高 in 高职高专 (本科、高职高专都算): a college student's programme, not one for a
#   vocational high school's pupil, yet the 职高 inside it fired 中职 and 高中
# - 高中 in 职业高中 (a 中职 grant's list: 中等职业学校（职业高中、技工学校…）): a vocational
#   school, yet its 高中 fired 普通高中, and the 中职 grant was not warned for a 高二 pupil of
#   a 普通高中; read as its short name 职高
# - 吃住 in 包吃住 (招工：包吃住, 培训包吃住; a job's board): no support of the destitute, yet
#   吃住 fired 特困供养 and warned a factory's job off a man with a wife (a home's board is
#   told with 集中供养 or 敬老院 beside it, which fire it)
# - 轻生 in 轻生活 (找个轻生活: light work), 减轻生活负担: no thought of suicide, yet 轻生 fired
#   情绪困扰 and a man asking for a light job was sent to crisis counselling
_LIGHT_WORK = "轻生活"
# - 能自理 (able to look after oneself: 生活基本能自理, 入住须能自理): a term fires where its
#   n-grams are all in the text, so 能自理 with any 不能 elsewhere (能不能, 不能干重活) read as
#   不能自理, the disability it denies, in a need's text and a programme's alike; written 可自理
#   it is no n-gram of it
_CAN_MANAGE = re.compile("(?<![不难未没])能自理")
# Disability kinds listed before one shared 残疾 (智力、精神残疾人 / 视力和听力残疾): each kind
# is its own term (智力残疾), and only the last one of the list was read — a programme for
# 智力、精神残疾人 was warned "for another kind of disability" for an intellectually disabled son.
_KIND = "(?:视力|听力|言语|肢体|智力|精神)"
_KIND_LIST = re.compile(f"{_KIND}(?=(?:[、和与及/]{_KIND})*[、和与及/]{_KIND}残)")


def plain_names(text: str) -> str:
    """``text`` without the words of official names that read as something else (above)."""
    if "大学" in text:
        text = _AFFILIATED.sub("", text)
    if "高职" in text:
        text = _FIVE_YEAR.sub("中职", text)
    if "残" in text:
        text = _KIND_LIST.sub(lambda m: m.group() + "残疾", text)
    if "职业高中" in text:
        text = text.replace("职业高中", "职高")
    if "高职高专" in text:
        text = text.replace("高职高专", "高职、高专")
    if "包吃" in text:
        text = text.replace("包吃住", "包食宿").replace("包吃包住", "包食宿")
    if _LIGHT_WORK in text:
        text = text.replace(_LIGHT_WORK, "轻 生活")
    if "能自理" in text:
        text = _CAN_MANAGE.sub("可自理", text)
    return text.replace("抢救性康复", "康复") if "抢救性" in text else text


# A school year written bare after an age, a colon, in a list or opening a sentence or the
# title (男，16岁，高一。 / 两个孩子（高一、初一） / 班主任反映：高二（5）班女生 / 高二女生读书难):
# 高一 alone is no term, it is in 提高一点 and
# 高一些, nor 三年级 (its bigrams are in 还有三年多…年级前五十名); with 读 before it, it is
# (读高一, 读大一, 读三年级). 初一 … 初三 are terms of their own.
# (the mark before the year is matched, not looked behind: a pattern that starts with a
# character set is searched fast, one with a lookbehind is tried at every position)
_BARE_YEAR = re.compile(r"[岁，,、（(：:。；;\n ](?=(?:高[一二三]|大[一二三四]|[一二三四五六]年级)"
                        r"(?:[，,。、；;）)（(\s]|$|[男女学]生|班))")
# and a school year before 男生/女生/学生/班, a child or 了 after any word (严某是高二女生, 沈同学
# 高二学生, 高二男孩, 浩浩成绩那么好，高二了): 提高二成 has none after it (only 高/大 years:
# 一…六年级 after any word cost twice as much to find)
_YEAR_PUPIL = re.compile("(?:高[一二三]|大[一二三四])(?=[男女学]生|班|[男女]孩|孩子|了)")
# and a senior-high year right after its school's name (某中学高三, 县中高二, 一中高一)
_YEAR_SCHOOL = re.compile("(?<=[中校学])高[一二三]")
# the school years all three expressions read: none of them is tried on a text without one
_YEAR_HINT = re.compile("高[一二三]|大[一二三四]|[一二三四五六]年级")
# a school year before its class's number (南通一中高一（6）班, 三年级2班): the pupil's, after any
# word; looked for only where the text holds 班
_YEAR_CLASS = re.compile("(?:高[一二三]|大[一二三四]|[一二三四五六]年级)"
                         "(?=[（(]?[0-9０-９]{1,2}[）)]?班)")


def _read_year(m: re.Match) -> str:
    at = m.start()
    return m.group() if at and m.string[at - 1] in "读上念" else "读" + m.group()


# 已 written as its look-alike 己 (or 巳), the slip hands and OCR make most often in a
# caseworker's scanned or handwritten record (己经, 学校己为其免除学费, 化疗己做4次): read as 已,
# or the detector of what the family already has (received.py) misses it. 己 stays where it is
# itself (自己, 知己, 利己, 异己, 舍己, 克己, 一己); 自已 is 自己.
_SLIP_YI = re.compile("(?<![自知利异舍克一])[己巳](?=经|为|[领办享纳参获拿发做在有给免报批])")


def mended(text: str) -> str:
    """``text`` with 已 for the look-alikes written in its place (above)."""
    if "自已" in text:
        text = text.replace("自已", "自己")
    return _SLIP_YI.sub("已", text) if "己" in text or "巳" in text else text


# An illness or a house's damage said to be absent, or a fire that is only a hazard
# (自述健康，无慢性病 / 医生说不是精神病 / 房屋主体尚好，无开裂 / 有火灾隐患): a form's words
# that fired what they deny — the need was read as a patient's (no wish for cover) or its
# sound house as unsafe or burnt. Not before a programme's word (没有大病保险); nor 不漏风,
# which is a wish (冬天不漏风).
_DENIED = re.compile("(?:无|没有|没得|么得|呒没|没)(?:任何|什么)?"
                     "(?:慢性病|慢病|基础病|重大疾病|大病|重病)(?![保险救医补报])"
                     # a doctor's word that the grief is no mental illness (医生说不是精神病;
                     # in Nantong speech 他没得什么精神病)
                     "|(?:不是|没有|没得|么得|呒没|没|无|并非)(?:什么)?(?:精神病|精神疾病|精神障碍)"
                     "|(?:无|没有|未见|未发现)(?:明显)?(?:开裂|裂缝|裂纹|倾斜|漏雨|漏水|渗漏)"
                     "(?:[、和及]?(?:开裂|裂缝|裂纹|倾斜|漏雨|漏水|渗漏))*"
                     # a fire hazard is no fire (灶后堆满秸秆，有火灾隐患)
                     "|火灾(?=隐患|风险)")
# every match of _DENIED holds one of these words of denial (无, 没有, 么得, 呒没, 未见, 不是, 并非)
# or 火灾: one scan for them (a set of first characters, which re scans for fast) before the
# expression, which is tried at every place
_DENIED_LEAD = re.compile("无|没|么|呒|未|不是|并非|火灾")
# nor is a fire feared (电热毯坏了不敢用，怕着火 / 老花线，村里担心失火); looked for only where the
# text holds 火 (in _DENIED, its words of fear made every text's search a third dearer)
_FIRE_FEARED = re.compile("(?:怕|担心|害怕|以防)(?:着火|失火|起火)")
# what is owed is no wage when the text says what it is (前夫拖欠抚养费, 拖欠孩子的抚养费, 肇事方
# 拖欠赔偿): 拖欠 alone is a word of unpaid wages (concept wages), so it is read as 欠付, which
# names no wages
_OWED_OTHER = re.compile("拖欠(?=[孩子女儿的了我们他她家]{0,3}"
                         "(?:抚养费|赡养费|生活费|房租|租金|借款|货款|赔偿|医药费|学费))")


# dialysis said not to be done (肾功能尚可，未透析; 姐姐没有透析): no kidney failure's treatment;
# a question (有没有透析补助) or a cost (没有透析的钱) is none of that
_NO_DIALYSIS = re.compile("(?<!有)(?:没有|没|未|不用|不需要|还没有?|暂不需要?|暂时不用)"
                          "(?:做|进行)?透析(?![的费钱补])")


# A trade union the worker is not in (厂里没工会, 也么参加过工会, 不是会员): no member of one; read,
# its 工会 made him one, and the union's hardship fund ranked first for a worker it does not take
_NO_UNION = re.compile("(?:没有?|么得?|无|未|不是)(?:参加|加入|入|建)?过?(?:工会(?:会员)?|会员)"
                       "|(?:没|未|没有)入(?:过)?会")


# A form's option left unticked (致贫原因：□因病 □因残 ☑其他：失业 / 类别：□低保 □低收入): the
# household did not say it; read, its 低保 and 因病 made a family with no help a 低保 household
# and a jobless mother a patient. The option's word up to the next mark or separator goes.
_UNTICKED = re.compile("□[ \u3000]*[^\\s□☑☒■√✓✔，,。；;|｜、（(：:]+")


# What a need compares itself with (技校是不是跟读高中一样也有补助 / 像三岁的小孩一样): not the
# household's own situation; its 读高中 made a 技校 pupil a senior-high one.
_LIKE = re.compile("[跟像和同][^，,。；;：:、！!？?\\s]{1,8}?(?:一样|那样|似的)")


# A school stage named as a time that is over (黄某高中时领过助学金 / 初中的时候学校会给 / 我刚上
# 大学那会儿): the stage the person was at, not the one they are at; read, 高中时 made a 大一
# student a senior-high pupil (the 普通高中 grant ranked first). Not after 和/等/到 (现在和上
# 大学时: a time to come).
# (the lookbehind also holds 读/上/念: the match may start after one). Looked for only where
# _PAST_HINT finds the stage and the time (and that only in a text with 时, 那会 or 那几年, a
# cheaper test than the search): an expression that starts with a word is searched fast, one
# that starts with a lookbehind is tried at every position of every text.
_PAST_STAGE = re.compile("(?<![和等到读上念])(?:读|上|念)?"
                         "(?:高中|初中|小学|中专|技校|职高|大学|幼儿园)的?(?:时候|时|那会儿?|那几年)")
_PAST_HINT = re.compile("(?:高中|初中|小学|中专|技校|职高|大学|幼儿园)的?(?:时|那会|那几年)")


# A stage not reached (中考没考上高中，现在读技校 / 不曾考上高中), or given up (不考高中了想去读
# 技校): no stage of the pupil's; read,
# 高中 made a 技校 pupil a senior-high one. Not 有没有上大学 (a question). Looked for only where
# the text names one of the stages.
_NOT_REACHED = re.compile("(?<!有)(?:(?:没有?|不曾|未|没能|考不)(?:（没有）)?"
                          "(?:考上|考取|考进|上|读)?|不(?:想|打算|准备|愿意|再)?(?:考|读|上))"
                          "了?(?:普通高中|普高|高中|大学|本科)")


def need_text(n: Need) -> str:
    """Text of a need as encoded (the title counts twice: it is the caseworker's summary)."""
    # (the leading 。 lets the title's first words be read as a sentence's, and is dropped; a
    # function adds 读, not the template r"\g<0>读", which re looks up in Python on every call)
    text = mended(f"。{n.title}。{n.title}。{n.description}")
    if "□" in text:
        text = _UNTICKED.sub("", text)
    if "一样" in text or "那样" in text or "似的" in text:
        text = _LIKE.sub("", text)
    if ("时" in text or "那会" in text or "那几年" in text) and _PAST_HINT.search(text):
        text = _PAST_STAGE.sub("以前", text)
    if "高中" in text or "大学" in text or "普高" in text or "本科" in text:
        text = _NOT_REACHED.sub("落榜", text)
    if "火" in text:
        text = _FIRE_FEARED.sub("", text)
    if "拖欠" in text:
        text = _OWED_OTHER.sub("欠付", text)
    if "透析" in text:
        text = _NO_DIALYSIS.sub("", text)
    if "工会" in text or "会员" in text or "入会" in text or "入过会" in text:
        text = _NO_UNION.sub("", text)
    # each branch of _DENIED holds one of these (病 of an illness, 裂/斜/漏 of damage, 火灾): the
    # expression starts with common words and is tried at every place, so only where one is
    if ("病" in text or "裂" in text or "斜" in text or "漏" in text or "火灾" in text) \
            and _DENIED_LEAD.search(text):
        text = _DENIED.sub("", text)
    text = plain_names(text)
    # (each year holds 高, 大 or 年级: _YEAR_HINT, whose third branch starts with a set, is
    # tried at every place, and most texts have none of the three)
    if ("高" in text or "大" in text or "年级" in text) and _YEAR_HINT.search(text):
        text = _BARE_YEAR.sub(lambda m: m.group() + "读", text)
        if "班" in text:
            text = _YEAR_CLASS.sub(_read_year, text)
        text = _YEAR_PUPIL.sub(_read_year, text)
        if "中高" in text or "校高" in text or "学高" in text:
            text = _YEAR_SCHOOL.sub(_read_year, text)
    return text[1:]


def offer_text(o: Offer) -> str:
    """Text of an offer as encoded."""
    return plain_names(f"{o.title}。{o.description}")


def fast_help(o: Offer) -> float:
    """How fast the help comes: emergency funds 1, other cash 0.5, else 0. An emergency
    service or volunteer team (搜救, 应急转移) is no fund: it answers its own kind of event, which
    its words say, and took the urgent needs' bonus from the funds (a rescue team ranked above
    临时救助 for a family poisoned by gas)."""
    if o.mode in ("service", "volunteer"):
        return 0.0
    if "emergency" in o.categories:
        return 1.0
    return 0.5 if o.mode == "cash" else 0.0


def government(o: Offer) -> float:
    """1 for a government body's programme (feature ``government``, its reason and the
    offer's profile class read this one rule), else 0."""
    return 1.0 if o.provider_type == "government" else 0.0


def provider_rate(stats: Mapping[str, tuple[int, int, int]] | None, name: str) -> float:
    """Smoothed delivery rate minus the prior, from ``(accepted, completed, declined)`` counts."""
    if not stats or name not in stats:
        return 0.0
    accepted, completed, declined = stats[name]
    answered = max(accepted, 0) + max(declined, 0)
    rate = (max(completed, 0) + PROVIDER_PRIOR * PROVIDER_STRENGTH) / (answered + PROVIDER_STRENGTH)
    return float(rate - PROVIDER_PRIOR)


def group_bits(codes) -> int:
    b = 0
    for g in codes:
        b |= GROUP_BIT.get(g, 0)
    return b


# a bit of ``NeedSide.bits`` beside the groups: the household has two members or more. No
# group is this bit, so no offer's eligible groups hold it and the hard rules never see it
SHARED = 1 << 62


def need_bits(need) -> int:
    """The need's groups as GROUP_BIT bits, with ``SHARED`` for a household of two or more
    (``household_size``; unknown counts as one)."""
    return group_bits(need.groups) | (SHARED if (need.household_size or 1) >= 2 else 0)


def amount_fit(need_amount: np.ndarray, offer_amount: np.ndarray) -> np.ndarray:
    """sqrt(min(1, offered / needed)) - 0.5 where both known (and needed > 0), else 0."""
    if np.ndim(need_amount) == 0:       # one need: its amount is known or not
        if not need_amount > 0:
            return np.zeros(np.shape(offer_amount), np.float32)
        # the same arithmetic in place; an unknown offered sum (NaN) gives 0 as below
        r = np.divide(offer_amount, need_amount, dtype=np.float32)
        # np.clip(r, 0, 1) as two ufuncs (its Python layer cost more than the work; NaN stays)
        np.sqrt(np.minimum(np.maximum(r, ZERO_F32, out=r), ONE_F32, out=r), out=r)
        r -= _HALF
        np.copyto(r, ZERO_F32, where=r != r)      # NaN: an unknown offered sum
        return r
    known = (need_amount > 0) & ~np.isnan(offer_amount)     # NaN needed compares False
    r = np.divide(offer_amount, need_amount, out=np.zeros(known.shape, np.float32), where=known)
    return np.where(known, np.sqrt(np.clip(r, 0.0, 1.0)) - 0.5, 0.0).astype(np.float32)


# A bill from this sum up is catastrophic for a household assisted here (about six years of a
# 2018 低保 family's income); an offer that covers less than SMALL_SHARE of it is a token
# beside it, whatever its category: the amount feature's square root does not separate them.
LARGE_BILL = 50_000.0
SMALL_SHARE = 0.1

# a cost word, then within the clause a sum: 住院费用三十万, 手术要二十多万, 已花费8万余元,
# 自付约1.5万元, 欠下60000元 (a 工资/收入 figure has no cost word before it)
_BILL = re.compile(
    "(?:费|花了|花去|花掉|要|需|欠|债|借|支出|开支|押金|共计|合计|总计)[^，。；,;!?！？]{0,8}?"
    "(?<![0-9.])([0-9]+(?:\\.[0-9]+)?|[零一二两三四五六七八九十百千]+)(?:多|余|来|几)?(万|千)?(?:多|余)?元?")

# (written with a first digit apart: an expression that starts with a set is scanned for by it,
# one that starts with a repeat, as [0-9]{5}, is tried at every place, twice the cost)
_FIVE_DIGITS = re.compile("[0-9][0-9]{4}")


def large_bill(text: str) -> float:
    """The largest cost the text names when it is a large bill (>= LARGE_BILL yuan), else
    NaN. Only sums written with 万 or with five digits or more can reach it: other texts are
    not searched."""
    if "万" not in text and not _FIVE_DIGITS.search(text):
        return math.nan
    best = math.nan
    for m in _BILL.finditer(text):
        v = cn_number(m.group(1)) * (10_000 if m.group(2) == "万" else
                                      1_000 if m.group(2) == "千" else 1)
        if v >= LARGE_BILL and not v <= best:
            best = v
    return best


def need_bill(n: Need) -> float:
    """What the need has to pay: the amount it asks for, else a large bill its text names."""
    if n.amount_needed:
        return float(n.amount_needed)
    return large_bill(f"{n.title}。{n.description}")


def shortfall(bill: np.ndarray, offer_amount: np.ndarray) -> np.ndarray:
    """1 where the bill is large and the offer's known sum covers less than SMALL_SHARE of
    it (NaN compares False: an unknown side is no evidence)."""
    return ((bill >= LARGE_BILL) & (offer_amount < SMALL_SHARE * bill)).astype(np.float32)


def learn_affinity(outcomes, *, prior: np.ndarray | None = None,
                   strength: float = 5.0) -> np.ndarray:
    """Category affinity learned from referral outcomes, shrunk towards ``prior``.

    ``outcomes``: iterable of ``(need_category, offer_categories, delivered)`` with
    ``delivered`` 1 (accepted and delivered) or 0 (declined). Each cell becomes
    ``(strength * prior + delivered) / (strength + referrals)`` over the referrals whose offer
    lists that category, so a handful of outcomes only nudges the defaults. Pass the result
    to ``OfferIndex(offers, affinity=...)``.
    """
    a = default_affinity() if prior is None else np.asarray(prior, np.float64)
    hits = np.zeros_like(a, dtype=np.float64)
    n = np.zeros_like(a, dtype=np.float64)
    for need_cat, offer_cats, delivered in outcomes:
        i = CAT_INDEX[need_cat]
        for c in offer_cats:
            n[i, CAT_INDEX[c]] += 1
            hits[i, CAT_INDEX[c]] += float(delivered)
    return ((strength * a + hits) / (strength + n)).astype(np.float32)
