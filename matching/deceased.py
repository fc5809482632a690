"""The illness of someone who has died: 丈夫前年肺癌去世, 父亲因脑溢血病故.

A household's poverty is often recorded by its cause, the death of the breadwinner from an
illness. Plain matching reads the illness as the need's and ranks medical aid and disease funds
(a cancer fund for a widow whose roof the wind took); across the diagnostic sets such programmes
were graded 0 for these households. This module finds a clause that ends in a word of death
(去世, 病故, 病逝 …) and drops from the need's concept vector the illness concepts that only that
clause fires: the clause is encoded again with 家人 in place of what precedes the death word, and
an illness concept (or 重大疾病 above them) that then no longer fires is removed. Only illnesses
are dropped: a death by a road accident may still be a claim (赔偿), a sudden death is still an
emergency, and the death itself stays (丧亲, 家庭成员死亡). An illness named elsewhere in the text
(the widow's own 糖尿病) keeps its concept.

The encoder's flag ``_died`` (concepts.txt) picks the texts that can hold such a clause; only
those are searched, and only the (few) texts found are encoded again.
"""

from __future__ import annotations

import re
import weakref

import numpy as np

from .text import drop_rewritten

# a clause (after punctuation, at most 20 characters) that ends in a word of death
_CLAUSE = re.compile("[^，。；：！？,.;:!?\n|｜]{1,20}?(?=去世|病故|病逝|离世|过世|病死|亡故|逝世)")
_STANDIN = "家人"       # what precedes the death word in the text encoded again
_columns: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # encoder -> flag column
_allowed: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # encoder -> droppable


def _flag_column(encoder) -> int:
    hit = _columns.get(encoder)
    if hit is None:
        col = {encoder.lexicon.ids[c]: j for j, c in enumerate(encoder.flag_ids_)}
        hit = _columns[encoder] = col["_died"]
    return hit


def damp(encoder, texts: list[str], con: np.ndarray, flags: np.ndarray,
         illness: np.ndarray) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows for ``texts``, changed in place and
    renormalised) the illness concepts (``illness``: a bool mask over the concepts) that only
    a clause ending in a death fires; ``flags`` are the encoder's flags of the same texts."""
    died = _flag_column(encoder)
    if len(texts) <= 2:      # one need (its text and title): read the flags without arrays
        docs = [i for i in range(len(texts)) if flags[i, died]]
    else:
        docs = np.flatnonzero(flags[:, died]).tolist()
    docs = [i for i in docs if _CLAUSE.search(texts[i])]
    if not docs:
        return
    drop_rewritten(encoder, con, texts, docs, lambda t: _CLAUSE.sub(_STANDIN, t),
                   _droppable(encoder, illness))


def _droppable(encoder, illness: np.ndarray) -> np.ndarray:
    """The illness concepts and 重大疾病, the broad concept over 肺癌, 脑溢血 … (per encoder)."""
    hit = _allowed.get(encoder)
    if hit is None:
        hit = np.asarray(illness, bool).copy()
        ids = encoder.lexicon.ids
        if "serious_illness" in ids:
            hit[ids.index("serious_illness")] = True
        _allowed[encoder] = hit
    return hit
