"""Feature ``kin``: the support of 特困人员 (特困人员救助供养, the old 五保) is for people no one is
bound to keep; a need that names a child, or a spouse and no death, and does not say it has
none is warned off it (and 低保 comes first; a widow's sons are bound to keep her), and so is a
household of two or more that does not say it has no kin (an old couple raising a grandson),
alone and in a batch alike. Every sentence here is invented for the test."""

from __future__ import annotations

import datetime as dt

from matching import OfferIndex, rank

from .factories import make_need, make_offer, ranked

KIN = "注意: 特困供养面向无法定赡养、抚养、扶养义务人的人员，需求提到了配偶、子女或同住的家人"

_TEKUN = {"id": "TK", "title": "特困人员救助供养（分散、集中）",
          "categories": ["basic_living", "care"],
          "description": "无劳动能力、无生活来源、无法定赡养抚养扶养义务人或者其义务人无履行能力的"
                         "老年人、残疾人和未成年人，可申请特困人员救助供养，分散供养或入住敬老院。"}
_DIBAO = {"id": "DB", "title": "最低生活保障申请受理", "categories": ["basic_living"],
          "description": "家庭人均收入低于当地低保标准、财产符合规定的家庭，可向镇（街道）"
                         "申请低保，按差额发放低保金。"}


def _old(text: str, nid: str = "N1", groups=(), size: int = 1):
    return make_need(id=nid, title="独居老人每月进项不足六百", category="basic_living",
                     beneficiary_age=76, amount_needed=None, urgency=1, groups=list(groups),
                     income_per_capita=450, description=text, household_size=size)


SONS = _old("丈夫2015年病故，她一个人住村里老屋，两个儿子在镇上和开发区打工，各自成家，都说"
            "自己也困难，谁也不肯多给。老人种一点口粮田，每月城乡居民养老金一百多元。")
ALONE = _old("老人终身未婚，无子女，兄弟都不在了，一个人住两间旧瓦房，每月只有一百多元养老金，"
             "种不动田了。", nid="N2")
BEREFT = _old("独子2016年车祸去世，老伴走得更早，一个人住，每月一百多元养老金，腿脚不便。",
              nid="N3")
WIDOW = _old("丈夫前年病故，她一个人过，没什么收入，种不动田了，腿脚也不便。", nid="N4")
# a household of three that names neither a child nor a spouse: the grandson's parents are
# gone, the grandparents raise him
GRANDSON = _old("八十岁的老两口带着十一岁的孙子过，孙子读五年级，他爸前年出车祸没了，妈妈改嫁"
                "后再没回来。两个老人每月养老金合计三百多元，种点口粮田。", nid="N5", size=3)
CHILDLESS = _old("老两口无儿无女，都七十八了，靠每月三百多元养老金过日子，老头子腿脚不便。",
                 nid="N6", size=2)


def test_a_parent_with_sons_is_sent_to_dibao_before_the_support_of_tekun_people():
    order, reasons = ranked(SONS, [make_offer(**_TEKUN), make_offer(**_DIBAO)])
    assert order[0] == "DB"
    assert KIN in reasons["TK"] and KIN not in reasons["DB"]


def test_no_warning_for_someone_with_no_kin_or_whose_kin_died_or_who_is_tekun_already():
    for need in (ALONE, BEREFT, WIDOW, _old(SONS.description, groups=["tekun"])):
        _, reasons = ranked(need, [make_offer(**_TEKUN), make_offer(**_DIBAO)])
        assert KIN not in reasons["TK"], need.description
    order, _ = ranked(ALONE, [make_offer(**_DIBAO), make_offer(**_TEKUN)])
    assert order[0] == "TK"


def test_a_household_of_several_is_sent_to_dibao_unless_it_says_it_has_no_kin():
    order, reasons = ranked(GRANDSON, [make_offer(**_TEKUN), make_offer(**_DIBAO)])
    assert order[0] == "DB"
    assert KIN in reasons["TK"]
    _, reasons = ranked(CHILDLESS, [make_offer(**_TEKUN), make_offer(**_DIBAO)])
    assert KIN not in reasons["TK"]
    # the same grandmother alone has no one: the warning is the household's, not the words'
    _, reasons = ranked(_old(GRANDSON.description, nid="N7"), [make_offer(**_TEKUN)])
    assert KIN not in reasons["TK"]


def test_a_title_that_lists_dibao_beside_tekun_names_who_may_apply_to_another_programme():
    cover = make_offer(id="YW", title="低保、特困人员意外伤害保险（政府统一投保）",
                       categories=["insurance"],
                       description="低保对象、特困人员由政府统一投保意外伤害保险，意外身故、伤残、住院可理赔。")
    _, reasons = ranked(SONS, [cover, make_offer(**_DIBAO)])
    assert KIN not in reasons["YW"]


def test_the_warning_is_the_same_for_one_need_and_a_batch():
    index = OfferIndex([make_offer(**_TEKUN), make_offer(**_DIBAO)])
    as_of = dt.date(2018, 3, 1)
    needs = [SONS, ALONE, BEREFT, GRANDSON, CHILDLESS]
    batch = {r.need_id: r for r in rank(needs, index, as_of=as_of, top=5)}
    for need in needs:
        [one] = rank([need], index, as_of=as_of, top=5)
        assert [(x.offer_id, x.reasons) for x in one.ranked] == \
            [(x.offer_id, x.reasons) for x in batch[need.id].ranked]
    assert KIN in {r for x in batch["N1"].ranked for r in x.reasons}
    assert KIN in {r for x in batch["N5"].ranked for r in x.reasons}
