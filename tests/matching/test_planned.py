"""A high school named as a plan of a junior-school pupil (matching/planned.py): the boarding
allowance the pupil can have now ranks above high-school aid, which is warned off by stage;
a plan that is the only stage named, and a university named as a plan, keep their stage."""

from __future__ import annotations

import datetime as dt
import json

from matching import OfferIndex, rank, rank_lines
from matching.stages import LEAVES

from .factories import make_need, make_offer

AS_OF = dt.date(2018, 3, 1)
WARN = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"

SENIOR = make_offer(id="SEN", title="普通高中家庭经济困难学生资助", categories=["education"],
                    description="普通高中在校生中的低保、低收入家庭学生，免除学杂费，每生每年"
                                "发放助学金2000元，住校生另补住宿费。")
BOARDING = make_offer(id="BOARD", title="义务教育阶段困难寄宿生生活补助",
                      categories=["education"],
                      description="义务教育阶段低保、低收入家庭的寄宿生，初中每生每年补助生活费"
                                  "1250元，小学1000元。")
FRESHMAN = make_offer(id="FRESH", title="困难家庭大学新生入学资助", categories=["education"],
                      description="当年考入全日制普通高校的低保、低收入家庭新生，一次性资助"
                                  "5000元。")


def _pupil(id_: str, text: str):
    return make_need(id=id_, title="学生住校伙食费困难", category="education",
                     description=text, beneficiary_age=14, urgency=1, amount_needed=None)


JUNIOR = _pupil("JUN", "女儿在镇中学读初二，住校，伙食费一个月四百多。孩子想读高中，以后的钱"
                       "心里没底。")


def _stages(need) -> set[str]:
    side = OfferIndex([SENIOR]).need_side([need])
    return set() if side.stage is None else {
        LEAVES[j] for j in range(len(LEAVES)) if side.stage[0][j]}


def test_a_high_school_hoped_for_is_not_the_stage_a_junior_pupil_is_in():
    assert _stages(JUNIOR) == {"stage_junior"}
    [got] = rank([JUNIOR], OfferIndex([SENIOR, BOARDING]), as_of=AS_OF, top=5)
    assert [r.offer_id for r in got.ranked] == ["BOARD", "SEN"]
    assert WARN in got.ranked[1].reasons


def test_a_high_school_named_as_the_only_stage_is_the_need_s_stage():
    alone = _pupil("NEXT", "孩子今年15岁，明年要上高中，家里拿不出学费和住宿费。")
    assert _stages(alone) == {"stage_senior"}
    [got] = rank([alone], OfferIndex([SENIOR, BOARDING]), as_of=AS_OF, top=5)
    assert got.ranked[0].offer_id == "SEN"
    assert WARN not in got.ranked[0].reasons


def test_a_university_hoped_for_by_a_senior_pupil_keeps_its_stage():
    senior = _pupil("SR", "儿子读高三，成绩不错，想考大学，家里担心考上以后的学费。")
    assert {"stage_senior", "stage_undergraduate"} <= _stages(senior)
    [got] = rank([senior], OfferIndex([FRESHMAN]), as_of=AS_OF, top=5)
    assert WARN not in got.ranked[0].reasons


def test_one_need_alone_and_in_a_batch_and_as_lines_agree():
    index = OfferIndex([SENIOR, BOARDING, FRESHMAN])
    other = _pupil("NEXT", "孩子今年15岁，明年要上高中，家里拿不出学费和住宿费。")
    [alone] = rank([JUNIOR], index, as_of=AS_OF, top=5)
    batch = rank([other, JUNIOR] * 3, index, as_of=AS_OF, top=5)[1]
    assert alone.to_json() == batch.to_json()
    lines = rank_lines([other, JUNIOR] * 3, index, as_of=AS_OF, top=5)
    assert json.loads(lines[1]) == batch.to_json()
