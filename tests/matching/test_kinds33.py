"""Kinds of the forty-fifth session, counted over dev and every labelled set read before it.
Every sentence here is invented for the test, none is taken from a set.

A fund for the illnesses its title names (癫痫病人免费服药, 白血病患儿救助) serves their
patients. A need whose only troubles are an accident, a death or a wish to be examined names
no patient: a mother who cannot sleep since her son was killed on the road is warned off an
epilepsy fund, as a healthy need is, while a man who broke his leg is still a patient.
"""

from __future__ import annotations

import pytest

from matching.reasons import ReasonMaker

from .factories import fired, make_need, programme, ranked, warned_for

_EPILEPSY = programme("EP", "癫痫病人免费服药",
                      "县级以上医院确诊的癫痫病人，每月到卫生院免费领药。", "medical",
                      provider_name="市卫健委")
_GRIEF = programme("GR", "丧亲家庭心理陪伴", "为失去亲人的家庭提供社工上门陪伴和心理疏导。",
                   "psychological", "ngo", "心桥社工")
_LEUKAEMIA = programme("LK", "白血病患儿医疗救助", "为白血病患儿化疗、移植费用提供救助。",
                       "medical", "ngo", "市慈善总会")
_CHECK = programme("CK", "65岁以上老年人免费健康体检", "每年免费体检一次，含血常规、B超、心电图。",
                   "medical", provider_name="镇卫生院")


def _need(description, category="psychological", age=56):
    return make_need(title="情况说明", category=category, groups=["low_income"],
                     beneficiary_age=age, amount_needed=None, urgency=1,
                     region="南通市/如皋市/白蒲镇", description=description)


# (the need's text, category and age, the offers, the one first, the fund warned as for a
# healthy need)
_NO_PATIENT = {
    "a mother whose son was killed on the road": (
        "她独养儿子去年夏天出车祸没了，她夜里闭上眼就是儿子，人瘦了一圈，老头子整天坐在门口不说话。",
        "psychological", 56, (_EPILEPSY, _GRIEF), "GR", "EP"),
    "an old man who only wants a check-up": (
        "老人七十岁，身体还行，就是好几年没查过身体，想问问有没有不要钱的体检。",
        "medical", 70, (_LEUKAEMIA, _CHECK), "CK", "LK"),
}


@pytest.mark.parametrize("case", _NO_PATIENT, ids=list(_NO_PATIENT))
def test_an_accident_a_death_or_a_check_up_alone_names_no_patient(case):
    text, category, age, offers, first, fund = _NO_PATIENT[case]
    order, reasons = ranked(_need(text, category=category, age=age), list(offers))
    assert order[0] == first
    assert ReasonMaker.HEALTHY in reasons[fund]


def test_a_broken_leg_still_makes_a_patient():
    # an injury is a patient's trouble: the fund is not warned as for a healthy need
    man = _need("他上个月在工地上摔下来，左腿摔断了，打了钢板，在家躺着。",
                category="medical", age=50)
    _, reasons = ranked(man, [_EPILEPSY, _GRIEF])
    assert ReasonMaker.HEALTHY not in reasons.get("EP", [])


_HIT_AND_RUN = programme("HR", "车祸逃逸受害人抢救费垫付",
                         "肇事车辆逃逸或未投保的，抢救费用先行垫付。", "emergency",
                         provider_name="市财政局")


# (the title's flag in status.ANSWERS, the programme, the need's fields, a need it answers, a
# need it does not)
_ANSWERS = {
    "the road-accident fund": (
        "_road_fund", _HIT_AND_RUN,
        {"category": "emergency", "groups": ["low_income"], "beneficiary_age": 45,
         "region": "南通市/通州区/金沙街道"},
        "他骑电动车下班被一辆小货车撞了，司机逃逸了，抢救费要先交两万。",
        "他骑电动车下班被一辆小货车撞了，司机报了警，保险公司在走理赔，家里缺生活费。"),
    "free drugs for epilepsy": (
        "_epilepsy", _EPILEPSY,
        {"category": "medical", "groups": ["low_income"], "beneficiary_age": 30,
         "region": "南通市/如皋市/白蒲镇"},
        "儿子小时候就有羊角风，隔一阵子抽一回，药一停就犯，每个月买药要两百多。",
        "她男人喝了酒就动手，这回胳膊上都是青的，血压也上去了，手上没钱看病。"),
}


@pytest.mark.parametrize("name", _ANSWERS, ids=list(_ANSWERS))
def test_a_programme_for_one_trouble_answers_only_that_trouble(name):
    flag, offer, fields, fits, other = _ANSWERS[name]
    assert not warned_for(flag, offer, fields, fits)
    assert warned_for(flag, offer, fields, other)


