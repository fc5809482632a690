"""Kinds of failure found by reading where data/match-freshc (new cases, new programmes) fell
(the education, employment, housing, legal, emergency and basic-living needs); every sentence
here is invented for the test, none is taken from that set.

- A school grade said with the colloquial verb 念 (念高三 = 读高三): the stage and the
  ``_enrolled`` flag, so a new-student grant warns a pupil still at school.
"""

from __future__ import annotations

import datetime as dt

import pytest

from .factories import fired

AS_OF = dt.date(2018, 3, 1)


@pytest.mark.parametrize(
    "text, concepts",
    [
        ("我家小子在镇上中学念高二，学费凑不齐", {"stage_senior", "_enrolled"}),
        ("外孙女在省城念大三，生活费没着落", {"stage_undergraduate", "_enrolled"}),
        ("老二念初二，老大刚工作", {"stage_junior", "_enrolled"}),
    ],
)
def test_a_grade_said_with_nian_is_a_stage_and_enrolled(text, concepts):
    assert concepts <= fired(text)
