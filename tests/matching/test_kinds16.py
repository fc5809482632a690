"""Kinds read where the twenty-seventh session's third batch of blind sets fell (read in the
twenty-eighth session); every sentence here is invented for the test, none is taken from a set.

A social insurance's benefit for survivors (丧葬补助金、抚恤金) and the road-accident fund's
advance (先行垫付) pay for what already happened: they are no cover to buy in advance, so a widow
is not warned off them as from an insurance.

The 低保 is paid every month: a debt of tens of thousands is no sign that it falls short, so it
carries no warning that the sum is far below the need.

The road-accident fund also pays what is above the compulsory insurance's limit, told in a
family's words (交强险医疗限额用完了, 交强险不够).

The work-injury insurance's benefits (工亡待遇, 工伤保险待遇) answer only an injury or a death at
work, also a collapse on the job (干活时突然倒下); a death at home from an illness is warned off
them. A wage channel's legal aid that takes work injuries too answers unpaid wages as before.

The procuratorate's aid for crime victims (刑事被害人司法救助) answers only a need harmed by a
crime, not every court case: a civil judgment that cannot be enforced is warned off it.

A programme that sends a group elsewhere (普通高中学生请看另一条, 读普高的同学看另一个通知) is not
for that group: a senior-high pupil is sent to the senior-high grant before the vocational one.

Read in the session's fourth batch: a title that names its illnesses (“两癌”救助) keeps them
whatever category word its text uses in passing (因病致贫的重病妇女): a man's liver cancer is not
among them. Wages held back with the sum or the months between (包工头拖着三万多工钱, 欠了他八个月
的工资, 工资到现在一分没给) are unpaid wages (arrears.py). Paying a household's premium
(居民医保个人缴费政府全额代缴) is no cover to buy.
"""

from __future__ import annotations

from .factories import make_need, make_offer, ranked

PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"


def test_survivors_benefits_and_a_fund_s_advance_are_no_cover_to_buy():
    widow = make_need(title="丈夫病故，想问养老保险的钱", category="insurance", beneficiary_age=56,
                      amount_needed=None, urgency=1, groups=["low_income"],
                      description="丈夫在厂里上了二十年班，单位一直给交职工养老保险，上个月肺癌去世，"
                                  "她想知道交了这么多年的保险家属能领什么。")
    pension = make_offer(id="YL", title="职工养老保险参保人死亡后遗属待遇",
                         categories=["insurance"],
                         description="企业职工养老保险参保人因病或非因工死亡的，其遗属可领取丧葬补助金"
                                     "和抚恤金，个人账户余额可以继承。带死亡证明到社保经办机构办理。")
    buy = make_offer(id="BX", title="城乡居民意外伤害保险集中投保", categories=["insurance"],
                     description="居民自愿投保，每人每年50元，保单次日起生效，意外身故最高赔10万元。")
    _, reasons = ranked(widow, [pension, buy])
    assert PREVENTIVE not in reasons["YL"]
    assert PREVENTIVE in reasons["BX"]
    hurt = make_need(title="被货车撞伤住院，欠医院的钱", category="emergency", beneficiary_age=47,
                     amount_needed=30000, urgency=3, groups=["low_income"],
                     description="骑电动车被货车撞了，腿骨骨折，货车只有交强险，交强险医疗限额用完了，"
                                 "医院还差三万。")
    fund = make_offer(id="JJ", title="道路交通事故社会救助基金",
                      categories=["emergency", "medical"],
                      description="肇事逃逸、机动车未投保交强险或者抢救费用超过交强险限额的，"
                                  "受害人的抢救费由救助基金先行垫付。")
    _, reasons = ranked(hurt, [fund])
    assert PREVENTIVE not in reasons["JJ"]
    assert not any(r.startswith("注意: 救助基金只垫付") for r in reasons["JJ"])


def test_the_monthly_dibao_carries_no_shortfall_warning_for_a_large_debt():
    need = make_need(title="丈夫病故留下八万外债", category="basic_living", beneficiary_age=48,
                     amount_needed=50000, urgency=2, groups=["expenditure_hardship"],
                     description="丈夫治病借了亲戚八万多，去年年底走了，她自己有高血压，打零工一个月九百，"
                                 "儿子读职校，家里没有别的收入。")
    dibao = make_offer(id="DB", title="城乡最低生活保障", categories=["basic_living"],
                       amount_per_beneficiary=690, income_ceiling=690,
                       description="家庭人均月收入低于690元的，按差额按月发放低保金。")
    relief = make_offer(id="JJ", title="困难家庭急难救助", categories=["emergency"],
                        amount_per_beneficiary=2000,
                        description="因意外事故、突发重病导致生活陷入困境的困难家庭，给予一次性急难救助。")
    _, reasons = ranked(need, [dibao, relief])
    assert not any(r.startswith("注意: 需求费用约") for r in reasons["DB"])
    assert any(r.startswith("注意: 需求费用约") for r in reasons["JJ"])


