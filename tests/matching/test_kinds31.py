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

from matching.reasons import ReasonMaker
from matching.status import ANSWERS

from .factories import MAJOR_ILLNESS_AID, make_need, make_offer, ranked
from .test_kinds10 import _COVER

_STATION = make_offer(id="JZ", title="临时遇困人员救助（救助管理站）", categories=["emergency"],
                      provider_name="市救助管理站",
                      description="对在本市遇困、生活无着的流浪乞讨人员和临时遇困人员，提供临时"
                                  "食宿、急病救治、协助返乡。")


def _station_warning() -> str:
    return ReasonMaker.ANSWERS[[flag for flag, _ in ANSWERS].index("_stranded_aid")]


def test_a_fear_of_what_may_befall_the_earner_is_a_wish_for_cover():
    wife = make_need(title="想给丈夫上份保险", category="basic_living", groups=["low_income"],
                     beneficiary_age=41, amount_needed=None, urgency=1,
                     region="南通市/通州区/二甲镇",
                     description="我有风湿，手脚变形做不了活，一家全靠丈夫开货车。邻村有人得了大病"
                                 "家里一下就空了，要是他有个三长两短，我跟孩子就完了。想问有没有"
                                 "给困难户免费保的大病保险。")
    order, _ = ranked(wife, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER)])
    assert order == ["CII", "MAJ"]


def test_the_relief_station_is_for_someone_stranded_with_nothing():
    stranded = make_need(title="外地小伙钱包被偷", category="emergency", groups=[],
                         beneficiary_age=24, amount_needed=None, urgency=3,
                         region="南通市/崇川区/和平桥街道",
                         description="河南来的小伙，在汽车站被人偷了钱包，身份证手机都没了，身无"
                                     "分文，昨晚在候车室睡的，想回老家。")
    _, reasons = ranked(stranded, [_STATION])
    assert _station_warning() not in reasons["JZ"]
    at_home = make_need(title="老屋失火", category="emergency", groups=["low_income"],
                        beneficiary_age=70, amount_needed=None, urgency=3,
                        region="南通市/如东县/马塘镇",
                        description="老两口家里电线老化起火，两间房烧了，被子衣服都没了，暂时"
                                    "住在侄子家。")
    _, reasons = ranked(at_home, [_STATION])
    assert _station_warning() in reasons["JZ"]


_GRIEF = make_offer(id="AS", title="丧亲家庭哀伤辅导", categories=["psychological"],
                    provider_type="ngo", provider_name="心桥社工事务所",
                    description="为家中有亲人离世、长期走不出悲伤的家庭提供个案哀伤辅导和小组陪伴。")


def _grief_warning() -> str:
    return ReasonMaker.ANSWERS[[flag for flag, _ in ANSWERS].index("_bereavement")]


def test_grief_counselling_is_for_a_family_with_a_death():
    person = {"title": "家里的事", "category": "psychological", "groups": ["low_income"],
              "beneficiary_age": 52, "amount_needed": None, "urgency": 2,
              "region": "南通市/通州区/平潮镇"}
    # said as people say it: the son drowned (游泳没了)
    bereaved = make_need(description="她儿子去年夏天在河里游泳没了，才十六岁，她到现在天天坐在"
                                     "门口，饭也吃不下。", **person)
    _, reasons = ranked(bereaved, [_GRIEF])
    assert _grief_warning() not in reasons["AS"]
    worried = make_need(description="她男人在外地打工，儿子读初三不肯上学，天天关在房里玩手机，"
                                    "她急得睡不着。", **person)
    _, reasons = ranked(worried, [_GRIEF])
    assert _grief_warning() in reasons["AS"]
    # a programme for grief and a serious illness too answers the illness
    both = make_offer(id="TX", title="“同行”重病家庭心理支持与哀伤陪伴",
                      categories=["psychological"], provider_type="ngo", provider_name="同行社工",
                      description="为家有重病患者或亲人离世的家庭提供心理支持。")
    _, reasons = ranked(worried, [both])
    assert _grief_warning() not in reasons["TX"]


def test_a_funeral_subsidy_is_for_a_family_with_a_death():
    funeral = make_offer(id="BZ", title="困难家庭基本殡葬费用减免", categories=["basic_living"],
                         provider_name="区民政局",
                         description="低保、特困、低收入家庭成员去世的，免除遗体接运、火化等基本"
                                     "殡葬服务费用。")
    person = {"title": "家里困难", "category": "basic_living", "groups": ["dibao"],
              "beneficiary_age": 70, "amount_needed": None, "urgency": 2,
              "region": "南通市/海安市/曲塘镇"}
    roof = make_need(description="老两口住的老屋后墙裂了，下雨漏水，想问能不能修一修。", **person)
    _, reasons = ranked(roof, [funeral])
    assert _grief_warning() in reasons["BZ"]
    widow = make_need(description="老伴正月里走了，火化的钱是借的，她问低保户办丧事有没有补助。",
                      **person)
    _, reasons = ranked(widow, [funeral])
    assert _grief_warning() not in reasons["BZ"]


