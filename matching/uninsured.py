"""A household whose basic medical insurance is not paid (今年医保没交, 医保断缴, 未参医保).

Such a household lacks the cover itself: joining it with the premium paid (资助参保, concept
med_enrol_aid) is what it asks for, even when the text names an illness (the mother's diabetes
that made the missing cover matter). The words sit apart (今年的合作医疗（就是居民医保）交了没
有…没交), which the concept's terms, matched by their bigrams, do not reach: this module reads
the clause and lights the concept where no term did, so that the premium subsidy meets the need
as evidence. The subsidy is no preventive offer for a patient (concept ``_basic_medical``); a
commercial cover bought now still is (投保前已患疾病不赔), so the need's wish is not read as a
wish for any cover (flag ``_future_wish``).
"""

from __future__ import annotations

import re

import numpy as np

from .text import light_as_named

_NAMES = ("医保", "合作医疗", "农合")     # 农合 within 新农合
_INSURANCE = f"(?:{'|'.join(_NAMES)})"
_STOP = "，。；,;！？!?\n"
# the insurance, then 没/没有/未/漏 and paying within its clause (医保还没交, 合作医疗今年没缴,
# 今年医保没有缴费, 医保漏缴), or not paid, joined or renewed before it (未交居民医保, 没参加医保,
# 漏缴今年医保, 未缴2018年度居民医保), or cut off (医保断缴, 医保断了, 医保自2016年起断缴);
# 不曾 is the Jianghuai speech's 没 (医保还不曾交)
_NOT = "(?:没有?|未|漏|不曾)"
_UNPAID = (re.compile(f"{_INSURANCE}[^{_STOP}]{{0,6}}{_NOT}(?:交|缴|续)"),
           re.compile(f"{_NOT}(?:交|缴|续|参加|参)[^{_STOP}]{{0,10}}{_INSURANCE}"),
           re.compile(f"{_INSURANCE}[^{_STOP}]{{0,8}}断(?:缴|了|保)"))
_TERM = "资助参保"       # the concept's own term, encoded to read its weight in a text


def mark(encoder, texts: list[str], con: np.ndarray, n: int, concept: int,
         lit: np.ndarray) -> None:
    """Light the concept ``concept`` (资助参保; ``lit``: it as a bool mask over the concepts)
    in the rows of ``con`` (idf-weighted, L2-normalised, changed in place) of the first ``n``
    texts (the needs' own) that say their basic medical insurance is not paid and name no
    term of it, at the weight it has when the text names it."""
    for i in range(n):
        t = texts[i]
        if con[i, concept] <= 0 and any(w in t for w in _NAMES) \
                and any(p.search(t) for p in _UNPAID):
            light_as_named(encoder, con, i, t, _TERM, lit)