WORK = "注意: 工伤保险待遇只面向因工受伤或因工死亡，需求中没有工伤情形"
_WORK = {"id": "GS", "title": "工亡待遇：职工因工死亡，家属可以领什么", "categories": ["insurance"],
         "description": "职工因工死亡的，近亲属可领一次性工亡补助金、丧葬补助金和供养亲属抚恤金，"
                        "向人社部门申请工伤认定。"}


def test_work_injury_benefits_answer_only_an_injury_or_a_death_at_work():
    home = make_need(title="丈夫在家病故，妻子生活困难", category="basic_living",
                     beneficiary_age=54,
                     amount_needed=None, urgency=2, groups=["low_income"],
                     description="丈夫在家吃早饭时心梗倒下，没送到医院人就没了，办丧事借了两万。")
    _, reasons = ranked(home, [make_offer(**_WORK)])
    assert WORK in reasons["GS"]
    for text in ("丈夫在船厂干活时突然倒下，送医院抢救无效去世，厂里说是他自己身体不好。",
                 "儿子在工地上从脚手架摔下来死了，老板说没交保险。"):
        need = make_need(title="家里顶梁柱走了", category="insurance", beneficiary_age=50,
                         amount_needed=None, urgency=2, groups=["low_income"], description=text)
        _, reasons = ranked(need, [make_offer(**_WORK)])
        assert WORK not in reasons["GS"], text
    wages = make_need(title="工地欠薪一年没拿到", category="legal", beneficiary_age=45,
                      amount_needed=20000, urgency=2, groups=["low_income"],
                      description="在工地干了一年，包工头拖欠工资两万块，一直不给。")
    lawyers = make_offer(id="FY", title="农民工讨薪、工伤维权法律援助", categories=["legal"],
                         description="农民工追索劳动报酬、工伤赔偿的，免予经济困难审查，指派律师代理。")
    _, reasons = ranked(wages, [lawyers])
    assert not any(r.startswith("注意: 工伤保险待遇") for r in reasons["FY"])


VICTIM = "注意: 刑事被害人救助只面向受犯罪侵害的人，需求中没有犯罪侵害"
_VICTIM = {"id": "JC", "title": "检察机关刑事被害人司法救助", "categories": ["legal", "emergency"],
           "description": "刑事被害人受到犯罪侵害致重伤或死亡，加害人无力赔偿、生活困难的，"
                          "由检察院给予一次性司法救助。"}


def test_crime_victims_aid_answers_only_a_need_harmed_by_a_crime():
    civil = make_need(title="土地流转费判了拿不到", category="basic_living", beneficiary_age=66,
                      amount_needed=None, urgency=2, groups=["low_income"],
                      description="合作社欠他三年土地流转费，法院判了，申请执行后对方没有财产，"
                                  "他一个人生活，没有收入。")
    _, reasons = ranked(civil, [make_offer(**_VICTIM)])
    assert VICTIM in reasons["JC"]
    hit = make_need(title="儿子被人打成重伤，对方赔不出钱", category="legal", beneficiary_age=24,
                    amount_needed=None, urgency=3, groups=["low_income"],
                    description="儿子在饭店门口被人打成重伤，打人的已经判刑，可他家里一分钱也赔不出，"
                                "儿子至今躺在床上。")
    _, reasons = ranked(hit, [make_offer(**_VICTIM)])
    assert VICTIM not in reasons["JC"]


def test_a_programme_that_sends_a_group_elsewhere_is_not_for_it():
    vocational = make_offer(id="ZZ", title="中等职业学校免学费和国家助学金",
                            categories=["education"], amount_per_beneficiary=2000,
                            description="读职高、技校、中专的同学：全日制学生免学费，家庭困难的另有"
                                        "国家助学金每年2000元。普通高中学生请看另一条。")
    senior = make_offer(id="PG", title="普通高中国家助学金", categories=["education"],
                        amount_per_beneficiary=2000,
                        description="普通高中家庭经济困难学生，每生每年2000元，向就读学校申请。")
    need = make_need(title="高三学生担心学费", category="education", beneficiary_age=18,
                     amount_needed=5000, urgency=1, groups=["dibao"],
                     description="儿子读高三，资料费补课费不少，家里吃低保，秋天上大学的学费还没着落。")
    order, _ = ranked(need, [vocational, senior])
    assert order[0] == "PG"


