"""Kinds found by reading the diagnostic sets in the twelfth session; every sentence here is
invented for the test, none is taken from a set.

- A road accident or a work injury named only as what befell the family (父亲四年前车祸走了,
  前年车祸截去左腿) raises no claim: no compensation dispute, so legal aid does not rank
  above what the family asks for (settled.py). A text that speaks of a claim keeps it, and a
  title is judged on its need's text.
"""

from __future__ import annotations

from matching import OfferIndex

from .factories import make_need, make_offer, ranked

_LAW = {"id": "LAW", "title": "法律援助", "categories": ["legal"], "mode": "service",
        "amount_per_beneficiary": None,
        "description": "为经济困难公民提供交通事故、工伤等人身损害赔偿的法律咨询和代理。"}


def _compensation(need) -> tuple[float, float]:
    """The need's concept 赔偿纠纷 in its text's vector and in its title's."""
    ix = OfferIndex([make_offer(**_LAW)])
    col = ix.lexicon.ids.index("compensation")
    side = ix.need_side([need])
    return float(side.concepts[0, col]), float(side.title_concepts[0, col])


def test_an_accident_named_as_background_raises_no_claim():
    law = make_offer(**_LAW)
    living = make_offer(id="KID", title="困境儿童基本生活补贴", categories=["basic_living"],
                        mode="cash", amount_per_beneficiary=600,
                        description="对父母一方死亡、另一方失联等困境儿童，按月发放基本生活补贴。")
    need = make_need(title="孙子跟着爷爷过，生活费紧", category="basic_living", groups=["dibao"],
                     beneficiary_age=12, amount_needed=None, urgency=1,
                     description="孩子12岁读六年级，爸爸四年前骑摩托车出车祸走了，妈妈改嫁后"
                                 "没了音信。爷爷72岁，靠低保和几亩地，想给孩子每月添点生活费。")
    order, reasons = ranked(need, [law, living])
    assert order == ["KID", "LAW"]
    assert not any("赔偿纠纷" in r for r in reasons["LAW"])
    assert _compensation(need) == (0.0, 0.0)


def test_a_work_injury_with_a_partial_payment_is_still_a_claim():
    need = make_need(title="工地摔伤干不了重活", category="employment", groups=["low_income"],
                     beneficiary_age=50, amount_needed=None, urgency=1,
                     description="去年秋天在工地从架子上摔下来伤了腰，包工头只给了三千块，"
                                 "现在重活干不了，想找份轻点的活。")
    text, _ = _compensation(need)
    assert text > 0


def test_a_title_is_judged_on_its_need_s_text():
    need = make_need(title="父亲车祸去世，大二学生学费难", category="education",
                     groups=["low_income"], beneficiary_age=20, amount_needed=None, urgency=2,
                     description="父亲去年冬天骑电动车被货车撞了，没抢救过来，肇事司机一直拖着"
                                 "不赔。母亲在家种地，孩子下学期的学费还没着落。")
    text, title = _compensation(need)
    assert text > 0 and title > 0
