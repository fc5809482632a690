"""Kinds read in the seventeenth session's blind sets against the dev offers (annual-review
records, walk-in window records, neighbours' reports, agencies' letters, oral accounts):

- Self-harm (自伤, 割腕, 手臂上有划痕, 胳膊上有刀划的印子) is a psychological situation under
  情绪困扰 (taxonomy node ``self_harm``): a girl who cuts her arm meets counselling first.
"""

from __future__ import annotations

from .factories import make_need, make_offer, ranked

_COUNSEL = {"id": "PSY", "title": "困境青少年心理疏导与成长陪伴",
            "categories": ["psychological"], "mode": "service",
            "amount_per_beneficiary": None, "provider_type": "ngo",
            "description": "由社工和心理咨询师为困境家庭的青少年提供个案心理辅导、情绪管理小组和"
                           "家庭关系调适服务，全程免费。"}
_MENTOR = {"id": "MEN", "title": "“五老”结对帮扶困境儿童", "categories": ["care", "education"],
           "mode": "volunteer", "amount_per_beneficiary": None, "provider_type": "ngo",
           "description": "组织老干部、老教师等志愿者，与低保、低收入家庭的中小学生结对，定期家访、"
                          "辅导功课、帮助解决学习生活中的实际困难。"}


def test_a_girl_who_cuts_her_arm_meets_counselling_before_mentoring():
    for words in ("上个月奶奶发现她胳膊上有刀划的印子，问她什么也不说",
                  "班主任发现她手臂上有好几道划痕", "这学期有过割腕"):
        girl = make_need(title="孙女情况", category="psychological", groups=["low_income"],
                         beneficiary_age=15, amount_needed=None, urgency=2,
                         description=f"孙女15岁，初三。爸爸前年出车祸走了，妈妈改嫁外地。"
                                     f"{words}。奶奶不晓得怎么跟她讲。")
        order, reasons = ranked(girl, [make_offer(**_MENTOR), make_offer(**_COUNSEL)])
        assert order[0] == "PSY", words
        # the reason names the situation (自伤自残, or 情绪困扰 above it) under 心理疏导
        assert any(r.startswith("内容相关") and "属于 心理疏导" in r for r in reasons["PSY"]), words
