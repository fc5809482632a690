"""A kind read where data/match-freshk, -freshv and -freshaf fell; every sentence here is
invented for the test, none is taken from a set.

The road-accident fund (道路交通事故社会救助基金) advances a crash victim's costs only where the
driver fled, the vehicle had no compulsory insurance, or the costs exceed it (its 2021
measures, art. 14). Across the diagnostic sets it was graded 3 for four of the five needs that
told of a hit-and-run and ranked it among their first five (the fifth: its costs already
advanced), and 0 in all 135 admissible pairs with needs that told of none — a fall, a drowning,
a crash whose insurer is slow to pay — yet it came among the first five for 18 of them. Its
title now answers that one trouble (feature ``answers``), which a need has when it names a
fleeing driver or a missing insurance (concept 肇事逃逸, under 交通事故).
"""

from __future__ import annotations

from .factories import make_need, make_offer, ranked

NOTE = ("注意: 救助基金只垫付肇事逃逸、未投保交强险或超出交强险限额的交通事故费用，"
        "需求中没有此类情形")

_FUND = {"id": "JJJ", "title": "道路交通事故社会救助基金垫付",
         "categories": ["emergency", "medical"], "mode": "cash", "amount_per_beneficiary": 50000,
         "description": "道路交通事故中，肇事车辆逃逸、机动车未参加交强险，或抢救费用超过交强险"
                        "责任限额的，由救助基金垫付受害人的抢救费用。"}
_LEGAL = {"id": "FLY", "title": "困难群众法律援助", "categories": ["legal"],
          "provider_type": "government", "provider_name": "南通市司法局",
          "description": "经济困难公民请求给予社会保险待遇、交通事故人身损害赔偿等，"
                         "可申请法律援助，由律师代理。"}


def _crash(text: str, **kw):
    base = {"id": "C1", "title": "骑电动车被撞伤", "category": "emergency",
            "groups": ["low_income"], "beneficiary_age": 45, "amount_needed": None,
            "urgency": 3, "description": text}
    base.update(kw)
    return make_need(**base)


def test_the_fund_is_warned_for_a_crash_whose_driver_is_known_and_insured():
    need = _crash("2月10日晚骑电动车被一辆轿车撞伤，小腿骨折住院，对方有交强险，但保险公司一直拖着"
                  "不赔，想请人帮忙讨个说法。")
    order, reasons = ranked(need, [make_offer(**_FUND), make_offer(**_LEGAL)])
    assert order[0] == "FLY"
    assert NOTE in reasons["JJJ"]


def test_a_hit_and_run_is_what_the_fund_is_for():
    need = _crash("2月10日晚骑电动车回家途中被车撞倒，颅脑外伤在ICU抢救，肇事车辆逃逸，交警还在查，"
                  "抢救费用已经欠了医院三万。")
    order, reasons = ranked(need, [make_offer(**_FUND), make_offer(**_LEGAL)])
    assert order[0] == "JJJ"
    assert NOTE not in reasons["JJJ"]


def test_a_fall_off_one_s_own_bicycle_is_no_crash_the_fund_advances():
    need = _crash("自己骑电动车在乡道上滑倒，股骨骨折，手术花了三万元，没有别的车辆。",
                  title="骑车摔倒骨折", category="medical")
    _, reasons = ranked(need, [make_offer(**_FUND), make_offer(**_LEGAL)])
    assert NOTE in reasons["JJJ"]
