"""An accident long before the need was written: 儿子2010年因工伤去世, 八年前在厂里出事故截了左
小腿, 前年出车祸.

A case record tells the family's history: a father killed on the road years ago, a leg lost
at work in a former job. Plain matching reads the accident as the need's present trouble and
ranks what answers a sudden event — emergency relief (急难型临时救助: 火灾、交通事故等意外事件),
legal aid — for an old man living alone whose son died at work in 2010. Across the diagnostic
sets, emergency-relief offers were graded 0 for most needs that name an accident with a time
long past. This module finds a clause that names a time at least a year before the need's
``created_at`` (2010年, 2016年3月, 八年前, 前年, 早年, 年轻时) and then, within the clause, an
accident (车祸, 工伤, 事故, 出事, 被车撞, 落水 …), and drops from the need's concept vector the
accident concepts (意外事故 and the kinds under it) that only that clause fires; the clause is
encoded again with the time and the accident left out. What the accident left (截肢, 残疾,
瘫痪, a death) stays, and so does an accident named elsewhere in the text.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from .text import drop_rewritten

# a time, then within the clause an accident; the time's groups: a year (and month), a count
# of years ago, or words of a time long past
_CLAUSE = re.compile(
    "(?:((?:19|20)[0-9]{2})年(?:([0-9]{1,2})月)?|([0-9]{1,2}|[一两二三四五六七八九十几多]{1,2})"
    "(?:多|几)?年(?:以)?前|(前年|早年|早些年|多年前|年轻时|年轻的时候|小时候))"
    "[^，。；：！？,.;:!?\n|｜]{0,12}?(?:出车祸|车祸|工伤|事故|出事|出了事|被车撞|撞|落水|溺水"
    "|遇难|身亡|摔下|砸)")
_STANDIN = "那时"
# the accident words alone: a text without any (most) is not searched for a time
_ACCIDENT = re.compile("车祸|工伤|事故|出事|出了事|被车撞|撞|落水|溺水|遇难|身亡|摔下|砸")


def _months_before(m: re.Match, created: dt.date) -> int | None:
    """How many months before ``created`` the clause's time is (None: not known)."""
    year, month, ago, word = m.group(1), m.group(2), m.group(3), m.group(4)
    if year:
        diff = (created.year - int(year)) * 12
        if month:
            return diff + created.month - int(month)
        return diff if diff >= 24 else None      # 2017年 in February 2018: not known
    if ago:
        return 12          # n年前, 几年前: a year or more (no count of years is below one)
    return 24 if word else None


def _past(m: re.Match, created: dt.date) -> bool:
    k = _months_before(m, created)
    return k is not None and k >= 12


def long_ago(text: str, created: dt.date | None, start: int, end: int) -> bool:
    """Whether a clause of ``text`` that names an accident long before ``created`` overlaps
    ``text[start:end]`` (at_work.py: an injury at work then is history)."""
    return created is not None and any(
        m.start() < end and start < m.end() and _past(m, created)
        for m in _CLAUSE.finditer(text))


def damp(encoder, texts: list[str], con: np.ndarray, created: list[dt.date | None],
         droppable: np.ndarray) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows for ``texts``: the needs' texts,
    then their titles; changed in place and renormalised) the concepts of ``droppable`` (bool
    over the concepts: 意外事故 and the kinds under it, ``OfferIndex``) that only an accident
    long before the need fires; ``created``: each need's ``created_at`` (a title is judged
    with its need's)."""
    n = len(created)
    docs: list[int] = []
    rewritten: dict[str, str] = {}      # each doc's text as rewritten (with its own date)
    for i, text in enumerate(texts):
        day = created[i % n]
        # (nor is a text without 年 or 小时候, one of which every time _CLAUSE reads holds:
        # _CLAUSE starts with a group and is tried at every place, thirty times the cost of
        # the two tests)
        if day is not None and _ACCIDENT.search(text) \
                and ("年" in text or "小时候" in text) and any(
                _past(m, day) for m in _CLAUSE.finditer(text)):
            docs.append(i)
            rewritten[text] = _CLAUSE.sub(
                lambda m, day=day: _STANDIN if _past(m, day) else m.group(0), text)
    if docs:
        drop_rewritten(encoder, con, texts, docs, rewritten.__getitem__, droppable)
