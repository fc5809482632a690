"""Kinds read where the twenty-ninth session's fifth batch of blind sets fell; every sentence
here is invented for the test, none is taken from a set.

高职高专 (a college's levels) holds the letters of 职高 (a vocational high school): a college
programme that lists it is no programme for a pupil of a high school.

A school year said with 了 or a child after it (儿子高二了, 高一女孩) is the pupil's stage.

A programme that leaves a group out of this round (初中生不在这一批) is not for that group.

A student loan the family already holds, told without 已 (大一就在县里办了贷款, 学费是贷的,
借了贷款) ranks below the grant for the living costs still missing, with the reason that says so.

Cuts on an arm (手臂上一道一道划的) are self-harm.

A roof the wind has torn (台风把屋顶掀了) is damage that has happened: a house insurance to buy
is warned as a cover for what may come.
"""

from __future__ import annotations

from .factories import make_need, make_offer, ranked

STAGE = "注意: 学生资助按学段发放，需求中的学生不在本项目所列学段"
PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"

SENIOR = make_offer(id="GZ", title="爱心助学（高中在读）", categories=["education"],
                    description="资助家庭困难的普通高中在读学生，每人每学年1500元，由学校统一申报。",
                    provider_type="ngo", provider_name="慈善会", age_min=12, age_max=22)
COLLEGE = make_offer(id="DX", title="爱心助学（在读大学生）", categories=["education"],
                     description="资助家庭困难的在读大学生，本科、高职高专都可以，每人每学年1500元。",
                     provider_type="ngo", provider_name="慈善会", age_min=12, age_max=22)


def _pupil(description: str, title: str = "孩子读书的钱不够", age: int = 16) -> object:
    return make_need(title=title, category="education", beneficiary_age=age, urgency=1,
                     amount_needed=2000, description=description)


def test_a_college_programme_that_lists_gao_zhi_gao_zhuan_is_not_for_a_vocational_pupil():
    pupil = _pupil("女儿16岁，在卫校读护理一年级，学费住宿费加起来三千，她爸一个月两千多。")
    _, reasons = ranked(pupil, [COLLEGE])
    assert STAGE in reasons["DX"]


def test_a_school_year_with_le_or_a_child_after_it_is_the_pupil_s_stage():
    for title, text in (("学费凑不齐", "儿子成绩一直不错，今年高二了，住宿费还欠着。"),
                        ("高二男孩住宿费凑不齐", "爸爸前年走了，妈妈打零工，住宿费还欠着。")):
        order, reasons = ranked(_pupil(text, title=title), [COLLEGE, SENIOR])
        assert order[0] == "GZ", text
        assert STAGE in reasons["DX"], text


def test_a_group_left_out_of_this_round_is_not_served_by_it():
    round_ = make_offer(id="PG", title="助学金（普通高中批次）", categories=["education"],
                        description="这一批只资助普通高中在校生，每人每年2000元，初中生、中职生不在这一批。",
                        provider_type="ngo", provider_name="慈善会", age_min=12, age_max=22)
    middle = make_offer(id="CZ", title="助学金（义务教育阶段）", categories=["education"],
                        description="资助家庭困难的义务教育阶段学生，每人每年1000元。",
                        provider_type="ngo", provider_name="慈善会", age_min=6, age_max=16)
    order, reasons = ranked(_pupil("大的15岁读初三，中考前补课要钱，他爸前年没了。", age=15),
                            [round_, middle])
    assert order == ["CZ", "PG"]
    assert STAGE in reasons["PG"]


LOAN = make_offer(id="LOAN", title="生源地信用助学贷款", categories=["education"],
                  description="家庭经济困难的在读大学生可在户籍所在县申请，每人每年最高8000元，"
                              "用于学费和住宿费，在校期间财政贴息。",
                  provider_name="县学生资助管理中心", age_min=16, age_max=30)
LIVING = make_offer(id="LIVE", title="在读大学生生活费资助", categories=["education"],
                    description="资助家庭困难的在读大学生生活费，每学期2000元。",
                    provider_type="ngo", provider_name="慈善会", age_min=16, age_max=30)


def test_a_student_loan_held_without_yi_ranks_below_the_grant_for_living_costs():
    for text in ("儿子在苏州读大二，学费大一就在县里办了贷款，一年八千，就是生活费不够。",
                 "女儿读大一，学费八千是贷的，生活费一个月要八百，家里拿不出。",
                 "孙子读大二，学费住宿费前年就借了贷款，每年续着，愁的是生活费。"):
        student = make_need(title="大学生生活费没着落", category="education",
                            beneficiary_age=20, urgency=1, amount_needed=4000,
                            description=text)
        order, reasons = ranked(student, [LOAN, LIVING])
        assert order == ["LIVE", "LOAN"], text
        assert any(r.startswith("需求已享受") for r in reasons["LOAN"]), text
        assert not any(r.startswith("需求已享受") for r in reasons["LIVE"]), text


def test_a_loan_the_family_only_asks_about_is_no_loan_held():
    student = make_need(title="大学生学费没着落", category="education", beneficiary_age=19,
                        urgency=1, amount_needed=8000,
                        description="女儿考上大学了，学费八千，想问问能不能贷款。")
    order, reasons = ranked(student, [LOAN, LIVING])
    assert order[0] == "LOAN"
    assert not any(r.startswith("需求已享受") for r in reasons["LOAN"])


def test_cuts_on_an_arm_are_self_harm():
    girl = make_need(title="女儿最近不对劲", category="psychological", beneficiary_age=16,
                     urgency=3, amount_needed=None,
                     description="前天发现女儿手臂上一道一道划的，问她也不说，考试没考好以后就这样。")
    hotline = make_offer(id="XL", title="心理援助热线和免费面询", categories=["psychological"],
                         description="有自伤念头、情绪低落的青少年和家长可拨打热线，也可预约免费面询。",
                         provider_name="市心理卫生协会", provider_type="ngo")
    order, reasons = ranked(girl, [hotline, SENIOR])
    assert order[0] == "XL"
    assert any("自伤自残" in r for r in reasons["XL"])


def test_a_roof_the_wind_tore_off_is_damage_that_has_happened():
    roof = make_need(title="屋顶漏雨", category="housing", beneficiary_age=70, urgency=2,
                     amount_needed=5000,
                     description="去年夏天台风把东边屋顶掀了一块，一直用油布盖着，现在下雨屋里全是水。")
    insurance = make_offer(id="BX", title="农房保险（火灾、台风）",
                           categories=["insurance", "housing"],
                           description="农户每户每年交10元，火灾、台风造成的房屋损毁每户最高赔2万元，"
                                       "只赔投保以后发生的灾害。",
                           provider_type="enterprise", provider_name="保险公司")
    _, reasons = ranked(roof, [insurance])
    assert PREVENTIVE in reasons["BX"]
