"""A death spoken of as still to come: 我死了他怎么办, 等他死了让儿子来还.

A parent who cares for a disabled son says 我死了他怎么办; an old man who owes a shop says 等他
死了让儿子来还. Their 死了 is the death words' most common form, and the need's flags read it as
a death in the family: a child's parents gone (support for orphans then fits) and a pensioner's
children gone (support for 特困人员, for people no one is bound to keep, then fits). Over all the
labelled sets 16 of the 17 needs with such a phrase spoke of the speaker's own death to come.
This module reads the flags of a death again, for the texts that hold such a phrase, with the
phrase taken out: a death told elsewhere in the text (丈夫前年去世) still counts.
"""

from __future__ import annotations

import re

import numpy as np

from .text import reread_flags

# 我死了 (the speaker is alive), or a death after 等, 要是, 万一, 哪天: 等他死了, 我要是死了, 哪天
# 我死了以后, or one no one would know of (跌死了都没得人晓得). 他死了以后 alone is left: a record
# says so of a death that happened
_FORESEEN = re.compile("(?:等|要是|万一|哪天)[我他她]?(?:要是|万一|哪天)?死了(?:以后|之后)?"
                       "|[我他她](?:要是|万一|哪天)死了(?:以后|之后)?|我死了(?:以后|之后)?"
                       # the fear of dying alone: 跌死了都没得人晓得, 死了都没人知道
                       "|[跌摔病饿冻]?死了都(?:没|不)")


def clear(encoder, texts: list[str], flags: np.ndarray, cols: np.ndarray) -> None:
    """Read again, in place, the death flags ``cols`` (columns of ``flags``, the encoder's
    ``flag_ids_`` order) of the texts that speak of a death to come, without those phrases."""
    # every phrase ends in 死了: a substring test (C speed) finds the few texts worth the
    # pattern, whose optional lead words leave the regex engine no literal to scan for
    docs = [i for i, t in enumerate(texts) if "死了" in t and _FORESEEN.search(t)]
    reread_flags(encoder, texts, docs, _FORESEEN, flags, cols)
