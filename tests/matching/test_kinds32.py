"""Kinds of the forty-fourth session, found in the thirty-second batch (written blind, read in
this session) and counted over dev and every labelled set. Every sentence here is invented for
the test, none is taken from a set.

Hospice care (安宁疗护, 居家宁养, 临终关怀) is for someone at the end of an illness
(肝癌晚期, 医生说不再化疗), not for a patient under treatment. Relief for a natural disaster
(自然灾害过渡期生活救助) is for a storm, a flood or snow, not for a house that burned. A woman
frightened by a relative's cancer who asks for a cheap insurance for herself (有没有便宜的保险,
给自己买点保障) asks for cover, though her text names the cancer. A place where old people eat
(给老人吃饭的地方) is the meal service.
"""

from __future__ import annotations

import pytest

from .factories import MAJOR_ILLNESS_AID, answers_warning, make_need, make_offer, ranked
from .test_kinds10 import _COVER


def _offer(oid, title, description, category, provider_type="government",
           provider_name="区民政局"):
    return make_offer(id=oid, title=title, description=description, categories=[category],
                      provider_type=provider_type, provider_name=provider_name)


# (the title's flag in status.ANSWERS, the programme, the need's fields, a need it answers —
# said as people say it —, a need it does not)
_PROGRAMMES = {
    "hospice": (
        "_hospice",
        _offer("AN", "居家安宁疗护上门服务", "为晚期肿瘤等终末期病人提供上门止痛、护理和家属"
               "哀伤支持。", "care", "ngo", "慈济护理站"),
        {"category": "care", "groups": ["dibao"], "beneficiary_age": 70,
         "region": "南通市/海门区/三星镇"},
        "老头子肝癌晚期，医生讲不再化疗了，接回家里，夜里疼得睡不着，老太一个人弄不动。",
        "老头子肝癌在化疗，每回住院三四天，老太一个人陪着，吃不消。"),
    "natural disaster relief": (
        "_natural_disaster",
        _offer("ZR", "自然灾害过渡期生活救助", "因台风、暴雨、雪灾等自然灾害，房屋倒塌无房可住的"
               "受灾户，每人每天20元。", "emergency"),
        {"category": "emergency", "groups": ["low_income"], "beneficiary_age": 58,
         "region": "南通市/如东县/大豫镇"},
        "上礼拜那场龙卷风把两间瓦房的屋顶掀掉了，一家人挤在邻居家里。",
        "上礼拜夜里电线老化起火，两间瓦房烧掉了，一家人挤在邻居家里。"),
}


@pytest.mark.parametrize("name", list(_PROGRAMMES))
def test_a_programme_for_one_trouble_answers_only_that_trouble(name):
    flag, offer, fields, answered, other = _PROGRAMMES[name]
    base = {"title": "家里的事", "amount_needed": None, "urgency": 2, **fields}
    _, reasons = ranked(make_need(description=answered, **base), [offer])
    assert answers_warning(flag) not in reasons[offer.id]
    _, reasons = ranked(make_need(description=other, **base), [offer])
    assert answers_warning(flag) in reasons[offer.id]


def test_hospice_for_the_bereaved_too_answers_the_bereaved():
    both = _offer("LZ", "临终病人家属与丧亲者心理支持", "为家有临终病人或亲人离世的家庭提供心理"
                  "支持。", "psychological", "ngo", "同行社工")
    widow = make_need(title="家里的事", category="psychological", groups=["low_income"],
                      beneficiary_age=66, amount_needed=None, urgency=2,
                      region="南通市/通州区/平潮镇",
                      description="老伴去年冬天走了，她一个人在家整夜睡不着，一说话就哭。")
    _, reasons = ranked(widow, [both])
    assert answers_warning("_hospice") not in reasons["LZ"]


def test_relief_that_names_fire_too_answers_a_fire():
    both = _offer("HZ", "火灾、风灾受灾户应急救助", "对遭受火灾、风灾的困难家庭发放过渡生活费"
                  "和被褥。", "emergency")
    burned = make_need(title="家里的事", category="emergency", groups=["low_income"],
                       beneficiary_age=58, amount_needed=None, urgency=3,
                       region="南通市/如东县/大豫镇",
                       description="上礼拜夜里电线老化起火，两间瓦房烧掉了，一家人挤在邻居家里。")
    _, reasons = ranked(burned, [both])
    assert answers_warning("_natural_disaster") not in reasons["HZ"]


def test_a_cheap_cover_for_herself_after_a_relatives_cancer_is_a_wish_for_cover():
    mother = make_need(title="问问保险", category="medical", groups=["low_income"],
                       beneficiary_age=38, amount_needed=None, urgency=1,
                       region="南通市/通州区/石港镇",
                       description="我婆婆前年宫颈癌走掉了，我一直心里吊着。家里六口人就靠我跟"
                                   "我男人打工，想问问有没有便宜的保险，给自己买点保障。")
    order, _ = ranked(mother, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER)])
    assert order == ["CII", "MAJ"]


def test_a_place_where_old_people_eat_is_the_meal_service():
    meals = make_offer(id="ZC", title="社区长者食堂", categories=["care"], provider_type="ngo",
                       provider_name="社区居委会", mode="service",
                       description="六十周岁以上老人中午在社区长者食堂用餐，低保老人每餐减免5元。")
    escort = make_offer(id="PZ", title="“爱心陪诊”志愿服务", categories=["care"],
                        provider_type="ngo", provider_name="志愿者协会", mode="volunteer",
                        description="为独居、行动不便的老人提供就医陪诊、取药、代办。")
    home = make_offer(id="JJ", title="政府购买居家养老服务", categories=["care"],
                      provider_name="区民政局", mode="service", eligible_groups=["dibao"],
                      description="为低保、独居等困难老人每月提供助洁、助医、代购等上门服务10小时。")
    granny = make_need(title="外婆的语音", category="care", groups=["dibao"],
                       beneficiary_age=83, amount_needed=None, urgency=1,
                       region="南通市/崇川区/学田街道",
                       description="老头子走了四年，我一个人住。膝盖疼，医生讲是退化，烧饭站不住，"
                                   "有时候就开水泡泡饭。听隔壁讲社区有个给老人吃饭的地方，中午去"
                                   "吃，我们低保的能不能去？")
    order, reasons = ranked(granny, [escort, home, meals])
    assert order[0] == "ZC" and any("助餐" in r for r in reasons["ZC"])