ILLNESS = "注意: 专病项目，需求所患疾病不在其列"


def test_a_title_that_names_its_illnesses_keeps_them_whatever_category_word_its_text_uses():
    need = make_need(title="肝癌，止痛药都买不起", category="medical", beneficiary_age=45,
                     amount_needed=None, urgency=2, groups=["jiandang"],
                     description="丈夫去年底查出肝癌，在上海住过一回院，自己贴了三万多，现在药钱也掏不出。")
    two = make_offer(id="LA", title="贫困妇女“两癌”救助", categories=["medical"],
                     description="确诊宫颈癌或乳腺癌的困难妇女，每人一次性救助1万元；低保、低收入家庭"
                                 "中的患病妇女，或因病致贫的重病妇女，均可申请。")
    _, reasons = ranked(need, [two])
    assert ILLNESS in reasons["LA"]
    # a title that names only a category (重症患儿) is for the category
    kids = make_offer(id="ZZ", title="困难家庭重症患儿救助", categories=["medical"],
                      description="白血病、先天性心脏病等重大疾病患儿，每人救助2万元。")
    child = make_need(title="孩子得了肝癌", category="medical", beneficiary_age=9,
                      amount_needed=None, urgency=3, groups=["dibao"],
                      description="孩子九岁，查出肝癌，要做手术，家里低保，拿不出钱。")
    _, reasons = ranked(child, [kids])
    assert ILLNESS not in reasons["ZZ"]


WAGES = "注意: 项目只受理拖欠工资（讨薪）事项，需求中没有欠薪"


def test_wages_held_back_with_the_sum_between_are_unpaid_wages():
    channel = make_offer(id="TX", title="农民工讨薪法律服务", categories=["legal"],
                         description="农民工被拖欠工资的，免予经济困难审查，指派律师代理讨薪。")
    for text in ("他在市区工地做了两年木工，包工头拖着三万多工钱，年后人也找不到了。",
                 "厂里欠了他八个月的工资，老板说没钱。",
                 "去年干了一年，工资到现在一分没给。"):
        need = make_need(title="家里等着这笔钱", category="legal", beneficiary_age=42,
                         amount_needed=None, urgency=2, groups=["low_income"], description=text)
        _, reasons = ranked(need, [channel])
        assert WAGES not in reasons["TX"], text
    paid = make_need(title="想找份工作", category="employment", beneficiary_age=42,
                     amount_needed=None, urgency=1, groups=["low_income"],
                     description="工地的活干完了，工资也结清了，想在家附近找份稳定的工作。")
    _, reasons = ranked(paid, [channel])
    assert WAGES in reasons["TX"]


def test_paying_a_household_s_premium_is_no_cover_to_buy():
    need = make_need(title="建档立卡户医保还是自己交的", category="insurance", beneficiary_age=66,
                     amount_needed=None, urgency=1, groups=["jiandang"],
                     description="老两口是建档立卡户，老伴有高血压，今年的居民医保还是自己交了三百多。")
    pay = make_offer(id="DJ", title="困难群众居民医保个人缴费政府全额代缴",
                     categories=["insurance"], eligible_groups=["jiandang", "dibao"],
                     description="低保、特困、建档立卡人员参保，个人缴费部分由政府全额代缴。")
    _, reasons = ranked(need, [pay])
    assert PREVENTIVE not in reasons["DJ"]


def test_a_light_job_is_no_thought_of_suicide():
    need = make_need(title="腰不好，想找个轻生活", category="employment", beneficiary_age=48,
                     amount_needed=None, urgency=1, groups=["dibao"],
                     description="以前在工地扎钢筋，腰椎开过刀，重活做不动了，想找个扫地看门的轻生活，"
                                 "离家近点。")
    crisis = make_offer(id="WJ", title="重大变故家庭心理危机干预", categories=["psychological"],
                        description="对有轻生念头、情绪低落的困难群众，社工上门开展心理危机干预。")
    _, reasons = ranked(need, [crisis])
    assert not any("情绪困扰" in r for r in reasons["WJ"])
    low = make_need(title="丈夫走后她想不开", category="psychological", beneficiary_age=45,
                    amount_needed=None, urgency=3, groups=["low_income"],
                    description="丈夫去年走了，她整天哭，跟邻居说过轻生的话。")
    _, reasons = ranked(low, [crisis])
    assert any("情绪困扰" in r for r in reasons["WJ"])
