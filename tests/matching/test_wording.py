"""Kinds of wording that fell when the dev set was rewritten by another hand (issue 15,
data/match-reworded): everyday words for what a need asks for, and short words that fired a
concept inside unrelated text on either side. Every sentence here is new: none is taken from
match-dev or match-reworded."""

from __future__ import annotations

import datetime as dt

import pytest

from matching import rank

from .factories import fired, make_need, make_offer

AS_OF = dt.date(2018, 3, 1)



# Kind 1: a short, common word fired a concept inside text about something else (an elderly
# woman addressed as 奶奶 is no left-behind child; 代理妈妈 is no lawsuit; a wage stated in a
# job offer is no unpaid wage; 邻居家 and 居家养老 are no work at home). Each case also shows
# the longer form still firing where the concept is meant.
@pytest.mark.parametrize(
    "unrelated, meant, concept",
    [
        ("全家就靠他一个人挣钱养家", "老伴走后她一个人过", "alone"),
        ("大女儿在外地读大学，暑假才回来", "两个儿女都在外地，老人没人照应", "alone"),
        ("社区里的刘奶奶腿脚不便，想装个扶手", "孩子平时由奶奶照看，爸妈过年才回", "left_child"),
        ("招募代理妈妈志愿者，每周家访一次", "委托律师诉讼代理", "legal"),
        ("委托代理人到窗口办理", "申请法律援助律师代理诉讼", "legal"),
        ("房子塌了以后暂时借住在邻居家", "腿脚不便，想找点居家就业的活", "home_work"),
        ("为高龄老人提供居家养老上门服务", "在家做手工活，按件计钱", "home_work"),
        ("老师帮忙联系转学手续", "邻居偶尔帮忙照看一下老人", "home_care"),
        ("月工资不低于当地最低工资标准", "老板欠工资三个月不给", "wages"),
        ("她今年工资涨了两百块", "包工头拖欠工资跑了", "wages"),
        ("癌症病人每月另发生活补助300元", "初中住校，申请寄宿生生活补助", "boarding"),
        ("癌症病人每月另发生活补助300元", "高中生可申请学生生活补助", "aid_living"),
        ("腰不好，重活干不了", "开春后想找个能长久的活干", "job"),
        ("他妈在家种田，供他读书", "想承包十亩地种植葡萄", "farming"),
    ],
)
def test_a_common_word_fires_its_concept_only_where_the_concept_is_meant(unrelated, meant, concept):
    assert concept not in fired(unrelated)
    assert concept in fired(meant)


# Kinds 2-5: what a need asks for, in everyday words rather than the programme's.
@pytest.mark.parametrize(
    "text, concept",
    [
        ("想在镇上找个活，离家近就行", "job"),  # seeking work
        ("身子骨还硬朗，扫大街也愿意干", "public_post"),
        ("做完手术自己掏了两万多", "medical_cost"),  # what the patient pays
        ("做完手术自己掏了两万多", "expenditure"),
        ("给老伴治病的钱全是借的", "medical_cost"),
        ("开完刀自己还要出三万多", "medical_cost"),
        ("为了给儿子看病，欠了人家七八万", "expenditure"),  # debts in everyday words
        ("出院结算后个人自负部分再救助一半", "medical_cost"),  # notices write 自负 for 自付
        ("街道设立应急金，三天内送到户", "emergency"),  # 应急 is 急难 in other places' notices
        ("孩子上学的开销一年比一年大", "tuition"),  # school costs
        ("女儿进厂以后家里比低保线高了", "dibao_exit"),  # situations
        ("一场大病下来，怕是又要穷回去", "poverty_return"),
        ("街道为老人提供居家照护", "home_care"),  # 居家 is home-based care
        ("儿子从学校回来就不吭声", "withdrawn"),
        ("儿子从学校回来就不吭声", "psych"),
        ("想请人帮忙把该赔的钱讨回来", "legal"),
    ],
)
def test_an_everyday_wording_reaches_the_official_concept(text, concept):
    assert concept in fired(text)


def _ranked(need, offers):
    return [r.offer_id for r in rank([need], offers, as_of=AS_OF, top=5)[0].ranked]


def test_a_household_worried_that_dibao_will_stop_meets_the_phase_out_programme_first():
    need = make_need(
        title="女儿找到工作，家里的低保怕是保不住",
        category="basic_living",
        description="女儿去年底进了镇上的服装厂，每月一千八，家里算下来比低保线高了，"
        "村里说低保可能要停。老伴常年吃降压药，一家人心里没底。",
        groups=["dibao"],
        beneficiary_age=50,
        urgency=1,
        amount_needed=None,
    )
    offers = [
        make_offer(
            id="EXIT",
            title="低保家庭就业渐退",
            categories=["basic_living"],
            description="低保家庭成员实现就业、家庭人均收入超过低保标准的，给予六个月"
            "渐退期，渐退期内低保金照常发放。",
        ),
        make_offer(
            id="CHRONIC",
            title="门诊慢性病医疗救助",
            categories=["medical"],
            description="低保对象患高血压、糖尿病等门诊慢性病的，门诊费用按比例救助。",
        ),
    ]
    assert _ranked(need, offers)[0] == "EXIT"


def test_a_breadwinner_paying_out_of_pocket_meets_the_medical_aid_not_a_visit_for_the_lonely():
    need = make_need(
        title="老马胃癌开了刀，自己掏了四万多",
        category="medical",
        description="老马六十三，全家就靠他一个人开三轮挣钱，去年查出胃癌，在市里开了刀，"
        "自己掏了四万多，积蓄都用光了。",
        groups=["dibao", "serious_illness"],
        beneficiary_age=63,
        urgency=2,
        amount_needed=40000,
    )
    offers = [
        make_offer(
            id="AID",
            title="困难群众医疗救助",
            categories=["medical"],
            description="对低保对象因病发生的个人自付医疗费用，按比例给予救助。",
        ),
        make_offer(
            id="VISIT",
            title="独居老人上门探访",
            categories=["care"],
            description="为独居、空巢老人提供每周上门探访和电话问候。",
        ),
    ]
    ranked = rank([need], offers, as_of=AS_OF, top=5)[0].ranked
    assert ranked[0].offer_id == "AID"
    visit = next(r for r in ranked if r.offer_id == "VISIT")
    assert not any("独居" in reason for reason in visit.reasons)
