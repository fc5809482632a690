"""A 低保 household whose 低保 is ending: 收入略高于低保线, 一上班低保就停了, 怕断低保, 低保被取消.

The 低保 taper (低保渐退帮扶: a household whose income rose above the line after finding work
keeps its 低保 for a while) answers only that (feature ``answers``, status.py). The concept
低保渐退 (dibao_exit) is lit by its terms (超低保线, 停保, 低保要停 …), but families say it with a
word between (低保马上停掉, 略高于低保线), which the terms' n-grams do not reach. This module
reads those sentences and marks the need's flag ``_taper``, by which a need names the trouble
the taper answers.
"""

from __future__ import annotations

import re

import numpy as np

# income above the line; 低保 stopping or cancelled (断 only before 低保: 摔断, 断粮 are others)
_EXIT = re.compile("(?:高于|超过|超出|超了|超)了?[^，。；,;！？!?]{0,3}低保(?:线|标准)"
                   "|低保[^，。；,;！？!?]{0,6}(?:停|取消|退出)"
                   "|(?:停|取消|退出|断)了?[^，。；,;！？!?]{0,3}低保")


def mark(texts: list[str], flags: np.ndarray, taper: int, n: int) -> None:
    """Set the flag ``taper`` (its column in ``flags``) of the first ``n`` texts (the needs'
    own; their titles follow) that say their 低保 is ending."""
    for i in range(n):
        if "低保" in texts[i] and _EXIT.search(texts[i]):
            flags[i, taper] = True
