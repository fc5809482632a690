"""Kinds found over all the diagnostic sets at once (the thirty-third session): where a set's
own traps (``traps.json``: the look-alike that loses, and why) stood in the top three. Every
sentence here is invented for the test, none is taken from a set.

A student grant whose title names its stage (普通高中…助学金) is for that stage, whatever other
stages its text names while sending them elsewhere in words no marker knows (初中生、大学生都不要
往这边报; 请申请中职国家助学金). A bare 高中 or 中小学 in a title is no such stage: 高中阶段 takes
中职 pupils too.

A grandparent names the child by a relative's word and the age (孙子十二岁, 孙子小宇，11岁): the
child's sex, for programmes for girls or boys; a programme for single mothers or fathers serves
the parent, whose sex the child's does not tell. A text that says boys and girls alike
(男女都可以) is no grant for girls only, and boys sent to another body (男孩可以问问团委) are left
out of it.

A check titled for named illnesses (两癌免费检查) is preventive whatever words its text uses. The
living allowance of children in difficulty is not for a child whose parents raise it. A group
sent to another service (…请到骨科康复门诊) is left out. Help for households just above the 低保
line, and the 低保 itself, are not for a household on 低保 or 特困. The new warnings: help into
work for a beneficiary of 60 or more (retired), a disease fund for a need that names no
patient (healthy), a day centre for a bedridden old man (bedridden); and two more troubles a
title answers: rental housing and assistive devices.
"""

from __future__ import annotations

from matching import exclusion
from matching.beneficiary import CHILD, sex_of
from matching.reasons import ReasonMaker

from .factories import make_need, make_offer, ranked, school_grant

SEX = "注意: 项目只面向女童或妇女，需求对象为男性"
SEX_MEN = "注意: 项目只面向男童或男性，需求对象为女性"
STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"


def _student(**kw):
    base = {"category": "education", "urgency": 1, "amount_needed": 0, "groups": ["dibao"]}
    return make_need(**{**base, **kw})


def _grant(id_: str, title: str, description: str):
    """A grant for pupils of compulsory school (no structured age)."""
    return make_offer(id=id_, title=title, description=description, categories=["education"],
                      provider_name="团市委")


def test_a_grant_titled_for_one_stage_is_for_that_stage_whatever_its_text_names():
    senior = school_grant("PG", "普通高中国家助学金",
                          "家庭经济困难的普通高中在校生每学年2000元。初中生、大学生都不要往这边报，"
                          "职业学校的请申请中职国家助学金。")
    college = school_grant("DX", "在读大学生助学金",
                           "家庭经济困难的在读本科、专科学生，每学年3000元，开学后由学校受理。")
    need = _student(title="女儿读大二，住宿费欠着", beneficiary_age=19,
                    description="女儿19岁，在南京一所本科院校读大二，住宿费和下学期的书费还欠着"
                                "两千多，家里拿不出。")
    order, reasons = ranked(need, [senior, college])
    assert order[0] == "DX"
    assert STAGE in reasons["PG"] and STAGE not in reasons["DX"]


def test_a_title_s_bare_senior_high_keeps_the_stages_its_text_names():
    # 高中阶段 is senior high and vocational school alike: its text decides
    stage = school_grant("GZ", "家里困难的高中生，团委有助学金",
                         "读普通高中、中专、职高、技校的困难学生都可以申请，每学年1500元。")
    need = _student(title="女儿在职校念书，怕念不下去", beneficiary_age=17,
                    description="女儿17岁，在县里职业学校学会计，念二年级，住宿费还差三千。")
    _, reasons = ranked(need, [stage])
    assert STAGE not in reasons["GZ"]


def test_a_grandchild_s_sex_is_read_from_the_relative_s_word_and_the_age():
    for age, text in ((12, "俺孙子十二岁，读六年级，爸妈在无锡打工。"),
                      (11, "奶奶带着孙子小宇，11岁，五年级。"),
                      (10, "两个孙子大的10岁读四年级，小的7岁。"),
                      (9, "是严家的孙子，9岁，读三年级。")):
        assert sex_of(make_need(description=text, beneficiary_age=age)) == CHILD, text
    assert sex_of(make_need(description="孙女今年八岁，跟着爷爷过。", beneficiary_age=8)) == -CHILD
    assert sex_of(make_need(title="初二男生替家里写", description="我十四岁，读初二。",
                            beneficiary_age=14)) == CHILD
    # the age must be the child's the need is for
    assert sex_of(make_need(description="孙子十二岁，孙女八岁。", beneficiary_age=8)) == -CHILD
    assert sex_of(make_need(description="孙子十二岁，孙女八岁。", beneficiary_age=10)) == 0


