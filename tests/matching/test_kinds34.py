"""Kinds of the forty-sixth session, counted over dev and every labelled set read before it.
Every sentence here is invented for the test, none is taken from a set.

A child one of whose parents is dead or in prison while the other has gone (改嫁, 跑了, 再没回来)
is a child no one raises (事实无人抚养儿童), however the family tells it: a grandmother says 儿子
and 媳妇, with the years and the crime between. Support for such children answers the family
before a boarding subsidy that any poor pupil may have. Nantong speech says 生活 for work and
不曾 for 没; 扶养费 is support owed, and compensation the other side drags out is a claim. A
programme that gives drugs treats its illness, whatever check its text adds.
"""

from __future__ import annotations

import pytest

from matching.reasons import ReasonMaker

from .factories import fired, make_need, make_offer, programme, ranked

# as a county's education bureau and a private donor write them (the dev set's shape)
_BOARDING = make_offer(
    id="BD", title="义务教育阶段困难寄宿生生活补助", provider_type="government",
    provider_name="如东县教育局", categories=["education", "basic_living"],
    coverage=["南通市/如东县"], eligible_groups=["dibao", "tekun", "low_income"],
    age_min=6, age_max=16, amount_per_beneficiary=1250, mode="cash",
    description="对本县义务教育阶段在校的低保、特困、低收入家庭学生，小学每生每年1000元、"
                "初中每生每年1250元发放生活费补助，寄宿生优先。")
_UNRAISED = make_offer(
    id="UR", title="爱心人士定向资助困境儿童生活费", provider_type="donor",
    provider_name="爱心人士陈先生", categories=["basic_living"], coverage=["南通市/如东县"],
    eligible_groups=["tekun", "dibao", "left_behind_child"], age_max=18,
    capacity_remaining=5, amount_per_beneficiary=500, mode="cash",
    description="资助本县父母双亡、父母一方服刑或重残等事实无人抚养的困境儿童，每人每月500元"
                "生活费，直至年满18周岁。")


def _child(description):
    return make_need(title="孩子生活费", category="basic_living", groups=["dibao"],
                     beneficiary_age=11, amount_needed=None, urgency=1,
                     region="南通市/如东县/马塘镇", description=description)


_TOLD = {
    "a grandmother: her son in prison, his wife gone": (
        "老太太六十九岁，孙子十岁念四年级，礼拜一到礼拜五住在学校。儿子大前年跟人打架犯了事，"
        "判了六年；媳妇隔年就走了，一直没回来过。两个人吃低保，孩子的饭钱想问问有没有补助。",
        "UR"),
    "a grandfather: the father in prison, the mother not answering": (
        "爷爷七十二，低保户，孙女十二岁在镇上中学住校。她爸前年出了事进去了，要关到二〇二一年；"
        "她妈后来也走了，电话打不通。孩子一个礼拜就带一瓶咸菜去学校。", "UR"),
    "a father at work away and a mother at home is no such child": (
        "孩子十一岁读五年级，住校。他爸在苏州打工，一个月三千来块，他妈在家照顾生病的奶奶，"
        "家里吃低保，孩子一个礼拜伙食费一百多。", "BD"),
}


@pytest.mark.parametrize("case", _TOLD, ids=list(_TOLD))
def test_a_child_one_parent_lost_and_the_other_gone_is_a_child_no_one_raises(case):
    text, first = _TOLD[case]
    order, _ = ranked(_child(text), [_BOARDING, _UNRAISED])
    assert order[0] == first


# Nantong speech says 生活 for work (寻点生活做, 要个生活做): a wish for work, not a living cost;
# working away (在上海做生活) is no wish; a gatekeeper's job (看大门的活) is work
@pytest.mark.parametrize(("text", "job"), [
    ("她讲想在屋里寻点生活做，车被套也行。", True),
    ("伊讲身体好了，要个生活做做。", True),
    ("他装了假肢能走，想找个看大门的活。", True),
    ("儿子媳妇都在上海做生活，一年回来一趟。", False),
])
def test_seeking_a_shenghuo_is_a_wish_for_work(text, job):
    assert ("job" in fired(text)) is job


# 扶养费 (the legal word for support between spouses, and how many write 抚养费) is money owed
# by the family; a compensation the other side drags out (赔偿谈不拢, 拖着不赔) is a claim for
# legal aid
@pytest.mark.parametrize(("text", "concept"), [
    ("爸爸一年没寄钱，仍需：把扶养费要起来。", "maintenance"),
    ("货车车主跟家里赔偿谈不拢，讲先付的丧葬费够了。", "legal_claim"),
    ("渣土车公司一直拖着不赔，讲要等保险公司。", "legal_claim"),
    ("撞人的答应赔，家长问对方不赔怎么办。", "legal_claim"),
])
def test_money_the_family_or_the_other_side_withholds_is_a_legal_matter(text, concept):
    assert concept in fired(text)


def test_insurance_not_yet_paid_in_jianghuai_speech_asks_for_the_premium_subsidy():
    # 不曾 is 没: a subsidy of the premium answers before the hospital's aid
    subsidy = programme("PS", "困难群众城乡居民医保个人缴费资助",
                        "低收入家庭成员参加城乡居民医保，个人缴费部分政府资助一半。", "medical",
                        provider_name="区医保局")
    aid = programme("MA", "医疗救助（住院）", "低保、低收入家庭住院自付部分按比例救助。", "medical")
    man = make_need(title="老头子肺癌化疗", category="insurance", groups=["low_income"],
                    beneficiary_age=66, amount_needed=None, urgency=1,
                    description="老头子去年查出来肺癌，还在化疗。今年的医保还不曾交，讲要到镇上交，"
                                "问有没得补贴。")
    order, _ = ranked(man, [aid, subsidy])
    assert order[0] == "PS"


def test_free_drugs_whose_text_adds_a_yearly_check_are_no_preventive_programme():
    # the title gives drugs to the ill (服药); its yearly free check is a service of it
    drugs = programme("DR", "严重精神障碍患者免费基本服药",
                      "已确诊并纳入在册管理的精神分裂症等患者，免费提供基本抗精神病药物，每年免费体检1次。",
                      "medical", provider_name="县卫健委")
    husband = make_need(title="老婆不肯吃药", category="basic_living", groups=["low_income"],
                        beneficiary_age=50, amount_needed=None, urgency=2,
                        description="我老婆精神分裂症又犯了，不肯吃药，夜里不睡觉，药一个月三四百我买不起了。")
    _, reasons = ranked(husband, [drugs])
    assert ReasonMaker.PREVENTIVE not in reasons["DR"]
