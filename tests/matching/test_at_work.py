"""An injury at work told as what happened (at_work.py): the place or time of work, then the
injury, with other words between, is a work injury (工伤), and meets the programmes for one.
Every sentence here is invented for the test, none is taken from a set."""

from __future__ import annotations

import datetime as dt

from matching import OfferIndex, rank

from .factories import make_need, make_offer, ranked

_CLAIM = {"id": "GSR", "title": "工伤认定申请", "categories": ["legal", "employment"],
          "description": "职工在工作时间、工作场所因工作原因受到伤害的，本人或近亲属可在一年内"
                         "向人社部门申请工伤认定，认定后按规定享受医疗费和伤残待遇。"}
_WAGES = {"id": "LAW", "title": "农民工追索劳动报酬法律援助", "categories": ["legal"],
          "description": "农民工因拖欠工资或请求工伤赔偿申请法律援助的，免予经济困难审查，"
                         "优先受理、当日指派律师代理仲裁和诉讼。"}
_HOTLINE = {"id": "HOT", "title": "12348公共法律服务热线", "categories": ["legal"],
            "description": "提供法律咨询、纠纷调解指引和法律援助申请指引，24小时接听。"}
_HEALTH = {"id": "YB", "title": "城乡居民医保住院报销", "categories": ["medical"],
           "description": "参保居民住院的医疗费用，按规定比例报销，出院时直接结算。"}


def _lit(text, created=dt.date(2018, 2, 1)):
    ix = OfferIndex([make_offer()])
    need = make_need(title="受伤后生活困难", description=text, category="legal",
                     created_at=created)
    side = ix.need_side([need])
    return {ix.lexicon.ids[i] for i in side.concepts[0].nonzero()[0]}


def test_a_fall_from_a_scaffold_and_a_rope_at_sea_are_work_injuries():
    assert "work_injury" in _lit("去年12月在镇上一处建筑工地搭脚手架时摔下来，左腿胫骨骨折，"
                                 "包工头垫了点钱就不露面了。")
    assert "work_injury" in _lit("受雇在一条渔船上帮工，出海时被缆绳打断了右腿，船老板说是他"
                                 "自己不小心。")
    # the taxonomy's own words still light it as before
    assert "work_injury" in _lit("在厂里干活受伤，老板不认。")


def test_work_and_an_injury_in_other_sentences_or_long_ago_are_not():
    assert "work_injury" not in _lit("儿子在工地上做小工。老母亲上个月在家门口摔断了手腕。")
    # an injury at work years before the need is its history (past.py)
    assert "work_injury" not in _lit("2009年在工地从架子上摔下，腰椎受伤，现在想申请轮椅。")


def test_a_fisherman_hurt_at_sea_is_sent_to_the_channel_that_takes_work_injuries():
    # the channel's title names unpaid wages; its lawyers take an employer's refusal to pay
    # for a work injury too (status.py): a work injury the need tells is no "没有欠薪"
    fisher = make_need(title="出海伤了腿船老板不管", category="legal", groups=["low_income"],
                       beneficiary_age=47, amount_needed=None, urgency=2,
                       description="他受雇在一条私人渔船上帮工，上个月出海时被缆绳打断了左腿，"
                                   "住院三万多，船老板只给了两千，说是他自己不小心，没签合同。")
    order, reasons = ranked(fisher, [make_offer(**_HOTLINE), make_offer(**_WAGES)])
    assert order[0] == "LAW"
    assert not any("没有欠薪" in r for r in reasons["LAW"])
    assert any("工伤" in r for r in reasons["LAW"])


def test_alone_and_in_a_batch_the_injury_is_read_alike():
    offers = [make_offer(**_HEALTH), make_offer(**_CLAIM)]
    index = OfferIndex(offers)
    needs = [make_need(id=f"N{i}", description=d, category="legal", groups=[])
             for i, d in enumerate(["在工地搭脚手架时摔下来，左腿骨折，老板不管。",
                                    "家里困难，想问问有什么帮助。"])]
    batch = rank(needs, index, as_of=dt.date(2018, 3, 1), top=2)
    for need, b in zip(needs, batch, strict=True):
        [one] = rank([need], index, as_of=dt.date(2018, 3, 1), top=2)
        assert [(x.offer_id, x.score, x.reasons) for x in one.ranked] == \
            [(x.offer_id, x.score, x.reasons) for x in b.ranked]
