"""Kinds found by reading the diagnostic sets in the twelfth session; every sentence here is
invented for the test, none is taken from a set.

- A road accident or a work injury named only as what befell the family (父亲四年前车祸走了,
  前年车祸截去左腿) raises no claim: no compensation dispute, so legal aid does not rank
  above what the family asks for (settled.py). A text that speaks of a claim keeps it, and a
  title is judged on its need's text.
- An accident long before the need was written (儿子2009年在工地出事走了, 六年前出车祸) is the
  family's history: its accident concepts go, so emergency relief for a sudden event does not
  rank for an old man living alone (past.py). One of last month stays, and so does what the
  old accident left (截肢).
- The 低保 taper (低保渐退帮扶) is for a 低保 household whose income rose above the line: a 低保
  household without that is warned of it (feature ``answers``), and one that says it in its own
  words (略高于低保线, 低保马上就停) is not (dibao_exit.py).
"""

from __future__ import annotations

import datetime as dt

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


_SUDDEN = {"id": "SUD", "title": "急难型临时救助", "categories": ["emergency", "basic_living"],
           "mode": "cash", "amount_per_beneficiary": 5000,
           "description": "对因火灾、交通事故、工伤等意外事件导致生活陷入困境的家庭，先行救助。"}


def _accident(text: str, created: dt.date) -> float:
    ix = OfferIndex([make_offer(**_SUDDEN)])
    need = make_need(title="求助", description=text, category="care", created_at=created)
    return float(ix.need_side([need]).concepts[0, ix.lexicon.ids.index("accident")])


def test_an_accident_long_past_is_history_not_an_emergency():
    sudden = make_offer(**_SUDDEN)
    care = make_offer(id="CARE", title="居家养老上门服务", categories=["care"], mode="service",
                      amount_per_beneficiary=None,
                      description="为独居、高龄老人提供上门助洁、助餐、陪同就医等居家养老服务。")
    need = make_need(title="独居老人要人照看", category="care", groups=["dibao"],
                     beneficiary_age=84, amount_needed=None, urgency=2,
                     created_at=dt.date(2018, 2, 10),
                     description="老人84岁独居，老伴前几年走了，儿子2009年在工地出事走了。"
                                 "老人腿脚慢，烧饭常忘关火，想有人每周上门帮忙洗衣买药。")
    order, _ = ranked(need, [sudden, care])
    assert order == ["CARE", "SUD"]
    day = dt.date(2018, 2, 10)
    assert _accident("六年前出车祸，左腿截肢，想要一辆轮椅。", day) == 0.0
    # last month's crash is the trouble itself; a year given without a month is not known
    assert _accident("上个月丈夫2018年1月出车祸，住院花了三万。", day) > 0
    assert _accident("丈夫2017年出车祸，住院花了三万。", day) > 0


def test_what_an_old_accident_left_stays():
    ix = OfferIndex([make_offer(**_SUDDEN)])
    need = make_need(title="想要轮椅", category="rehabilitation", created_at=dt.date(2018, 2, 10),
                     description="六年前出车祸截肢，肢体二级残疾，想申请一辆轮椅。")
    got = {ix.lexicon.ids[i] for i in ix.need_side([need]).concepts[0].nonzero()[0]}
    assert "accident" not in got and "dis_traffic" not in got
    assert "amputation" in got or "dis_limb" in got


TAPER_WARNING = "注意: 低保渐退只面向就业后收入超过低保标准的低保家庭，需求中没有收入超线或停保情形"
_TAPER = {"id": "TAP", "title": "低保渐退帮扶", "categories": ["basic_living"], "mode": "cash",
          "amount_per_beneficiary": None, "eligible_groups": ["dibao"],
          "description": "低保家庭成员通过就业增加收入、人均收入超过低保标准的，给予6个月渐退期，"
                         "渐退期内继续发放低保金。"}
_LIVING = {"id": "LIV", "title": "困难家庭春节慰问", "categories": ["basic_living"],
           "mode": "in_kind", "amount_per_beneficiary": None,
           "description": "为低保、特困等困难家庭送去米面油和慰问金，解决基本生活困难。"}


def test_the_dibao_taper_is_for_a_household_whose_income_rose():
    taper, living = make_offer(**_TAPER), make_offer(**_LIVING)
    rising = make_need(title="女儿上班后怕断了保障", category="basic_living", groups=["dibao"],
                       beneficiary_age=50, amount_needed=None, urgency=1,
                       description="家里吃低保四年。女儿去年底进了镇上的厂，一个月两千左右，这样算"
                                   "家里人均略高于低保线了，听说低保马上就要停，老伴还要吃药。")
    order, reasons = ranked(rising, [living, taper])
    assert order[0] == "TAP" and TAPER_WARNING not in reasons["TAP"]
    old = make_need(title="独居老人过冬困难", category="basic_living", groups=["dibao"],
                    beneficiary_age=80, amount_needed=None, urgency=1,
                    description="老人80岁，吃低保，一个人住在老屋，冬天缺被褥和粮油。")
    order, reasons = ranked(old, [taper, living])
    assert order == ["LIV", "TAP"] and TAPER_WARNING in reasons["TAP"]


_RELIEF = {"id": "REL", "title": "急难型临时救助（先行救助）",
           "categories": ["emergency", "basic_living"], "mode": "cash",
           "amount_per_beneficiary": 5000,
           "description": "因火灾、交通事故、突发重病等导致基本生活陷入困境的家庭，"
                          "由乡镇先行救助。"}


def test_a_record_that_says_the_income_passed_the_line_in_its_own_words_asks_for_the_taper():
    # a letter's words (略超保障标准, 断了保障) and a review's (已过低保线): the taper is what the
    # need asks for, as plainly as if it named it — first, unwarned, with its concept as reason
    for words in ("测算后家庭人均月收入约910元，略超保障标准。本人担心刚上岗就断了保障",
                  "年审测算人均约880，已过低保线。户主问进厂了是不是马上不给了"):
        need = make_need(title="低保户刚上岗", category="basic_living", groups=["dibao"],
                         beneficiary_age=45, amount_needed=None, urgency=1,
                         description=f"低保对象，45岁，2月起做物业保安，月薪2200元，{words}。")
        order, reasons = ranked(need, [make_offer(**_RELIEF), make_offer(**_LIVING),
                                       make_offer(**_TAPER)])
        assert order[0] == "TAP", words
        assert TAPER_WARNING not in reasons["TAP"], words
        assert any("低保渐退" in r for r in reasons["TAP"] if r.startswith("内容相关")), words
