"""Kinds of the fortieth session, found in the twenty-fourth to twenty-sixth batches (the last two
written blind and read in this session) and counted over dev
and every labelled set. Every sentence here is invented for the test, none is taken from a set.

An only child's death told with the years between (就一个儿子，前年…人没了) is a family-planning
special family's. A title that names the need's own injury beside a major illness (中风、骨折出院
后康复) is no programme for major illness alone. The recognition of 低收入 is nothing for a
household that holds it. The care insurance of basic medical insurance's members is claimed,
not bought. A spouse's death (老伴前几年走了) leaves the children named alive and bound to keep
the widow, and the fear of dying alone (跌死了都没得人晓得) is no death at all. The hospital's
one-stop settlement done (结账时…一站式都结了) is help received, and so is a benefit the family
has every month (残疾补贴每个月有的), never what it pays out every month.
"""

from __future__ import annotations

from matching.reasons import ReasonMaker

from .factories import make_need, make_offer, ranked

_TEKUN = {"id": "TK", "title": "特困人员救助供养", "categories": ["basic_living", "care"],
          "provider_name": "县民政局",
          "description": "无劳动能力、无生活来源、无法定赡养抚养扶养义务人的老年人、残疾人和"
                         "未成年人，可申请特困供养，分散供养或集中供养。"}


def test_an_only_child_s_death_told_with_the_years_between():
    bereaved = make_offer(id="LX", title="连心家园关爱行动", categories=["psychological"],
                          provider_name="市计划生育协会",
                          description="为计划生育特殊家庭提供节日走访、心理疏导和结对陪伴。")
    need = make_need(title="郑家婶子夜里去坟上坐", category="psychological",
                     beneficiary_age=53, groups=[], urgency=1, amount_needed=None,
                     description="她们就一个儿子，前年在国道上骑电动车被大车带倒，人没了，二十五"
                                 "岁。她男的讲她夜里不困，一个人去坟上坐。钱上不缺。")
    _, reasons = ranked(need, [bereaved])
    assert any("计划生育特殊家庭" in r and r.startswith("内容相关") for r in reasons["LX"])
    # a death told of someone else between is not the only child's
    alive = make_need(title="老两口的儿子在上海", category="psychological",
                      beneficiary_age=66, groups=[], urgency=1, amount_needed=None,
                      description="就一个儿子，在上海做装修，老伴去年走了，她一个人在家闷得慌。")
    _, reasons = ranked(alive, [bereaved])
    assert not any("计划生育特殊家庭" in r and r.startswith("内容相关") for r in reasons["LX"])


def test_a_title_naming_the_need_s_injury_is_no_major_illness_programme():
    rehab = make_offer(id="KF", title="中风、骨折出院后“家门口”康复",
                       categories=["rehabilitation", "medical"], provider_name="市卫生健康委",
                       description="脑卒中、髋部或腿部骨折手术后出院6个月以内，康复治疗师上门，"
                                   "每月两次。")
    need = make_need(title="老太胯骨骨折装了钢板", category="medical", beneficiary_age=66,
                     groups=[], urgency=1, amount_needed=None,
                     description="一月里下雪天在菜场门口跌了一跤，胯骨骨折，在县医院装了钢板，"
                                 "二月一号出院，医生交代要天天练，家里人不晓得怎么练。")
    _, reasons = ranked(need, [rehab])
    assert ReasonMaker.MINOR not in reasons["KF"]


def test_the_recognition_of_low_income_is_held_by_a_low_income_household():
    recognition = make_offer(id="DS", title="低收入家庭资格认定", categories=["basic_living"],
                             provider_name="区民政局",
                             description="家庭人均收入在低保标准1.5倍以内、财产符合规定的，可申请"
                                         "认定为低收入家庭，凭认定享受医疗、教育等专项救助。")
    rent = make_offer(id="ZL", title="低收入家庭住房租赁补贴申请", categories=["housing"],
                      provider_name="区住建局",
                      description="市区户籍低收入家庭租房居住的，按月发放租赁补贴。")
    need = make_need(title="低收入户米快吃完了", category="basic_living", beneficiary_age=58,
                     groups=["low_income"], urgency=1, amount_needed=None,
                     description="一个人过，去年评上低收入户，在小区门口看车，一个月九百，米快"
                                 "吃完了，想问有没有送米面的。")
    _, reasons = ranked(need, [recognition, rent])
    assert ReasonMaker.HELD[3] in reasons["DS"]
    assert not any(r in reasons["ZL"] for r in ReasonMaker.HELD)


