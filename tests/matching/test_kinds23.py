"""Kinds of the thirty-fifth session, found over dev and every diagnostic set at once and in
the seventeenth batch's first reading. Every sentence here is invented for the test, none is
taken from a set.

A record's sex and age written in Chinese numerals (男，四十五岁, 四十五岁男人), a spouse or a
form of address with the age (丈夫五十八岁, 吴先生，58岁) and a pronoun with it (他四十五岁) say
the beneficiary's sex as digits do. An employee's status (在职职工) lifts no programme (feature
``holds``): anyone at work is one, and the union's help asks for more. Greenhouses and pens
brought down by snow (大棚压塌) are no house fallen (sheds.py). A notice's heading of those it
turns away (不予受理情形：男生；…) excludes what it lists. A programme for the severely disabled
(重度残疾人护理补贴) is not for a disability of grade three or four (feature ``kind``). A
meal point, a day-care home or a workshop one must go to is not for someone
bedridden (feature ``bedridden``). A high school a junior pupil may pass into (考个高中有希望,
中考完上高中) is a plan, not his stage (planned.py). A union programme that turns away
non-members in other words (非工会会员…不属, 不是工会会员的一律不行) is for members. A student
loan told as 生源地的借款 or 学费借款 is the 助学贷款 (held when told as held).
"""

from __future__ import annotations

from matching.beneficiary import sex_of
from matching.reasons import ReasonMaker
from matching.status import members_only

from .factories import make_need, make_offer, ranked

SEX = ReasonMaker.SEX[0]
INSURED = ReasonMaker.INSURED[0]
HOLDS = "身份相符"


def test_a_record_s_sex_and_age_in_chinese_numerals_state_the_beneficiary_s_sex():
    for text in ("讲述人：周某，男，四十五岁，电机厂下岗工人。",
                 "四十五岁男人一个人服侍瘫痪的老爹，出不了门。",
                 "爸爸原来在化工厂做操作工，他四十五岁，出去找活人家嫌他年纪大。"):
        assert sex_of(make_need(description=text, beneficiary_age=45)) == 1, text
    assert sex_of(make_need(description="她今年四十五岁，在超市理货。", beneficiary_age=45)) == -1
    # a grandchild's word and age (孙女八岁) is read as a child's, not as a record
    child = make_need(description="孙子十二岁，孙女八岁。", beneficiary_age=8)
    assert sex_of(child) == -2
    training = make_offer(id="JZ", title="巾帼家政培训推荐上岗", categories=["employment"],
                          provider_name="市妇联", description="20至55岁妇女免费培训，只收女性。")
    need = make_need(title="下岗四十五岁还能学什么", category="employment", beneficiary_age=45,
                     urgency=1, amount_needed=0, groups=["low_income"],
                     description="我叫周海兵，男，四十五岁，厂里绕线圈十八年，厂子搬走了，"
                                 "想学个电工找活。")
    _, reasons = ranked(need, [training])
    assert SEX in reasons["JZ"]


def test_a_husband_or_a_mister_with_the_age_is_a_man():
    for text in ("来电人：吴先生，58岁，本人。去年查出肺癌，在做化疗。",
                 "来电人韩女士反映：丈夫58岁，去年确诊肝癌，已做了四次介入。"):
        assert sex_of(make_need(description=text, beneficiary_age=58)) == 1, text
    assert sex_of(make_need(description="她老公六十岁，妻子58岁，查出乳腺癌。",
                            beneficiary_age=58)) == -1


def test_an_employee_s_status_lifts_no_union_programme():
    union = make_offer(id="GH", title="困难职工帮扶救助", categories=["basic_living"],
                       provider_name="市总工会",
                       description="企业困难职工遇突发困难的，给予一次性帮扶。")
    need = make_need(title="工地上干了八个月工钱没拿到", category="legal", beneficiary_age=44,
                     urgency=2, amount_needed=30000, groups=["low_income"],
                     description="他在工地上班，做木工，包工头拖欠工资三万，讨了几回没结果。")
    _, reasons = ranked(need, [union])
    assert not any(r.startswith(HOLDS) for r in reasons["GH"])


