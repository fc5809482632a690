"""Kinds read where the diagnostic sets fell in the twenty-sixth session; every sentence here
is invented for the test, none is taken from a set.

A 低保 household that fears its 低保 goes once someone works says so with words between (低保会
不会一下子就没了), spells 低保 by its sound when it dictates or types (底保, 低宝), or says its
income passed the line in a letter's words (已逾低保之线): each is the trouble the 低保 taper
answers. 低保 that is only the subject of something else going (低保那点钱月中就没了, 低保户…
没了落脚处) is not.
"""

from __future__ import annotations

from .factories import make_need, make_offer, ranked

TAPER_WARNING = "注意: 低保渐退只面向就业后收入超过低保标准的低保家庭，需求中没有收入超线或停保情形"


def _taper_and_relief():
    taper = make_offer(id="JT", title="低保渐退帮扶", categories=["basic_living"],
                       eligible_groups=["dibao"],
                       description="低保家庭成员就业后家庭收入超过低保标准的，给予6个月渐退期，"
                                   "期间继续享受低保待遇。")
    relief = make_offer(id="JJ", title="急难型临时救助", categories=["basic_living", "emergency"],
                        description="因突发事件导致基本生活陷入困境的家庭，给予一次性临时救助。")
    return [relief, taper]


def _dibao_need(text: str, title: str = "家里生活的事想问问"):
    return make_need(title=title, category="basic_living", beneficiary_age=48,
                     amount_needed=None, urgency=1, groups=["dibao"], description=text)


def test_a_family_that_fears_its_dibao_goes_when_someone_works_is_sent_to_the_taper():
    for text in ("女儿在镇上厂里找到活，一个月两千出头。我们家吃低保好几年了，她要是上了班，"
                 "家里低保会不会一下子就没了？老头子的药全靠它。",
                 "我家是底保户，儿子去年底进了厂，村里人讲儿子上班了，底保就要取消，老伴吃药就没着落了。",
                 "我们拿低宝三年了，今年我在电子厂找到工作，人家说有了工资低宝马上就没有了，我很担心。",
                 "敬启者：邻人某氏一家向以低保为生，其子去秋入厂，月入二千余，全家人均已逾低保之线，"
                 "闻将停发，老母药费无着，恳请设法。"):
        order, reasons = ranked(_dibao_need(text), _taper_and_relief())
        assert order[0] == "JT", text
        assert TAPER_WARNING not in reasons["JT"], text


def test_dibao_money_that_runs_out_is_not_dibao_ending():
    need = _dibao_need("老伴化疗，每个月的药和来回车费都要钱，家里吃低保，"
                       "低保那点钱一到月中就没了，想每个月能多一点生活上的接济。",
                       title="化疗期间生活开销接不上")
    _, reasons = ranked(need, _taper_and_relief())
    assert TAPER_WARNING in reasons["JT"]
