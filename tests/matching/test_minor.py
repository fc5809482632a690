"""A programme for major illness (重特大疾病医疗救助) and a need whose illness or injury is none
(feature ``minor``, fitted): a hip broken in a fall is no major illness, and the match page says
so beside the programme; a cancer is one, and nothing is said. Every sentence here is invented
for the test, none is taken from a set."""

from __future__ import annotations

from .factories import MAJOR_ILLNESS_AID, make_need, make_offer, ranked

MINOR = "注意: 项目面向重特大疾病患者，需求所述疾病或伤情不属重特大疾病"

_SPENDING = {"id": "SPD", "title": "支出型困难家庭临时救助", "categories": ["emergency", "medical"],
             "eligible_groups": ["dibao", "low_income"], "mode": "cash",
             "amount_per_beneficiary": 5000,
             "description": "因医疗等刚性支出过大导致基本生活出现困难的家庭，经核实给予一次性"
                            "临时救助。"}


def _need(title, text):
    return make_need(title=title, category="medical", groups=["low_income"], beneficiary_age=63,
                     amount_needed=18000, urgency=2, description=text)


def test_a_broken_hip_is_told_the_programme_is_for_major_illness():
    hip = _need("摔断胯骨住院自付多", "母亲63岁，上个月在门口冰上滑倒，胯骨摔断了，换了半个关节，"
                                   "报销后自己还要出一万八，家里是低收入户。")
    _, reasons = ranked(hip, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_SPENDING)])
    assert MINOR in reasons["MAJ"]
    assert MINOR not in reasons["SPD"]


def test_a_cancer_is_a_major_illness():
    cancer = _need("胃癌术后自付多", "母亲63岁，去年查出胃癌做了手术，现在化疗，报销后自己还要出"
                                  "一万八，家里是低收入户。")
    order, reasons = ranked(cancer, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_SPENDING)])
    assert order[0] == "MAJ"
    assert MINOR not in reasons["MAJ"]


def test_early_rehabilitation_of_disabled_children_is_no_programme_for_major_illness():
    # 抢救性康复 is the programme's official name for early intervention, not an emergency
    rehab = make_offer(id="REH", title="0—6岁残疾儿童抢救性康复救助",
                       categories=["rehabilitation"], mode="cash", amount_per_beneficiary=20000,
                       description="对0至6岁孤独症、脑瘫、听力、智力残疾儿童，在定点机构接受康复训练"
                                   "的给予补助。")
    child = make_need(title="三岁孩子确诊孤独症想做训练", category="rehabilitation",
                      groups=["low_income"], beneficiary_age=3, amount_needed=None,
                      description="孩子三岁还不会说话，叫名字不应，上月在妇幼保健院诊断为孤独症谱系障碍，"
                                  "医生说要尽早做康复训练，机构一个月要四五千。")
    order, reasons = ranked(child, [rehab, make_offer(**MAJOR_ILLNESS_AID)])
    assert order[0] == "REH"
    assert MINOR not in reasons["REH"]
    assert not any("重大疾病" in r for r in reasons["REH"])
