"""Kinds of the thirty-fourth session, found over dev and every diagnostic set at once and in
the sixteenth batch's first reading. Every sentence here is invented for the test, none is
taken from a set.

A programme for women in pregnancy, childbirth or the year after it (产后情绪关爱, 孕产妇住院
分娩补助) answers only a need that tells of a pregnancy, a birth or a newborn. The women's and
families' rights services (妇女儿童维权站, 婚姻家庭纠纷调解) answer a family matter or a
psychological one, not a wage claim — unless the title is legal aid or lists other matters.
A patient whose cancer is being treated (化疗) and who mentions the free check she heard of
(村里讲有免费查乳腺的) is no one a screening can help; a title says it is a check in its own
words (能免费查两癌吗). The rural cooperative medical scheme's old names (农合, 合作医疗) are
the residents' medical insurance whose premium a household cannot pay.
"""

from __future__ import annotations

from .factories import make_need, make_offer, ranked

MATERNITY = "注意: 项目面向孕产妇（怀孕、分娩或产后），需求中没有怀孕或生育"
FAMILY = "注意: 项目受理婚姻家庭纠纷、家庭暴力和妇女儿童权益事项，需求中没有家事纠纷或心理困扰"
PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"
ENROL = "注意: 本项目资助缴纳医保个人部分，需求中没有断缴医保或交不起医保费"


def _postnatal():
    return make_offer(id="CH", title="产后情绪关爱（母婴心理服务）",
                      categories=["psychological", "care"], provider_name="市妇幼保健院",
                      description="产后一年内的妇女，心理咨询师一对一面谈四次，上门指导一次。")


def test_a_programme_for_new_mothers_is_warned_for_a_need_without_a_birth():
    need = make_need(title="留守男孩住院，奶奶看不懂单子", category="care", beneficiary_age=8,
                     urgency=2, amount_needed=0, groups=["left_behind_child"],
                     description="孩子八岁，肺炎住院，爸妈在外地打工，奶奶七十岁不识字，夜里"
                                 "陪床没合眼，孩子哭着要妈妈。")
    _, reasons = ranked(need, [_postnatal()])
    assert MATERNITY in reasons["CH"]
    mother = make_need(title="剖腹产后整夜睡不着", category="psychological", beneficiary_age=29,
                       urgency=2, amount_needed=0, groups=["low_income"],
                       description="她二十九岁，上个月剖腹产生了个女儿，这阵子整夜睡不着，"
                                   "一个人抱着孩子哭。")
    _, reasons = ranked(mother, [_postnatal()])
    assert MATERNITY not in reasons["CH"]


def _women_rights():
    return make_offer(id="WQ", title="妇女儿童维权与婚姻家庭调解", categories=["legal"],
                      provider_name="区妇联",
                      description="受理家庭暴力、离婚、抚养赡养纠纷，提供调解和心理支持。")


def test_a_women_s_rights_service_is_warned_for_a_wage_claim():
    legal = make_offer(id="FY", title="法律援助（经济困难公民）", categories=["legal"],
                       provider_name="市法律援助中心",
                       description="经济困难公民追索劳动报酬、工伤赔偿等，免费代理。")
    wages = make_need(title="服装厂老板跑了，九个月工资没拿到", category="legal",
                      beneficiary_age=46, urgency=2, amount_needed=0, groups=["low_income"],
                      description="她在服装厂做了九个月，老板年前关了厂就跑了，工钱一分没给，"
                                  "找了几次都找不到人。")
    order, reasons = ranked(wages, [_women_rights(), legal])
    assert order[0] == "FY" and FAMILY in reasons["WQ"]
    maintenance = make_need(title="八十岁老母亲两个儿子都不给钱", category="legal",
                            beneficiary_age=80, urgency=1, amount_needed=0, groups=["dibao"],
                            description="老太太一个人住老屋，两个儿子都不给钱，村里调解过也没用。")
    _, reasons = ranked(maintenance, [_women_rights()])
    assert FAMILY not in reasons["WQ"]


def test_a_mediation_that_lists_other_matters_takes_them():
    mediation = make_offer(id="TJ", title="人民调解（民间借贷、邻里、家事纠纷）",
                           categories=["legal"], provider_name="镇司法所",
                           description="免费调解民间借贷、邻里和家庭纠纷。")
    loan = make_need(title="借给熟人的钱要不回来", category="legal", beneficiary_age=55,
                     urgency=1, amount_needed=0, groups=["low_income"],
                     description="前年把卖房的十万块借给同村熟人，只有一张欠条，对方一直拖着不还。")
    _, reasons = ranked(loan, [mediation])
    assert FAMILY not in reasons["TJ"]