def test_a_grandson_is_warned_off_a_girls_grant_and_a_granddaughter_keeps_a_single_father_s_fund():
    girls = _grant("GIRL", "春芽女童助学",
                   "资助6到15岁在读小学、初中的困难家庭女孩子，每人每年1000元。")
    boy = _student(title="孙子的书本费", beneficiary_age=12,
                   description="俺孙子十二岁，读六年级，爸妈在外头打工，书本费和午饭钱凑不齐。")
    order, reasons = ranked(boy, [girls])
    assert order == ["GIRL"] and SEX in reasons["GIRL"]
    fathers = make_offer(id="DAD", title="单亲爸爸家庭帮扶金", categories=["basic_living"],
                         provider_name="市总工会",
                         description="独自抚养未成年子女的单亲父亲，每户一次性帮扶2000元。")
    girl = make_need(title="爸爸一个人带孙女", category="basic_living", beneficiary_age=8,
                     urgency=1, amount_needed=0, groups=["low_income"],
                     description="儿媳走了三年，儿子一个人带孙女，孙女今年八岁，读二年级，"
                                 "儿子打零工，一个月一千多。")
    _, reasons = ranked(girl, [fathers])
    assert SEX_MEN not in reasons["DAD"]


def test_boys_and_girls_alike_and_boys_sent_to_another_body():
    both = _grant("HOPE", "希望工程助学", "6到18岁在校学生，男女都可以；已经领了春蕾的不能再领。")
    boy = _student(title="儿子读初一，想要点书本费", beneficiary_age=13,
                   description="儿子，男，13岁，读初一，书本费还差五百。")
    _, reasons = ranked(boy, [both])
    assert SEX not in reasons["HOPE"]
    text = "只资助女孩，男孩子不在范围内（男孩可以问问团委和教育局）。"
    got = [text[s:e] for s, e in exclusion.spans(text)]
    assert any("男孩" == g.strip("（(") for g in got), got


PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"


def test_a_check_titled_for_named_illnesses_is_no_help_for_a_woman_already_diagnosed():
    # the check's text says 检查, none of the screening's words (筛查, 体检)
    check = make_offer(id="JC", title="适龄妇女“两癌”免费检查（海门）", categories=["medical"],
                       provider_name="海门区卫计委", coverage=["南通市/海门区"],
                       description="海门区户籍35至64周岁妇女，免费做宫颈癌、乳腺癌检查一次，"
                                   "查出问题转诊。到镇卫生院分批检查，带身份证。")
    aid = make_offer(id="JZ", title="贫困妇女“两癌”救助金", categories=["medical"],
                     provider_name="市妇联", eligible_groups=["dibao", "low_income"],
                     description="低保、低收入家庭妇女确诊宫颈癌、乳腺癌的，一次性救助一万元。")
    need = make_need(title="宫颈癌放疗费用", beneficiary_age=47, urgency=2, amount_needed=20000,
                     region="南通市/海门区/三星镇", groups=["dibao"],
                     description="村里一个妇女四十七岁，一月份查出来宫颈癌，做了手术，现在在南通"
                                 "做放疗，报销以后还要自己掏两万多。")
    order, reasons = ranked(need, [check, aid])
    assert order[0] == "JZ" and PREVENTIVE in reasons["JC"]


KID_AID = "注意: 项目面向父母无力抚养或本人重病重残的困境儿童，需求中的孩子有父母抚养"


def test_the_allowance_of_children_in_difficulty_is_warned_for_a_child_whose_parents_raise_it():
    allowance = make_offer(id="KJ", title="困境儿童基本生活保障", categories=["basic_living"],
                           provider_name="市民政局",
                           description="父母双方重残、重病、服刑或失联的儿童，以及本人重残重病的"
                                       "困难家庭儿童，每月发放基本生活费。")
    left_behind = make_need(title="孙子放学没人管", category="care", beneficiary_age=9,
                            urgency=1, amount_needed=0, groups=["left_behind_child"],
                            description="孙子九岁，读三年级，爸妈在苏州打工，过年才回来，跟着爷爷"
                                        "过，放学以后没人看着。")
    _, reasons = ranked(left_behind, [allowance])
    assert KID_AID in reasons["KJ"]
    # a child whose own illness is severe is one it takes, parents or not
    ill = make_need(title="七岁男孩白血病", category="medical", beneficiary_age=7, urgency=3,
                    amount_needed=50000, groups=["low_income"],
                    description="儿子七岁，去年确诊白血病，爸爸妈妈轮流在医院陪，化疗费用难以为继。")
    _, reasons = ranked(ill, [allowance])
    assert KID_AID not in reasons["KJ"]


