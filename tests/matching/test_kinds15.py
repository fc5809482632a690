"""Kinds read where the diagnostic sets fell in the twenty-seventh session; every sentence here
is invented for the test, none is taken from a set.

A notice of the 低保 programme in its procedural words (低保年审和新申请受理, 低保审核确认) is the
低保 programme: a household already on 低保 is not sent to it as help.

A man who rang a hotline after drinking (夜里喝了酒打来) beat no one: 喝了酒打 is a word of family
violence only with whom it beat (喝了酒打她, 酒后打的).

A student past the first year (现在读大二) is no new student, even where the need recalls the
new-student grant of the year it started (那是刚考上的时候给的).

A programme that says a group has another policy (（中职学生另有政策）) is not for that group: a
vocational-school pupil is sent to the vocational grant before the senior-high one.

The programme for people with a severe mental disorder (free medicine, community follow-up)
answers only a need that names such a disorder or a mental disability, or tells one in a
family's words (听见有人骂他, 怀疑别人害她); a widow's grief is sent to counselling first. A title
that names other psychological help besides answers any.

A programme to rebuild or repair houses (危房改造, 房屋修缮) answers only a need whose house is
unsafe or damaged (大风把屋顶掀了, 住房破旧), wants adapting for a wheelchair, or was struck by a
fire or a disaster; a household whose trouble is a bill is warned off it.

A programme that pays a patient's medical costs (医疗救助, 住院, 门诊) answers only a need that
names an illness, an injury, a disability or medical costs: an old man who wants a place in a
care home has no bill for it. A cover to join (医疗保险, 投保) is not such a programme.

A programme whose title names women or girls (妇女心理疏导, 巾帼家政培训) is for them, unless it
names children beside them (妇女儿童维权); a form states a man's sex in its fields (性别：男｜
年龄：38).

A child who fears for the father the family lives on (万一爸爸也生病了) or a need that says the
household lacks cover for a major illness (缺少大病保障) asks for cover against what may come,
whatever illness of a relative it tells: a programme that pays a patient's bill is no cover.

Food that sticks on the way down (吞咽哽噎, 吃饭噎) is one of the early danger signs of cancer the
screening answers.

A screening or an insurance is no fund for the illnesses it names: it is for people who do not
have them yet, so a wife with a long stomach complaint who wants to know whether it is cancer is
sent to the cancer screening without a warning that her illness is not among its own.

A survey form's shorthand for what the family already draws (父亲已领困难残疾人生活补贴) is help
received, as 已领取 is.

An offer that cites a regulation or an office with 预防 in its name (《残疾预防和残疾人康复条例》,
疾病预防控制处) is not preventive for it: the free medicine for a severe mental disorder meets a
relapse.

A divorce among the matters legal aid takes (法律援助（…赡养抚养、离婚等）) is a matter, not a
title for single-parent families; 单亲家庭援助计划 still is one.

A cover bought for a group that says in plain words it takes no one already ill (已经得了病的不能
再保) is still a cover to buy: it cannot meet a cancer already diagnosed.

Paying a household's basic medical insurance premium (医保个人缴费资助) answers only a need whose
insurance is not paid or whose premium it cannot pay (今年医保漏缴, 交不起医保费, 医保自2016年起
断缴); a 低保 household with a bill has its premium paid already.
"""

from __future__ import annotations

from matching.beneficiary import sex_of

from .factories import MAJOR_ILLNESS_AID, fired, make_need, make_offer, ranked

HELD = "注意: 需求家庭已是低保对象，本项目即低保"
ENROLMENT = "注意: 新生入学资助，需求中的学生已在读"
STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"
SMI = "注意: 项目面向严重精神障碍患者，需求中没有精神疾病或精神残疾"

_SMI = {"id": "SMI", "title": "严重精神障碍患者免费服药与社区随访",
        "categories": ["medical", "psychological"],
        "description": "在册严重精神障碍患者免费服用基本药物，社区医生定期随访，病情波动时协助"
                       "就医，并为家属提供心理疏导和照护指导。"}
_TALK = {"id": "TALK", "title": "困难家庭心理疏导（社工上门）", "categories": ["psychological"],
         "description": "社工上门为丧亲、重病、家庭变故的困难家庭成员提供心理疏导和哀伤辅导。"}