_SCREENING = programme("SC", "城乡妇女乳腺癌免费筛查", "为35至64岁妇女免费做乳腺B超和钼靶检查。",
                       "medical", provider_name="市卫健委")
_MAJOR = programme("MJ", "重特大疾病医疗救助", "罹患重特大疾病的，医保报销后自付部分按比例救助。",
                   "medical", provider_name="市医保局")


def test_a_lump_said_as_people_say_it_asks_for_the_screening():
    # 疙瘩 is how people say a lump (肿块): a warning sign, not a cancer she has
    woman = _need("她洗澡时在左边胸口摸到个疙瘩，不疼，她妈妈前些年就是乳腺癌走的，她不敢去查，"
                  "问有没有不要钱的检查。", category="medical", age=46)
    order, reasons = ranked(woman, [_MAJOR, _SCREENING])
    assert order[0] == "SC"
    assert any("癌症筛查" in r for r in reasons["SC"])     # the reason a caseworker reads
    for lump in ("左边乳房摸到一个疙瘩", "奶上有个小疙瘩", "胸口摸到个硬疙瘩"):
        assert "cancer_screening" in fired(lump), lump
    # a knot in the heart, or a dumpling soup, is none
    for other in ("他心里有疙瘩，一直想不开", "中午煮了一锅面疙瘩"):
        assert "cancer_screening" not in fired(other), other


_COVER = programme("CV", "困难家庭重大疾病保险公益投保", "为低收入家庭成员统一购买重大疾病保险，"
                   "投保前已确诊的疾病不予理赔。", "insurance", "ngo", "市慈善总会")


def test_a_wife_whose_check_up_was_fine_asks_for_cover_not_for_her_husbands_old_operation():
    # her husband's back operation happened; her wish is cover against what may come: she is
    # well (体检没问题) and afraid her family will be next (哪天也这样)
    wife = _need("丈夫的哥哥去年查出肝癌，把家里掏空了，她怕自己家哪天也这样。丈夫前年腰椎"
                 "做过手术，她去年单位体检没问题，想给夫妻俩各买一份大病保险。",
                 category="insurance", age=35)
    _, reasons = ranked(wife, [_COVER, _MAJOR])
    assert ReasonMaker.PREVENTIVE not in reasons["CV"]


_JOB_AID = programme("JA", "就业困难人员就业援助", "对就业困难人员一对一推荐岗位、免费培训。",
                     "employment", provider_name="区人社局")
_LEGAL = programme("LG", "法律援助工作站", "离婚、抚养费、赡养等纠纷，困难群众可申请免费法律援助。",
                   "legal", provider_name="区司法局")


def test_a_woman_who_wants_a_proper_job_asks_for_work():
    # 找个正经工作 and 找个班上 are how people say they want work, as 找工作 is: the help into
    # work is related to her need, and its reason says so
    for wish in ("想找个正经工作", "想找个班上"):
        mother = _need(f"她带着儿子住在娘家，{wish}，总不能一直靠爹妈。", category="basic_living",
                       age=39)
        _, reasons = ranked(mother, [_LEGAL, _JOB_AID])
        assert "内容相关: 就业岗位" in reasons["JA"], wish
        assert "项目名称与需求相符" in reasons["JA"], wish


_LOST_ONLY_CHILD = programme("FP", "计生特殊家庭精神慰藉",
                             "为失独等计划生育特殊家庭提供上门陪伴和心理慰藉。", "psychological",
                             provider_name="市卫健委")
_PSYCH = programme("PS", "困难家庭心理支持", "为困难家庭成员提供免费心理咨询。", "psychological",
                   "ngo", "心语社工")


def test_parents_whose_only_son_died_are_a_family_the_lost_only_child_programme_serves():
    # 独生儿子 said in full names the only child as 独生子 does
    parents = _need("老两口的独生儿子前年在工地上出事没了，老太整夜睡不着，过年一个人躲在房里哭，"
                    "老头问以后老了谁管。", category="psychological", age=56)
    order, reasons = ranked(parents, [_PSYCH, _LOST_ONLY_CHILD])
    assert order[0] == "FP"
    assert not any("特定身份" in r for r in reasons["FP"])


def test_a_homophone_typed_by_speech_recognition_still_names_schizophrenia():
    # 精神分列 for 精神分裂 (fēnliè): how a phone's speech recognition types it
    assert {"schizophrenia", "smi"} <= fired("儿子精神分列二十多年了，断了药在家砸东西")
