"""Kinds of the thirty-seventh session, found in the first reading of the twentieth batch
(written blind in the thirty-sixth) and counted over dev and every labelled set. Every sentence
here is invented for the test, none is taken from a set.

Help drawn every month (尊老金每月在领, 护理补贴也在领) is help the family has. A death spoken of
as still to come (等他死了让儿子来还, 我死了他怎么办) is no death in the family: a pensioner with
sons is no one's to keep. A vehicle that struck someone (被一辆电瓶车撞了) is a road accident. A
switch to a vocational school a senior pupil's mother threatens (高一…实在不行下学期去读职校) is a
plan, not the pupil's school. A status told with an age that is not the beneficiary's (退役军人
唐某某（50岁）家，女儿15岁) is another person's. A must-ask list's 别推 (肝癌、胃癌等其他癌种的别推)
excludes what it names. The ages a programme's own text says it serves (年龄35周岁至64周岁)
leave out a beneficiary of another age.
"""

from __future__ import annotations

from matching.age_window import age_window
from matching.exclusion import spans
from matching.reasons import ReasonMaker
from matching.received import spans as had

from .factories import make_need, make_offer, ranked


def test_help_drawn_every_month_is_help_held():
    for text, held in (("老太八十一岁，独居。尊老金每月在领。", "尊老金"),
                       ("残疾证二级，护理补贴也在领，就是吃饭成问题。", "护理补贴")):
        assert any(held in text[s:e] for s, e in had(text)), text
    allowance = make_offer(id="ZL", title="高龄老人尊老金", categories=["basic_living"],
                           provider_name="市老龄办", age_min=80,
                           description="本市户籍年满80周岁老人，每月发放尊老金。")
    meals = make_offer(id="ST", title="社区长者食堂助餐", categories=["care"],
                       provider_name="街道长者食堂", age_min=60,
                       description="60岁以上老人到长者食堂用餐，每餐补贴三元，行动不便的可送餐。")
    need = make_need(title="手腕骨折烧不了饭", category="basic_living", beneficiary_age=81,
                     urgency=1, groups=["low_income"], amount_needed=None,
                     description="老太八十一岁，独居，手腕骨折后锅子端不起来，天天吃泡饭，想找个"
                                 "吃饭的地方。尊老金每月在领。")
    order, reasons = ranked(need, [allowance, meals])
    assert order[0] == "ST"
    assert any(r.startswith("需求已享受") for r in reasons["ZL"])


def test_a_death_to_come_is_no_death_in_the_family():
    support = make_offer(id="TK", title="特困人员救助供养", categories=["basic_living"],
                         provider_name="镇社会事务办",
                         description="无劳动能力、无生活来源、无法定赡养抚养义务人的老年人，"
                                     "给予基本生活供养。")
    need = make_need(title="老汉赊面条 儿子不管", category="basic_living", beneficiary_age=74,
                     urgency=1, groups=[], income_per_capita=300, amount_needed=None,
                     description="老顾七十四，两个儿子都在镇上做生意，谁也不管他，一个人住在"
                                 "小屋里。欠了九十几块面条钱，说等他死了让儿子来还。")
    _, reasons = ranked(need, [support])
    assert ReasonMaker.KIN in reasons["TK"]


def test_a_vehicle_that_struck_someone_is_a_road_accident():
    fund = make_offer(id="JJ", title="道路交通事故社会救助基金垫付", categories=["emergency"],
                      provider_name="市交通事故救助基金管理中心",
                      description="道路交通事故受害人，肇事逃逸或未投保交强险的，垫付抢救费用。")
    need = make_need(title="老人被撞 开刀要钱", category="medical", beneficiary_age=72,
                     urgency=3, groups=["dibao"], amount_needed=40000,
                     description="老杨七十二岁，晚上在家门口被一辆电瓶车撞了，骑车的跑了，"
                                 "髋骨断了，开刀要好几万。")
    _, reasons = ranked(need, [fund])
    shared = [r for r in reasons["JJ"] if r.startswith("内容相关")]
    assert shared and "交通事故" in shared[0]


def test_a_switch_to_a_vocational_school_is_a_plan():
    vocational = make_offer(id="ZZ", title="中等职业学校国家助学金", categories=["education"],
                            provider_name="市学生资助中心",
                            description="中职学校（含技工学校）一、二年级在校生，每生每年"
                                        "2000元。")
    need = make_need(title="高一女生 学费难", category="education", beneficiary_age=16,
                     urgency=1, groups=["low_income"], amount_needed=2000,
                     description="小琴十六岁，在镇中学读高一，成绩前十。爸爸前年去世，妈妈在"
                                 "鞋厂上班，说实在不行就让她下学期去读职校，早点挣钱。")
    _, reasons = ranked(need, [vocational])
    assert ReasonMaker.STAGE in reasons["ZZ"]


def test_a_status_told_with_another_age_is_another_person_s():
    fund = make_offer(id="TY", title="困难退役军人帮扶援助", categories=["basic_living"],
                      provider_name="市退役军人事务局",
                      description="生活困难的退役军人，给予一次性帮扶援助。")
    text = ("走访退役军人唐某某（50岁）家。女儿15岁，读初三，听力残疾三级，助听器用了七年，"
            "最近老是啸叫，上课听不清。")
    daughter = make_need(title="老兵女儿助听器坏了", category="rehabilitation",
                         beneficiary_age=15, urgency=1, groups=["disabled"],
                         amount_needed=10000, description=text)
    _, reasons = ranked(daughter, [fund])
    assert ReasonMaker.STATUS in reasons["TY"]
    himself = make_need(title="老兵生活困难", category="basic_living", beneficiary_age=50,
                        urgency=1, groups=["low_income"], amount_needed=3000,
                        description="走访退役军人唐某某（50岁）家。他在厂里看大门，一个月一千，"
                                    "腰不好，生活困难。")
    _, reasons = ranked(himself, [fund])
    assert ReasonMaker.STATUS not in reasons["TY"]


def test_a_must_ask_list_s_do_not_refer_excludes_what_it_names():
    text = ("问到慢粒白血病患者的推荐本项目。肝癌、胃癌、肠癌等其他癌种的别推；三级四级的别转。"
            "社工分别转介到医院。")
    got = [text[s:e] for s, e in spans(text)]
    assert any("肝癌" in g for g in got) and any("三级四级" in g for g in got)
    assert not any("医院" in g for g in got)


def test_the_ages_a_programme_s_text_serves_leave_out_other_ages():
    assert age_window("“星语”特殊儿童康复训练", "接收0至6岁儿童免费；另限7至14岁的收费减半。") \
        == (0.0, 14.0)
    # a range in a clause that does not say it is whom the programme serves is not read
    assert age_window("顶梁柱过渡金", "家里的顶梁柱（18至60周岁）住院了，补一点。") is None
    fund = make_offer(id="LA", title="贫困妇女“两癌”救助", categories=["medical"],
                      provider_name="妇女发展基金会",
                      description="资助对象：本市户籍女性，年龄35周岁至64周岁，确诊乳腺癌或"
                                  "宫颈癌。每人一次性资助1万元。")
    for age, warned in ((67, True), (50, False)):
        need = make_need(title="宫颈癌放疗后自付四万", category="medical", beneficiary_age=age,
                         urgency=2, groups=["low_income"], amount_needed=45000,
                         description=f"老太{age}岁，去年查出宫颈癌，做了手术和放疗，自己还掏了"
                                     "四万五。")
        _, reasons = ranked(need, [fund])
        assert (ReasonMaker.AGED in reasons["LA"]) == warned, age