def test_a_dibao_notice_in_procedural_words_is_no_help_for_a_household_on_dibao():
    need = make_need(title="低保老人白内障想开刀", category="medical", beneficiary_age=70,
                     amount_needed=4000, urgency=2, groups=["dibao"],
                     description="老人吃低保好几年，两只眼睛白内障，医生说开刀一只眼三四千，自己拿不出。")
    notice = make_offer(id="NB", title="2018年低保年审和新申请受理的告示",
                        categories=["basic_living"],
                        description="各位村民：今年低保年审开始，新申请低保的家庭带户口本、收入证明到村委会登记。")
    aid = make_offer(id="YL", title="困难群众住院医疗救助", categories=["medical"],
                     description="低保、特困人员住院医疗费用经医保报销后的自付部分，按比例救助。")
    order, reasons = ranked(need, [notice, aid])
    assert order[0] == "YL"
    assert HELD in reasons["NB"]
    assert "dibao" in fired("低保审核确认办法修订出台")


def test_a_man_who_rang_after_drinking_is_no_victim_of_family_violence():
    assert "fam_violence" not in fired(
        "来电者男，45岁，夜里喝了酒打来，说自己没用，找不到活，养不活老婆孩子。")
    for text in ("她说是老公酒后打的，胳膊上都是淤青。", "丈夫喝了酒打她，邻居都听见了。"):
        assert "fam_violence" in fired(text), text


def test_a_student_past_the_first_year_is_warned_off_a_new_student_grant():
    grant = make_offer(id="NEW", title="大学新生教育救助", categories=["education"],
                       description="对困难家庭当年考取全日制普通高校的学生，给予一次性入学资助5000元。")
    loan = make_offer(id="FUND", title="企业爱心助学金", categories=["education"],
                      description="资助困难家庭在读大学生，每人每年3000元，可连续资助至毕业。")
    need = make_need(title="儿子读大二学费难续", category="education", beneficiary_age=20,
                     amount_needed=6000, urgency=1, groups=["low_income"],
                     description="儿子现在读大二，学费一年五千。他刚考上的时候区里给过一次五千块，"
                                 "后面就没有了。他爸去年脑梗，下学期的学费还不知道怎么办。")
    order, reasons = ranked(need, [grant, loan])
    assert order[0] == "FUND"
    assert ENROLMENT in reasons["NEW"]
    # a freshman who says the grant is what it hopes for is still its student
    fresh = make_need(title="孩子刚考上大学", category="education", beneficiary_age=18,
                      amount_needed=6000, urgency=1, groups=["low_income"],
                      description="孩子今年刚考上大学，九月开学，学费还没着落。")
    _, reasons = ranked(fresh, [grant, loan])
    assert ENROLMENT not in reasons["NEW"]


def test_a_programme_that_says_a_group_has_another_policy_is_not_for_it():
    senior = make_offer(id="GZ", title="普通高中家庭经济困难学生资助",
                        categories=["education"],
                        description="对象：普通高中在校生中的建档立卡、低保家庭学生（中职学生另有政策）；"
                                    "免除学杂费，国家助学金每生每年2000元。")
    rain = make_offer(id="YL", title="“雨露计划”职业教育补助", categories=["education"],
                      description="建档立卡家庭子女就读中职、技工院校的，每生每学期补助1500元。")
    need = make_need(title="中职生住宿费生活费有困难", category="education", beneficiary_age=17,
                     amount_needed=3000, urgency=1, groups=["jiandang"],
                     description="孩子在县职教中心读中职二年级，住校，住宿费和生活费家里拿不出。")
    order, reasons = ranked(need, [senior, rain])
    assert order[0] == "YL"
    assert STAGE in reasons["GZ"]


