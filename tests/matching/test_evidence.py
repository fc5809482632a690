"""Two kinds of evidence fitted on the diagnostic sets (default_model.json): a government
body's programme comes before a charity's like it (feature ``government``), and a programme
whose title names the need's trouble before one that lists it in its description (feature
``named``); and the concept the model weighs more decides between two programmes that each
answer half of a need (``concept_scale``); and the category affinity the model learned decides
between two programmes alike but for the categories they are listed under (``category_fit``).
Invented sentences; each states what a caseworker sees."""

import dataclasses

from matching import MatchScorer, OfferIndex, rank

from .conftest import AS_OF
from .factories import make_need, make_offer, ranked

GOV_LINE = "政府项目: 应享尽享，先于社会帮扶"

BUREAU = make_offer(id="GOV", title="困难老人送餐补贴", categories=["care"],
                    provider_type="government", provider_name="区民政局",
                    description="为辖区内生活困难的老年人提供送餐上门，每月补贴餐费。")
# the same programme from a charity
CHARITY = dataclasses.replace(BUREAU, id="NGO", provider_type="ngo", provider_name="爱心助老协会")
OLD_WOMAN = make_need(id="OLD", title="独居老人吃饭困难", category="care", groups=["dibao"],
                      beneficiary_age=81, urgency=1, amount_needed=None,
                      description="老人81岁独居，腿脚不便，做不了饭，经常饿一顿饱一顿。")


def test_the_government_programme_comes_before_a_charity_that_offers_the_same():
    # listed charity first: the order is the kinds', not the index's
    order, reasons = ranked(OLD_WOMAN, [CHARITY, BUREAU])
    assert order == ["GOV", "NGO"]
    assert GOV_LINE in reasons["GOV"] and GOV_LINE not in reasons["NGO"]


MEALS = make_offer(id="MEAL", title="老年助餐服务", categories=["care"],
                   provider_type="ngo", provider_name="社区服务中心",
                   description="在社区食堂为老年人提供午餐和晚餐，行动不便的可送餐上门。")
# a brand-named programme: its title says nothing of what it gives, its description lists
# meals among five services (its concepts meet the need's more than the meal service's do)
BRAND = make_offer(id="BRAND", title="幸福邻里公益项目", categories=["care"],
                   provider_type="ngo", provider_name="社区服务中心",
                   description="为社区老人提供助餐、助洁、助浴、理发和精神慰藉等服务。")
NO_COOKING = make_need(id="MEALS", title="老人吃饭困难", category="care", groups=["dibao"],
                       beneficiary_age=78, urgency=1, amount_needed=None,
                       description="老人做不了饭，想要有人送饭。")


def test_a_programme_named_for_the_trouble_comes_before_one_that_lists_it():
    order, reasons = ranked(NO_COOKING, [BRAND, MEALS])
    assert order == ["MEAL", "BRAND"]
    assert "项目名称与需求相符" in reasons["MEAL"]
    assert "项目名称与需求相符" not in reasons["BRAND"]


def test_alone_and_in_a_batch_the_two_kinds_score_alike():
    index = OfferIndex([CHARITY, BUREAU, BRAND, MEALS])
    other = make_need(id="KID", title="孩子上学缺学费", category="education", beneficiary_age=12,
                      description="孩子读初一，学费生活费困难。")
    batch = rank([other, OLD_WOMAN, NO_COOKING, other], index, as_of=AS_OF, top=4)
    for need, got in zip((OLD_WOMAN, NO_COOKING), batch[1:3], strict=True):
        [alone] = rank([need], index, as_of=AS_OF, top=4)
        assert [(x.offer_id, round(x.score, 5), x.reasons) for x in got.ranked] == \
            [(x.offer_id, round(x.score, 5), x.reasons) for x in alone.ranked]
        ids = [x.offer_id for x in got.ranked]
        assert ids.index("GOV") < ids.index("NGO") and ids.index("MEAL") < ids.index("BRAND")


# A factor per concept (default_model.json ``concept_scale``, fitted by ``train --concepts``):
# a need with two troubles, a programme for each (MEALS above and a bath service); the
# concept the model weighs more decides.
BATH = make_offer(id="BATH", title="老年助浴服务", categories=["care"],
                  provider_type="ngo", provider_name="社区服务中心",
                  description="上门为失能、半失能老年人洗澡擦身。")
ALONE = make_need(id="ALONE", title="独居老人生活照料", category="care", groups=["dibao"],
                  beneficiary_age=80, urgency=1, amount_needed=None,
                  description="老人80岁独居，做不了饭，也没法自己洗澡。")


