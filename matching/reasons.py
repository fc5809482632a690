"""Chinese reasons that explain a score to a caseworker, one per contributing part.

Reasons are built for up to a million pairs in a city-wide run, so each part is cached under
an integer key computed with numpy for a whole block of pairs; the per-pair Python work is a
few dictionary look-ups.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from . import received
from .beneficiary import sex_of
from .features import COL, fast_help, government, group_bits, need_bill, need_text
from .schema import CAT_INDEX, CATEGORY_CN, GROUP_CN, Need
from .status import ANSWERS as ANSWERED
from .status import ANSWERS_COLS, INSURED_COLS, STATUS_CN, STATUS_COLS
from .text import ZERO_F32

_BITS = 15            # the content key: three shared concepts, a narrower one and its slot
_NONE = (1 << _BITS) - 1   # "no concept" in a slot
_FEW_PAIRS = 64       # up to this many pairs, the reasons' look-ups run in plain Python
# the profile key: ((offer class * 64 + need category * 2 + urgent) << _URGENT_BIT)
# | (shared group bits << 1) | related category
_URGENT_BIT = 11
# the array path's thresholds as numpy compares them with float32 features
_RELATED = float(np.float32(0.3))        # X[:, category] >= 0.3: "相关类别"
# X[:, category_fit] <= -1: the model's learned table lowered the programme's categories for
# the need's by more than the hand-set affinity adds for them: no "相关类别" then, which would
# say the opposite. (A line of its own, "类别较远", was tried: it fell on half of the dev
# set's top ten, a fifth even at the table's floor — noise, not a reason.)
_FAR = -1.0
_TEXT_NEAR = float(np.float32(0.1))      # X[:, text] >= 0.1: "文字相近"
_LOCAL = {1: "全市项目", 2: "县（市、区）项目", 3: "本镇（街道）项目"}
# the features keys_few reads of each pair (an array: a tuple is converted on every call)
_FEW_COLS = np.array([COL.category, COL.text, COL.urgency, COL.category_fit], np.int64)


class ReasonKeys(NamedTuple):
    """Per pair: the integer keys its reason parts are cached under, and extra reasons."""

    profile: np.ndarray     # category, urgency, groups, provider record (the offer's profile
                            # class, OfferIndex._profile_class, and the need's kind)
    content: np.ndarray     # shared concepts (or -2 "文字相近", -1 nothing)
    coverage: np.ndarray    # need's region and the covering depth
    extra: np.ndarray       # bits of the extra reasons, in the order shown (``_EXTRAS``):
                            # 1 amount, 4 what the need already receives, the others one
                            # warning feature each (``_WARNINGS``)


class ReasonMaker:
    """Builds reason lists for the selected pairs of one ranking run."""

    def __init__(self, index, needs: list[Need], found: dict | None = None) -> None:
        self.index, self.needs = index, needs
        self.order, self.labels = index.concept_order
        self._narrower = index.narrower
        # strings under need-independent keys are shared by the calls on one index: its
        # cache owns them (bounded, cleared when the index changes; cache.py)
        shared = index.cache.reasons
        self._prof = shared.profile
        self._con = shared.content
        self._cov_str = shared.coverage
        self._offer_amt = shared.amount
        self._cov: dict[int, str] = {}          # this call's keys (need regions) only
        region_id: dict[str, int] = {}
        self._region_list = [region_id.setdefault(n.region, len(region_id)) for n in needs]
        self._regions = list(region_id)
        self._need_amt: dict[int, str] = {}
        # "already has X" (received.py): need index -> what was found; given (one need's, read
        # by its encoding already), learnt task by task (``learn``: a batch's region tasks
        # encode their needs), or else found here
        if found is None:
            found = received.find(index.encoder, [need_text(n) for n in needs])
        self._received: dict = {}
        self._received_tables: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.learn(found)
        self._received_str: dict[int, str] = {}
        self.json_frags: tuple[dict, dict, dict] = (   # rendered by rank_lines
            shared.profile_json, shared.content_json, {})

    @functools.cached_property       # the array path only (a batch): one need never builds it
    def _need_arrays(self) -> tuple[np.ndarray, ...]:
        """Per need: region id, group bits, category index, amount asked."""
        needs = self.needs
        return (np.array(self._region_list, np.int64),
                np.array([_bits(n) for n in needs], np.int64),
                np.array([CAT_INDEX[n.category] for n in needs], np.int64),
                np.array([bool(n.amount_needed) for n in needs], bool))

    def keys(self, ni, p, X, dep, need_con_rows, region, column=None,
             need_has=None, need_row=None) -> ReasonKeys:
        """Cache keys and extras of the pairs (need ``ni``, offer slot ``p``, features
        ``X``, covering depth ``dep``, the needs' full concept rows, the region's tables).
        Optional, to save gathers: ``column``, each offer's candidate column in the region's
        tables; ``need_has``, ``need_con_rows.take(region.order_cols, axis=1) > 0``;
        ``need_row``, each pair's row in ``need_con_rows`` (then the needs' matrix, read
        only where a pair's concept has narrower ones)."""
        if need_row is not None and len(ni) <= _FEW_PAIRS:
            need_con_rows, need_row = need_con_rows[need_row], None
        if len(ni) <= _FEW_PAIRS:
            return ReasonKeys(*(np.array(k, np.int64) for k in
                                self.keys_few(ni, p, X, dep, need_con_rows, region, column)))
        region_of, bits, cat, amt = self._need_arrays
        # urgent: the pair's urgency feature, which counts a need's urgency only with a
        # sudden event (NeedSide.of) and only towards fast help
        k_prof = ((self.index.pclass[p] * 64 + cat[ni] * 2 + (X[:, COL.urgency] > 0))
                  << _URGENT_BIT) \
            | ((bits[ni] & self.index.gbits[p]) << 1) \
            | ((X[:, COL.category] >= 0.3) & (X[:, COL.category_fit] > _FAR))
        # a shared concept is one the region's offers fire: look at those columns only
        cols = region.order_cols
        # the offers' side from the region's table when their columns are known (a row
        # gather of a narrow bool table, not of the index's full concept rows)
        offer_has = region.fires_in_order[column] if column is not None \
            else self.index.concepts[p].take(cols, axis=1) > 0
        if need_has is None:
            if need_row is not None:
                need_con_rows, need_row = need_con_rows[need_row], None
            need_has = need_con_rows.take(cols, axis=1) > 0
        both = need_has & offer_has
        # nonzero walks each pair's row in column order: a cell's rank among its row's
        # shared concepts is its distance from the row's first cell
        r, c = np.nonzero(both)
        per_row = np.bincount(r, minlength=len(ni))
        rank = np.arange(len(r)) - (np.cumsum(per_row) - per_row)[r]
        first3 = rank < 3
        r, c, rank = r[first3], c[first3], rank[first3]
        top3 = np.full((len(ni), 3), _NONE, np.int64)
        top3[r, rank] = region.order_active[c]
        child, slot = self._child(top3, p, need_con_rows, need_row)
        k_con = (slot << 4 * _BITS) | (top3[:, 0] << 3 * _BITS) | (top3[:, 1] << 2 * _BITS) \
            | (top3[:, 2] << _BITS) | child
        k_con = np.where(top3[:, 0] == _NONE, -1 - (X[:, COL.text] >= 0.1), k_con)
        k_cov = region_of[ni] * 16 + dep
        # per-pair extras as bits (``ReasonKeys.extra``): the amount reason, then warnings
        extra = (amt[ni] & (self.index.amount[p] > 0)).astype(np.int64) | _warning_bits(X)
        if self._received:
            extra |= self._received_bits(ni, p)
        return ReasonKeys(k_prof, k_con, k_cov, extra)

    def learn(self, found: dict) -> None:
        """Take what received.py found in some of the needs' texts (need index -> spans)."""
        new = {i: got for i, got in found.items() if i not in self._received}
        if new:
            self._received.update(new)
            self._received_tables = None

    def found_among(self, ni: np.ndarray) -> dict:
        """What was found of the needs ``ni`` (need index -> spans)."""
        if not self._received:
            return {}
        return {i: self._received[i] for i in np.unique(ni).tolist() if i in self._received}

    def _tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per need its row (-1: nothing found) in a (needs with drops x columns) mask of
        the concepts dropped from it, and the mask's columns (sorted, distinct)."""
        if self._received_tables is None:
            found = self._received
            cols = np.unique(np.concatenate([r.concepts for r in found.values()])) \
                if len(found) > 1 else next(iter(found.values())).concepts
            row = np.full(len(self.needs), -1, np.int64)
            mask = np.zeros((len(found), len(cols)), bool)
            for k, (i, r) in enumerate(found.items()):
                row[i] = k
                mask[k, np.searchsorted(cols, r.concepts)] = True
            self._received_tables = (row, mask, cols)
        return self._received_tables

    def _received_bits(self, ni, p) -> np.ndarray:
        """Bit 4 for the pairs whose offer fires a concept dropped from the need as
        already received."""
        out = np.zeros(len(ni), np.int64)
        row, mask, cols = self._tables()
        rows = row[ni]
        sel = (rows >= 0).nonzero()[0]
        if len(sel):
            hit = (mask[rows[sel]]
                   & (self.index.concepts[np.ix_(p[sel], cols)] > 0)).any(axis=1)
            out[sel[hit]] = 4
        return out

    def received(self, n_i: int, pos: int) -> str:
        """'需求已享受 X，已降低排序' (X: the need's own words) on an offer that names what the
        need already receives."""
        hit = self._received_str.get(n_i)
        if hit is None:
            hit = self._received_str[n_i] = received.reason(self._received[n_i])
        return hit

    def keys_few(self, ni, p, X, dep, need_con_rows, region, column=None
                 ) -> tuple[list[int], list[int], list[int], list[int]]:
        """``keys`` for a handful of pairs (one need on the match page) as lists, where
        numpy's per-call cost outweighs the work: the same integers, computed in plain Python
        (thresholds compared as float32, as the array path does). ``need_con_rows`` may be a
        single row shared by every pair; ``column`` as in ``keys``."""
        index = self.index
        rows, offers, deps = ni.tolist(), p.tolist(), dep.tolist()
        # the offers' parts of the keys: from the region's table when their columns are known
        offer_parts = (region.key_parts.take(column, axis=0) if column is not None
                       else offer_key_parts(index, p)).tolist()
        cat_x, text_x, urg_x, fit_x = X.take(_FEW_COLS, axis=1).T.tolist()
        warn = _warning_bits(X).tolist()
        per_need: dict[int, tuple[int, int, bool, int]] = {}
        k_prof, k_cov, extra = [], [], []
        for i, (n_i, (gbits, pclass, paid)) in enumerate(zip(rows, offer_parts, strict=True)):
            hit = per_need.get(n_i)
            if hit is None:
                need = self.needs[n_i]
                hit = per_need[n_i] = (
                    CAT_INDEX[need.category] * 2, _bits(need),
                    bool(need.amount_needed), self._region_list[n_i] * 16)
            cu, bits, amt, reg = hit
            k_prof.append((((pclass * 64 + cu + (urg_x[i] > 0)) << _URGENT_BIT)
                           | ((bits & gbits) << 1))
                          | (cat_x[i] >= _RELATED and fit_x[i] > _FAR))
            k_cov.append(reg + deps[i])
            extra.append((amt and paid) | warn[i])
        # shared concepts among the region's active columns, in reason order: nonzero walks
        # each pair's row in column order, so a pair's first three are its top three
        cols = region.order_cols
        offer_has = region.fires_in_order.take(column, axis=0) if column is not None \
            else index.concepts[p].take(cols, axis=1) > 0
        r, c = ((need_con_rows.take(cols, axis=1) > ZERO_F32) & offer_has).nonzero()
        top3: list[list[int]] = [[] for _ in rows]
        order_active = region.order_active_list
        for i, j in zip(r.tolist(), c.tolist(), strict=True):
            t = top3[i]
            if len(t) < 3:
                t.append(order_active[j])
        child, slot = self._child_few(rows, top3, offers, need_con_rows, region,
                                      None if column is None else column.tolist())
        k_con = []
        for i, t in enumerate(top3):
            if not t:
                k_con.append(-2 if text_x[i] >= _TEXT_NEAR else -1)
                continue
            t = t + [_NONE] * (3 - len(t))
            k_con.append((slot[i] << 4 * _BITS) | (t[0] << 3 * _BITS) | (t[1] << 2 * _BITS)
                         | (t[2] << _BITS) | child[i])
        if self._received:
            extra = [a | b for a, b in zip(extra, self._received_bits(ni, p).tolist(), strict=True)]
        return k_prof, k_con, k_cov, extra

    def _child(self, top3, p, need_con_rows, need_row=None) -> tuple[np.ndarray, np.ndarray]:
        """Per pair: the need's strongest concept narrower than one of the shared concepts
        ``top3`` that the offer does not name itself (its position in ``order``, or
        ``_NONE``), for the first such shared concept, and that concept's slot in ``top3``.
        This is what "高血压 属于 门诊慢性病" explains."""
        n = len(top3)
        slot_of, narrower = self._narrower
        has = np.where(top3 != _NONE, slot_of[np.minimum(top3, len(slot_of) - 1)], -1)
        parents = set(has[has >= 0].tolist())
        if not parents:
            return np.full(n, _NONE, np.int64), np.zeros(n, np.int64)
        found = np.full((n, 3), _NONE, np.int64)
        # the (pair, slot) cells of each parent, grouped by one stable sort (a scan of every
        # cell per parent cost pairs x parents, and the taxonomy brought dozens of parents);
        # within a parent the cells stay in row-major order, as np.nonzero gives them
        flat = np.flatnonzero(has >= 0)
        flat = flat[np.argsort(has.ravel()[flat], kind="stable")]
        bounds = np.searchsorted(has.ravel()[flat], sorted(parents) + [len(slot_of)])
        for i, s in enumerate(sorted(parents)):
            cell = flat[bounds[i]:bounds[i + 1]]
            rows, k = cell // 3, cell % 3
            cols = narrower[s]
            columns = self.order[cols]
            need = need_con_rows[rows if need_row is None else need_row[rows]].take(
                columns, axis=1)
            need *= self.index.concepts[p[rows]].take(columns, axis=1) <= 0
            best = need.argmax(axis=1)
            hit = need[np.arange(len(rows)), best] > 0
            found[rows[hit], k[hit]] = cols[best[hit]]
        known = found != _NONE
        first = known.argmax(axis=1)
        any_ = known.any(axis=1)
        child = np.where(any_, found[np.arange(n), first], _NONE)
        return child, np.where(any_, first, 0)

    def _child_few(self, rows: list[int], top3: list[list[int]], offer_of: list[int],
                   need_con_rows, region=None, column: list[int] | None = None
                   ) -> tuple[list[int], list[int]]:
        """``_child`` for a handful of pairs (``keys_few``), where numpy's per-call cost
        outweighs the work: the same answer from the need's few concepts. ``top3`` holds each
        pair's shared concepts (positions in ``order``, at most three, no ``_NONE``)."""
        index = self.index
        slot_of, below, order = index.narrower_lists
        offers = index.concepts
        n = len(top3)
        one_row = len(need_con_rows) == 1
        child, slot = [_NONE] * n, [0] * n
        # per (need, parent slot): the need's concepts below it, strongest first (first in
        # order on a tie, as argmax), whatever the offer
        below_of: dict[tuple[int, int], list[int]] = {}
        mine_of: dict[int, list[tuple[int, float]]] = {}
        for i in range(n):
            for k, c in enumerate(top3[i]):
                s = slot_of[c]
                if s < 0:
                    continue
                cands = below_of.get((rows[i], s))
                if cands is None:
                    mine = mine_of.get(rows[i])
                    if mine is None:   # the need's concepts as (position, weight)
                        row = need_con_rows[0 if one_row else i]
                        cols = (row > ZERO_F32).nonzero()[0]
                        mine = mine_of[rows[i]] = list(zip(
                            index.concept_position[cols].tolist(), row[cols].tolist(),
                            strict=True))
                    under = below[s]
                    ranked = sorted([(w, -pos) for pos, w in mine if pos in under], reverse=True)
                    cands = below_of[(rows[i], s)] = [-neg for _w, neg in ranked]
                if cands:
                    offer = offer_of[i]
                    hit = _NONE
                    for pos in cands:     # (item: a Python float, no array view)
                        if column is None:
                            fires = offers.item(offer, order[pos])
                        else:   # the region's rows of the pairs, just read for the features
                            # (the index's are seldom in cache); no candidate fires an
                            # inactive concept
                            a = region.active_at[pos]
                            fires = 0.0 if a < 0 else region.concepts.item(column[i], a)
                        if fires <= 0.0:
                            hit = pos
                            break
                    if hit != _NONE:
                        child[i], slot[i] = hit, k
                        break
            # (a pair whose shared concepts have nothing narrower in the need keeps _NONE)
        return child, slot

    def profile(self, key: int, n_i: int, pos: int) -> list[str]:
        hit = self._prof.get(key)
        if hit is None:
            hit = self._prof[key] = self._profile(self.needs[n_i], pos, bool(key & 1),
                                                  bool(key >> _URGENT_BIT & 1))
        return hit

    def _profile(self, need: Need, pos: int, related: bool, urgent: bool) -> list[str]:
        o = self.index.offers[pos]
        out = []
        cat = need.category
        if cat in o.categories:
            out.append(f"类别匹配: {CATEGORY_CN[cat]}")
        elif related:
            aff = self.index.affinity[CAT_INDEX[cat]]
            best = max(o.categories, key=lambda c: aff[CAT_INDEX[c]])
            out.append(f"相关类别: {CATEGORY_CN[best]}可助{CATEGORY_CN[cat]}")
        if government(o):                         # feature government
            out.append("政府项目: 应享尽享，先于社会帮扶")
        if urgent:                 # the urgency feature counted (a sudden event, fast help)
            fast = fast_help(o)    # the feature's own rule: an emergency service is no fund
            out.append("急难优先: " + ("临时救助/急难资金" if fast == 1.0 else "现金救助到位快"))
        if o.eligible_groups:
            g = [GROUP_CN[c] for c in o.eligible_groups if c in need.groups]
            if g:
                out.append("面向对象: " + "、".join(g))
        stats = self.index.provider_stats.get(o.provider_name)
        if stats:
            acc, comp, dec = stats
            out.append(f"机构记录: 接收{acc}/{acc + dec}，办结{comp}")
        return out

    @property
    def cached(self) -> tuple[dict[int, list[str]], dict[int, str], dict[int, str]]:
        """The caches behind ``profile``, ``content`` (keys >= 0) and ``coverage``: a hit
        there is what the method returns."""
        return self._prof, self._con, self._cov

    TEXT_NEAR = "文字相近"       # content key -2

    def content(self, key: int) -> str | None:
        if key < 0:
            return self.TEXT_NEAR if key == -2 else None
        hit = self._con.get(key)
        if hit is None:
            cs = [(key >> k * _BITS) & _NONE for k in (3, 2, 1)]
            names = [self.labels[c] for c in cs if c != _NONE]
            child, slot = key & _NONE, key >> 4 * _BITS
            if child != _NONE:        # the need names a narrower term than the offer
                word = "属于" if (child, cs[slot]) in self.index.kind_of else "针对"
                names[slot] = f"{self.labels[child]} {word} {names[slot]}"
            hit = self._con[key] = "内容相关: " + "、".join(names)
        return hit

    def coverage(self, key: int) -> str:
        hit = self._cov.get(key)
        if hit is None:
            region, depth = self._regions[key // 16], key % 16
            hit = self._cov_str.get((region, depth))
            if hit is None:
                path = "/".join(region.split("/")[:depth])
                hit = self._cov_str[(region, depth)] = \
                    f"覆盖: {path}（{_LOCAL.get(depth, '本地项目')}）"
            self._cov[key] = hit
        return hit

    PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"
    UNTIMELY = "注意: 本项目补助患者已发生的医疗费用，需求中尚未患病，所求是预防或保障"
    BEREAVED = "注意: 本项目补助患者的医疗费用，需求中的病人已去世"
    KIN = "注意: 特困供养面向无法定赡养、抚养、扶养义务人的人员，需求提到了配偶、子女或同住的家人"
    RETIRED = "注意: 项目帮助劳动年龄人员就业或创业，需求对象已满60岁"
    HEALTHY = "注意: 专病项目，需求未提及患病、伤残或医疗费用"
    BEDRIDDEN = "注意: 日间照料、助餐点等服务要本人白天到场，需求对象长期卧床"
    ELSEWHERE = "注意: 项目写明只在所列镇（街道）或县（市、区）开展，需求所在地不在其中"
    AGED = ("注意: 项目写明了服务对象的年龄段（或只面向老年人、儿童、在读学生），"
            "需求对象的年龄不在其中")
    PARENTED = ("注意: 项目面向孤儿和事实无人抚养儿童，需求中的孩子有父母抚养",
                "注意: 项目面向父母无力抚养或本人重病重残的困境儿童，需求中的孩子有父母抚养")

    def parented(self, n_i: int, pos: int) -> str:
        """Support for orphans, or the allowance of children in difficulty, for a child whose
        parents raise it (feature ``parented``)."""
        return self.PARENTED[bool(self.index.is_kid_aid[pos])]

    MINOR = "注意: 项目面向重特大疾病患者，需求所述疾病或伤情不属重特大疾病"
    MERIT = "注意: 奖学金/评优项目，需求未提及学习成绩优秀"
    ENROLMENT = "注意: 新生入学资助，需求中的学生已在读"
    ENROLLED = "注意: 在读大学生资助，需求中的学生尚未入学"

    def enrolment(self, n_i: int, pos: int) -> str:
        """A new students' grant for a student already enrolled, or aid for students already
        at university for a pupil in 高三 (feature ``enrolment``)."""
        return self.ENROLLED if self.index.title_enrolled[pos] else self.ENROLMENT
    ILLNESS = "注意: 专病项目，需求所患疾病不在其列"
    SEX = ("注意: 项目只面向女童或妇女，需求对象为男性",
           "注意: 项目只面向男童或男性，需求对象为女性")

    def sex(self, n_i: int, pos: int) -> str:
        """The sex the programme is for is not the need's (feature ``sex``)."""
        return self.SEX[sex_of(self.needs[n_i]) < 0]
    STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"
    STATUS = ("注意: 项目面向特定身份人群（如退役军人、刑满释放人员、计生特殊家庭、受暴妇女、"
              "外卖快递骑手、单亲家庭、在职职工、工会会员、司法案件当事人），需求未提及该身份")
    HELD = ("注意: 需求家庭已是低保对象，本项目即低保",
            "注意: 项目面向低保线以上的边缘家庭，需求家庭已是低保或特困对象",
            "注意: 需求对象已是特困供养人员，本项目即低保",
            "注意: 需求家庭已认定为低收入家庭，本项目即该认定")

    def held(self, n_i: int, pos: int) -> str:
        """The 低保 for a household on it or on 特困, the help of households just above its
        line for one below it, or the recognition of 低收入 for a household that holds it
        (feature ``held``)."""
        groups = self.needs[n_i].groups
        if self.index.is_low_claim[pos] and "dibao" not in groups and "tekun" not in groups:
            return self.HELD[3]
        if self.index.is_edge[pos]:
            return self.HELD[1]
        return self.HELD[0 if "dibao" in groups else 2]
    KIND = ("注意: 项目只面向某类或某等级的残疾人（如盲人按摩面向视力残疾人，重度残疾人护理补贴"
            "面向一、二级），需求中的残疾类别或等级不同")
    ACCIDENT = "注意: 项目只面向某类意外事故（如道路交通事故），需求中的意外类别不同"

    NAMED = "项目名称与需求相符"

    def holds(self, n_i: int, pos: int) -> str:
        """The statuses the programme's title names; the need holds one of them, which the
        wording says without claiming it holds them all."""
        row = self.index.status[pos, STATUS_COLS]
        names = "、".join(STATUS_CN[j] for j in np.flatnonzero(row))
        return f"身份相符: 项目面向{names}，需求所述身份在其列"

    def extras(self, bits: int, n_i: int, pos: int) -> list[str]:
        """The extra reasons of a pair from its ``ReasonKeys.extra`` bits, in bit order."""
        parts = _EXTRA_PARTS.get(bits)
        if parts is None:        # a few dozen combinations occur; walk the seventeen bits once
            parts = _EXTRA_PARTS[bits] = tuple(part for bit, part in _EXTRAS if bits & bit)
        return [part if isinstance(part, str) else part(self, n_i, pos) for part in parts]

    def shortfall(self, n_i: int, pos: int) -> str:
        """'注意: 需求费用约300000元，本项目可助5000元，差距悬殊' on a small sum against a large
        bill (the bill as features.need_bill reads it)."""
        amt = self.index.offers[pos].amount_per_beneficiary
        return f"注意: 需求费用约{need_bill(self.needs[n_i]):g}元，本项目可助{amt:g}元，差距悬殊"

    INSURED = ("注意: 农房保险只赔付因自然灾害或火灾受损的房屋，需求中没有房屋受灾",
               "注意: 医疗保险只报销疾病医疗费用，需求中没有疾病或医疗费用",
               "注意: 长期护理保险只面向失能人员的照护，需求中没有失能或长期照护需要",
               "注意: 农业保险只赔付农作物和养殖损失，需求中没有种养殖损失",
               "注意: 农房保险只赔付因自然灾害或火灾受损的房屋，需求中没有房屋受灾")

    def insured(self, n_i: int, pos: int) -> str:
        """What the insurance insures that the need lacks (the first, house before health)."""
        row = self.index.status[pos, INSURED_COLS]
        return self.INSURED[int(row.argmax())]

    # the warning of each title flag of status.ANSWERS (test_status checks both name the same
    # flags)
    ANSWERS = {
        "_disaster": "注意: 项目只面向受灾群众（自然灾害、火灾），需求中没有受灾情形",
        "_taper": "注意: 低保渐退只面向就业后收入超过低保标准的低保家庭，"
            "需求中没有收入超线或停保情形",
        "_for_wages": "注意: 项目只受理拖欠工资（讨薪）事项，需求中没有欠薪",
        "_road_fund": "注意: 救助基金只垫付肇事逃逸、未投保交强险或超出交强险限额的交通事故费用，"
            "需求中没有此类情形",
        "_startup": "注意: 项目为创业或经营的贷款、补贴，需求中没有创业、经营或缺本钱的打算",
        "_smi_programme": "注意: 项目面向严重精神障碍患者，需求中没有精神疾病或精神残疾",
        "_house_repair": "注意: 项目只面向危房、受损或需改造的住房，需求中没有住房问题",
        "_medical_bills": "注意: 本项目补助看病的费用，需求中没有疾病、伤残或医疗费用",
        "_enrol_subsidy": "注意: 本项目资助缴纳医保个人部分，需求中没有断缴医保或交不起医保费",
        "_work_benefit": "注意: 工伤保险待遇只面向因工受伤或因工死亡，需求中没有工伤情形",
        "_victim_aid": "注意: 刑事被害人救助只面向受犯罪侵害的人，需求中没有犯罪侵害",
        "_judicial_aid": "注意: 国家司法救助只面向刑事被害人和判决执行不能、生活困难的当事人，"
            "需求中没有犯罪侵害或执行不能",
        "_rent_help": "注意: 项目为租房的保障或补贴，需求中没有租房或无房的住房困难",
        "_prosthesis": "注意: 项目装配假肢或矫形器，需求中没有截肢、肢体缺失或需要矫形的情形",
        "_aids_programme": "注意: 项目发放或适配辅具，"
            "需求中没有肢体或感官残疾、行动不便或需要辅具的情形",
        "_maternity": "注意: 项目面向孕产妇（怀孕、分娩或产后），需求中没有怀孕或生育",
        "_family_rights": "注意: 项目受理婚姻家庭纠纷、家庭暴力和妇女儿童权益事项，"
            "需求中没有家事纠纷或心理困扰",
        "_incapacity": "注意: 项目面向失能、半失能或失智老人（及其照护者），"
            "需求中没有卧床、瘫痪、失智、行动困难或离不开人照料的情形",
        "_stranded_aid": "注意: 救助管理站只面向在外流浪、露宿或身无分文回不了家的人，"
            "需求中没有此类情形",
        "_bereavement": "注意: 项目面向家中有人离世的家庭（丧葬费用、哀伤辅导），"
            "需求中没有亲人离世",
        "_prisoners_kin": "注意: 项目面向服刑人员的子女和家属，需求中没有家人服刑",
        "_dialysis": "注意: 项目面向尿毒症透析患者，需求中没有肾衰竭或透析",
        "_child_custody": "注意: 项目为监护缺失儿童的临时监护和照料，需求中没有无人照看的孩子",
        "_wandering": "注意: 项目防止失智老人或孩子走失，需求中没有失智或走失的情形",
        "_hospice": "注意: 安宁疗护只面向疾病终末期、不再积极治疗的病人及其家属，"
            "需求中没有此类情形",
        "_natural_disaster": "注意: 项目只面向台风、暴雨、雪灾等自然灾害的受灾群众（不含火灾），"
            "需求中没有自然灾害",
        "_hearing": "注意: 项目面向听力残疾或听力障碍的人，需求中没有听力问题",
        "_eye_programme": "注意: 项目面向白内障等眼病或视力残疾的人，需求中没有眼睛或视力问题",
        "_stroke_rehab": "注意: 项目面向中风（脑卒中）后的康复，需求中没有中风或偏瘫",
        "_autism": "注意: 项目面向孤独症（自闭症）儿童，需求中没有孤独症",
        "_home_schooling": "注意: 送教上门只面向因重度残疾不能到校的儿童，需求中没有此类情形",
        "_targeted_drug": "注意: 项目援助肿瘤靶向药，需求中没有使用或需要靶向药",
        "_epilepsy": "注意: 项目面向癫痫病人，需求中没有癫痫",
    }
    # by ANSWERS_COLS' column (a tuple lookup: the reasons of 100,000 needs read it)
    _ANSWERS_BY_COL = tuple(map(ANSWERS.__getitem__, [f for f, _ in ANSWERED]))

    def answers(self, n_i: int, pos: int) -> str:
        """The one trouble the programme answers (its title's first: a title that names two,
        受灾群众倒损住房恢复重建, is warned for the one the need lacks, which only the need's
        reading tells; reading it again here cost a fifth of ranking 100,000 needs)."""
        return self._ANSWERS_BY_COL[int(self.index.status[pos, ANSWERS_COLS].argmax())]

    def amount(self, n_i: int, pos: int) -> str:
        a = self._offer_amt.get(pos)
        if a is None:
            amt = self.index.offers[pos].amount_per_beneficiary
            a = self._offer_amt[pos] = f"金额: 可助{amt:g}元，需"
        b = self._need_amt.get(n_i)
        if b is None:
            b = self._need_amt[n_i] = f"{self.needs[n_i].amount_needed:g}元"
        return a + b



# The warning features, each with its bit of ``ReasonKeys.extra`` (bits 1 and 4 are the
# amount and what the need already receives, set otherwise); a feature's warning is shown
# when it fires (> 0). A new warning feature: one line here and one in ``_EXTRAS``.
_WARNINGS = ((COL.prevention, 1), (COL.merit, 3), (COL.enrolment, 4), (COL.shortfall, 5),
             (COL.illness, 6), (COL.sex, 7), (COL.stage, 8), (COL.status, 9), (COL.held, 10),
             (COL.kind, 11), (COL.accident, 12),
             (COL.insured, 13), (COL.answers, 14), (COL.untimely, 17), (COL.minor, 18),
             (COL.bereaved, 19), (COL.kin, 20), (COL.parented, 21), (COL.retired, 22),
             (COL.healthy, 23), (COL.bedridden, 24), (COL.aged, 25), (COL.elsewhere, 26))
_WARN_COLS = np.array([c for c, _ in _WARNINGS], np.int64)
_WARN_VALUES = np.array([1 << b for _, b in _WARNINGS], np.int64)


# ... and the one feature of evidence with a line of its own: the offer's title names the
# need's trouble (feature ``named`` at or above 0.3: 64 % of the pairs graded 3 over the
# diagnostic sets, 4 % of those graded 0), read in the same product (> the float32 below 0.3)
_NAMED_BIT = 15
# ... and a title naming a status the need holds (feature ``holds``)
_HOLDS_BIT = 16
_KEY_COLS = np.r_[_WARN_COLS, COL.named, COL.holds]
_KEY_ABOVE = np.r_[np.zeros(len(_WARN_COLS), np.float32),
                   np.nextafter(np.float32(0.3), np.float32(0)), np.float32(0)]
_KEY_VALUES = np.r_[_WARN_VALUES, 1 << _NAMED_BIT, 1 << _HOLDS_BIT]
# the same over every column of X (no value is above +inf, and those columns add 0), and as
# rows for up to _FEW_PAIRS pairs: a comparison of two arrays of one shape costs half of a
# column take and a broadcast one (the match page's call)
_ABOVE_ALL = np.full(len(COL), np.inf, np.float32)
_ABOVE_ALL[_KEY_COLS] = _KEY_ABOVE
_VALUES_ALL = np.zeros(len(COL), np.int64)
_VALUES_ALL[_KEY_COLS] = _KEY_VALUES
_ABOVE_ROWS = np.tile(_ABOVE_ALL, (_FEW_PAIRS, 1))


def offer_key_parts(index, slots: np.ndarray) -> np.ndarray:
    """Per offer, its parts of ``keys_few``'s keys: its groups as bits, its profile class,
    whether it names a sum (1) — one int64 row each, so one gather reads the three
    (``RegionTables.key_parts`` per candidate)."""
    return np.column_stack((index.gbits[slots], index.pclass[slots],
                            index.amount[slots] > ZERO_F32)).astype(np.int64)


def _warning_bits(X: np.ndarray) -> np.ndarray:
    """Per pair, the bits of the warnings its features raise and of a title that names the
    need's trouble (distinct bits: a sum is an or; an integer product, exact, in three calls
    where shifting and summing took five)."""
    above = _ABOVE_ROWS[:len(X)] if len(X) <= _FEW_PAIRS else _ABOVE_ALL
    return np.greater(X, above).dot(_VALUES_ALL)     # (@: a layer more)


# Each bit of ``ReasonKeys.extra`` and its reason: a fixed text, or the method that words it
# for the pair (its sums, the need's own words). The order is the order reasons are shown.
_EXTRAS = ((1, ReasonMaker.amount), (1 << _NAMED_BIT, ReasonMaker.NAMED),
           (1 << _HOLDS_BIT, ReasonMaker.holds),
           (2, ReasonMaker.PREVENTIVE), (1 << 17, ReasonMaker.UNTIMELY),
           (1 << 18, ReasonMaker.MINOR), (1 << 19, ReasonMaker.BEREAVED),
           (1 << 20, ReasonMaker.KIN), (1 << 21, ReasonMaker.parented),
           (1 << 22, ReasonMaker.RETIRED), (1 << 23, ReasonMaker.HEALTHY),
           (1 << 24, ReasonMaker.BEDRIDDEN), (1 << 25, ReasonMaker.AGED),
           (1 << 26, ReasonMaker.ELSEWHERE),
           (4, ReasonMaker.received), (8, ReasonMaker.MERIT),
           (16, ReasonMaker.enrolment), (32, ReasonMaker.shortfall),
           (64, ReasonMaker.ILLNESS), (128, ReasonMaker.sex), (256, ReasonMaker.STAGE),
           (512, ReasonMaker.STATUS), (1024, ReasonMaker.held),
           (2048, ReasonMaker.KIND),
           (4096, ReasonMaker.ACCIDENT), (8192, ReasonMaker.insured),
           (16384, ReasonMaker.answers))
_EXTRA_PARTS: dict[int, tuple] = {}      # bits -> their parts of _EXTRAS, in order


def _bits(n: Need) -> int:
    return group_bits(n.groups)
