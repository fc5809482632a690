"""Kinds of failure found by reading where data/match-freshc (new cases, new programmes) fell
(the education, employment, housing, legal, emergency and basic-living needs); every sentence
here is invented for the test, none is taken from that set.

- A school grade said with the colloquial verb 念 (念高三 = 读高三): the stage and the
  ``_enrolled`` flag, so a new-student grant warns a pupil still at school.
- People released from prison (刑满释放人员, 刚出狱) and the 安置帮教 programme that serves them;
  出狱 alone is not one (a child whose father has not come out yet).
- Injuries by a machine (机械伤害: a hand caught in a press) are work injuries.
- 突发 is a sudden illness as often as an accident (突发脑溢血, 突发疾病): it alone no longer
  fires 意外事故 (突发意外 and 突发事故 do).
- Diseases of the digestive system (急性胰腺炎, 胆结石, 肠梗阻) are named illnesses, so a fund for
  other illnesses (a rare-disease fund) warns such a patient.
- 全日制 (full-time) is said of any school (全日制中职, 全日制普通高中): alone it no longer makes a
  text about a university (全日制普通高校, 全日制本科 still do).
- The kindergarten fee by its official name (保育教育费, 保教费, 保育费) and 学前资助 are
  学前教育资助.
- Low mood in set phrases (唉声叹气, 茶饭不思, 愁眉苦脸) is 情绪低落.
"""

from __future__ import annotations

import datetime as dt

import pytest

from matching import OfferIndex, rank

from .factories import fired, make_need, make_offer

AS_OF = dt.date(2018, 3, 1)


@pytest.mark.parametrize(
    "text, concepts",
    [
        ("我家小子在镇上中学念高二，学费凑不齐", {"stage_senior", "_enrolled"}),
        ("外孙女在省城念大三，生活费没着落", {"college", "_enrolled"}),
        ("老二念初二，老大刚工作", {"stage_junior", "_enrolled"}),
    ],
)
def test_a_grade_said_with_nian_is_a_stage_and_enrolled(text, concepts):
    assert concepts <= fired(text)


@pytest.mark.parametrize(
    "text",
    ["丈夫去年刑满释放，在家闲着，想找个活干", "他刚出狱两个月，身份证还没办",
     "表哥出狱后一直找不到事做"],
)
def test_a_released_prisoner_is_one(text):
    assert "released_prisoner" in fired(text)


def test_a_programme_for_released_prisoners_serves_them():
    assert {"resettle_help", "released_prisoner"} <= fired("对刑释人员开展安置帮教，推荐就业")


def test_a_father_still_in_prison_is_no_released_prisoner():
    assert "released_prisoner" not in fired("孩子父亲还在服刑，要到后年才能出狱，母亲改嫁")


@pytest.mark.parametrize(
    "text",
    ["在五金厂上班时右手被机器压伤，厂里只给了两千块", "弟弟在木材厂做工，胳膊卷进机器里",
     "去年在冲床上干活，两根手指没了"],
)
def test_a_machine_injury_is_a_work_injury(text):
    assert {"machine_injury", "work_injury"} <= fired(text)


@pytest.mark.parametrize(
    "text",
    ["母亲自从下岗后天天唉声叹气", "儿子走后她茶饭不思，人瘦了一圈", "爷爷这几个月总是愁眉苦脸的"],
)
def test_low_mood_in_set_phrases_is_low_mood(text):
    assert {"depression_anxiety", "psych"} <= fired(text)


@pytest.mark.parametrize("text", ["父亲上个月突发脑出血，送到县医院抢救", "家里老人突发心脏病"])
def test_a_sudden_illness_is_no_accident(text):
    assert "accident" not in fired(text)


@pytest.mark.parametrize("text", ["家中突发意外，丈夫受伤", "工厂突发事故，三人受伤"])
def test_a_sudden_accident_is_still_one(text):
    assert "accident" in fired(text)


@pytest.mark.parametrize("text", ["女儿得了急性胰腺炎，住院十多天", "老伴胆结石发作要开刀"])
def test_a_digestive_disease_is_an_illness_already_had(text):
    assert {"digestive", "_existing"} <= fired(text)


def test_a_fund_for_other_illnesses_warns_a_pancreatitis_patient():
    need = make_need(title="儿子急性胰腺炎住院", description="儿子14岁，急性胰腺炎住院两周，"
                     "已欠医院五万元。", beneficiary_age=14)
    fund = make_offer(id="RARE", title="罕见病患儿用药援助",
                      description="资助确诊庞贝病、戈谢病、血友病的困难家庭患儿购买特殊药品。")
    got = rank([need], OfferIndex([fund]), as_of=AS_OF)[0]
    assert "注意: 专病项目，需求所患疾病不在其列" in got.ranked[0].reasons


def test_full_time_alone_is_no_university():
    assert "college" not in fired("职业高中全日制在校生每人每年补助1500元")


def test_a_full_time_university_is_one():
    assert "college" in fired("资助全日制普通高校困难学生")


@pytest.mark.parametrize("text", ["孙女上幼儿园，这学期保育费还没交", "想问问学前资助怎么申请"])
def test_the_kindergarten_fee_and_its_aid_are_preschool_aid(text):
    assert "pre_aid" in fired(text)