def test_care_insurance_is_claimed_by_its_members_not_bought():
    care = make_offer(id="ZH", title="基本照护保险（重度失能）", categories=["insurance"],
                      provider_name="市医疗保险基金管理中心",
                      description="尊敬的参保人：参加我市基本医保、经评定为重度失能且已持续6个月以上的，可申请照护"
                                  "保险：入住养老机构每天补50元，居家的每月上门服务并发补贴。")
    need = make_need(title="老太卧床一年半", category="care", beneficiary_age=90, groups=[],
                     urgency=1, amount_needed=None,
                     description="九十岁，前年冬天中风，卧床一年半，吃饭翻身都要人，女儿六十八岁"
                                 "自己也有高血压，实在服侍不动了。")
    _, reasons = ranked(need, [care])
    assert ReasonMaker.PREVENTIVE not in reasons["ZH"]


def test_a_widow_s_children_are_bound_to_keep_her():
    tekun = make_offer(**_TEKUN)
    need = make_need(title="老汉夜里上茅缸跌跤", category="care", beneficiary_age=77,
                     groups=["dibao"], urgency=1, amount_needed=None,
                     description="独居。老伴前几年走了；两个女儿嫁在本县，轮流一礼拜来一趟。两个膝盖"
                                 "骨质增生，夜里起来跌在门槛上。")
    _, reasons = ranked(need, [tekun])
    assert ReasonMaker.KIN in reasons["TK"]
    # a child's own death still counts: no one named is left to keep her
    lost = make_need(title="老太儿子没了", category="basic_living", beneficiary_age=80,
                     groups=["dibao"], urgency=1, amount_needed=None,
                     description="老伴走了十几年，一个儿子前年在工地上摔下来没了，她一个人住。")
    _, reasons = ranked(lost, [tekun])
    assert ReasonMaker.KIN not in reasons["TK"]


def test_the_fear_of_dying_alone_is_no_death():
    tekun = make_offer(**_TEKUN)
    need = make_need(title="老汉想住敬老院", category="care", beneficiary_age=77,
                     groups=["dibao"], urgency=1, amount_needed=None,
                     description="独居，两个女儿嫁在外镇。他讲夜里上茅缸就怕跌，跌死了都没得人晓得，"
                                 "想住敬老院。")
    _, reasons = ranked(need, [tekun])
    assert ReasonMaker.KIN in reasons["TK"]


def test_the_one_stop_settlement_done_is_help_received():
    aid = make_offer(id="EC", title="重特大疾病住院二次救助", categories=["medical"],
                     provider_name="区民政局",
                     description="低保、特困、建档立卡人员住院，医保报销后的政策范围内自付部分按比例"
                                 "救助，出院时在定点医院一站式结算。")
    cover = make_offer(id="FP", title="扶贫补充医疗保险", categories=["insurance", "medical"],
                       provider_name="县扶贫办",
                       description="建档立卡低收入人口住院，基本医保、大病保险和医疗救助报销后，"
                                   "个人自付超过五千元的部分再报销八成。出院30天内报案。")
    need = make_need(title="老甘托问他哥肝上的病", category="medical", beneficiary_age=52,
                     groups=["jiandang"], urgency=2, amount_needed=16000,
                     description="他哥肝上长了瘤，在县医院住院做介入。结账时医保、大病、救助一站式"
                                 "都结了，还剩自己掏一万六。出院小结、发票都在。")
    order, reasons = ranked(need, [aid, cover])
    assert order.index("FP") < order.index("EC")
    assert any(r.startswith("需求已享受") for r in reasons["EC"])


def test_a_benefit_the_family_has_every_month_is_help_received():
    allowance = make_offer(id="LX2", title="残疾人两项补贴", categories=["basic_living", "care"],
                           provider_name="县残联",
                           description="持证困难残疾人每月发放生活补贴，一、二级重度残疾人每月发放"
                                       "护理补贴。")
    need = make_need(title="小儿麻痹的老丁蹲坑起不来", category="rehabilitation",
                     beneficiary_age=55, groups=["disabled"], urgency=1, amount_needed=None,
                     description="左腿小儿麻痹，肢体二级残疾证，拄双拐。家里茅坑是蹲的，他蹲下去就"
                                 "站不起来，年年跌。残疾补贴每个月有的。他就是要个扶的东西。")
    _, reasons = ranked(need, [allowance])
    assert any(r.startswith("需求已享受") and "残疾补贴" in r for r in reasons["LX2"])
    # what the family pays out every month is no help received
    rent = make_offer(id="ZF", title="市区住房困难户租赁补贴", categories=["housing"],
                      provider_name="区住建局",
                      description="市区户籍低保、低收入家庭租房居住的，按月发放租赁补贴。")
    costs = make_need(title="娘儿俩住车库", category="housing", beneficiary_age=34,
                      groups=["low_income"], urgency=1, amount_needed=None,
                      description="离婚以后娘儿俩租了个车库住，没有窗，房租每个月都有，五百块。")
    _, reasons = ranked(costs, [rent])
    assert not any(r.startswith("需求已享受") for r in reasons["ZF"])
