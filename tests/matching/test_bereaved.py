"""A kind read where data/match-freshx, -freshm and -fresho fell; every sentence here is
invented for the test, none is taken from a set.

A family whose patient has died (丈夫患肝癌去世，治病欠了十几万) has no patient left for a
programme that pays part of a patient's hospital bill: across the diagnostic sets such pairs,
where the text names no illness of anyone living, were graded 0 in 658 of 663, and
重特大疾病医疗救助 had ranked above the emergency cash the graders put first, through the
支出型困难 the text and the programme share. The bill the death left is a debt, so the note
that a small sum is far below it (shortfall) does not hold either: no medical programme comes
before the cash. A living patient keeps both.
"""

from __future__ import annotations

from matching import OfferIndex, rank

from .factories import MAJOR_ILLNESS_AID, make_need, make_offer, ranked

BEREAVED = "注意: 本项目补助患者的医疗费用，需求中的病人已去世"

_CASH = {"id": "LSJ", "title": "急难型临时救助", "categories": ["emergency", "basic_living"],
         "eligible_groups": ["dibao", "low_income"], "mode": "cash",
         "amount_per_beneficiary": 5000,
         "description": "因病、因灾、因意外等导致基本生活暂时出现严重困难的家庭，给予一次性"
                        "临时救助，支出型困难家庭可申请。"}


def _widow(**kw):
    base = {"id": "W1", "title": "丈夫病故后欠债生活难", "category": "basic_living",
            "groups": ["low_income"], "beneficiary_age": 50, "amount_needed": None,
            "urgency": 2,
            "description": "申请人丁某，女，50岁，丈夫去年患胃癌去世，前后治病欠下亲戚十二万元，"
                           "镇里认定为支出型困难家庭。女儿在读高中，她在家种地，眼下生活和还债"
                           "都难，想申请点补助。"}
    base.update(kw)
    return make_need(**base)


def test_a_programme_for_a_patient_s_bill_is_warned_when_the_patient_has_died():
    order, reasons = ranked(_widow(), [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_CASH)])
    assert order[0] == "LSJ"
    assert BEREAVED in reasons["MAJ"]
    assert BEREAVED not in reasons["LSJ"]


def test_the_debt_a_death_left_is_no_bill_that_cash_falls_short_of():
    _, reasons = ranked(_widow(), [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_CASH)])
    assert not any("差距悬殊" in r for r in reasons["LSJ"])


def test_a_living_patient_keeps_the_bill_programme_and_the_shortfall():
    ill = _widow(title="丈夫病故后本人又患乳腺癌", category="medical",
                 description="申请人丁某，女，50岁，丈夫去年患胃癌去世。她今年1月查出乳腺癌，"
                             "住院手术花了十二万元，医保报后自付五万多，想申请医疗救助。")
    order, reasons = ranked(ill, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_CASH)])
    assert order[0] == "MAJ"
    assert BEREAVED not in reasons["MAJ"]
    assert any("差距悬殊" in r for r in reasons["LSJ"])


def test_alone_and_in_a_batch_the_death_is_read_alike():
    offers = [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_CASH)]
    needs = [_widow(), _widow(id="W2", title="母亲住院", category="medical",
                              description="母亲患尿毒症住院透析，自付部分负担重。")]
    index = OfferIndex(offers)
    batch = rank(needs, index, top=5)
    for need, b in zip(needs, batch, strict=True):
        [one] = rank([need], index, top=5)
        assert [(x.offer_id, round(x.score, 5), x.reasons) for x in one.ranked] == \
            [(x.offer_id, round(x.score, 5), x.reasons) for x in b.ranked]
    assert BEREAVED in {r for x in batch[0].ranked for r in x.reasons}
    assert BEREAVED not in {r for x in batch[1].ranked for r in x.reasons}
