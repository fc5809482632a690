"""A court case over property or a contract: no ground for the state's judicial aid.

国家司法救助 (中政委〔2014〕3号) helps crime victims and parties whose judgment for an injury, a
death, support (赡养费, 抚养费, 扶养费) or pay cannot be enforced; a dispute over a loan, a sale,
a lease or another contract is left out ("民间借贷、买卖合同等一般财产纠纷的当事人除外"). A need
that records such a case (案由：民间借贷纠纷; 买卖合同纠纷一案, 执行不能) names a judgment that
cannot be enforced, and plain matching read that as the aid's ground (feature ``answers``,
concept unenforced), so a creditor of a nephew's loan and a haulier whose freight bill went
unpaid met the judicial aid first. This module drops ``unenforced`` from the need's concept
vector when its text names a property or contract case and no case of the aid's kinds.
"""

from __future__ import annotations

import re

import numpy as np

from .text import rows_lit, scale_concepts

# the cases over property and contracts (the 案由 of the civil courts' list)
_PROPERTY = re.compile("(?:民间借贷|借款合同|买卖合同|租赁合同|运输合同|承揽合同|建设工程|房屋买卖|"
                       "信用卡|金融借款|返还原物|合伙|物权|债权|服务合同)(?:合同)?纠纷")
# … and the aid's kinds: an injury or a death, support, pay, a crime
_PERSONAL = re.compile("人身损害|交通事故|提供劳务者受害|帮工人受害|健康权|生命权|身体权|故意伤害"
                       "|赡养|抚养|扶养|劳动争议|劳务合同|劳动报酬|拖欠工资|欠薪|工伤|刑事|被害人|医疗损害")


def damp(texts: list[str], con: np.ndarray, col: int, n: int) -> None:
    """Drop the concept ``col`` (unenforced; its column in ``con``: idf-weighted,
    L2-normalised rows for ``texts``, changed in place and renormalised) from the needs whose
    text names a property or contract case and none of the aid's kinds. ``texts``: the ``n``
    needs' texts, then their titles; a title's row is judged on its need's text."""
    for i in rows_lit(con, col):
        text = texts[i % n]
        if _PROPERTY.search(text) and not _PERSONAL.search(text):
            scale_concepts(con, i, [col], 0.0)
