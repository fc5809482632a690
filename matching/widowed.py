"""A spouse's death is no child's: 老伴2012年去世，两个女儿嫁在本县; 丈夫去年病故，儿子在南京打工.

Support for 特困人员 is for people no one is bound to keep (feature ``kin``): a need that names a
child is warned off it, unless it also tells a death in the family (flag ``_kin_died``), for the
child named may be the one who died. Most such deaths are a spouse's (老伴走了, 丈夫病故), and
then the children named are alive and bound to keep the widow: over dev and the read diagnostic
sets, where a need named a child and a spouse's death, 特困 support in its first three was
graded 0 in 48 of 59 pairs. This module reads the flag again, for the texts that tell a
spouse's death, with those clauses taken out: a child's death told elsewhere (儿子前年车祸没了)
still counts.
"""

from __future__ import annotations

import re

import numpy as np

from .text import reread_flags

_STOP = "，,。；;！!？?\n"
# the spouse, then within the clause (12 characters: the year, the illness; no child between:
# 老伴和儿子都走了) the death
_SPOUSE_DIED = re.compile(
    "(?:老伴|老头子|老太婆|丈夫|老公|妻子|老婆|爱人|前夫)"
    f"[^{_STOP}儿女孩伢囡]{{0,12}}?"
    "(?:去世|走了|没了|病故|病逝|过世|死了|走的|死的|亡故|离世|故世)")
_SPOUSES = ("老伴", "老头子", "老太婆", "丈夫", "老公", "妻子", "老婆", "爱人", "前夫")


def clear(encoder, texts: list[str], flags: np.ndarray, col: int, child: int) -> None:
    """Read again, in place, the flag of a death in the family (column ``col`` of ``flags``,
    the encoder's ``flag_ids_`` order) of the texts that name a child (flag column ``child``)
    and tell a spouse's death, without that death. (A text that names no child keeps it: the
    feature reads the spouse it names as gone.)"""
    # a batch's few texts with both flags found by numpy; one need's two read one by one (its
    # numpy calls would cost more than the two reads)
    rows = range(len(texts)) if len(texts) <= 2 \
        else np.flatnonzero(flags[:, col] & flags[:, child]).tolist()
    docs = [i for i in rows if flags[i, col] and flags[i, child]
            and any(w in texts[i] for w in _SPOUSES) and _SPOUSE_DIED.search(texts[i])]
    reread_flags(encoder, texts, docs, _SPOUSE_DIED, flags, np.array([col]))
