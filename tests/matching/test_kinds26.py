"""Kinds of the thirty-eighth session, found in the twenty-first batch (written blind and read in
the thirty-seventh) and the diagnostic sets, counted over dev and every labelled set. Every
sentence here is invented for the test, none is taken from a set.

A programme whose title names old people as its own (老年人心理关爱热线, 独居老人食品包) is not
for a beneficiary of 36. A programme for the key entitled groups (重点优抚对象医疗补助) is not for
every man who once served (当过兵, 退伍). A husband who 喝多了就打人 is family violence; a
widower who 没得什么精神病 has none.
"""

from __future__ import annotations

from matching.age_window import age_window
from matching.reasons import ReasonMaker

from .factories import make_need, make_offer, ranked


def test_a_title_for_old_people_leaves_out_the_young():
    assert age_window("老年人“夕阳红”心理关爱热线", "") == (50.0, 120.0)
    # not when the title names others beside them, or old people only in passing
    for title in ("中老年男性免费胃镜筛查", "养老护理员免费技能培训", "失能老人家庭照顾者喘息服务",
                  "老年人、残疾人维权法律援助", "城乡居民养老保险困难群体代缴"):
        assert age_window(title, "") is None, title
    rights = make_offer(id="LW", title="县老年人维权工作站", categories=["legal"],
                        provider_name="县老龄办",
                        description="受理赡养、虐待、财产纠纷等维权投诉，提供法律咨询和调解。")
    shelter = make_offer(id="FB", title="反家暴庇护与法律咨询", categories=["legal"],
                         provider_name="县妇联",
                         description="遭受家庭暴力的妇女儿童可申请临时庇护，提供法律咨询。")
    text = ("她三十六岁，带两个伢儿，男的喝了酒就打人，昨天夜里跑出来，脸上青了一块，说不想离婚，"
            "只想他别再打，想问问法律上怎么弄。")
    young = make_need(title="女的半夜被打跑出来", category="legal", beneficiary_age=36,
                      urgency=2, groups=[], amount_needed=None, description=text)
    order, reasons = ranked(young, [rights, shelter])
    assert order[0] == "FB"
    assert ReasonMaker.AGED in reasons["LW"]
    old = make_need(title="老太被儿子打", category="legal", beneficiary_age=78, urgency=2,
                    groups=[], amount_needed=None,
                    description="老太七十八岁，儿子喝了酒就打她，想问问法律上怎么弄。")
    _, reasons = ranked(old, [rights])
    assert ReasonMaker.AGED not in reasons["LW"]


def test_a_programme_for_the_key_entitled_groups_is_not_for_every_veteran():
    care = make_offer(id="YF", title="重点优抚对象医疗补助", categories=["medical"],
                      provider_name="区退役军人事务局",
                      description="住院自付部分按比例补助，每年最高两万元。")
    aid = make_offer(id="JZ", title="医疗救助（住院）", categories=["medical"],
                     provider_name="区民政局", eligible_groups=["dibao"],
                     description="低保对象住院，医保报销后的自付部分按七成救助。")
    text = "老顾六十六岁，年轻时当过兵，退伍回来种地。去年胃癌开刀，自己出了两万多，家里吃低保。"
    plain = make_need(title="当过兵的老顾胃癌开刀", category="medical", beneficiary_age=66,
                      urgency=2, groups=["dibao"], amount_needed=20000, description=text)
    order, reasons = ranked(plain, [care, aid])
    assert order[0] == "JZ"
    assert ReasonMaker.STATUS in reasons["YF"]
    disabled = make_need(title="伤残军人老顾胃癌开刀", category="medical", beneficiary_age=66,
                         urgency=2, groups=["dibao"], amount_needed=20000,
                         description=text.replace("当过兵", "当过兵，是三级伤残军人"))
    _, reasons = ranked(disabled, [care])
    assert ReasonMaker.STATUS not in reasons["YF"]


def test_nantong_speech_for_violence_and_for_no_mental_illness():
    shelter = make_offer(id="FB", title="反家庭暴力维权服务", categories=["legal"],
                         provider_name="镇妇联维权站",
                         description="为遭受家庭暴力的妇女提供咨询、庇护和法律帮助。")
    loan = make_offer(id="XD", title="妇女创业小额贷款", categories=["employment"],
                      provider_name="县妇联", description="有创业意愿的妇女可申请小额贴息贷款。")
    wife = make_need(title="阿芳面孔上又青了一块", category="legal", beneficiary_age=38,
                     urgency=2, groups=[], amount_needed=None,
                     description="阿芳三十八，男人去年生意亏了以后天天喝酒，喝多了就打人，"
                                 "她讲不敢离，伢儿还小。")
    order, reasons = ranked(wife, [loan, shelter])
    assert order[0] == "FB"
    assert any("家庭暴力" in r for r in reasons["FB"])   # the reason names what she suffers
    guard = make_offer(id="JH", title="严重精神障碍患者监护补助", categories=["care"],
                       provider_name="镇综治办",
                       description="在册严重精神障碍患者的监护人，按季度发放监护补助。")
    talk = make_offer(id="PB", title="丧亲老人关怀小组", categories=["psychological"],
                      provider_name="街道社工站",
                      description="老伴去世一年内的老人，社工上门陪伴谈心，组织小组活动。")
    widower = make_need(title="老伴走了以后饭也不吃", category="care", beneficiary_age=72,
                        urgency=2, groups=[], amount_needed=None,
                        description="孙师傅七十二，老伴去年走的，天天一个人坐着不动筷子，"
                                    "讲活着没意思。他没得什么精神病，就是心里过不去。")
    order, _ = ranked(widower, [guard, talk])
    assert order[0] == "PB"
