"""A high school named as a plan, not as the stage a pupil is in: 初二住校生…孩子想读高中.

A junior-school pupil's need often says what the family hopes for next (爸妈说无论如何要供我读
高中, 孩子想读高中，以后的钱心里没底). Plain matching reads 高中 as the pupil's stage, so
``stage`` no longer warns off 普通高中 aid, which then ranks above the boarding allowance the
pupil can have now. High-school aid is applied for once the pupil is enrolled there; graders
gave it 0 for such needs. This module finds a clause that names a high-school stage (高中,
中专, 技校, 职高 …) after a word of intent (想, 要, 打算, 希望, 将来, 以后, 明年, 供 …) and a
verb of schooling (读, 上, 考), or after 升 (升高中以后的费用), and drops from the need's concept
vector the high-school stage concepts that only that clause fires — only when the rest of the
text names an earlier stage (初二, 小学 …), or 普通高中 when the plan is another high school (曲塘
中学高一…实在不行下学期去读职校: a switch the mother threatens, not the pupil's school): a need that
names no other stage (明年要上高中) is a need for that stage.
A university named as a plan is left alone: university aid (新生入学资助, 生源地贷款) is applied
for in the summer before enrolment, and graders rated it for 高三 pupils who hope to go.
"""

from __future__ import annotations

import re

import numpy as np

from .text import drop_rewritten, texts_holding

# a word of intent, at most four characters, then 读/上/考 and a high-school stage
_CLAUSE = re.compile(
    "(?:(?:想|要|打算|准备|希望|将来|以后|明年|供|下半年|下学期|九月|秋天|毕业后|中考后"
    "|中考完|初中毕业)"
    "[^，。；：！？,.;:!?\n|｜\x00]{0,4}?(?:读|上|考|念)(?:上|进|个)?"
    # the entrance examination (老师讲考高中没问题, 考个高中有希望) is ahead of a pupil of an
    # earlier stage
    "|考(?:上|进|个)?"
    # or the step itself (升高中以后的费用, 升入中专): a pupil in the stage is in it, not rising
    "|升(?:入|上)?)(?:普通高中|普高|高中|中专|技校|职高|职校|中职)")
_STANDIN = "升学"
# every match of _CLAUSE ends in one of these
_STAGE_WORDS = ("普通高中", "普高", "高中", "中专", "技校", "职高", "职校", "中职")
# the stages named elsewhere that make the clause a plan (an earlier stage in the text, or the
# general high school a pupil who may switch to a vocational one is in: the clause's own stage,
# when it is 高中, is fired outside the clause too and stays)
EARLIER = ("stage_primary", "stage_junior", "compulsory_school", "stage_senior")
# what the clause may take back: the high-school stages
DROPPABLE = ("stage_senior", "stage_voc_secondary", "high_school")


def damp(encoder, texts: list[str], con: np.ndarray, droppable: np.ndarray,
         earlier: np.ndarray) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows for ``texts``, changed in place and
    renormalised) the concepts of ``droppable`` (bool over the concepts: the high-school
    stages) that only a plan clause fires, in the texts whose rewritten form still names a
    stage of ``earlier`` (bool over the concepts)."""
    docs = _clause_docs(texts)
    if not docs:
        return
    rewritten = [_CLAUSE.sub(_STANDIN, texts[i]) for i in docs]
    still = (encoder.firings(rewritten)[:, earlier] > 0).any(axis=1)
    docs = [i for i, ok in zip(docs, still.tolist(), strict=True) if ok]
    if docs:
        drop_rewritten(encoder, con, texts, docs, lambda t: _CLAUSE.sub(_STANDIN, t),
                       droppable)


def _clause_docs(texts: list[str]) -> list[int]:
    """Indices of the texts that hold a plan clause: only the texts that name a stage it can
    end in are searched."""
    return texts_holding(texts, _STAGE_WORDS, _CLAUSE)
