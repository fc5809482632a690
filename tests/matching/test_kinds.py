"""Kinds of case text the engine handles beside the taxonomy: a claim on a policy the household
already holds is not preventive, a merit award needs a need that names good grades, and words
of urgency are a manner, not the specific topic two texts share."""

from __future__ import annotations

import datetime as dt

from matching import OfferIndex, rank
from matching.features import COL
from matching.rank import pair_features

from .factories import make_need, make_offer

AS_OF = dt.date(2018, 3, 1)


def test_a_claim_on_government_bought_insurance_is_not_preventive_for_an_injury():
    claim = make_offer(id="CLAIM", title="自然灾害民生综合保险理赔", categories=["insurance"],
                       description="市政府统一出资投保。因暴雪等自然灾害造成人员伤亡的，经核灾后"
                                   "向保险公司报案理赔。", eligible_groups=["disaster_victim"])
    buy = make_offer(id="BUY", title="老年人意外伤害保险投保补贴", categories=["insurance"],
                     description="老人自愿投保意外伤害保险的补贴一半保费，保险责任自投保次日起生效，"
                                 "保障跌倒骨折等意外。")
    need = make_need(title="暴雪压塌雨棚砸伤腿", category="medical", groups=["disaster_victim"],
                     description="暴雪天被积雪压塌的雨棚砸中，腿骨折住院手术。", beneficiary_age=65)
    [got] = rank([need], OfferIndex([claim, buy]), as_of=AS_OF, top=5)
    reasons = {r.offer_id: r.reasons for r in got.ranked}
    assert [r.offer_id for r in got.ranked][0] == "CLAIM"
    assert not any(r.startswith("注意: 预防性") for r in reasons["CLAIM"])
    assert any(r.startswith("注意: 预防性") for r in reasons["BUY"])


def test_a_merit_award_ranks_below_need_based_aid_unless_the_need_names_good_grades():
    merit = make_offer(id="MERIT", title="品学兼优高中生奖学金", categories=["education"],
                       description="奖励家庭经济困难、学习成绩位列年级前5%的普通高中学生，每人2000元。")
    aid = make_offer(id="AID", title="普通高中家庭经济困难学生资助", categories=["education"],
                     description="对家庭经济困难的普通高中学生发放国家助学金，每人每年2000元。")
    index = OfferIndex([merit, aid])
    plain = make_need(id="P", title="高中生学费困难", category="education", beneficiary_age=16,
                      description="孩子读高一，父亲去世，母亲打零工，学费和生活费困难。")
    good = make_need(id="G", title="高中生学费困难", category="education", beneficiary_age=16,
                     description="孩子读高一，成绩优异，父亲去世，母亲打零工，学费和生活费困难。")
    a, b = rank([plain, good], index, as_of=AS_OF, top=5)
    assert [r.offer_id for r in a.ranked] == ["AID", "MERIT"]
    warn = "注意: 奖学金/评优项目，需求未提及学习成绩优秀"
    assert warn in a.ranked[1].reasons
    assert not any(warn in r.reasons for r in b.ranked)


def test_words_of_urgency_are_never_the_specific_shared_topic():
    fund = make_offer(id="FUND", title="紧急救助金", categories=["emergency"],
                      description="对突发困难、急需帮助的家庭尽快发放救急金。")
    need = make_need(title="急需帮助", category="basic_living", urgency=3,
                     description="家里突然断了收入，急需帮助，希望尽快解决。", amount_needed=None)
    index = OfferIndex([fund])
    _, _, X = pair_features([need], index, as_of=AS_OF)
    assert X[0, COL.concept] > 0          # the words still make the texts similar
    assert X[0, COL.specific] == 0        # but they are not what the need is about
    assert X[0, COL.urgency] > 0          # urgency is weighed by its own feature
