"""Statuses a programme can be for (feature ``status``).

Some programmes are for people of one status that the spec has no group code for and that
a person either holds or not: 退役军人 (困难退役军人帮扶), 刑满释放人员 (安置帮教), 计划生育特殊家庭
(失独 families), victims of family violence (受暴妇女庇护). Every hard rule passes them for
anyone, and their descriptions share broad words with many needs (就业, 基本生活, 心理疏导), so
they ranked for a grandmother raising her grandson or a laid-off mother. A programme is for a
status when its **title** names it (a description's list of who else may apply is no
restriction); a need holds it when its text names the status or anything under it in the
taxonomy (虐待 of a child is family violence). Children without care (孤儿, 事实无人抚养儿童)
are left out: that status is a definition (one parent dead, the other 失联 …) that needs put
in too many words (母亲改嫁后断了联系) to read it reliably.
"""

from __future__ import annotations

import numpy as np

# the taxonomy's status nodes (taxonomy.txt); a programme's title lights them directly or
# through the node it is a kind of (安置帮教 serves 刑满释放人员)
STATUSES = ("veteran", "released_prisoner", "fp_special", "fam_violence")


class StatusReader:
    """Reads the statuses in concept vectors (rows over the lexicon's concepts)."""

    def __init__(self, ids: list[str]) -> None:
        self.cols = np.array([ids.index(s) for s in STATUSES if s in ids], np.int64)

    def read(self, con: np.ndarray) -> np.ndarray | None:
        """Statuses each row names (bool, rows x statuses), None when no row names any."""
        lit = con.take(self.cols, axis=1) > 0
        return lit if lit.any() else None
