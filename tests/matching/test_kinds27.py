"""Kinds of the thirty-ninth session, found in the twenty-third batch (written blind in the
thirty-eighth and read in this one) and counted over dev and every labelled set. Every sentence
here is invented for the test, none is taken from a set.

A yes-or-no question a programme's text answers no (问：初中生可以吗？答：…不在本项目范围内)
names who is left out, and so does a plain 不在本项目 at a clause's end. The members a clubhouse
recruits (招募会员) are no trade union's. A title that lists odd jobs beside the riders
(送快递、跑外卖、打零工) is for every casual worker, and one for workers without the work-injury
insurance (没有工伤保险？) pays none of its benefits. A leg 截掉 is a limb disability.
"""

from __future__ import annotations

from matching.exclusion import spans
from matching.reasons import ReasonMaker

from .factories import make_need, make_offer, ranked


def _left_out(text: str) -> list[str]:
    return [text[s:e] for s, e in spans(text)]


def test_a_question_answered_no_names_who_is_left_out():
    text = ("资助高中、大学在读的残疾人家庭子女。问：孩子在读初中可以吗？答：义务教育阶段已经免"
            "学费，不在本项目范围内。问：户口在外地行不行？答：不行。")
    left = _left_out(text)
    assert "孩子在读初中可以吗？答：义务教育阶段已经免学费" in left
    assert "户口在外地行不行" in left
    # an open question names no one; an answer that lets them in is no exclusion
    assert "哪些情况不行" not in _left_out("问：哪些情况不行？答：不属于本项目的有两种。")
    assert _left_out("问：初中生可以吗？答：可以，但每年只能申请一次。") == []
    assert "三年级呢？答：三年级学生顶岗实习" in _left_out(
        "记者：三年级呢？答：三年级学生顶岗实习，不再享受助学金。")


def test_an_illness_the_text_leaves_out_is_no_match():
    heart = make_offer(id="XZ", title="先心病患儿手术救助", categories=["medical"],
                       provider_name="市慈善总会",
                       description="14周岁以下先天性心脏病患儿，手术费用自付部分资助三万元。"
                                   "白血病、实体肿瘤等其他疾病不在本项目，请向红十字会咨询。")
    need = make_need(title="十二岁女孩白血病化疗欠债", category="medical", beneficiary_age=12,
                     groups=[], urgency=3, amount_needed=50000,
                     description="小囡十二岁，白血病在苏州儿童医院化疗第三个疗程，"
                                 "医保报了一部分，自费药多，已经借了十几万。")
    _, reasons = ranked(need, [heart])
    assert not any("白血病" in r for r in reasons["XZ"])
    assert ReasonMaker.ILLNESS in reasons["XZ"]


def test_a_clubhouse_recruiting_members_is_not_for_union_members():
    club = make_offer(id="HS", title="精神康复者的家——“向阳会所”招募会员",
                      categories=["rehabilitation"], provider_name="区精神康复服务中心",
                      description="病情稳定、坚持服药的精神障碍康复者白天来会所，做饭、学电脑、"
                                  "参加职业康复训练。")
    need = make_need(title="女儿双相病情稳定但闭门不出", category="employment",
                     beneficiary_age=28, groups=[], urgency=1, amount_needed=None,
                     description="女儿二十八，双相情感障碍，按时吃药，病情稳定，可她不愿出门，"
                                 "想让她慢慢回到社会上去。")
    _, reasons = ranked(need, [club])
    assert ReasonMaker.STATUS not in reasons["HS"]


def test_an_accident_cover_for_odd_jobs_without_work_injury_insurance():
    cover = make_offer(id="YW", title="送快递、跑外卖、打零工没有工伤保险？免费领一份意外险！",
                       categories=["insurance"], provider_name="保险公司南通支公司",
                       description="18至60岁、目前在干活的灵活就业人员，没有工伤保险的，"
                                   "可免费领取一年意外伤害保险。")
    need = make_need(title="男的在工地打零工没有保险", category="insurance", beneficiary_age=52,
                     groups=["low_income"], urgency=1, amount_needed=None,
                     description="我家老头子五十二，没有固定单位，一直在工地上打零工搬砖刷墙。"
                                 "去年从梯子上摔下来手腕骨裂。想给他买个干活的保险。")
    _, reasons = ranked(need, [cover])
    assert ReasonMaker.STATUS not in reasons["YW"]
    assert not any("工伤保险待遇" in r for r in reasons["YW"])


def test_a_leg_cut_off_is_a_limb_disability():
    hearing = make_offer(id="TL", title="老人耳背别硬扛！助听器公益验配",
                         categories=["rehabilitation"], provider_name="听力公益服务中心",
                         description="60岁以上老人免费检测听力，双耳中度以上听力损失的验配助听器。")
    need = make_need(title="糖尿病老人出门难", category="rehabilitation", beneficiary_age=61,
                     groups=["dibao", "disabled"], urgency=1, amount_needed=None,
                     description="右腿前几年因为糖尿病截掉了，现在出门全靠老伴推，配药一个月两三百。")
    _, reasons = ranked(need, [hearing])
    assert ReasonMaker.KIND in reasons["TL"]
