"""Kinds read where the diagnostic sets fell in the twenty-sixth session; every sentence here
is invented for the test, none is taken from a set.

A 低保 household that fears its 低保 goes once someone works says so with words between (低保会
不会一下子就没了), spells 低保 by its sound when it dictates or types (底保, 低宝), or says its
income passed the line in a letter's words (已逾低保之线): each is the trouble the 低保 taper
answers. 低保 that is only the subject of something else going (低保那点钱月中就没了, 低保户…
没了落脚处) is not.

A programme whose title names disabled people without a kind (残疾人职业技能培训及盲人保健按摩培训)
is for every kind of disability, whatever kind it names beside them; 视力残疾人保健按摩培训 is
for blind people only. So is a list of aids for the body and the senses (轮椅、助行器、助听器免费
适配); 助听器验配 alone is for the hard of hearing.

Child support a former husband does not pay (前夫拖欠抚养费) is no unpaid wage: 拖欠 alone is a
word of wage arrears, not when the text says what is owed.

A household whose basic medical insurance is not paid this year (今年的居民医保…没交) lacks the
cover itself: the premium subsidy is what it asks for, whatever illness it names.

A pupil who gives up senior high school (不考高中了，想去读技校) is no senior-high pupil.

A wife her husband beats, said with words between (说是老公喝了酒打的, 遭丈夫殴打), is a victim of
family violence; a 假腿 is a prosthesis (假肢).

A loan or grant to start a business (创业担保贷款, 扶贫小额贷款) answers only a need that wants
capital or a trade of its own (想养羊缺本钱, 想开网店), not a woman who wants a job; a title
that names other help into work besides (就业扶持（培训、创业补贴）) answers any.
"""

from __future__ import annotations

from matching.features import need_text
from matching.reasons import ReasonMaker

from .factories import RELIEF, TAPER, make_need, make_offer, ranked

KIND = ReasonMaker.KIND
TAPER_WARNING = "注意: 低保渐退只面向就业后收入超过低保标准的低保家庭，需求中没有收入超线或停保情形"


def _taper_and_relief():
    return [make_offer(**RELIEF), make_offer(**TAPER)]


def _dibao_need(text: str, title: str = "家里生活的事想问问"):
    return make_need(title=title, category="basic_living", beneficiary_age=48,
                     amount_needed=None, urgency=1, groups=["dibao"], description=text)


def test_a_family_that_fears_its_dibao_goes_when_someone_works_is_sent_to_the_taper():
    for text in ("女儿在镇上厂里找到活，一个月两千出头。我们家吃低保好几年了，她要是上了班，"
                 "家里低保会不会一下子就没了？老头子的药全靠它。",
                 "我家是底保户，儿子去年底进了厂，村里人讲儿子上班了，底保就要取消，老伴吃药就没着落了。",
                 "我们拿低宝三年了，今年我在电子厂找到工作，人家说有了工资低宝马上就没有了，我很担心。",
                 "敬启者：邻人某氏一家向以低保为生，其子去秋入厂，月入二千余，全家人均已逾低保之线，"
                 "闻将停发，老母药费无着，恳请设法。"):
        order, reasons = ranked(_dibao_need(text), _taper_and_relief())
        assert order[0] == "JT", text
        assert TAPER_WARNING not in reasons["JT"], text


def test_dibao_money_that_runs_out_is_not_dibao_ending():
    need = _dibao_need("老伴化疗，每个月的药和来回车费都要钱，家里吃低保，"
                       "低保那点钱一到月中就没了，想每个月能多一点生活上的接济。",
                       title="化疗期间生活开销接不上")
    _, reasons = ranked(need, _taper_and_relief())
    assert TAPER_WARNING in reasons["JT"]


def test_a_title_for_disabled_people_of_every_kind_is_for_a_deaf_man_too():
    need = make_need(title="聋哑青年想学门手艺", category="employment", beneficiary_age=24,
                     amount_needed=None, urgency=1, groups=["disabled"],
                     description="小伙子生下来就聋哑，有残疾证，认得字，手巧，会修电瓶车，想学个手艺"
                                 "养活自己，去厂里人家嫌他听不见。")
    both = make_offer(id="CJ", title="残疾人职业技能培训及盲人保健按摩培训",
                      categories=["employment"], eligible_groups=["disabled"],
                      description="持证残疾人免费参加电脑、手工、电商等职业技能培训，视力残疾人另可参加"
                                  "保健按摩培训，结业推荐就业。")
    blind = make_offer(id="MA", title="视力残疾人保健按摩职业培训", categories=["employment"],
                       eligible_groups=["disabled"],
                       description="为持证视力残疾人免费提供保健按摩职业培训，结业推荐上岗。")
    generic = make_offer(id="PX", title="城乡劳动者免费职业技能培训", categories=["employment"],
                         description="有就业愿望的城乡劳动者可免费参加电工、焊工、面点等培训。")
    order, reasons = ranked(need, [blind, generic, both])
    assert order[0] == "CJ"
    assert KIND not in reasons["CJ"] and KIND in reasons["MA"]