def test_a_group_sent_to_another_service_or_left_out_of_this_one():
    cases = {"只做中风的，骨折、关节置换术后的不在这个公益名额里（可以来院里做）。": "骨折",
             "骨折、关节置换术后的患者请到骨科康复门诊。": "骨折"}
    for text, excluded in cases.items():
        got = [text[s:e] for s, e in exclusion.spans(text)]
        assert any(excluded in g for g in got), (text, got)
    # where to apply is no group left out
    assert exclusion.spans("有需要的请到村委会登记。") == []
    assert exclusion.spans("困难群众请到镇民政办申请。") == []


EDGE = "注意: 项目面向低保线以上的边缘家庭，需求家庭已是低保或特困对象"


def test_help_for_households_just_above_the_line_is_warned_for_one_on_dibao():
    edge = make_offer(id="BY", title="低保边缘家庭生活补助", categories=["basic_living"],
                      provider_name="市民政局",
                      description="家里收入刚刚超过低保线、日子紧巴巴的，每人每月150元，按季度发放。")
    need = make_need(title="低保户钱不够用", category="basic_living", beneficiary_age=None,
                     urgency=1, amount_needed=0, groups=["dibao"],
                     description="家里是低保，三口人，男人工地上摔伤以后干不了重活，低保那几个钱"
                                 "一家子吃饭看病不够。")
    _, reasons = ranked(need, [edge])
    assert EDGE in reasons["BY"]
    above = make_need(title="收入刚过低保线", category="basic_living", beneficiary_age=None,
                      urgency=1, amount_needed=0, groups=["low_income"],
                      description="家里三口人，收入刚刚超过低保线一点，吃饭看病紧巴巴的。")
    _, reasons = ranked(above, [edge])
    assert EDGE not in reasons["BY"]


def test_the_dibao_is_warned_for_a_person_already_on_tekun():
    dibao = make_offer(id="DB", title="城乡最低生活保障（低保）申请", categories=["basic_living"],
                       provider_name="市民政局",
                       description="家庭人均月收入低于低保标准的，差额按月发放。")
    need = make_need(title="五保老人冬天缺棉被", category="basic_living", beneficiary_age=81,
                     urgency=1, amount_needed=0, groups=["tekun"],
                     description="老人八十一岁，无儿无女，是村里的五保户，分散供养，冬天被子薄。")
    _, reasons = ranked(need, [dibao])
    assert "注意: 需求对象已是特困供养人员，本项目即低保" in reasons["DB"]


RETIRED = "注意: 项目帮助劳动年龄人员就业或创业，需求对象已满60岁"


def test_help_into_work_is_warned_for_a_beneficiary_past_sixty():
    subsidy = make_offer(id="SB", title="就业困难人员灵活就业社保补贴", categories=["employment"],
                         provider_name="市人社局",
                         description="就业困难人员灵活就业后缴纳社会保险的，按规定给予社保补贴。")
    work = make_need(title="老人想找点活干", category="employment", beneficiary_age=66,
                     urgency=1, amount_needed=0, groups=["low_income"],
                     description="老人六十六岁，老伴有病，想在附近找点零工做做，贴补家用。")
    _, reasons = ranked(work, [subsidy])
    assert RETIRED in reasons["SB"]
    younger = make_need(title="想找点活干", category="employment", beneficiary_age=52,
                        urgency=1, amount_needed=0, groups=["low_income"],
                        description="五十二岁，厂里下岗了，想在附近找点零工做做，社保断了。")
    _, reasons = ranked(younger, [subsidy])
    assert RETIRED not in reasons["SB"]


HEALTHY = "注意: 专病项目，需求未提及患病、伤残或医疗费用"


