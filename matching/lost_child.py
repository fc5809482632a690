"""An only child who died, told as people tell it: 就一个儿子，〇九年出车祸没的; 只有一个女儿，
前年得白血病走了; 伊拉只有一个囡，前年车祸没脱.

Such parents are a family-planning special family (计划生育特殊家庭, 失独) and grieve (丧亲哀伤):
the taxonomy's terms name them (失独, 独生子女去世, 唯一的儿子), but a record puts the years, the
place and the cause between the one child and the death, which the terms' n-grams do not reach.
Over dev and the read diagnostic sets 30 needs say so; in every one the family-planning
programme, where the set had one, was graded 2 or 3. This module reads such a clause and lights
计划生育特殊家庭 and 丧亲哀伤, with the concepts above them, where no term did, at the weights
they have when the text names 失独.
"""

from __future__ import annotations

import re

import numpy as np

from .text import light_as_named, texts_matching

_STOP = "。；;！!？?\n\x00"
# another person of the family, whose death the words after it may tell (就一个儿子，在上海，
# 老伴去年走了)
_OTHER = "老伴|老头|老太|丈夫|妻子|老公|老婆|媳妇|女婿|孙|父亲|母亲|爸|妈|爹|娘"
# the one child (就一个儿子, 只有一个囡, 就这一个伢儿), then within its sentence (32 characters:
# the year, the road, the vehicle, the age) and before anyone else is named, the death;
# 没脱 is the Wu speech's 没了, 没得了 the Jianghuai speech's
_LOST = re.compile(
    "(?:就|只有|只|仅|就这么|就这)(?:一个|一)(?:儿子|女儿|伢儿|孩子|小囡|闺女|囡|丫头|小人)"
    f"(?:(?!{_OTHER})[^{_STOP}]){{0,32}}?"
    "(?:没了|没得了|没的|没脱|走了|走掉|走的|去世|死了|死的|病故|病逝|离世|过世|淹死|夭折)")
# the one child's words without what comes before them: a pattern that starts with a literal
# (一) is searched by C, and spares the texts where no child is one the full pattern (a batch's
# hundred thousand and one need's two alike)
_ONE_CHILD = re.compile("一个?(?:儿子|女儿|伢儿|孩子|小囡|闺女|囡|丫头|小人)")
_TERM = "失独"       # the nodes' own term, encoded to read the weights it lights


def mark(encoder, texts: list[str], con: np.ndarray, n: int, concept: int,
         lit: np.ndarray) -> None:
    """Light ``lit`` (bool over the concepts: 计划生育特殊家庭, column ``concept``, 丧亲哀伤 and
    the concepts above them) in the rows of ``con`` (idf-weighted, L2-normalised, changed in
    place) of the first ``n`` texts (the needs' own) that tell an only child's death where no
    term of it did, each at the weight it has when the text names 失独."""
    own = texts[:n]
    for i in texts_matching(own, _ONE_CHILD, few=2):     # one need: its text and title
        if con[i, concept] <= 0 and _LOST.search(own[i]):
            light_as_named(encoder, con, i, own[i], _TERM, lit)
