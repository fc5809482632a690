"""Feature ``parented``: support for orphans and children no one raises (孤儿, 事实无人抚养儿童)
is for children whose parents are dead, in prison, lost or unable; a need that names a parent
and none of that (父母在外打工: a left-behind child) is warned off it, alone and in a batch
alike. Every sentence here is invented for the test."""

from __future__ import annotations

import datetime as dt

from matching import OfferIndex, rank

from .factories import make_need, make_offer, ranked

PARENTED = "注意: 项目面向孤儿和事实无人抚养儿童，需求中的孩子有父母抚养"

_ORPHAN = {"id": "GE", "title": "孤儿、事实无人抚养儿童基本生活保障",
           "categories": ["basic_living"],
           "description": "父母双亡或父母服刑、失联、重残重病等事实无人抚养的儿童，"
                          "按月发放基本生活费。"}
_LEFT = {"id": "LS", "title": "留守儿童“代理妈妈”结对关爱", "categories": ["care"],
         "description": "为父母外出务工的留守儿童结对代理妈妈，定期探访陪伴，辅导功课。"}


def _child(text: str, nid: str = "N1"):
    return make_need(id=nid, title="留守兄妹家里没人照看", category="care", beneficiary_age=11,
                     amount_needed=None, urgency=2, groups=["left_behind_child"],
                     income_per_capita=900, description=text)


LEFT_BEHIND = _child("爸爸妈妈在浙江打工，过年才回来。兄妹俩跟爷爷住，爷爷前几天住院了，两个孩子"
                     "放学回家没人做饭，作业也没人管。")
UNSUPPORTED = _child("爸爸前年去世，妈妈改嫁后就联系不上了，孩子跟七十多岁的奶奶过，"
                     "奶奶身体也不好。", nid="N2")


def test_a_left_behind_child_is_no_orphan():
    order, reasons = ranked(LEFT_BEHIND, [make_offer(**_ORPHAN), make_offer(**_LEFT)])
    assert order[0] == "LS"
    assert PARENTED in reasons["GE"]


def test_a_child_whose_father_died_and_mother_is_lost_is_not_warned():
    _, reasons = ranked(UNSUPPORTED, [make_offer(**_LEFT), make_offer(**_ORPHAN)])
    assert PARENTED not in reasons["GE"]


def test_the_warning_is_the_same_for_one_need_and_a_batch():
    index = OfferIndex([make_offer(**_ORPHAN), make_offer(**_LEFT)])
    as_of = dt.date(2018, 3, 1)
    batch = {r.need_id: r for r in rank([LEFT_BEHIND, UNSUPPORTED], index, as_of=as_of, top=5)}
    for need in (LEFT_BEHIND, UNSUPPORTED):
        [one] = rank([need], index, as_of=as_of, top=5)
        assert [(x.offer_id, x.reasons) for x in one.ranked] == \
            [(x.offer_id, x.reasons) for x in batch[need.id].ranked]