def test_a_disease_fund_is_warned_for_a_need_that_names_no_patient():
    fund = make_offer(id="XX", title="先天性心脏病患儿免费手术资助", categories=["medical"],
                      provider_type="ngo", provider_name="慈善基金会",
                      description="0至14岁确诊先天性心脏病的困难家庭患儿，手术费用全额资助。")
    school = make_need(title="孩子放学没人管", category="care", beneficiary_age=8, urgency=1,
                       amount_needed=0, groups=["low_income"],
                       description="儿子八岁，读二年级，爸爸妈妈都在厂里上班，放学以后没人看着，"
                                   "作业也没人辅导。")
    _, reasons = ranked(school, [fund])
    assert HEALTHY in reasons["XX"]
    patient = make_need(title="女儿心脏有个洞要开刀", category="medical", beneficiary_age=1,
                        urgency=3, amount_needed=60000, groups=["low_income"],
                        description="女儿才一岁，医生说心脏室间隔缺损，要开刀，六万块拿不出。")
    _, reasons = ranked(patient, [fund])
    assert HEALTHY not in reasons["XX"]


BEDRIDDEN = ReasonMaker.BEDRIDDEN


def test_a_day_centre_is_warned_for_a_bedridden_old_man():
    centre = make_offer(id="RJ", title="社区老年人日间照料中心", categories=["care"],
                        provider_type="ngo", provider_name="颐和养老",
                        description="六十岁以上老人白天到中心吃饭、休息、做操，晚上回家。")
    bedridden = make_need(title="老伴瘫在床上没人照顾", category="care", beneficiary_age=82,
                          urgency=2, amount_needed=0, groups=["low_income"],
                          description="老爷爷八十二岁，中风以后瘫在床上两年了，吃喝拉撒都在床上，"
                                      "老伴七十九岁一个人服侍他，吃不消。")
    _, reasons = ranked(bedridden, [centre])
    assert BEDRIDDEN in reasons["RJ"]
    walking = make_need(title="老人白天一个人在家", category="care", beneficiary_age=82,
                        urgency=1, amount_needed=0, groups=["low_income"],
                        description="老爷爷八十二岁，拄拐能走，儿子媳妇白天上班，一个人在家怕跌倒。")
    _, reasons = ranked(walking, [centre])
    assert BEDRIDDEN not in reasons["RJ"]


RENT = "注意: 项目为租房的保障或补贴，需求中没有租房或无房的住房困难"


def test_rental_housing_is_warned_for_a_household_in_its_own_house():
    rental = make_offer(id="ZL", title="城区困难家庭住房租赁补贴", categories=["housing"],
                        provider_name="市住建局",
                        description="城区低收入住房困难家庭在市场上租房居住的，按月发放租赁补贴。")
    own = make_need(title="自家老屋漏雨", category="housing", beneficiary_age=70, urgency=1,
                    amount_needed=0, groups=["dibao"],
                    description="老两口住在自家的老瓦房里，屋顶漏雨，墙也裂了，下雨天要拿盆接水。")
    _, reasons = ranked(own, [rental])
    assert RENT in reasons["ZL"]
    renting = make_need(title="娘儿俩住车库", category="housing", beneficiary_age=38,
                        urgency=1, amount_needed=0, groups=["low_income"],
                        description="离婚以后带着儿子租人家小区的车库住，一个月三百五，没窗户，"
                                    "就想有个租得起的地方。")
    _, reasons = ranked(renting, [rental])
    assert RENT not in reasons["ZL"]


AIDS = "注意: 项目发放或适配辅具，需求中没有肢体或感官残疾、行动不便或需要辅具的情形"


def test_assistive_devices_are_warned_for_a_need_without_a_disability():
    aids = make_offer(id="FJ", title="残疾人辅助器具免费适配（轮椅、助行器、助听器）",
                      categories=["rehabilitation"], provider_name="市残联",
                      description="持证残疾人免费适配基本型辅助器具，五年内同类不重复发放。")
    lonely = make_need(title="老人一个人在家没人说话", category="care", beneficiary_age=76,
                       urgency=1, amount_needed=0, groups=["low_income", "disabled"],
                       description="老人七十六岁，一个人住，儿女在外地，天天一个人看电视，"
                                   "想有人隔三岔五来陪他说说话。")
    _, reasons = ranked(lonely, [aids])
    assert AIDS in reasons["FJ"]
    limping = make_need(title="老人腿脚不便出不了门", category="rehabilitation",
                        beneficiary_age=76, urgency=1, amount_needed=0,
                        groups=["low_income", "disabled"],
                        description="老人七十六岁，肢体残疾三级，走路要扶墙，想要一个助行器。")
    _, reasons = ranked(limping, [aids])
    assert AIDS not in reasons["FJ"]