def test_a_programme_for_prisoners_children_is_for_a_parent_in_prison():
    rainbow = make_offer(id="CH", title="服刑人员子女关爱“彩虹桥”",
                         categories=["psychological"], provider_type="ngo",
                         provider_name="心桥社工事务所",
                         description="为父母在服刑的未成年子女提供结对陪伴、学业辅导和心理疏导。")
    child = {"title": "孩子不肯上学", "category": "education", "groups": ["dibao"],
             "beneficiary_age": 11, "amount_needed": None, "urgency": 2,
             "region": "南通市/如皋市/搬经镇"}
    _, reasons = ranked(make_need(description="孩子爸爸前年跟人打架判了五年，妈妈走了，孩子跟"
                                              "奶奶过，在学校被同学笑话，不肯去上学。", **child),
                        [rainbow])
    warning = ReasonMaker.ANSWERS[[flag for flag, _ in ANSWERS].index("_prisoners_kin")]
    assert warning not in reasons["CH"]
    _, reasons = ranked(make_need(description="孩子爸妈在苏州打工，孩子跟奶奶过，成绩往下掉，"
                                              "回家就玩手机。", **child), [rainbow])
    assert warning in reasons["CH"]


def test_a_dialysis_programme_is_for_kidney_failure():
    dialysis = make_offer(id="TX", title="尿毒症患者血液透析费用补助", categories=["medical"],
                          description="对低保、低收入家庭中维持性血液透析的尿毒症患者，每月补助"
                                      "透析自付费用。")
    patient = {"title": "看病的钱", "category": "medical", "groups": ["dibao"],
               "beneficiary_age": 56, "amount_needed": 20000, "urgency": 2,
               "region": "南通市/如皋市/白蒲镇"}
    _, reasons = ranked(make_need(description="男人肝上长了东西，在县医院化疗，自付一次三四千，"
                                              "家里借遍了。", **patient), [dialysis])
    warning = ReasonMaker.ANSWERS[[flag for flag, _ in ANSWERS].index("_dialysis")]
    assert warning in reasons["TX"]
    # said as people say it: the kidneys are broken, the blood washed three times a week
    _, reasons = ranked(make_need(description="男人肾坏了，一个礼拜去县医院洗三回血，车钱药钱都"
                                              "是借的。", **patient), [dialysis])
    assert warning not in reasons["TX"]


def test_temporary_care_is_for_a_child_with_no_one_at_hand():
    custody = make_offer(id="JH", title="未成年人救助保护中心：监护缺失儿童临时照料",
                         categories=["care"], provider_name="市未成年人救助保护中心",
                         description="父母或监护人因住院、被羁押等暂时不能履行监护职责的儿童，由"
                                     "中心临时照料。")
    child = {"title": "孩子的事", "category": "care", "groups": ["low_income"],
             "beneficiary_age": 8, "amount_needed": None, "urgency": 3,
             "region": "南通市/如东县/栟茶镇"}
    _, reasons = ranked(make_need(description="奶奶前天摔了一跤住院开刀，爸妈在昆山打工赶不回来，"
                                              "八岁的孩子这两天独自在家。", **child), [custody])
    warning = ReasonMaker.ANSWERS[[flag for flag, _ in ANSWERS].index("_child_custody")]
    assert warning not in reasons["JH"]
    _, reasons = ranked(make_need(description="孩子跟奶奶过，成绩一般，奶奶想给他报个课外班，"
                                              "学费贵了点。", **child), [custody])
    assert warning in reasons["JH"]


def test_a_programme_against_getting_lost_is_for_someone_who_wanders():
    bracelet = make_offer(id="SH", title="认知障碍老人防走失定位手环", categories=["care"],
                          provider_type="ngo", provider_name="夕阳红志愿者协会",
                          description="为认知障碍、常走失的老人免费发放定位手环。")
    elder = {"title": "老人的事", "category": "care", "groups": ["low_income"],
             "beneficiary_age": 81, "amount_needed": None, "urgency": 2,
             "region": "南通市/崇川区/学田街道"}
    warning = ReasonMaker.ANSWERS[[flag for flag, _ in ANSWERS].index("_wandering")]
    _, reasons = ranked(make_need(description="老太太记性越来越差，上个月出门买菜两回找不到家，"
                                              "是派出所送回来的。", **elder), [bracelet])
    assert warning not in reasons["SH"]
    _, reasons = ranked(make_need(description="老太太腿脚不好，一个人住二楼，想请人每周来打扫"
                                              "一次卫生。", **elder), [bracelet])
    assert warning in reasons["SH"]