def test_the_concept_the_model_weighs_more_decides_alone_and_in_a_batch():
    index = OfferIndex([MEALS, BATH])
    for concept, other, first in (("meal_help", "bath_help", "MEAL"),
                                  ("bath_help", "meal_help", "BATH")):
        model = MatchScorer.default()
        # the other concept at 1, whatever the packaged fit gave it (meal_help is above 3)
        model.concept_scale_ = dict(model.concept_scale_, **{concept: 3.0, other: 1.0})
        [alone] = rank([ALONE], index, as_of=AS_OF, top=2, scorer=model)
        batch = rank([NO_COOKING, ALONE], index, as_of=AS_OF, top=2, scorer=model)
        assert [x.offer_id for x in alone.ranked][0] == first, concept
        assert [(x.offer_id, round(x.score, 5)) for x in batch[1].ranked] == \
            [(x.offer_id, round(x.score, 5)) for x in alone.ranked]


# The learned category affinity (default_model.json ``category_fit``, fitted by
# ``train --categories``): one hardship grant for students listed under basic living, the
# same grant listed under care, for a student whose family cannot pay the fees (a need filed
# under education: neither listing is its own category).
GRANT = make_offer(id="LIV", title="困难家庭学生救助金", categories=["basic_living"],
                   provider_type="ngo", provider_name="爱心助学会",
                   description="为低保家庭在读学生发放一次性救助金2000元。",
                   amount_per_beneficiary=2000, mode="cash")
CARE = dataclasses.replace(GRANT, id="CARE", categories=["care"])
FEES = make_need(id="FEES", title="学生学费困难", category="education", groups=["dibao"],
                 beneficiary_age=16, urgency=1, amount_needed=2000,
                 description="孩子读高一，家里低保，交不起学费和住宿费。")


def test_the_category_the_model_learned_decides_alone_and_in_a_batch():
    index = OfferIndex([CARE, GRANT])
    # listed under basic living first: the packaged table lowers care's programmes more for
    # an education need, as the hand-set affinity does
    [packaged] = rank([FEES], index, as_of=AS_OF, top=2)
    assert [x.offer_id for x in packaged.ranked] == ["LIV", "CARE"]
    model = MatchScorer.default()
    model.category_fit_ = {"education": {"basic_living": -2.0}}
    [alone] = rank([FEES], index, as_of=AS_OF, top=2, scorer=model)
    batch = rank([NO_COOKING, FEES], index, as_of=AS_OF, top=2, scorer=model)
    assert [x.offer_id for x in alone.ranked] == ["CARE", "LIV"]
    assert [(x.offer_id, x.score, x.reasons) for x in batch[1].ranked] == \
        [(x.offer_id, x.score, x.reasons) for x in alone.ranked]
    # a model without a table: only the hand-set affinity tells them apart
    model.category_fit_ = {}
    [plain] = rank([FEES], index, as_of=AS_OF, top=2, scorer=model)
    assert [x.offer_id for x in plain.ranked] == ["LIV", "CARE"]


# The table nudges, never vetoes (MatchScorer.CATEGORY_FLOOR): a need filed under basic living
# whose words say the house is unsafe still gets the house-rebuilding grant above food parcels.
REBUILD = make_offer(id="REBUILD", title="农村危房改造补助", categories=["housing"],
                     description="对低保户、分散供养特困人员等重点对象的C级、D级危房给予改造补助。",
                     amount_per_beneficiary=20000, mode="cash")
PARCELS = make_offer(id="PARCELS", title="困难家庭生活物资发放", categories=["basic_living"],
                     description="为低保家庭发放米面油等生活物资。", mode="in_kind",
                     amount_per_beneficiary=None)
UNSAFE = make_need(id="UNSAFE", title="房子成了危房", category="basic_living", groups=["dibao"],
                   beneficiary_age=55, urgency=2, amount_needed=None,
                   description="老房子漏雨，墙体开裂，村里说是危房，一家三口不敢住，想申请改造。")


def test_a_need_filed_under_another_category_still_gets_the_programme_its_words_ask_for():
    order, _ = ranked(UNSAFE, [PARCELS, REBUILD])
    assert order == ["REBUILD", "PARCELS"]


def test_a_category_the_model_learned_to_lower_is_not_called_related():
    # the hand-set affinity calls basic living related to care (0.4); the packaged table
    # lowers basic living's programmes for care needs (by 1.5), and the match page does not
    # say the opposite
    related = "相关类别: 基本生活可助照料关爱"
    _, reasons = ranked(NO_COOKING, [GRANT])
    assert related not in reasons["LIV"]
    model = MatchScorer.default()
    model.category_fit_ = {}
    [plain] = rank([NO_COOKING], OfferIndex([GRANT]), as_of=AS_OF, top=2, scorer=model)
    assert related in plain.ranked[0].reasons
