"""A 低保 household whose 低保 is ending: 收入略高于低保线, 一上班低保就停了, 怕断低保, 低保被取消.

The 低保 taper (低保渐退帮扶: a household whose income rose above the line after finding work
keeps its 低保 for a while) answers only that (feature ``answers``, status.py). The concept
低保渐退 (dibao_exit) is lit by its terms (超低保线, 停保, 低保要停 …), but families say it with a
word between (低保马上停掉, 略高于低保线, 已过低保线, in a letter's words 略超保障标准), which the
terms' n-grams do not reach. This module reads those sentences, marks the need's flag
``_taper``, by which a need names the trouble the taper answers, and lights the concept where
no term did, so that the taper also meets the need as evidence (across the diagnostic sets 8
of 19 needs that say so lit no term; where the set has the taper, graders gave it 1 to 3).
"""

from __future__ import annotations

import re

import numpy as np

from .text import light_as_named

# income above the line (已过低保线, 社区说我家超线了; in a letter's words 略超保障标准 or
# 已逾低保之线, the household's 低保 being named elsewhere); 低保 stopping, cancelled or gone
# (断 only before 低保 or 保障: 摔断, 断粮 are others; 没了 only with 低保 as what goes:
# 低保会不会一下子就没了, not 低保户…没了落脚处 or 低保那点钱月中就没了; a question may come
# between 低保 and its stopping, 低保是不是下个月就要停掉, but not 户: 低保户家里停了电).
# Dictated and typed text spells 低保 by its sound (底保, 低宝). (过 not after 没/未/不 is
# checked behind the 过: a look-behind before it was tried at every position of the text, half
# the search's cost.) Any one pattern says so: each (and each branch) starts with a literal or
# a set of them, which re scans for before trying a match; one alternation of them all started
# with neither, so it was tried at every position (37 k instructions a text that names 低保)
_SPELLINGS = ("低保", "底保", "低宝")
_DIBAO = f"(?:{'|'.join(_SPELLINGS)})"
_STOP = "，。；,;！？!?"
_EXIT = (re.compile(f"{_DIBAO}(?!户)[^{_STOP}]{{0,10}}(?:停|取消|退出)"),
         re.compile(f"{_DIBAO}(?!户)[^{_STOP}钱]{{0,7}}没有?了"),
         re.compile(f"(?:停|取消|退出|断|没了)了?[^{_STOP}]{{0,3}}{_DIBAO}"),
         re.compile(f"(?:高于|超过|超出|超了|超|逾|过(?<![没未不]过))了?[^{_STOP}]{{0,3}}"
                    f"(?:{_DIBAO}|保障)之?(?:线|标准)|超了?线"))


_TERM = "低保渐退"       # the concept's own term, encoded to read its weight in a text


def mark(encoder, texts: list[str], con: np.ndarray, flags: np.ndarray, taper: int, n: int,
         concept: int, lit: np.ndarray) -> None:
    """Set the flag ``taper`` (its column in ``flags``) of the first ``n`` texts (the needs'
    own; their titles follow) that say their 低保 is ending, and light the concept
    ``concept`` (低保渐退; ``lit``: it as a bool mask over the concepts) in their rows of
    ``con`` (idf-weighted, L2-normalised, changed in place) where no term did, at the weight it
    has when the text names it (``text.light_as_named``). The flag lifts the taper's warning;
    the concept is the evidence that the taper is what the need asks for (一上班低保就停了
    asks for it as plainly as 低保渐退 does)."""
    for i in range(n):
        t = texts[i]
        if any(w in t for w in _SPELLINGS) and _ending(t):
            flags[i, taper] = True
            if con[i, concept] <= 0:
                light_as_named(encoder, con, i, t, _TERM, lit)


def _ending(text: str) -> bool:
    """Whether the text says its 低保 is ending (one of ``_EXIT``)."""
    return any(p.search(text) for p in _EXIT)
