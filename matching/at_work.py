"""An injury at work told as what happened: 在工地搭脚手架时摔下, 出海时被缆绳打断左腿, 在厂里左手
被机器轧了.

A work injury (工伤) is what the programmes for it answer (工伤认定, a migrant workers' legal-aid
channel that takes an employer's refusal to pay for one, a union's legal aid), and the
taxonomy's node 工伤 names it in its common words (工地摔伤, 干活时受伤). But a record often tells
the place and the injury with other words between them (工地搭脚手架时摔下, 渔船…出海时被缆绳打断),
which the terms' n-grams do not reach, and the need then meets those programmes only by the
words of an accident (across the diagnostic sets the work-injury programme, graded 3, came
sixth behind health insurance for a man who fell from a scaffold). This module reads a clause
that names a place or time of work and then an injury, and lights 工伤 and the concepts above it
(意外事故, 赔偿纠纷 …) where no term did, at the weights they have when the text names 工伤.
An injury long before the need (2010年在工地摔伤; past.py) is history, not lit.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from . import past
from .text import light_as_named, texts_matching

# a place or time of work, then in the same sentence (within 20 characters) an injury; never
# across the separator of a batch's joined texts
_AT_WORK = re.compile(
    "(?:工地|脚手架|厂里|厂房|车间|流水线|船上|渔船|出海|干活|上班时|做工|施工|务工时|搬运|装卸"
    "|作业)[^。；;！？!?\n\x00]{0,20}?(?:摔|砸|轧|绞|夹伤|夹断|烫伤|烧伤|炸伤|受伤|骨折|打断"
    "|截肢|弄伤|切断|碾)")
_TERM = "工伤"       # the node's own term, encoded to read the weights it lights


def mark(encoder, texts: list[str], con: np.ndarray, created: list[dt.date | None],
         concept: int, lit: np.ndarray) -> None:
    """Light ``lit`` (bool over the concepts: 工伤, column ``concept``, and the concepts
    above it) in the rows of ``con`` (idf-weighted, L2-normalised, changed in place) of the
    needs' own texts (the first ``len(created)`` of ``texts``; their titles follow) that tell
    an injury at work that no term of 工伤 lit, each at the weight it has when the text names
    工伤 (``text.light_as_named``)."""
    own = texts[:len(created)]
    for i in texts_matching(own, _AT_WORK):
        if con[i, concept] > 0:
            continue
        m = _AT_WORK.search(own[i])
        if not past.long_ago(own[i], created[i], m.start(), m.end()):
            light_as_named(encoder, con, i, own[i], _TERM, lit)
