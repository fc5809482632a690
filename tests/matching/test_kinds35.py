"""Kinds of the forty-seventh session, counted over dev and every labelled set read before it.
Every sentence here is invented for the test, none is taken from a set.

A family that asks whether its 低保 will stop, with a question between the words (低保是不是下个
月就要停掉), tells the taper's trouble as plainly as one that says 低保要停了. Bricks that crumble
(砖头都酥了, 墙体风化) are a house in danger, as cracks are (危险房屋鉴定标准 names weathering).
"""

from __future__ import annotations

import pytest

from .factories import fired, make_need, programme, ranked, warned_for

_TAPER = programme("TP", "低保渐退帮扶",
                   "低保家庭成员就业后家庭人均收入超过低保标准的，给予6个月渐退期，渐退期内继续"
                   "享受低保待遇。", "basic_living")
_TRAINING = programme("TR", "城乡劳动者免费职业技能培训",
                      "有就业意愿的城乡劳动者可免费参加电工、育婴员等职业技能培训，培训合格发证书。",
                      "employment", provider_name="区人社局")


def test_a_question_between_the_dibao_and_its_stopping_asks_for_the_taper():
    mother = make_need(title="儿子上班了", category="basic_living", groups=["dibao"],
                       beneficiary_age=None, amount_needed=None, urgency=1,
                       description="儿子过了年进厂上班，一个月两千八。她问低保是不是过两个月就要停掉，"
                                   "停了老头子的药钱没着落。")
    order, _ = ranked(mother, [_TRAINING, _TAPER])
    assert order[0] == "TP"


# the taper is warned as "only for a 低保 household whose income rose" unless the need says so
@pytest.mark.parametrize(("text", "ending"), [
    ("低保是不是下个月就要停掉？", True),
    ("村里讲低保过完年可能要取消。", True),
    # a 低保 household whose power was cut is no 低保 stopping
    ("低保户老王家里前天停了电。", False),
    ("低保每个月按时发，够吃饭。", False),
])
def test_which_words_say_the_dibao_is_ending(text, ending):
    fields = {"category": "basic_living", "groups": ["dibao"], "beneficiary_age": 55}
    assert warned_for("_taper", _TAPER, fields, text) is not ending


@pytest.mark.parametrize(("text", "unsafe"), [
    ("老屋是七十年代砌的，砖头都酥了，一碰就掉渣。", True),
    ("后墙墙体风化得厉害，雨天往下掉砂。", True),
    ("房子前年刚翻修过，住着挺好。", False),
])
def test_crumbling_bricks_are_a_house_in_danger(text, unsafe):
    assert ("house_unsafe" in fired(text)) is unsafe
