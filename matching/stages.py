"""School stages: which stages of schooling a text names (feature ``stage``).

Student aid is paid by stage (全国学生资助管理中心: 学前, 义务教育, 普通高中, 中职, 高职/本科 …): a
中职 fee waiver does not pay a 高二 pupil's costs, a 普通高中 grant not a 中专 student's. The
stages are the taxonomy's ``stage_*`` nodes (section "school stages" of taxonomy.txt); a text
that names only a broader node (高中阶段, 大学, 义务教育) names every stage under it.
"""

from __future__ import annotations

import numpy as np

from .text import ZERO_F32

# the taxonomy's stage nodes, youngest first; the broader nodes are read from their parent
# links (义务教育 = 小学 + 初中, 高中 = 普通高中 + 中职, 大学 = 高职 + 本科 + 研究生)
LEAVES = ("stage_preschool", "stage_primary", "stage_junior", "stage_senior",
          "stage_voc_secondary", "stage_voc_higher", "stage_undergraduate",
          "stage_postgraduate")
# the stages of a university (an offer for students already there is not for a pupil in 高三)
COLLEGE = ("stage_voc_higher", "stage_undergraduate", "stage_postgraduate")
# the broader nodes (concepts.txt) whose stages are read from the leaves' parent links;
# other parents of a stage (儿童 and 学生 of 学前, 技能培训 of 中职) are no stages
GROUPS = ("compulsory_school", "high_school", "college")


# the ages at which a child is commonly at each stage (LEAVES' order), generously: a need that
# names no stage but a child's age is at one of these (a 9-year-old is at no university).
# Read for children up to AGE_READ only: an adult's age may be a parent's, applying for a child
_AGES = ((2, 7), (5, 14), (11, 17), (14, 20), (14, 21), (16, 99), (16, 99), (20, 99))
AGE_READ = 15


class StageReader:
    """Reads the stages named in concept vectors (rows over the lexicon's concepts)."""

    def __init__(self, ids: list[str], parents) -> None:
        # 学费资助 (concepts.txt) and the taxonomy's aid nodes under it: what makes a programme
        # student aid (学前教育资助, 中职免学费 … light it on the offer side)
        self.aid_col = ids.index("tuition")
        self.leaf_cols = np.array([ids.index(x) for x in LEAVES if x in ids], np.int64)
        self.college = np.array([ids[c] in COLLEGE for c in self.leaf_cols], bool)
        groups: dict[int, list[int]] = {}
        for j, c in enumerate(self.leaf_cols):
            for p in parents[c]:
                if ids[p] in GROUPS:
                    groups.setdefault(int(p), []).append(j)
        self.group_cols = np.array(sorted(groups), np.int64)
        # group x leaves (bool): the stages each broader node stands for
        self.group_leaves = np.zeros((len(self.group_cols), len(self.leaf_cols)), bool)
        for g, p in enumerate(self.group_cols):
            self.group_leaves[g, groups[int(p)]] = True
        self.cols = np.r_[self.leaf_cols, self.group_cols]
        self._ages = [_AGES[LEAVES.index(ids[c])] for c in self.leaf_cols]
        self._lo, self._hi = (np.array(x, np.float32) for x in zip(*self._ages, strict=True))
        self._group_lists = [np.flatnonzero(g).tolist() for g in self.group_leaves]

    def read(self, con: np.ndarray) -> np.ndarray | None:
        """Stages named by each row (bool, rows x stages), None when no row names any (the
        common case for one need: a few array calls, then nothing). A broader node counts for
        its stages only when the row names none of them itself: a need's vector lights the
        ancestors of what it names (中职 lights 高中 too), and 中职 must stay 中职."""
        if len(con) == 1:
            return self._read_one(con[0])
        lit = con.take(self.cols, axis=1) > 0
        if not lit.any():
            return None
        k = len(self.leaf_cols)
        leaf, group = lit[:, :k], lit[:, k:]
        if not group.any():
            return leaf
        # a broader node whose own stages are all unnamed: it stands for all of them
        alone = group & ~(leaf.astype(np.int8) @ self.group_leaves.T.astype(np.int8) > 0)
        return leaf | (alone.astype(np.int8) @ self.group_leaves.astype(np.int8) > 0)

    def by_age(self, stage: np.ndarray | None, ages: np.ndarray) -> np.ndarray | None:
        """``stage`` with the stages a child's age allows for the rows that name none (and
        whose ``ages`` is at most AGE_READ); None when no row has either."""
        young = ages <= AGE_READ          # nan (no age) is not
        if stage is not None:
            young &= ~stage.any(axis=1)
        if not young.any():
            return stage
        out = np.zeros((len(ages), len(self.leaf_cols)), bool) if stage is None else stage.copy()
        a = ages[young, None]
        out[young] = (a >= self._lo) & (a <= self._hi)
        return out

    def by_age_one(self, stage: np.ndarray | None, age: int | None) -> np.ndarray | None:
        """``by_age`` of one need (the match page: no array work for an adult or a need
        that names its stage)."""
        if age is None or age > AGE_READ or stage is not None:
            return stage
        return np.array([[lo <= age <= hi for lo, hi in self._ages]], bool)

    def _read_one(self, con: np.ndarray) -> np.ndarray | None:
        """``read`` of one row in Python lists (one need: fewer numpy calls than values)."""
        fired = (con.take(self.cols) > ZERO_F32).tolist()   # (text.py: a 0-d zero)
        if True not in fired:
            return None
        k = len(self.leaf_cols)
        leaf, out = fired[:k], fired[:k]
        for on, leaves in zip(fired[k:], self._group_lists, strict=True):
            if on and not any(leaf[j] for j in leaves):
                for j in leaves:
                    out[j] = True
        return np.array([out], bool)
