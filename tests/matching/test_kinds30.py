"""Kinds of the forty-second session, found in the twenty-eighth batch's last set and the
twenty-ninth batch (written blind, read in this session), and counted over dev and every
labelled set. Every sentence here is invented for the test, none is taken from a set.

The state's judicial aid (国家司法救助) is for crime victims and for parties whose judgment
cannot be enforced, never for a case over a loan or a sale. A programme for old people who
cannot look after themselves (失能老人) is for someone bedridden, demented or unable to live
alone. A title for children (困境儿童) serves people under 18. A station's own area (本站服务
范围内（三星镇…）) confines it to its town. A student loan not taken (没办过贷款) is none held,
and a grant that takes new students too (含当年新生) is no grant for new students only. A man
who never married (一直没结婚) has no one bound to keep him. A list of disability kinds sharing
one 残疾 (智力精神残疾人) names each. A cover an employer already joined for its staff (单位已为其
参加) is claimed, not bought.
"""

from __future__ import annotations

import pytest

from matching.reasons import ReasonMaker

from .factories import answers_warning, make_need, make_offer, ranked

_JUDICIAL = make_offer(id="SF", title="涉诉困难群众国家司法救助", categories=["legal", "emergency"],
                       provider_name="市中级人民法院",
                       description="对刑事被害人因加害人无力赔偿而生活困难的，以及人身损害、赡养"
                                   "抚养案件执行不能、申请执行人生活困难的，一次性给予司法救助；"
                                   "民间借贷、买卖合同等财产纠纷的当事人除外。")
_JUDICIAL_WARNING = answers_warning("_judicial_aid")
_DISABLED_ELDER = make_offer(id="SN", title="失能老人居家上门照护", categories=["care"],
                             provider_name="区民政局",
                             description="对经评估为失能、半失能的低保、低收入老人，每月提供30小时"
                                         "上门助浴、助洁、护理服务。")
_INCAPACITY_WARNING = answers_warning("_incapacity")


@pytest.mark.parametrize(("description", "warned"), [
    # a debtor telling the court of his troubles: no ground for the aid
    ("被执行人季某，案由民间借贷纠纷，判决还款三万元。他说老婆常年吃药，自己在工地上打零工，"
     "愿意每月还五百。", True),
    # a victim whose attacker has nothing to pay with
    ("申请执行人许某，去年被人拿钢管打成颅骨骨折，刑事附带民事判决赔偿八万，被执行人在服刑，"
     "名下无财产，至今一分钱没赔。", False),
    # a creditor whose nephew cannot be found: a judgment that cannot be enforced, but over a loan
    ("申请执行人邢某，案由民间借贷纠纷，借给侄子一万元，经查被执行人无财产可供执行，老人一个人"
     "过，靠一百多块养老金。", True),
    # support that a father in prison cannot pay is the aid's
    ("申请执行人孙某（十岁）由奶奶代理，抚养费纠纷，父亲在监狱服刑，无履行能力，执行不能。", False),
])
def test_judicial_aid_is_for_a_crime_or_a_judgment_that_cannot_be_enforced(description, warned):
    case = make_need(title="执行案件谈话", category="legal", region="南通市/通州区/刘桥镇",
                     beneficiary_age=52, groups=[], urgency=2, amount_needed=None,
                     description=description)
    _, reasons = ranked(case, [_JUDICIAL])
    assert (_JUDICIAL_WARNING in reasons["SF"]) is warned


def test_a_programme_for_old_people_who_cannot_look_after_themselves():
    elder = {"title": "老人一个人住", "category": "care", "region": "南通市/崇川区/任港街道",
             "beneficiary_age": 79, "groups": ["dibao"], "urgency": 1, "amount_needed": None}
    able = make_need(description="老人七十九，一个人住，自己烧饭洗衣，就是儿子在外地，逢年过节"
                                 "冷清。", **elder)
    _, reasons = ranked(able, [_DISABLED_ELDER])
    assert _INCAPACITY_WARNING in reasons["SN"]
    bedridden = make_need(description="老人七十九，去年中过一次风，现在瘫在床上，翻身、擦身都要"
                                     "老伴来，老伴也吃不消了。", **elder)
    _, reasons = ranked(bedridden, [_DISABLED_ELDER])
    assert _INCAPACITY_WARNING not in reasons["SN"]
    # a subsidy for the very old as well is for the able ones too
    both = make_offer(id="GL", title="高龄、失能老人补贴", categories=["care", "basic_living"],
                      provider_name="区民政局",
                      description="80周岁以上老人和经评估失能的老人，按月发放补贴。")
    _, reasons = ranked(able, [both])
    assert _INCAPACITY_WARNING not in reasons["GL"]


def test_a_title_for_children_serves_people_under_18():
    kids = make_offer(id="KN", title="困境儿童基本生活保障", categories=["basic_living"],
                      provider_name="县民政局",
                      description="父母重病、重残或服刑的困境儿童，按月发放基本生活费。")
    grandpa = make_need(title="脑梗卧床老人家里问补助", category="basic_living",
                        beneficiary_age=66, groups=[], urgency=1, amount_needed=None,
                        description="老头子去年脑梗，现在半边身子不能动，儿子在苏州打工，孙子上"
                                    "小学，家里没收入。")
    _, reasons = ranked(grandpa, [kids])
    assert ReasonMaker.AGED in reasons["KN"]
    child = make_need(title="父亲服刑孩子跟着奶奶", category="basic_living", beneficiary_age=9,
                      groups=[], urgency=1, amount_needed=None,
                      description="孩子九岁，父亲服刑，母亲走了，跟着奶奶过。")
    _, reasons = ranked(child, [kids])
    assert ReasonMaker.AGED not in reasons["KN"]