def _house_cover():
    return make_offer(id="NF", title="政策性农房保险理赔", categories=["insurance", "housing"],
                      provider_name="区民政局",
                      description="农户住房因台风、暴雪、火灾倒塌或损坏的，按损失赔付。")


def _rebuild():
    return make_offer(id="CJ", title="受灾群众倒损住房恢复重建补助", categories=["housing"],
                      provider_name="市应急管理局", eligible_groups=["disaster_victim"],
                      description="因自然灾害倒塌或严重损坏住房的受灾户，重建每户补助两万元。")


def test_greenhouses_brought_down_by_snow_are_no_house_fallen():
    need = make_need(title="大雪把四个大棚全压塌了", category="emergency", beneficiary_age=48,
                     urgency=2, amount_needed=15000, groups=["disaster_victim"],
                     description="一家三口种了六亩大棚菜，一月底那场大雪把四个大棚全压塌了，"
                                 "羊棚也倒塌了，菜全冻坏，住的房子还好。")
    _, reasons = ranked(need, [_house_cover(), _rebuild()])
    # (the rebuilding's title names a disaster too: its warning names the title's first
    # trouble, whichever the need lacks)
    warnings = ReasonMaker.ANSWERS.values()
    assert INSURED in reasons["NF"] and any(r in warnings for r in reasons["CJ"])
    fallen = make_need(title="大雪压塌了大棚，老屋也塌了一间", category="emergency",
                       beneficiary_age=60, urgency=2, amount_needed=15000,
                       groups=["disaster_victim"],
                       description="大雪把两个大棚压塌了，住的老屋也塌了一间，屋顶漏雪。")
    _, reasons = ranked(fallen, [_house_cover(), _rebuild()])
    assert INSURED not in reasons["NF"] and not any(r in warnings for r in reasons["CJ"])


def test_a_notice_s_heading_of_those_it_turns_away_excludes_what_it_lists():
    grant = make_offer(id="NS", title="“巾帼圆梦”困难家庭大学生助学金", categories=["education"],
                       provider_name="市女企业家协会",
                       description="一、资助对象：在读的困难家庭大学生。二、资助标准：每人每学年"
                                   "3000元。三、不予受理情形：男生；普通高中在读学生；研究生。")
    need = make_need(title="大二学生生活费寄不出", category="education", beneficiary_age=20,
                     urgency=1, amount_needed=6000, groups=["jiandang"],
                     description="儿子20岁，在苏州读大二，家里是建档立卡户，生活费寄不出来。")
    _, reasons = ranked(need, [grant])
    assert SEX in reasons["NS"]


def test_a_programme_for_the_severely_disabled_is_warned_for_grade_three():
    nursing = make_offer(id="HL", title="重度残疾人护理补贴", categories=["care"],
                         provider_name="市残联", eligible_groups=["disabled"],
                         description="一、二级重度残疾人每人每月护理补贴80元。")
    both = make_offer(id="LX", title="困难残疾人生活补贴和重度残疾人护理补贴",
                      categories=["basic_living", "care"], provider_name="市残联",
                      eligible_groups=["disabled"],
                      description="低保家庭残疾人按月领生活补贴；一、二级重度残疾人领护理补贴。")
    mild = make_need(title="老渔民耳朵听不见了", category="basic_living", beneficiary_age=66,
                     urgency=1, amount_needed=0, groups=["disabled", "dibao"],
                     description="老人66岁，耳朵越来越背，去年办了残疾证，听力三级，家里低保。")
    _, reasons = ranked(mild, [nursing, both])
    assert ReasonMaker.KIND in reasons["HL"] and ReasonMaker.KIND not in reasons["LX"]
    severe = make_need(title="中风瘫在床上要人服侍", category="care", beneficiary_age=70,
                       urgency=1, amount_needed=0, groups=["disabled", "dibao"],
                       description="老人70岁，中风以后瘫在床上，办了残疾证，肢体一级。")
    _, reasons = ranked(severe, [nursing])
    assert ReasonMaker.KIND not in reasons["HL"]


