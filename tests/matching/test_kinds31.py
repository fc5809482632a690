"""Kinds of the forty-third session, found in the thirty-first batch (written blind, read in
this session) and in the ranked top five of every read set, and counted over dev and every
labelled set. Every sentence here is invented for the test, none is taken from a set.

A wife afraid of what may befall the one who earns (要是他有个三长两短) asks for cover against
what may come, though she has an illness herself. The relief stations (救助管理站: 流浪乞讨、
临时遇困人员) are for people stranded away from home with nothing (身无分文, 回不了家, 露宿), not
for a family at home whose house burned or whose father is ill. Grief counselling for the
bereaved (哀伤辅导, 丧亲家庭) is for a family with a death (去世, and as people say it: 游泳没了,
人当场就没了), unless it is for a serious illness or a crisis too; so is a funeral subsidy
(基本殡葬费用减免). A programme for prisoners' children (服刑人员未成年子女关爱) is for a child
whose parent is in prison (判了五年). A programme for dialysis patients (尿毒症透析补助) is for
kidney failure, not for a cancer under chemotherapy. Temporary care for children without a
guardian at hand (监护缺失儿童临时照料) is for a child alone now (the grandmother in hospital);
a bracelet against getting lost (防走失手环) for someone confused or who wanders.
"""

from __future__ import annotations

import pytest

from .factories import (
    MAJOR_ILLNESS_AID,
    answers_warning,
    make_need,
    make_offer,
    ranked,
    warned_for,
)
from .factories import (
    programme as _offer,
)
from .test_kinds10 import _COVER


def test_a_fear_of_what_may_befall_the_earner_is_a_wish_for_cover():
    wife = make_need(title="想给丈夫上份保险", category="basic_living", groups=["low_income"],
                     beneficiary_age=41, amount_needed=None, urgency=1,
                     region="南通市/通州区/二甲镇",
                     description="我有风湿，手脚变形做不了活，一家全靠丈夫开货车。邻村有人得了大病"
                                 "家里一下就空了，要是他有个三长两短，我跟孩子就完了。想问有没有"
                                 "给困难户免费保的大病保险。")
    order, _ = ranked(wife, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER)])
    assert order == ["CII", "MAJ"]


