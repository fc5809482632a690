"""The illness of someone who has died: 丈夫前年肺癌去世, 父亲因脑溢血病故.

A household's poverty is often recorded by its cause, the death of the breadwinner from an
illness. Plain matching reads the illness as the need's and ranks medical aid and disease
funds (a cancer fund for a widow whose roof the wind took); across the diagnostic sets such
programmes were graded 0 for these households. This module finds a clause that ends in a
word of death (去世, 病故, 病逝 …, or 走的/走了 right after an illness: 肝癌走了) and drops from the
need's concept vector the illness concepts that only that clause fires: the clause is
encoded again with 家人 in place of what precedes the death word, and an illness concept (or
重大疾病 above them) that then no longer fires is removed. Only illnesses are dropped: a death
by a road accident may still be a claim (赔偿), a sudden death is still an emergency, and the
death itself stays (丧亲, 家庭成员死亡). An illness named elsewhere in the text (the widow's own
糖尿病) keeps its concept.

The encoder's flag ``_died`` (concepts.txt) picks the texts that can hold such a clause; only
those are searched, and only the (few) texts found are encoded again.
"""

from __future__ import annotations

import re

import numpy as np

from .text import drop_rewritten

# a clause (after punctuation, at most 20 characters) that ends in a word of death
# (or in 走的/走了 right after an illness: 得肝癌走的, 什么病走的 — the illness's last character
# stays in the clause, so it is encoded again as 家人走的)
_CLAUSE = re.compile("[^，。；：！？,.;:!?\n|｜]{1,20}?(?=去世|病故|病逝|离世|过世|病死|亡故|逝世"
                     "|(?<=[病癌])走[的了])")
_STANDIN = "家人"       # what precedes the death word in the text encoded again
def damp(encoder, texts: list[str], con: np.ndarray, flags: np.ndarray, died: int,
         droppable: np.ndarray) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows for ``texts``, changed in place and
    renormalised) the concepts of ``droppable`` (bool over the concepts: the illnesses and
    重大疾病 above them, ``OfferIndex``) that only a clause ending in a death fires; ``flags``
    are the encoder's flags of the same texts, ``died`` the column of ``_died`` among them."""
    if len(texts) <= 2:      # one need (its text and title): read the flags without arrays
        docs = [i for i in range(len(texts)) if flags[i, died]]
    else:
        docs = np.flatnonzero(flags[:, died]).tolist()
    docs = [i for i in docs if _CLAUSE.search(texts[i])]
    if docs:
        drop_rewritten(encoder, con, texts, docs, lambda t: _CLAUSE.sub(_STANDIN, t), droppable)