def test_a_meal_point_one_must_go_to_is_warned_for_the_bedridden():
    meals = make_offer(id="ZC", title="老年助餐点就餐补贴", categories=["care"],
                       provider_name="街道办事处",
                       description="60岁以上老人到助餐点吃午饭，每餐补贴3元。")
    home = make_offer(id="SM", title="失能老人居家上门照护", categories=["care"],
                      provider_name="区民政局",
                      description="失能老人每月上门照护12小时：助浴、助洁、翻身。")
    need = make_need(title="老母亲中风瘫在床上，白天家里没人", category="care",
                     beneficiary_age=81, urgency=1, amount_needed=0, groups=["low_income"],
                     description="母亲81岁，去年中风后瘫痪在床，吃饭要人喂，儿子白天上班。")
    order, reasons = ranked(need, [meals, home])
    assert order[0] == "SM" and ReasonMaker.BEDRIDDEN in reasons["ZC"]
    assert ReasonMaker.BEDRIDDEN not in reasons["SM"]
    walker = make_need(title="独居老人不会烧饭", category="care", beneficiary_age=81, urgency=1,
                       amount_needed=0, groups=["low_income"],
                       description="老人81岁，一个人住，能走路，就是不会烧饭，天天吃泡饭。")
    _, reasons = ranked(walker, [meals])
    assert ReasonMaker.BEDRIDDEN not in reasons["ZC"]


def test_a_high_school_a_junior_pupil_may_pass_into_is_a_plan():
    grant = make_offer(id="PG", title="普通高中国家助学金", categories=["education"],
                       provider_name="市学生资助管理中心", eligible_groups=["dibao"],
                       description="普高在籍学生，家里是低保的，每年两千元。")
    need = make_need(title="初三男孩爸爸在服刑，跟爷爷过", category="education",
                     beneficiary_age=15, urgency=1, amount_needed=0, groups=["dibao"],
                     description="孩子15岁读初三，跟72岁的爷爷过。老师说他成绩中等，考个高中"
                                 "有希望，爷爷说中考完上高中还要一笔钱。")
    _, reasons = ranked(need, [grant])
    assert ReasonMaker.STAGE in reasons["PG"]


def test_a_union_programme_that_turns_away_non_members_in_other_words_is_for_members():
    for text in ("非工会会员、个体工商户、务农人员不属工会帮扶对象，请转民政。",
                 "不是工会会员的一律不行，种田的、打零工的都不算。",
                 "前提是你本人是工会会员，厂里有工会、你入了会的才行。"):
        assert members_only(text), text
    assert not members_only("困难职工及其家属均可申请，工会会员优先。")


def test_a_student_loan_told_as_the_fee_loan_is_held():
    loan = make_offer(id="DK", title="生源地信用助学贷款", categories=["education"],
                      provider_name="市学生资助管理中心",
                      description="家庭经济困难的大学新生和在读大学生，每年最高可贷八千元。")
    grant = make_offer(id="ZX", title="在读大学生助学金", categories=["education"],
                       provider_name="爱心企业",
                       description="在读大学生每年资助三千元。")
    need = make_need(title="大二学费又要交了，家里拿不出", category="education",
                     beneficiary_age=20, urgency=1, amount_needed=5000, groups=["low_income"],
                     description="我今年大二，在南京读本科，家里是低收入户。2016年起已在县里"
                                 "办理学费借款，每年续签，今年还能不能再多办一份？")
    _, reasons = ranked(need, [loan, grant])
    assert any(r.startswith("需求已享受") for r in reasons["DK"])
