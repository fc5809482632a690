"""A status whose holder is someone else: 对象：退役军人戴某某（30岁…）家，儿子1岁2个月.

A veterans' station's visit records and a community-correction officer's notes name the person
they visit by status and age (退役军人宋某某（60岁，1977年入伍）家, 社区矫正对象戴某（女，41岁）)
and then tell of the family member the need is for: his wife's cancer, his son's unpaid wages,
her son who wants to quit school. The status words light the status, so programmes for veterans
ranked for the wife, the son or the mother. When the age told beside the status word is ten
years or more from the beneficiary's, the status is another person's, and this module drops
from the need's concept vector the statuses that word lights (its other words stay: the
family's troubles are still theirs). Over the twentieth batch's 23 such needs, the programmes
whose title names a status were graded 0 in 186 of 188 pairs (the two others: legal aid for
军属, and a veterans' fund a writer allowed for a veteran's baby).
"""

from __future__ import annotations

import re

import numpy as np

from .text import scale_concepts

# the status noun, a name (王某某, 戴某) and its age in brackets or after a comma:
# 退役军人王某某（1979年入伍，1983年退伍，今年58岁）, 安置帮教对象冒某（女，33岁，…）
_HOLDER = re.compile(
    "(?P<word>退役军人|退伍军人|复员军人|转业军人|老兵|刑满释放人员|刑释人员|安置帮教对象"
    "|社区矫正对象|矫正对象|服刑人员|外卖骑手|快递员|工会会员)"
    "[^，。；：（(0-9\n\x00]{0,6}(?:[（(][^）)\n\x00]{0,16}?|[，,])(?P<age>[0-9]{1,3})岁")
_APART = 10          # years between the told age and the beneficiary's that make two people


def damp(encoder, texts: list[str], con: np.ndarray, ages: list[float | None],
         statuses: np.ndarray) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows, in place) the concepts of
    ``statuses`` (bool over the concepts) that a status word lights, in the texts (rows below
    ``len(ages)``) whose word is followed by an age other than the beneficiary's ``ages``."""
    for i, age in enumerate(ages):
        # each text searched alone, no join (a batch's texts as the match page's one need)
        if age is None or age != age:
            continue            # no age (None, NaN): no one to tell apart
        words = [m["word"] for m in _HOLDER.finditer(texts[i])
                 if abs(int(m["age"]) - age) >= _APART]
        if words:
            lit = (encoder.firings(["。".join(words)]) > 0).any(axis=0)
            if (lit & statuses).any():
                scale_concepts(con, i, lit & statuses, 0.0)
