"""A household already on 低保 is not referred to 低保 (feature ``held``): the programme it holds
as a group ranks below other help, with the reason said."""

from __future__ import annotations

import datetime as dt

from matching import OfferIndex, rank

from .factories import make_need, make_offer, ranked

AS_OF = dt.date(2018, 3, 1)
WARN = "注意: 需求家庭已是低保对象，本项目即低保"

DIBAO = make_offer(id="DB", title="城乡最低生活保障", categories=["basic_living"],
                   income_ceiling=700,
                   description="家庭人均月收入低于当地低保标准的，可申请低保，按差额发放低保金。")
GOODS = make_offer(id="GOODS", title="冬春困难群众生活物资发放", categories=["basic_living"],
                   description="向困难家庭发放米、油、棉被等冬春生活物资。")


def _need(groups):
    return make_need(title="家里生活困难", category="basic_living", groups=groups,
                     income_per_capita=500, beneficiary_age=60,
                     description="老两口种地为生，老伴有病，家里生活困难，米面油都要省着吃。")


def _ranked(need):
    return ranked(need, [DIBAO, GOODS])


def test_a_household_on_dibao_gets_other_help_first_and_is_told_why():
    order, reasons = _ranked(_need(["dibao"]))
    assert order == ["GOODS", "DB"]
    assert WARN in reasons["DB"] and WARN not in reasons["GOODS"]


def test_a_household_not_on_dibao_is_referred_to_it_without_a_warning():
    _, reasons = _ranked(_need(["low_income"]))
    assert WARN not in reasons["DB"]


def test_a_programme_for_dibao_households_is_not_the_dibao_programme():
    cancer = make_offer(id="CA", title="低保、低收入家庭癌症病人生活补贴",
                        categories=["basic_living"],
                        description="低保、低收入家庭中的癌症患者每月发放生活补贴。")
    need = make_need(title="低保户癌症化疗", category="basic_living", groups=["dibao"],
                     income_per_capita=500, beneficiary_age=55,
                     description="低保户，丈夫确诊肺癌正在化疗，生活困难。")
    [got] = rank([need], OfferIndex([cancer, GOODS]), as_of=AS_OF, top=5)
    assert all(WARN not in r.reasons for r in got.ranked)
