"""The illness of someone outside the household: 隔壁大姐查出胃癌, 看到邻居得癌症花光积蓄.

A need that asks for a check-up or an insurance often says why: a neighbour, a relative or a
workmate fell ill and the family is afraid. Plain matching reads that illness as the need's: it
ranks medical aid for a healthy farmer, and warns the screening or the insurance asked for as a
preventive programme that cannot meet an illness already there (across the diagnostic sets these
pairs were graded 3). This module finds a clause that starts with such a person (邻居, 隔壁,
亲戚, 朋友, 同事 …) and says that person fell ill (得, 患, 查出, 确诊, 生了) or had a fall or a
road accident (摔断, 跌倒, 出了车祸), and drops from the need's concept vector the illness
concepts that only that clause fires, and its flag ``_existing`` (something has already
happened) when only that clause lit it. The clause is encoded again with 别人 in its place. An
illness named elsewhere in the text keeps its concept; a clause without a word of falling ill
(被邻居发现摔倒在地: the old man's own fall) is left as it is.

The encoder's flag ``_outsider`` (concepts.txt) picks the texts that can hold such a clause;
only those are searched, and only the (few) texts found are encoded again.
"""

from __future__ import annotations

import re

import numpy as np

from .text import drop_rewritten

# the person (no one of the household), then within ten characters (none of them 他, 她 or 我:
# 邻居发现他摔伤了 is the need's own fall) a word of falling ill or of a fall or a road accident,
# then the rest of the clause
_CLAUSE = re.compile(
    "(?:邻居|隔壁|邻里|楼上|楼下|对门|同村|亲戚|朋友|同事|工友|同学|别人|身边的人|周围的人"
    "|(?:村里|身边|周围|厂里)(?:有|好几个|不少|很多|几个)人)"
    "[^，。；：！？,.;:!?\n|｜他她我]{0,10}?"
    "(?:得了?|患了?|查出|确诊|生了|摔了|摔断|摔伤|跌倒|跌了|出了车祸|被车撞)"
    "[^，。；：！？,.;:!?\n|｜]*")
_STANDIN = "别人"


def damp(encoder, texts: list[str], con: np.ndarray, flags: np.ndarray, outsider: int,
         droppable: np.ndarray, existing: tuple[int, int]) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows for ``texts``, changed in place and
    renormalised) the concepts of ``droppable`` (bool over the concepts: the illnesses and
    重大疾病 above them, ``OfferIndex``) that only an outsider's illness fires, and clear the
    flag ``existing`` (its column in ``flags``, its column among the concepts) where only that
    clause lit it; ``outsider`` is the column of ``_outsider`` in ``flags``."""
    if len(texts) <= 2:      # one need (its text and title): read the flags without arrays
        docs = [i for i in range(len(texts)) if flags[i, outsider]]
    else:
        docs = np.flatnonzero(flags[:, outsider]).tolist()
    docs = [i for i in docs if _CLAUSE.search(texts[i])]
    if not docs:
        return
    gone = drop_rewritten(encoder, con, texts, docs, lambda t: _CLAUSE.sub(_STANDIN, t),
                          droppable)
    flag_col, concept_col = existing
    for r, i in enumerate(docs):
        if gone[r, concept_col]:
            flags[i, flag_col] = False
