"""A claim that is settled: 肇事方已赔偿, 工伤已赔完, 赔偿已经结清, 当年的赔偿早就花完了.

A household's record often tells how an accident or a death came about and that the other
side has paid. Plain matching reads 赔偿 (and the road accident or work injury, whose claims it
stands above in the taxonomy) as a compensation dispute and ranks legal aid — for a grieving
mother whose son's death was settled months ago, for a man whose work-injury money was paid and
spent years ago; across the diagnostic sets such pairs were graded 0. This module finds a text
that says the claim is settled and says nothing of it still being open (未到位, 拒绝, 拖着,
尚欠, 索赔 …), and drops the need's concept 赔偿纠纷 whatever fired it. The accident itself
stays (an emergency, an injury, a grief).
"""

from __future__ import annotations

import re

import numpy as np

from .text import scale_concepts

# the claim's word, then within the clause: paid, settled, or the money spent
_SETTLED = re.compile(
    "(?:赔偿|赔付|赔款|赔的钱|工伤|补偿)[^，。；：！？,.;:!?\n]{0,8}?(?:已经|已|早就|早已|早|都)(?:基本)?"
    "(?:赔完|赔清|结清|到位|付清|赔付|赔了|花完|用完|拿到|了结|处理完)"
    "|(?:已经|已|早已)(?:赔偿|赔付|赔完|结清|私了)")
# ... unless the text says the claim is still open
_OPEN = re.compile("未到位|没到位|未全额|不足额|未足额|没赔|不赔|未赔|拒绝|拒不|拖着|拖欠|尚欠"
                   "|还欠|不肯|至今未|一直没|没拿到|没给|不给|索赔|讨说法|打官司|起诉|仲裁")


def damp(texts: list[str], con: np.ndarray, compensation: int) -> None:
    """Drop the concept ``compensation`` (its column in ``con``: idf-weighted, L2-normalised
    rows for ``texts``, changed in place and renormalised) from the texts that say their
    claim is settled and not that it is open."""
    for i, text in enumerate(texts):
        if "赔" in text or "补偿" in text:    # a plain scan first: most texts name no claim
            if con[i, compensation] > 0 and _SETTLED.search(text) and not _OPEN.search(text):
                scale_concepts(con, i, [compensation], 0.0)