def test_a_station_serves_its_own_town():
    visits = make_offer(id="SW", title="守望", categories=["psychological", "care"],
                        provider_name="三星镇社工站",
                        description="服务对象：本站服务范围内（三星镇各村、社区）独居、空巢老人，"
                                    "近期丧偶的优先。服务内容：社工每周上门陪伴聊天。")
    widower = {"title": "老父亲丧偶后不想活", "category": "psychological", "beneficiary_age": 71,
               "groups": [], "urgency": 2, "amount_needed": None,
               "description": "我妈十一月走的，我爸一个人在家，电话里讲活着有什么意思。"}
    _, reasons = ranked(make_need(region="南通市/海门区/正余镇", **widower), [visits])
    assert ReasonMaker.ELSEWHERE in reasons["SW"]
    _, reasons = ranked(make_need(region="南通市/海门区/三星镇", **widower), [visits])
    assert ReasonMaker.ELSEWHERE not in reasons["SW"]
    # a clause that names the city names no county
    city = make_offer(id="FL", title="妇女儿童权益维护", categories=["legal"],
                      provider_name="市妇联",
                      description="服务范围：南通市遭受家庭暴力或在离婚、抚养费纠纷中权益受损的"
                                  "妇女和未成年人。")
    mother = make_need(title="前夫不付抚养费", category="legal", region="南通市/海安市/大公镇",
                       beneficiary_age=35, groups=[], urgency=1, amount_needed=None,
                       description="离婚两年，前夫每月六百的抚养费只付了三个月，电话也换了。")
    _, reasons = ranked(mother, [city])
    assert ReasonMaker.ELSEWHERE not in reasons["FL"]


def test_a_student_loan_not_taken_and_a_grant_that_takes_new_students_too():
    loan = make_offer(id="DK", title="生源地信用助学贷款", categories=["education"],
                      provider_name="县学生资助管理中心",
                      description="对本市户籍、家庭经济困难的全日制普通高校本专科学生（含当年"
                                  "新生），由县级学生资助管理中心受理，每人每年最高8000元。")
    student = make_need(title="儿子读大二学费没着落", category="education", beneficiary_age=20,
                        groups=["low_income"], urgency=2, amount_needed=6500,
                        description="儿子在南京读大二，学费一年五千多。学校那边没办过贷款，听说"
                                    "在家这边也能办。")
    _, reasons = ranked(student, [loan])
    assert not any(r.startswith("需求已享受") for r in reasons["DK"])
    assert ReasonMaker.ENROLMENT not in reasons["DK"]


def test_a_man_who_never_married_has_no_one_bound_to_keep_him():
    single = make_need(title="六十多岁的大伯一个人过", category="basic_living",
                       beneficiary_age=66, groups=[], urgency=1, amount_needed=None,
                       description="大伯六十六，一直没结婚，父母都不在了，一个人住老房子，种不动"
                                   "地了，没有收入。")
    ids, reasons = ranked(single, [make_offer(
        id="TK", title="特困人员救助供养", categories=["basic_living", "care"],
        provider_name="县民政局",
        description="无劳动能力、无生活来源、无法定赡养抚养扶养义务人的老年人、残疾人，纳入特困"
                    "供养。"), make_offer(
        id="LS", title="城乡最低生活保障", categories=["basic_living"],
        provider_name="县民政局", description="家庭人均收入低于低保标准的，按差额发放低保金。")])
    assert ids[0] == "TK"
    assert ReasonMaker.KIN not in reasons["TK"]


def test_a_list_of_disability_kinds_names_each():
    workshop = make_offer(id="YG", title="智力精神残疾人“阳光工场”辅助性就业",
                          categories=["employment"], provider_name="县残联",
                          description="持证、生活基本自理的残疾人进工场做简单手工，按件计酬。")
    son = make_need(title="智力残疾儿子想有个去处", category="employment", beneficiary_age=30,
                    groups=["disabled"], urgency=1, amount_needed=None,
                    description="儿子三十岁，持智力残疾三级证，吃饭穿衣都会，就想白天有个正经"
                                "地方去。")
    _, reasons = ranked(son, [workshop])
    assert ReasonMaker.KIND not in reasons["YG"]


def test_a_cover_the_employer_joined_is_claimed_not_bought():
    mutual = make_offer(id="HZ", title="在职女职工特殊疾病互助保障给付",
                        categories=["insurance", "medical"], provider_name="市总工会",
                        description="所在单位已为其参加当年度女职工特殊疾病互助保障的在职女职工，"
                                    "在保障期内首次确诊乳腺癌、宫颈癌的，一次性给付1万元；参保前"
                                    "已确诊的除外。")
    worker = make_need(title="女工查出宫颈癌", category="insurance", beneficiary_age=39,
                       groups=[], urgency=2, amount_needed=None,
                       description="我在电子厂做检验工，今年一月查出宫颈癌，做了手术。单位每年都"
                                   "替我们女工交那个互助保障的钱。")
    _, reasons = ranked(worker, [mutual])
    assert ReasonMaker.PREVENTIVE not in reasons["HZ"]
