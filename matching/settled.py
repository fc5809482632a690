"""A claim that is settled (肇事方已赔偿, 工伤已赔完, 当年的赔偿早就花完了, 赔偿款还了房贷) or
never raised (父亲2015年车祸身亡, 三年前车祸截去左小腿).

A household's record often tells how an accident or a death came about and that the other
side has paid. Plain matching reads 赔偿 (and the road accident or work injury, whose claims it
stands above in the taxonomy) as a compensation dispute and ranks legal aid — for a grieving
mother whose son's death was settled months ago, for a man whose work-injury money was paid and
spent years ago; across the diagnostic sets such pairs were graded 0. This module finds a text
that says the claim is settled and says nothing of it still being open (未到位, 拒绝, 拖着,
尚欠, 索赔 …), and drops the need's concept 赔偿纠纷 whatever fired it. The accident itself
stays (an emergency, an injury, a grief).

A road accident or a work injury lights 赔偿纠纷 as its parent, and so legal aid, even where the
text names the accident only as what befell the family (a father killed years ago, a leg lost
in a crash) and no claim at all. Across the diagnostic sets, legal-aid offers were graded 0 or
1 for every need naming a road accident and no word of a claim (58 pairs) and for all but two
of those naming a work injury (38 pairs; the two: 老板只给了5000元, a partial payment). A text
with no word of a claim, a dispute or the law (``_CLAIM``) drops 赔偿纠纷 too.

A settled claim whose case is over (本案已结案, 官司…打完: a lawyer's closing visit, a man whose
work-injury suit was won) drops 法律援助 as well: the lawyers' words then tell what was done,
and legal aid was graded below the wheelchair and the training the man asked for.
"""

from __future__ import annotations

import re

import numpy as np

from .text import rows_lit, scale_concepts

# the claim's word, then within the clause: paid, settled, or the money spent
_SETTLED = re.compile(
    "(?:赔偿|赔付|赔款|赔的钱|工伤|补偿)[^，。；：！？,.;:!?\n]{0,8}?(?:已经|已|早就|早已|早|都)(?:基本)?"
    "(?:赔完|赔清|结清|到位|付清|赔付|赔了|花完|用完|拿到|了结|处理完|到账|到(?=[，。；！？,.;!?\n]))"
    "|(?:已经|已|早已)(?:赔偿|赔付|赔完|结清|私了)"
    # the money received and spent on debts (赔偿款大部分还了房贷, 赔的钱还了贷款就差不多了)
    "|(?:赔偿款|赔偿金|赔款|赔的钱)[^，。；：！？,.;:!?\n]{0,6}?(?:还了|还掉|还清|拿去还|用来还|用于还)"
    # the money the judgment awarded has come (判决…赔偿，款项已全部到位)
    "|(?:款项|赔偿款|赔款)(?:已经|已)(?:全部)?(?:到位|到账)")
# the case itself is over (本案已结案, 官司…打完): the law has nothing left to do for them
_CLOSED = re.compile("已(?:经)?结案|官司[^，。；：！？,.;:!?\n]{0,16}?打完")
# ... unless the text says the claim is still open
_OPEN = re.compile("未到位|没到位|未全额|不足额|未足额|没赔|不赔|未赔|拒绝|拒不|拖着|拖欠|尚欠"
                   "|还欠|不肯|至今未|一直没|没拿到|没给|不给|索赔|讨说法|打官司|起诉|仲裁")


# any word of a claim, a dispute or the law: its absence says no claim was raised (broad on
# purpose: a text keeps 赔偿纠纷 when in doubt)
_CLAIM = re.compile("赔|补偿|肇事|索|私了|损害|官司|律师|起诉|诉讼|仲裁|维权|讨|说法|要回|告|法律"
                    "|纠纷|协商|调解|责任|交警|逃逸|跑了|不管|不认|认定|拖|欠|不给|不付|垫付"
                    "|只给|只出|只付|只赔|了事")


def damp(texts: list[str], con: np.ndarray, compensation: int, n: int,
          legal: int | None = None) -> None:
    """Drop the concept ``compensation`` (its column in ``con``: idf-weighted, L2-normalised
    rows for ``texts``, changed in place and renormalised) from the needs whose text says
    their claim is settled and not that it is open, or names no claim at all; and ``legal``
    too where the text says the case is over (``_CLOSED``: a lawyer's words then tell what was
    done, 经指派律师代理诉讼…本案已结案). ``texts``: the ``n`` needs' texts, then their titles;
    a title's row is judged on its need's text (a title says 父亲车祸去世, its text 追讨赔偿款)."""
    for i in rows_lit(con, compensation):
        text = texts[i % n]
        if not _CLAIM.search(text):
            scale_concepts(con, i, [compensation], 0.0)
        elif _SETTLED.search(text) and not _OPEN.search(text):
            over = legal is not None and _CLOSED.search(text)
            scale_concepts(con, i, [compensation, legal] if over else [compensation], 0.0)
