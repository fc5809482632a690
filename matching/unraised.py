"""A child no one raises, told as a family tells it: 他爸前年犯了事进去了…他妈后来走了，再没回来;
儿子判了七年，媳妇第二年就改嫁了; 她爸出海出事没了，妈妈去打工再也没回来.

Such a child is a 事实无人抚养儿童 (one parent dead or in prison, the other gone: 民发〔2019〕62号),
whose living allowance and directed support (个人定向资助困境儿童生活费) answer the family before a
boarding subsidy does. The taxonomy's node names the state in a few fixed words (父亲服刑, 母亲下落
不明), but a grandparent tells it through 儿子 and 媳妇, with the years and the crime between, which
the terms' n-grams do not reach: over the read sets with the dev offers, 12 needs so told got the
boarding subsidy (graded 2) above the directed support (graded 3). This module reads the two
clauses — one parent lost, the other gone — and lights 事实无人抚养儿童 and the concepts above it
where no term did, at the weights they have when the text names it.
"""

from __future__ import annotations

import re

import numpy as np

from .text import light_as_named, texts_holding

_STOP = "。；;！!？?\n\x00"
# a parent, as the child's family or a record names them (a grandparent's 儿子 and 媳妇)
_PARENT = ("(?:儿子|儿媳|媳妇|女婿|他爸|她爸|他妈|她妈|孩子爸|孩子妈|爸爸|妈妈|父亲|母亲|老子|爹|娘"
           "|其父|其母)")
# the parent gone: left and not come back, remarried, lost (走了 alone may be a death or a trip)
_GONE_WORDS = ("改嫁", "再没回", "再也没回", "没回来过", "再没有回", "联系不上", "打不通",
               "下落不明", "不知去向", "跑了", "跑掉", "出走", "音讯")
# (the parent nearest before the words: 父亲服刑，母亲离家出走 is the mother's leaving)
_NEAR = f"(?:(?!{_PARENT})[^{_STOP}])"
_GONE = re.compile(f"({_PARENT}){_NEAR}{{0,16}}?(?:{'|'.join(_GONE_WORDS)})")
# the other parent lost: dead, or in prison
_LOST = re.compile(
    f"({_PARENT}){_NEAR}{{0,14}}?(?:判了|判刑|被判|坐牢|服刑|进去了|关在|关进|在押|入狱|犯了?事"
    "|去世|病故|病逝|死了|没了|身亡|遇难|过世|走掉了)")
# a grandparent's 儿子 or 媳妇 is a parent only where a grandchild is named
_CHILD_OF = ("儿子", "儿媳", "媳妇", "女婿")
_TERM = "事实无人抚养儿童"    # the node's own term, encoded to read the weights it lights


def mark(encoder, texts: list[str], con: np.ndarray, n: int, concept: int,
         lit: np.ndarray) -> None:
    """Light ``lit`` (bool over the concepts: 事实无人抚养儿童, column ``concept``, and the
    concepts above it) in the rows of ``con`` (idf-weighted, L2-normalised, changed in place)
    of the first ``n`` texts (the needs' own) that tell one parent lost and the other gone,
    where no term did, each at the weight it has when the text names the node."""
    own = texts[:n]
    for i in texts_holding(own, _GONE_WORDS, _GONE):     # one need: its text and title
        if con[i, concept] > 0:
            continue
        text = own[i]
        # two people: a parent gone and another lost (not one mother who left and died)
        pair = next(((g, m) for g in _GONE.finditer(text) for m in _LOST.finditer(text)
                     if g.group(1) != m.group(1)), None)
        if pair is None:
            continue
        if any(m.group(1) in _CHILD_OF for m in pair) and "孙" not in text:
            continue
        light_as_named(encoder, con, i, text, _TERM, lit)
