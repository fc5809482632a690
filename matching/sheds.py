"""A farm building struck, not a house: 大雪把四个大棚全压塌了, 羊棚压塌了, 鱼塘冲毁了.

A farmer's need after snow or a storm often tells of greenhouses, pens and ponds brought down
(大棚压塌, 羊棚倒了, 塘口冲垮), and often adds that the house is fine (房子还好没事). Plain matching
reads 压塌 and 倒塌 as a house's collapse, so rural house insurance and the rebuilding of
houses a disaster damaged ranked first; both pay for a house only, and graders gave them 0 for
such needs (the losses are a farm's: emergency relief, farm insurance, a loan to rebuild).
This module finds a clause where such a structure is struck (the structure, a few words, the
verb; or the verb, then the structure) and drops from the need's concept vector the house
concepts that only those clauses fire: a need whose house fell too (房子也塌了) keeps them.
"""

from __future__ import annotations

import re

import numpy as np

from .text import drop_rewritten, texts_matching

# what a farm has besides its house (棚屋 and a shed one lives in are a house: 住在棚里)
_SHED = ("(?:蔬菜|塑料|钢架|养殖|种植)?大棚|菜棚|(?:[羊猪牛鸡鸭鹅兔]|养殖)(?:棚|圈|舍)"
         "|温室|鱼塘|蟹塘|虾塘|塘口|[个座只]棚(?!屋)|棚子")
_STRUCK = ("压塌|压垮|压倒|压坏|压扁|倒塌|塌了|塌掉|坍塌|吹翻|吹倒|吹塌|掀翻|掀了|冲毁|冲垮|冲塌"
           "|淹了|被淹"
           # … and what is done to it after (把棚子翻新, 贷款重建大棚)
           "|重建|翻新|修缮|加固|重搭")
_CLAUSE = re.compile(f"(?:{_SHED})[^，。；：！？,.;:!?\\n|｜\\x00]{{0,8}}?(?:{_STRUCK})"
                     f"|(?:{_STRUCK})了?[^，。；：！？,.;:!?\\n|｜\\x00]{{0,4}}?(?:{_SHED})")
_SHED_CHAR = re.compile("[棚塘圈舍室]")
_STANDIN = "农棚受损"
# what the clause may take back: the house's troubles
DROPPABLE = ("house_danger", "house_unsafe", "house_collapse", "house_wall", "house_roof",
             "house_old")


def damp(encoder, texts: list[str], con: np.ndarray, droppable: np.ndarray) -> None:
    """Drop from ``con`` (idf-weighted, L2-normalised rows for ``texts``, changed in place and
    renormalised) the concepts of ``droppable`` (bool over the concepts: a house's troubles)
    that only a clause of a farm building struck fires."""
    # the clause's structures all hold one of these characters: one pass of a character class
    # over the batch (the clause's alternation, run over every text, cost as much as ranking a
    # tenth of the needs), then the clause over the few texts that have one
    docs = [i for i in texts_matching(texts, _SHED_CHAR, few=2) if _CLAUSE.search(texts[i])]
    if docs:
        drop_rewritten(encoder, con, texts, docs, lambda t: _CLAUSE.sub(_STANDIN, t),
                       droppable)