def test_the_severe_mental_disorder_programme_answers_only_a_need_that_has_one():
    widow = make_need(title="丈夫出海遇难后整天哭", category="psychological", beneficiary_age=45,
                      amount_needed=None, urgency=2, groups=["low_income"],
                      description="丈夫去年出海没回来，她整天以泪洗面，晚上睡不着，饭也吃不下，"
                                  "家里人怕她想不开。")
    order, reasons = ranked(widow, [make_offer(**_SMI), make_offer(**_TALK)])
    assert order[0] == "TALK"
    assert SMI in reasons["SMI"]
    for text in ("儿子二十几岁得了脑子上的毛病，有时候听见有人骂他，半夜起来砸东西，停了药又犯了。",
                 "她这些年发作起来就怀疑别人害她，夜里不睡乱跑，住过专科医院，现在每月开药五百多。",
                 "儿子是精神分裂症，药一停就犯病。"):
        need = make_need(title="家里病人药费负担重", category="medical", beneficiary_age=40,
                         amount_needed=None, urgency=2, groups=["dibao"], description=text)
        _, reasons = ranked(need, [make_offer(**_SMI), make_offer(**_TALK)])
        assert SMI not in reasons["SMI"], text
    both = make_offer(**{**_SMI, "id": "BOTH", "title": "心理援助热线与严重精神障碍免费服药"})
    _, reasons = ranked(widow, [both, make_offer(**_TALK)])
    assert SMI not in reasons["BOTH"]


# a 低保 household's hospital bill, its premium paid: no house, no lapse of its insurance
BILL = make_need(title="低保户住院自付部分多", category="medical", beneficiary_age=58,
                 amount_needed=8000, urgency=2, groups=["dibao"],
                 description="老伴胆囊手术住院，医保报了以后自己还掏了八千多，家里的钱都是借的。")


def _answers_only(offer: dict, warning: str, lacking, having: tuple[str, ...], **need):
    """``offer`` is warned with ``warning`` for the need ``lacking`` and for none of the needs
    whose texts are ``having`` (the other fields of a need: ``need``)."""
    _, reasons = ranked(lacking, [make_offer(**offer)])
    assert warning in reasons[offer["id"]]
    for text in having:
        _, reasons = ranked(make_need(description=text, **need), [make_offer(**offer)])
        assert warning not in reasons[offer["id"]], text


HOUSE = "注意: 项目只面向危房、受损或需改造的住房，需求中没有住房问题"
_REPAIR = {"id": "WF", "title": "农村困难群众危房改造", "categories": ["housing"],
           "description": "低保、特困、建档立卡等困难家庭的农村危房，鉴定后给予翻建或加固补助，"
                          "最高3万元。"}


def test_a_house_repair_programme_answers_only_a_need_with_a_house_trouble():
    _answers_only(_REPAIR, HOUSE, BILL,
                  ("前天夜里大风把屋顶掀了，一家人借住在邻居家。",
                   "老人一个人住在住房破旧的老屋里，墙上都是裂缝。",
                   "厨房失火，烧掉了半间屋子。",
                   "父亲中风坐轮椅，轮椅出不了门，厕所是蹲坑，他蹲不下去。"),
                  title="家里房子的事", category="housing", beneficiary_age=60,
                  amount_needed=None, urgency=2, groups=["dibao"])


BILLS = "注意: 本项目补助看病的费用，需求中没有疾病、伤残或医疗费用"
_MEDICAL = {"id": "YL", "title": "城乡困难群众医疗救助", "categories": ["medical", "care"],
            "description": "低保、特困人员住院和门诊费用经医保报销后的自付部分，按比例救助。"}


def test_a_medical_programme_answers_only_a_need_with_an_illness_or_a_bill():
    home = make_need(title="特困老人想住进敬老院", category="care", beneficiary_age=81,
                     amount_needed=None, urgency=1, groups=["tekun"],
                     description="老人无儿无女，一个人住村里老房子，做饭挑水越来越吃力，想去镇敬老院住。")
    _answers_only(_MEDICAL, BILLS, home,
                  ("老人去年中风，左边手脚不灵，现在一个人住，做饭挑水都吃力。",
                   "老人摔断了腿，住院花了一万多，出院后一个人住不方便。",
                   "老人双眼看不清，医生说要开刀，一个人住，做饭都难。"),
                  title="独居老人", category="care", beneficiary_age=81,
                  amount_needed=None, urgency=1, groups=["tekun"])
    cover = make_offer(id="BX", title="困难群众住院医疗保险统一投保", categories=["insurance"],
                       description="政府为低保、特困人员统一投保住院医疗保险，住院自付部分按比例赔付。")
    _, reasons = ranked(home, [cover])
    assert BILLS not in reasons["BX"]