def _two_cancers_check():
    return make_offer(id="JC", title="35到64岁的妇女，能免费查两癌吗？", categories=["medical"],
                      provider_name="市妇联",
                      description="35到64岁的妇女每人免费做一次宫颈和乳腺的检查，到镇卫生院预约。")


def _two_cancers_aid():
    return make_offer(id="JZ", title="贫困妇女“两癌”救助金", categories=["medical"],
                      provider_name="市妇联", eligible_groups=["dibao", "low_income"],
                      description="低保、低收入家庭妇女确诊宫颈癌、乳腺癌的，一次性救助一万元。")


def test_a_patient_in_chemotherapy_is_not_helped_by_the_free_check_she_heard_of():
    need = make_need(title="乳腺癌化疗中，药费凑不齐", beneficiary_age=45, urgency=2,
                     amount_needed=20000, groups=["low_income"],
                     description="我去年十一月查出来乳腺癌，手术做掉了，现在在化疗，医保报掉"
                                 "以后每个疗程还要自己掏五六千。楼下的人讲妇联有个免费查乳腺的，"
                                 "我这个已经查出来了还能去吗？")
    order, reasons = ranked(need, [_two_cancers_check(), _two_cancers_aid()])
    assert order[0] == "JZ" and PREVENTIVE in reasons["JC"]


def test_a_well_woman_who_fears_her_sister_s_cancer_still_wants_the_check():
    need = make_need(title="姐姐化疗，自己也想去查查", beneficiary_age=48, urgency=1,
                     amount_needed=0, groups=["low_income"],
                     description="姐姐去年查出来乳腺癌，开刀化疗花光了积蓄。我身体还好，就是"
                                 "心里怕，想去免费查一查。")
    order, reasons = ranked(need, [_two_cancers_check(), _two_cancers_aid()])
    assert order[0] == "JC" and PREVENTIVE not in reasons["JC"]


def test_the_rural_cooperative_scheme_s_old_names_are_the_premium_to_pay():
    premium = make_offer(id="DJ", title="困难群众城乡居民医保个人缴费资助",
                         categories=["insurance"], provider_name="市医疗保障局",
                         eligible_groups=["jiandang", "dibao"],
                         description="建档立卡、低保、特困人员参加城乡居民医保的个人缴费部分由"
                                     "财政全额资助。")
    rehab = make_offer(id="KF", title="0—6岁残疾儿童康复救助", categories=["rehabilitation"],
                       provider_name="市残联",
                       description="0至6岁残疾儿童康复训练，每人每年最高一万二。")
    need = make_need(title="建档立卡户儿子智力一级，农合的钱交不起", category="insurance",
                     beneficiary_age=None, urgency=2, amount_needed=540,
                     groups=["jiandang", "disabled"],
                     description="三口人，儿子从小智力残疾一级，离不开人。村里这两天喊交今年的"
                                 "农合，三个人五百四十块，家里拿不出。")
    order, reasons = ranked(need, [premium, rehab])
    assert order[0] == "DJ" and ENROL not in reasons["DJ"]


AIDS = "注意: 项目发放或适配辅具，需求中没有肢体或感官残疾、行动不便或需要辅具的情形"


def test_assistive_devices_are_no_help_for_a_mental_disability_alone():
    aids = make_offer(id="FJ", title="残疾人辅助器具免费适配（轮椅、助行器、助听器）",
                      categories=["rehabilitation"], provider_name="市残联",
                      description="持证残疾人免费适配基本型辅助器具，五年内同类不重复发放。")
    both = make_offer(id="KF", title="残疾人基本康复服务和辅助器具适配",
                      categories=["rehabilitation"], provider_name="市残联",
                      description="持证残疾人可申请康复训练补助和基本型辅助器具。")
    mental = make_need(title="精神残疾青年病情稳定，母亲想给他找个有人带的活",
                       category="employment", beneficiary_age=26, urgency=1, amount_needed=0,
                       groups=["low_income", "disabled"],
                       description="儿子二十六岁，精神残疾二级，精神分裂症吃药控制得稳定，"
                                   "在家闷着，母亲想给他找个有人带着做的活。")
    _, reasons = ranked(mental, [aids, both])
    assert AIDS in reasons["FJ"] and AIDS not in reasons["KF"]
    palsy = make_need(title="脑瘫女孩站不起来", category="rehabilitation", beneficiary_age=8,
                      urgency=1, amount_needed=0, groups=["dibao", "disabled"],
                      description="女儿八岁，生下来就是脑瘫，有残疾证，到现在站不起来，学步的"
                                  "架子早就小了。")
    _, reasons = ranked(palsy, [aids])
    assert AIDS not in reasons["FJ"]
