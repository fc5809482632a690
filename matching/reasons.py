"""Chinese reasons that explain a score to a caseworker, one per contributing part."""

from __future__ import annotations

import numpy as np

from .features import FEATURES
from .schema import CATEGORY_CN, GROUP_CN, Need, Offer

_I = {f: i for i, f in enumerate(FEATURES)}
_LOCAL = {1: "全市项目", 2: "县（市、区）项目", 3: "本镇（街道）项目"}


class ReasonMaker:
    """Builds reason strings; caches what depends on one side only."""

    def __init__(self, index) -> None:
        self.index = index
        self.labels = index.lexicon.labels
        idf = index.encoder.concept_idf_
        self._concept_order = np.argsort(-idf, kind="stable")
        self._offer_concepts: dict[int, tuple[int, ...]] = {}
        self._cov: dict[tuple[int, str], str] = {}

    def offer_concepts(self, pos: int) -> tuple[int, ...]:
        hit = self._offer_concepts.get(pos)
        if hit is None:
            row = self.index.concepts[pos]
            hit = tuple(int(c) for c in self._concept_order if row[c] > 0)
            self._offer_concepts[pos] = hit
        return hit

    def coverage(self, pos: int, offer: Offer, region: str, depth: int) -> str:
        key = (pos, region)
        hit = self._cov.get(key)
        if hit is None:
            parts = region.split("/")
            path = "/".join(parts[:depth])
            hit = f"覆盖: {path}（{_LOCAL.get(depth, '本地项目') if depth <= 3 else '本地项目'}）"
            self._cov[key] = hit
        return hit

    def reasons(self, need: Need, need_concepts: frozenset, offer: Offer, pos: int,
                x: np.ndarray, depth: int) -> list[str]:
        out = []
        if need.category in offer.categories:
            out.append(f"类别匹配: {CATEGORY_CN[need.category]}")
        elif x[_I["category"]] >= 0.3:
            best = max(offer.categories,
                       key=lambda c: self.index.affinity[_cat(need.category), _cat(c)])
            out.append(f"相关类别: {CATEGORY_CN[best]}可解{CATEGORY_CN[need.category]}所需")
        shared = [self.labels[c] for c in self.offer_concepts(pos) if c in need_concepts][:3]
        if shared:
            out.append("内容相关: " + "、".join(shared))
        elif x[_I["text"]] >= 0.1:
            out.append("文字相近")
        out.append(self.coverage(pos, offer, need.region, depth))
        if x[_I["urgency"]] > 0:
            out.append("急难优先: " + ("临时救助/急难资金" if "emergency" in offer.categories
                                   else "现金救助到位快"))
        if offer.eligible_groups:
            g = [GROUP_CN[c] for c in offer.eligible_groups if c in need.groups]
            if g:
                out.append("面向对象: " + "、".join(g))
        if need.amount_needed and offer.amount_per_beneficiary:
            out.append(f"金额: 可助{offer.amount_per_beneficiary:g}元，需{need.amount_needed:g}元")
        stats = self.index.provider_stats.get(offer.provider_name)
        if stats:
            acc, comp, dec = stats
            out.append(f"机构记录: 接收{acc}/{acc + dec}，办结{comp}")
        return out


def _cat(c: str) -> int:
    from .schema import CAT_INDEX
    return CAT_INDEX[c]
