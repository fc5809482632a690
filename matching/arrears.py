"""Wages held back told with the sum between: 包工头拖着三万多工钱, 老板欠了他两万块工资,
工资到现在一分没给.

Unpaid wages (拖欠工资) are what a wage channel's legal aid answers (讨薪绿色通道; feature
``answers`` warns it for a need without them), and the taxonomy's node names them in their common
words (欠工钱, 工钱拖着不给). A record often puts the sum or the months between the holding back
and the wages (拖着三万多工钱, 欠了我八个月的工资), which the terms' n-grams do not reach: the
teacher's note on a father's IOUs then met the channel with a warning that it had no unpaid
wages. This module reads a clause that holds wages back and lights 拖欠工资 and the concepts
above it where no term did, at the weights they have when the text names it.
"""

from __future__ import annotations

import re

import numpy as np

from .text import light_as_named, texts_holding

_STOP = "，。；,;！？!?\n\x00"
# holding back, then within its clause (8 characters: a sum, months, whose) the wages; or the
# wages, then not paid (工资到现在一分没给, 工钱年底也没结)
_HELD = re.compile(
    f"(?:拖着|拖了|欠着|欠了|欠下|欠他|欠她|欠我|欠我们|拖欠|扣着|压着)[^{_STOP}]{{0,8}}?(?:工钱|工资|薪水)"
    f"|(?:工钱|工资|薪水)[^{_STOP}]{{0,8}}?(?:一分没给|一分没拿|没给|没发|没结|不给|不发|没拿到|拿不到|要不到)")
# every match of _HELD holds one of these
_WAGE_WORDS = ("工钱", "工资", "薪水")
_TERM = "拖欠工资"       # the node's own term, encoded to read the weights it lights


def mark(encoder, texts: list[str], con: np.ndarray, n: int, concept: int,
         lit: np.ndarray) -> None:
    """Light ``lit`` (bool over the concepts: 拖欠工资, column ``concept``, and the concepts
    above it) in the rows of ``con`` (idf-weighted, L2-normalised, changed in place) of the
    first ``n`` texts (the needs' own) that hold wages back where no term of it did, each at
    the weight it has when the text names 拖欠工资 (``text.light_as_named``)."""
    own = texts[:n]
    for i in texts_holding(own, _WAGE_WORDS, _HELD):
        if con[i, concept] <= 0:
            light_as_named(encoder, con, i, own[i], _TERM, lit)