# (the title's flag in status.ANSWERS, the programme, the need's fields, a need it answers —
# said as people say it —, a need it does not)
_PROGRAMMES = {
    "relief station": (
        "_stranded_aid",
        _offer("JZ", "临时遇困人员救助（救助管理站）", "对在本市遇困、生活无着的流浪乞讨人员和临时"
               "遇困人员，提供临时食宿、急病救治、协助返乡。", "emergency",
               provider_name="市救助管理站"),
        {"category": "emergency", "groups": [], "beneficiary_age": 24,
         "region": "南通市/崇川区/和平桥街道"},
        "河南来的小伙，在汽车站被人偷了钱包，身份证手机都没了，身无分文，昨晚在候车室睡的，"
        "想回老家。",
        "老两口家里电线老化起火，两间房烧了，被子衣服都没了，暂时住在侄子家。"),
    "grief counselling": (
        "_bereavement",
        _offer("AS", "丧亲家庭哀伤辅导", "为家中有亲人离世、长期走不出悲伤的家庭提供个案哀伤辅导"
               "和小组陪伴。", "psychological", "ngo", "心桥社工事务所"),
        {"category": "psychological", "groups": ["low_income"], "beneficiary_age": 52,
         "region": "南通市/通州区/平潮镇"},
        "她儿子去年夏天在河里游泳没了，才十六岁，她到现在天天坐在门口，饭也吃不下。",
        "她男人在外地打工，儿子读初三不肯上学，天天关在房里玩手机，她急得睡不着。"),
    "funeral subsidy": (
        "_bereavement",
        _offer("BZ", "困难家庭基本殡葬费用减免", "低保、特困、低收入家庭成员去世的，免除遗体接运、"
               "火化等基本殡葬服务费用。", "basic_living"),
        {"category": "basic_living", "groups": ["dibao"], "beneficiary_age": 70,
         "region": "南通市/海安市/曲塘镇"},
        "老伴正月里走了，火化的钱是借的，她问低保户办丧事有没有补助。",
        "老两口住的老屋后墙裂了，下雨漏水，想问能不能修一修。"),
    "prisoners' children": (
        "_prisoners_kin",
        _offer("CH", "服刑人员子女关爱“彩虹桥”", "为父母在服刑的未成年子女提供结对陪伴、学业辅导"
               "和心理疏导。", "psychological", "ngo", "心桥社工事务所"),
        {"category": "education", "groups": ["dibao"], "beneficiary_age": 11,
         "region": "南通市/如皋市/搬经镇"},
        "孩子爸爸前年跟人打架判了五年，妈妈走了，孩子跟奶奶过，在学校被同学笑话，不肯去上学。",
        "孩子爸妈在苏州打工，孩子跟奶奶过，成绩往下掉，回家就玩手机。"),
    "dialysis": (
        "_dialysis",
        _offer("TX", "尿毒症患者血液透析费用补助", "对低保、低收入家庭中维持性血液透析的尿毒症"
               "患者，每月补助透析自付费用。", "medical", provider_name="市慈善总会"),
        {"category": "medical", "groups": ["dibao"], "beneficiary_age": 56,
         "region": "南通市/如皋市/白蒲镇"},
        "男人肾坏了，一个礼拜去县医院洗三回血，车钱药钱都是借的。",
        "男人肝上长了东西，在县医院化疗，自付一次三四千，家里借遍了。"),
    "temporary care of children": (
        "_child_custody",
        _offer("JH", "未成年人救助保护中心：监护缺失儿童临时照料", "父母或监护人因住院、被羁押等"
               "暂时不能履行监护职责的儿童，由中心临时照料。", "care",
               provider_name="市未成年人救助保护中心"),
        {"category": "care", "groups": ["low_income"], "beneficiary_age": 8,
         "region": "南通市/如东县/栟茶镇"},
        "奶奶前天摔了一跤住院开刀，爸妈在昆山打工赶不回来，八岁的孩子这两天独自在家。",
        "孩子跟奶奶过，成绩一般，奶奶想给他报个课外班，学费贵了点。"),
    "bracelet against getting lost": (
        "_wandering",
        _offer("SH", "认知障碍老人防走失定位手环", "为认知障碍、常走失的老人免费发放定位手环。",
               "care", "ngo", "夕阳红志愿者协会"),
        {"category": "care", "groups": ["low_income"], "beneficiary_age": 81,
         "region": "南通市/崇川区/学田街道"},
        "老太太记性越来越差，上个月出门买菜两回找不到家，是派出所送回来的。",
        "老太太腿脚不好，一个人住二楼，想请人每周来打扫一次卫生。"),
}


@pytest.mark.parametrize("name", list(_PROGRAMMES))
def test_a_programme_for_one_trouble_answers_only_that_trouble(name):
    flag, offer, fields, answered, other = _PROGRAMMES[name]
    assert not warned_for(flag, offer, fields, answered)
    assert warned_for(flag, offer, fields, other)


def test_grief_counselling_for_a_serious_illness_too_answers_the_illness():
    both = _offer("TX", "“同行”重病家庭心理支持与哀伤陪伴", "为家有重病患者或亲人离世的家庭提供"
                  "心理支持。", "psychological", "ngo", "同行社工")
    worried = make_need(title="家里的事", category="psychological", groups=["low_income"],
                        beneficiary_age=45, amount_needed=None, urgency=2,
                        region="南通市/通州区/平潮镇",
                        description="她男人肝癌在化疗，她白天上班晚上陪护，整夜睡不着，一说话就哭。")
    _, reasons = ranked(worried, [both])
    assert answers_warning("_bereavement") not in reasons["TX"]