def test_a_list_of_aids_for_body_and_senses_is_for_a_man_in_a_wheelchair_too():
    need = make_need(title="偏瘫老人轮椅坏了出不了门", category="rehabilitation",
                     beneficiary_age=67, amount_needed=None, urgency=2,
                     groups=["disabled", "dibao"],
                     description="老人前年中风后左半身不利索，持肢体残疾证。轮椅是五六年前别人送的旧的，"
                                 "刹车早就不灵，今天轮子掉了，在路中间动不了。老人说在家闷得慌，想出门。")
    aids = make_offer(id="FJ", title="辅具到家｜轮椅、助行器、助听器免费适配",
                      categories=["rehabilitation"], eligible_groups=["disabled"], mode="in_kind",
                      description="持证残疾人经评估免费适配轮椅、助行器、助听器等辅助器具，上门送到家。")
    hearing = make_offer(id="ZT", title="助听器免费验配", categories=["rehabilitation"],
                         eligible_groups=["disabled"], mode="in_kind",
                         description="为持证听力残疾人免费验配助听器，每人一台。")
    order, reasons = ranked(need, [hearing, aids])
    assert order[0] == "FJ"
    assert KIND not in reasons["FJ"] and KIND in reasons["ZT"]


def test_child_support_owed_is_no_unpaid_wage():
    need = make_need(title="前夫拖欠抚养费近两年", category="legal", beneficiary_age=35,
                     amount_needed=None, urgency=1, groups=["low_income"],
                     description="2016年法院判离，孩子归我，他每月付600抚养费，只付了三个月就不付了，"
                                 "现在电话换了，微信也拉黑了。这个钱还能不能要回来，要去哪里要？")
    wages = make_offer(id="QX", title="农民工欠薪与工伤维权法律援助（绿色通道）",
                       categories=["legal"],
                       description="农民工追索劳动报酬、工伤赔偿，免经济困难审查，优先受理、优先指派律师。")
    family = make_offer(id="FL", title="妇女儿童权益维护法律帮助与心理支持", categories=["legal"],
                        provider_name="南通市妇联",
                        description="为遭受家庭暴力、离婚纠纷、抚养费追索的妇女儿童提供法律咨询和心理支持。")
    order, _ = ranked(need, [wages, family])
    assert order[0] == "FL"
    assert "拖欠" not in need_text(need)
    assert "拖欠工资" in need_text(make_need(description="老板拖欠工资两个月"))


PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"


def test_a_household_whose_medical_insurance_is_unpaid_is_sent_to_the_premium_subsidy():
    premium = make_offer(id="CB", title="困难群体城乡居民基本医疗保险个人缴费资助",
                         categories=["insurance"], eligible_groups=["jiandang", "dibao"],
                         description="低保、特困、建档立卡等困难人员参加城乡居民基本医疗保险，个人缴费部分"
                                     "由财政全额或定额资助，可在镇村统一参保时办理，漏缴的可补缴。")
    aid = make_offer(id="JZ", title="困难群众医疗救助二次救助", categories=["medical"],
                     eligible_groups=["jiandang", "dibao"],
                     description="困难群众住院费用经医保报销后的个人自付部分，按比例给予二次救助。")
    need = make_need(title="建档立卡户今年未交居民医保", category="insurance", beneficiary_age=44,
                     amount_needed=None, urgency=1, groups=["jiandang"],
                     description="妈妈高血压、糖尿病好几年了，每个月药费三百多。我问今年的合作医疗（就是"
                                 "居民医保）交了没有，爸爸说村里来收的时候手头紧，没交，现在不知道还能不能"
                                 "补，补了还能不能报。")
    order, reasons = ranked(need, [aid, premium])
    assert order[0] == "CB"
    assert PREVENTIVE not in reasons["CB"]


def test_a_pupil_who_gives_up_senior_high_school_is_sent_to_vocational_school_aid():
    senior = make_offer(id="PG", title="普通高中国家助学金", categories=["education"],
                        eligible_groups=["low_income"], amount_per_beneficiary=2000,
                        description="普通高中在校家庭经济困难学生每生每年2000元，建档立卡等困难学生免学杂费。")
    vocational = make_offer(id="ZZ", title="中等职业教育免学费及国家助学金",
                            categories=["education"], eligible_groups=["low_income"],
                            amount_per_beneficiary=2000,
                            description="中等职业学校（含技工学校）全日制在校生免学费，家庭经济困难学生"
                                        "另享国家助学金每生每年2000元。")
    need = make_need(title="初三学生想读技校问学费补助", category="education", beneficiary_age=15,
                     amount_needed=5000, urgency=1, groups=["low_income"],
                     description="我儿子在镇上读初三，成绩不好，他自己说不考高中了，想去读技校学修汽车。"
                                 "我们是低收入户，想问读技校一年学费多少，国家有没有补的。")
    order, _ = ranked(need, [senior, vocational])
    assert order[0] == "ZZ"