SEX = "注意: 项目只面向女童或妇女，需求对象为男性"


def test_a_title_for_women_is_no_programme_for_a_man_and_a_form_states_his_sex():
    man = make_need(title="网贷利滚利，催收打到家里", category="legal", beneficiary_age=38,
                    amount_needed=None, urgency=2, groups=["low_income"],
                    description="姓名：邵某｜性别：男｜年龄：38｜就业状态：待业\n在网上借钱还信用卡，"
                                "越滚越多，催收天天打电话给他父母，他整夜睡不着。")
    assert 1 == sex_of(man)
    women = make_offer(id="FL", title="妇女心理疏导与婚姻家庭维权",
                       categories=["legal", "psychological"],
                       description="妇联为遭遇家庭变故、心理压力大的妇女提供免费心理咨询和法律咨询。")
    both = make_offer(id="FE", title="妇女儿童维权服务站", categories=["legal"],
                      description="妇联为妇女儿童提供维权咨询，需要的转介法律援助。")
    _, reasons = ranked(man, [women, both])
    assert SEX in reasons["FL"] and SEX not in reasons["FE"]


UNTIMELY = "注意: 本项目补助患者已发生的医疗费用，需求中尚未患病，所求是预防或保障"


def test_a_child_who_fears_for_the_father_asks_for_cover_not_for_a_bill():
    need = make_need(title="家中唯一劳力缺少大病保障", category="insurance", beneficiary_age=38,
                     amount_needed=None, urgency=1, groups=["low_income"],
                     description="我大伯去年查出得了大病，他们家房子都卖了。我爸爸38岁开货车，全家靠他一个人。"
                                 "万一爸爸也生病了，我们家怎么办？我想给爸爸也弄一个生了大病能赔钱的东西。")
    cover = make_offer(id="ZJ", title="困难家庭重大疾病保险公益投保", categories=["insurance"],
                       eligible_groups=["dibao", "low_income"],
                       description="企业出资为低保、低收入家庭的主要劳动力投保重大疾病保险，确诊约定"
                                   "重疾一次性赔付5万元，投保次日起生效。")
    order, reasons = ranked(need, [make_offer(**MAJOR_ILLNESS_AID), cover])
    assert order[0] == "ZJ"
    assert UNTIMELY in reasons["MAJ"]


def test_food_that_sticks_is_a_sign_for_the_cancer_screening():
    for text in ("老人这半年吞咽哽噎，人也瘦了，一直没去医院查。", "他说吃饭噎得慌，咽不下去。"):
        assert "cancer_screening" in fired(text), text


ILLNESS = "注意: 专病项目，需求所患疾病不在其列"


def test_a_screening_is_no_fund_for_the_illnesses_it_names():
    need = make_need(title="妻子胃痛消瘦想查清病因", category="medical", beneficiary_age=55,
                     amount_needed=None, urgency=1, groups=["low_income"],
                     description="妻子有糖尿病多年，这半年胃痛得厉害，人也瘦了，怕是长了不好的东西，想去查一查。")
    screen = make_offer(id="SC", title="城乡居民癌症早诊早治免费筛查", categories=["medical"],
                        description="为40至74岁城乡居民免费筛查肺癌、胃癌、食管癌、肝癌，"
                                    "发现可疑的转诊治疗。")
    _, reasons = ranked(need, [screen, make_offer(**MAJOR_ILLNESS_AID)])
    assert ILLNESS not in reasons["SC"]


def test_a_form_s_shorthand_for_an_allowance_already_drawn_is_help_received():
    need = make_need(title="男孩烫伤住院，家庭医疗费告急", category="emergency", beneficiary_age=7,
                     amount_needed=60000, urgency=3, groups=["low_income", "disabled"],
                     description="残疾类别等级：肢体四级（父亲）。收入：人均约900元，低收入家庭；"
                                 "父亲已领困难残疾人生活补贴。备注：孩子碰翻开水壶，大面积烫伤住院，"
                                 "已花了四万多，后面还要植皮。")
    subsidy = make_offer(id="LX", title="困难残疾人生活补贴和重度残疾人护理补贴",
                         categories=["basic_living", "care"], eligible_groups=["disabled"],
                         description="低保家庭中的残疾人按月发放困难残疾人生活补贴，一、二级重度残疾人"
                                     "发放护理补贴。")
    relief = make_offer(id="JJ", title="困难家庭急难救助", categories=["emergency"],
                        description="因意外事故、突发重病导致生活陷入困境的困难家庭，给予一次性急难救助。")
    order, reasons = ranked(need, [subsidy, relief])
    assert order[0] == "JJ"
    assert any(r.startswith("需求已享受") for r in reasons["LX"])


PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"


def test_a_cited_regulation_with_prevention_in_its_name_makes_no_offer_preventive():
    need = make_need(title="精神分裂症患者嫌药贵停药，症状复发", category="rehabilitation",
                     beneficiary_age=45, amount_needed=None, urgency=2,
                     groups=["dibao", "disabled"],
                     description="精神残疾二级，确诊精神分裂症十几年，嫌药贵自己停了两个月，最近又开始"
                                 "自言自语、半夜不睡。")
    smi = make_offer(id="SMI", title="严重精神障碍患者免费服用基本药物",
                     categories=["rehabilitation", "medical"],
                     description="【设定依据】《严重精神障碍管理治疗工作规范》。【服务对象】在册严重精神障碍"
                                 "患者。【办理条件】免费服用基本药物。【责任科室】市卫计委疾病预防控制处。")
    _, reasons = ranked(need, [smi])
    assert PREVENTIVE not in reasons["SMI"]


STATUS = ("注意: 项目面向特定身份人群（如退役军人、刑满释放人员、计生特殊家庭、受暴妇女、"
          "外卖快递骑手、单亲家庭、在职职工、工会会员、司法案件当事人），需求未提及该身份")


def test_a_divorce_among_legal_aid_s_matters_is_no_status():
    need = make_need(title="三个儿子拒绝赡养", category="legal", beneficiary_age=77,
                     amount_needed=None, urgency=2, groups=["low_income"],
                     description="老人77岁独居院角棚屋，三个儿子都说自己困难，谁也不给生活费。")
    aid = make_offer(id="FY", categories=["legal"],
                     title="困难群众法律援助（劳动报酬、工伤、交通事故、赡养抚养、离婚等）",
                     description="经济困难群众可申请免费法律咨询和诉讼代理。")
    single = make_offer(id="DQ", title="单亲家庭援助计划", categories=["basic_living"],
                        description="为单亲困难家庭提供生活补助和子女课业辅导。")
    _, reasons = ranked(need, [aid, single])
    assert STATUS not in reasons["FY"]
    assert STATUS in reasons["DQ"]


def test_a_group_cover_that_takes_no_one_already_ill_cannot_meet_a_diagnosed_cancer():
    need = make_need(title="建档立卡户妇女确诊乳腺癌，化疗费用困难", category="medical",
                     beneficiary_age=57, amount_needed=20000, urgency=2, groups=["jiandang"],
                     description="去年底确诊乳腺癌，做了手术，现在化疗，自付部分一次好几千。")
    cover = make_offer(id="BX", title="“女性安康”两癌保险", categories=["insurance"],
                       description="一年交几十元保费，保期内第一次确诊乳腺癌、宫颈癌一次性赔一万到两万元。"
                                   "投保时身体健康、没有确诊过这些病，已经得了病的不能再保。"
                                   "村妇联主席负责组织集体投保。")
    _, reasons = ranked(need, [cover])
    assert PREVENTIVE in reasons["BX"]


ENROL = "注意: 本项目资助缴纳医保个人部分，需求中没有断缴医保或交不起医保费"
_ENROL = {"id": "CB", "title": "困难群众城乡居民医保个人缴费资助", "categories": ["insurance"],
          "description": "低保、特困、建档立卡人员参加城乡居民医保，个人缴费部分由财政全额资助。"}


def test_a_premium_subsidy_answers_only_a_need_without_paid_insurance():
    _answers_only(_ENROL, ENROL, BILL,
                  ("家里漏缴今年医保，去年在上海住院的钱全是自己出的。",
                   "妻子脑梗住院后才发现医保自2016年起断缴，四万多全自费。",
                   "一家三口今年的医保费交不起，村里催了好几次。"),
                  title="医保的事", category="insurance", beneficiary_age=58,
                  amount_needed=None, urgency=2, groups=["dibao"])
