"""A kind read where data/match-freshav, -freshax and -freshay (new needs against the dev
offers) fell; every sentence here is invented for the test, none is taken from a set.

A person who is well and asks for cover against what may come (怕自己也病倒, 万一得了大病) or
for a check (怕查出来) has no bill yet: a programme that pays part of a patient's hospital bill
(住院自付费用, 医疗费用按比例救助) is nothing to send her to, even when a relative's death from
cancer put the illness in her words. It is warned and goes below the cover she asks for. So
is the better payment the 大病保险 makes for households on 低保 (倾斜支付): listed under
insurance, it still pays only a patient's bill, and the household holds it without asking
(graded 0 in all 15 such pairs of the diagnostic sets). A cover she can join (a pupils'
mutual-aid fund) is not warned, nor is the bill's programme for a patient who fears the
illness will come back.
"""

from __future__ import annotations

from .factories import MAJOR_ILLNESS_AID, make_need, make_offer, ranked

UNTIMELY = "注意: 本项目补助患者已发生的医疗费用，需求中尚未患病，所求是预防或保障"

_COVER = {"id": "CII", "title": "困难家庭重大疾病保险公益投保", "categories": ["insurance"],
          "provider_type": "ngo", "provider_name": "某保险公司", "mode": "cash",
          "amount_per_beneficiary": 50000,
          "description": "为困难家庭18至50周岁成员免费办理一份重大疾病保险，确诊恶性肿瘤等25种"
                         "重大疾病后一次性给付5万元，办理前已患疾病不在保障范围。"}
_SCREEN = {"id": "SCR", "title": "城乡居民癌症早诊早治免费筛查", "categories": ["medical"],
           "mode": "service",
           "description": "为40至74周岁居民免费提供低剂量CT、胃镜、乳腺和宫颈等癌症筛查，筛查出"
                          "可疑病变的转诊治疗。"}
# a cover the household already holds (the state's better payment of the 大病保险): listed
# under insurance, yet it pays only a patient's hospital bill
_HELD_COVER = {"id": "DBX", "title": "困难群体大病保险倾斜支付",
               "categories": ["insurance", "medical"], "eligible_groups": ["dibao"],
               "description": "低保对象住院的，城乡居民大病保险起付线降低一半，"
                              "住院结算时直接结算。"}
# a cover a parent joins for a pupil each school year
_FUND = {"id": "HZJ", "title": "中小学生住院医疗互助金", "categories": ["insurance", "medical"],
         "provider_type": "ngo", "provider_name": "某学生互助基金",
         "description": "参加本学年学生互助金的在校中小学生，住院费用经医保报销后的自付部分"
                        "再补偿60%。"}


def _widow(**kw):
    base = {"title": "丧偶母亲担心自己病倒", "category": "insurance", "groups": ["dibao"],
            "beneficiary_age": 38, "amount_needed": None, "urgency": 1,
            "description": "丈夫前年因肝癌去世，治病欠了不少债，她一人带两个孩子，家里吃低保。"
                           "她身体尚好，就怕自己哪天也病倒，孩子没人管，想要一份保障。"}
    base.update(kw)
    return make_need(**base)


def test_a_well_person_asking_for_cover_is_not_sent_to_the_patients_bill_programme():
    order, reasons = ranked(_widow(), [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER)])
    assert order[0] == "CII"
    assert UNTIMELY in reasons["MAJ"]
    assert UNTIMELY not in reasons["CII"]


def test_a_check_for_a_frightened_sister_is_not_a_bill_either():
    sister = _widow(title="想查查身体", category="medical", beneficiary_age=45,
                    description="她姐姐前年得了乳腺上的病，没两年人就没了。她这阵子胸口老是胀，不敢上医院，"
                                "怕一查就是那个病，想问问有没有免费查的，还有能保这种病的保险。")
    order, reasons = ranked(sister, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER),
                                     make_offer(**_SCREEN)])
    assert order[-1] == "MAJ"
    assert UNTIMELY in reasons["MAJ"]
    assert UNTIMELY not in reasons["SCR"]


def test_a_held_cover_that_pays_a_patient_s_bill_is_warned_too():
    order, reasons = ranked(_widow(), [make_offer(**_HELD_COVER), make_offer(**_COVER)])
    assert order[0] == "CII"
    assert UNTIMELY in reasons["DBX"]


def test_a_fund_to_join_and_a_patient_s_fear_are_not_warned():
    mother = _widow(title="想给孩子上个保障", beneficiary_age=40, groups=["dibao"],
                    description="孩子读小学五年级，身体好好的，她怕万一孩子生病住院花不起，"
                                "想给孩子办个保障。")
    _, reasons = ranked(mother, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_FUND)])
    assert UNTIMELY not in reasons["HZJ"]
    assert UNTIMELY in reasons["MAJ"]
    # a patient afraid the illness comes back still has bills: the programme is hers
    patient = _widow(title="乳腺癌术后怕复发", category="medical", amount_needed=20000,
                     description="去年查出乳腺癌做了手术，现在每月复查，住院自付两万多，怕万一再复发"
                                 "家里就垮了。")
    order, reasons = ranked(patient, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER)])
    assert order[0] == "MAJ"
    assert UNTIMELY not in reasons["MAJ"]
