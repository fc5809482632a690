"""A disease fund serves its disease: an offer's illness term lights only itself (the need
side lights the illness's ancestors, so a need's specific illness still meets an offer's
general one), and an offer for other illnesses than the need's ranks below general medical
aid, with a warning reason."""

from __future__ import annotations

import datetime as dt

from matching import OfferIndex, rank

from .factories import make_need, make_offer, ranked

AS_OF = dt.date(2018, 3, 1)
WARN = "注意: 专病项目，需求所患疾病不在其列"

TRANSPLANT = make_offer(id="TX", title="器官移植术后抗排异用药援助", categories=["medical"],
                        description="为肾移植、肝移植术后须长期服用抗排异药物的困难患者，"
                                    "每人每年补助自付药费3000元。")
GENERAL = make_offer(id="GEN", title="困难群众门诊特殊病种医疗救助", categories=["medical"],
                     description="低保、低收入家庭成员患门诊特殊病种的，医保报销后的自付费用"
                                 "按比例给予救助，每人每年最高3000元。")
CANCER = make_offer(id="CA", title="恶性肿瘤患者放化疗慈善援助", categories=["medical"],
                    description="为正在接受放疗、化疗的困难癌症患者补助部分自付治疗费用，"
                                "每人3000元。")



def test_a_fund_for_another_disease_ranks_below_general_medical_aid_with_a_warning():
    need = make_need(title="母亲患卵巢癌做化疗", category="medical",
                     description="母亲今年查出卵巢癌，在市肿瘤医院做化疗，医保报完每月还要自己"
                                 "出两千多，家里是低保户。")
    order, reasons = ranked(need, [TRANSPLANT, GENERAL])
    assert order == ["GEN", "TX"]
    assert WARN in reasons["TX"]
    assert WARN not in reasons["GEN"]


def test_the_fund_for_the_need_s_own_disease_or_the_one_above_it_gives_no_warning():
    transplant_patient = make_need(title="肾移植后吃抗排异药", category="medical",
                                   description="父亲前年做了肾移植，每个月抗排异药要一千多，"
                                               "医保报销后负担还是很重。")
    order, reasons = ranked(transplant_patient, [TRANSPLANT, GENERAL])
    assert order[0] == "TX" and WARN not in reasons["TX"]
    # a named cancer meets a fund for cancers in general (癌症 is above 卵巢癌)
    ovarian = make_need(title="卵巢癌化疗费用", category="medical",
                        description="妻子患卵巢癌，正在化疗，自付部分每月两千多。")
    order, reasons = ranked(ovarian, [CANCER, TRANSPLANT])
    assert order == ["CA", "TX"]
    assert WARN not in reasons["CA"] and WARN in reasons["TX"]


def test_a_need_that_names_no_illness_is_not_warned_off_a_disease_fund():
    need = make_need(title="家里负担重想找点救助", category="medical",
                     description="家里有病人，看病花了不少钱，医保报销后自付部分负担不起。")
    _, reasons = ranked(need, [TRANSPLANT, GENERAL])
    assert not any(WARN in r for r in reasons.values())


def test_one_need_alone_and_in_a_batch_get_the_same_scores_and_warnings():
    index = OfferIndex([TRANSPLANT, GENERAL, CANCER])
    needs = [make_need(id=f"N{k}", title=t, category="medical", description=d)
             for k, (t, d) in enumerate([
                 ("卵巢癌化疗", "母亲患卵巢癌正在化疗，自付费用高。"),
                 ("肾移植术后", "儿子肾移植术后长期吃抗排异药，药费负担重。"),
                 ("高血压吃药", "老伴高血压多年，每月药费三百多。")])]
    batch = rank(needs, index, as_of=AS_OF, top=5)
    for need, got in zip(needs, batch, strict=True):
        [alone] = rank([need], index, as_of=AS_OF, top=5)
        assert [(r.offer_id, r.score, r.reasons) for r in alone.ranked] == \
            [(r.offer_id, r.score, r.reasons) for r in got.ranked]


def test_the_warning_holds_in_an_index_of_the_disease_fund_alone():
    """Allocation ranks the needs of a town against one scarce offer: the need's illness is
    then in no column of the index, and must still count."""
    need = make_need(title="母亲患卵巢癌做化疗", category="medical",
                     description="母亲今年查出卵巢癌，在市肿瘤医院做化疗，自付部分负担重。")
    _, reasons = ranked(need, [TRANSPLANT])
    assert WARN in reasons["TX"]


# --- what is not a disease fund (from reading where data/match-fresha fell) -----------------

TEMPORARY = make_offer(id="TMP", title="临时救助", categories=["emergency", "basic_living"],
                       description="对因火灾、意外伤害、重大疾病等原因导致基本生活暂时出现严重"
                                   "困难的家庭给予临时救助，一般不超过3000元。")
MAJOR = make_offer(id="MAJ", title="重特大疾病医疗救助", categories=["medical"],
                   description="对患恶性肿瘤、尿毒症、白血病等重特大疾病的困难群众，住院自付"
                               "费用按70%救助，年度最高5万元。")


def test_aid_for_living_costs_that_names_illnesses_among_its_causes_gives_no_warning():
    # a fire, an accident, an illness: the causes temporary aid meets, not the people it is for
    need = make_need(title="丈夫脑出血住院", category="emergency",
                     description="丈夫上个月突发脑出血，在县医院住了二十天，钱都花光了，孩子"
                                 "下学期的学费也没着落。")
    _, reasons = ranked(need, [TEMPORARY, TRANSPLANT])
    assert WARN not in reasons["TMP"]
    assert WARN in reasons["TX"]


def test_a_programme_for_a_category_of_illness_is_not_a_fund_for_the_examples_it_lists():
    # "恶性肿瘤、尿毒症、白血病等重特大疾病": the list is open, a heart operation belongs too
    need = make_need(title="孩子先天性心脏病要手术", category="medical",
                     description="儿子12岁，查出室间隔缺损，医生说要尽快做手术，自付部分要三万"
                                 "多，家里拿不出来。")
    order, reasons = ranked(need, [MAJOR, TRANSPLANT])
    assert order == ["MAJ", "TX"]
    assert WARN not in reasons["MAJ"] and WARN in reasons["TX"]


def test_a_rehabilitation_fund_for_one_condition_warns_a_child_with_another():
    autism = make_offer(id="AUT", title="孤独症儿童康复训练补贴", categories=["rehabilitation"],
                        description="为经诊断的孤独症儿童在定点机构接受康复训练的费用给予补贴，"
                                    "每人每年1万元。")
    general = make_offer(id="REH", title="残疾儿童康复救助", categories=["rehabilitation"],
                         description="对0—6岁视力、听力、言语、肢体、智力残疾儿童和孤独症儿童，"
                                     "脑瘫儿童的康复训练给予救助，每人每年1.2万元。")
    palsy = make_need(title="脑瘫孩子做康复", category="rehabilitation",
                      description="女儿5岁，脑瘫，走路不稳，每周去康复中心训练三次，费用太高。")
    order, reasons = ranked(palsy, [autism, general])
    assert order == ["REH", "AUT"]
    assert WARN in reasons["AUT"] and WARN not in reasons["REH"]