def test_a_wife_beaten_by_her_drunk_husband_is_sent_to_the_family_violence_service():
    need = make_need(title="量血压时见胳膊淤青", category="legal", beneficiary_age=38,
                     amount_needed=None, urgency=2, groups=[],
                     description="随访时看到她左上臂、手腕好几块淤青，新旧都有，支开婆婆后才说是老公喝了酒"
                                 "打的，过年期间两次，孩子看见了。她不敢回娘家，收入靠她在鞋厂上班。")
    shelter = make_offer(id="FB", title="妇女维权：遭受家庭暴力可以求助（12338）",
                         categories=["legal", "psychological"], provider_name="南通市妇联",
                         description="妇女遭受家庭暴力，可拨打12338或到妇联求助，提供心理疏导、法律咨询和"
                                     "人身安全保护令申请帮助。")
    relief = make_offer(id="LS", title="临时救助", categories=["basic_living", "emergency"],
                        description="因突发事件导致基本生活陷入困境的家庭，给予一次性临时救助。")
    order, reasons = ranked(need, [relief, shelter])
    assert order[0] == "FB"
    assert not any(r.startswith("注意: 项目面向特定身份人群") for r in reasons["FB"])


def test_a_man_who_wants_a_false_leg_is_sent_to_the_prosthesis_programme():
    need = make_need(title="截肢后想装条假腿", category="rehabilitation", beneficiary_age=62,
                     amount_needed=None, urgency=1, groups=["disabled", "dibao"],
                     description="去年右小腿截肢，办了肢体二级残疾证，一直在床上椅子上，上厕所要老伴扶。"
                                 "他说想装条假腿，能自己走到门口晒晒太阳就好。")
    aids = make_offer(id="FJ", title="残疾人辅助器具免费适配", categories=["rehabilitation"],
                      eligible_groups=["disabled"], mode="in_kind",
                      description="持证残疾人经评估免费适配轮椅、助行器、护理床、假肢等辅助器具。")
    allowance = make_offer(id="BT", title="困难残疾人生活补贴", categories=["basic_living"],
                           eligible_groups=["disabled"],
                           description="低保家庭中的持证残疾人每人每月发放生活补贴。")
    order, reasons = ranked(need, [allowance, aids])
    assert order[0] == "FJ"
    assert any("辅具" in r for r in reasons["FJ"])


STARTUP = "注意: 项目为创业或经营的贷款、补贴，需求中没有创业、经营或缺本钱的打算"


def test_a_business_loan_answers_a_wish_for_capital_not_for_a_job():
    loan = make_offer(id="DK", title="个人创业担保贷款及财政贴息", categories=["employment"],
                      description="城乡登记失业人员、返乡创业农民工等个人自主创业，可申请最高10万元"
                                  "创业担保贷款，财政按规定贴息。")
    jobs = make_offer(id="GW", title="就业困难人员公益性岗位托底安置", categories=["employment"],
                      eligible_groups=["dibao", "low_income"],
                      description="对低保家庭中的就业困难人员，经认定后安排保洁、保安、护绿等公益性岗位，"
                                  "签订劳动合同，缴纳社保。")
    broad = make_offer(id="CJ", title="残疾人就业扶持（培训、创业补贴、辅助性就业）",
                       categories=["employment"], eligible_groups=["disabled"],
                       description="持证残疾人可参加免费培训，自主创业的给予一次性补贴。")
    job = make_need(title="低保家庭妇女失业想找工作", category="employment", beneficiary_age=46,
                    amount_needed=None, urgency=1, groups=["dibao", "disabled"],
                    description="原来在服装厂做车工，厂子搬走了就没工作了。老公尿毒症在做透析，儿子读"
                                "高二，家里靠低保和我打点零工，想找个稳定的活。")
    order, reasons = ranked(job, [loan, jobs, broad])
    assert order[0] == "GW"
    assert STARTUP in reasons["DK"] and STARTUP not in reasons["CJ"]
    sheep = make_need(title="建档户想养羊缺本钱", category="employment", beneficiary_age=50,
                      amount_needed=20000, urgency=1, groups=["jiandang"],
                      description="老杨腰不好干不了重活，想在家养二十只羊，圈舍自己搭，买羊的本钱还差两万。")
    order, reasons = ranked(sheep, [jobs, loan])
    assert order[0] == "DK" and STARTUP not in reasons["DK"]
