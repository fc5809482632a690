from collections import Counter

from hypothesis import HealthCheck, given, settings

from matching import allocate
from matching.allocate import allocate_first_come

from .conftest import AS_OF
from .factories import make_need, make_offer, worlds


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(worlds(max_needs=10, max_offers=8))
def test_capacity_never_exceeded_and_one_per_category(world):
    needs, offers = world
    res = allocate(needs, offers, as_of=AS_OF)
    by_id = {o.id: o for o in offers}
    used = Counter(a.offer_id for a in res.assignments)
    for oid, n in used.items():
        cap = by_id[oid].capacity_remaining
        assert cap is None or n <= cap
    per_cat = Counter((a.need_id, by_id[a.offer_id].categories[0]) for a in res.assignments)
    assert max(per_cat.values(), default=0) <= 1
    assert all(v >= 0 for v in res.remaining.values())
    greedy = allocate_first_come(needs, offers, as_of=AS_OF)
    assert res.objective >= greedy.objective - 1e-6


def test_scarce_place_goes_to_the_emergency_and_left_out_are_reported():
    offer = make_offer(capacity_remaining=1)
    calm = make_need(id="calm", urgency=1, groups=["low_income"], created_at="2018-01-01")
    urgent = make_need(id="urgent", urgency=3, groups=["tekun"], created_at="2018-02-01")
    res = allocate([calm, urgent], [offer], as_of=AS_OF)
    assert [a.need_id for a in res.assignments] == ["urgent"]
    assert "calm" in res.unassigned and res.remaining["O1"] == 0
    first = allocate_first_come([calm, urgent], [offer], as_of=AS_OF)
    assert [a.need_id for a in first.assignments] == ["calm"]


def test_a_subset_index_with_the_encoder_of_the_whole_scores_pairs_as_the_whole_does():
    """Allocation ranks against a few offers taken out of the city's index: sharing the
    fitted encoder (vocabulary, idf) keeps each pair's score and reasons as the whole index
    gives them; refitting on three offers would zero the idf of every shared n-gram."""
    from pathlib import Path

    from matching import OfferIndex, rank
    from matching.io import read_needs, read_offers

    dev = Path(__file__).resolve().parents[2] / "data" / "match-dev"
    offers, needs = read_offers(str(dev / "offers.jsonl")), read_needs(str(dev / "needs.jsonl"))
    whole = OfferIndex(offers)
    full = rank(needs[:200], whole, as_of=AS_OF, top=len(offers))
    picked = {x.offer_id for r in full for x in r.ranked[:1]}
    some = [o for o in offers if o.id in sorted(picked)[:3]]
    part = OfferIndex(some, encoder=whole.encoder, affinity=whole.affinity)
    assert part.encoder is whole.encoder
    compared = 0
    for big, small in zip(full, rank(needs[:200], part, as_of=AS_OF, top=3), strict=True):
        ours = {x.offer_id: (round(x.score, 5), x.reasons) for x in small.ranked}
        theirs = {x.offer_id: (round(x.score, 5), x.reasons) for x in big.ranked
                  if x.offer_id in ours}
        assert ours == theirs
        compared += len(ours)
    assert compared > 0


def test_a_disease_fund_s_scarce_place_goes_to_a_patient_of_its_disease():
    fund = make_offer(id="TX", title="肾移植术后抗排异用药援助（限1人）", categories=["medical"],
                      description="为肾移植术后须长期服用抗排异药物的困难患者补助自付药费。",
                      capacity_remaining=1)
    cancer = make_need(id="CA", title="宫颈癌放疗费用", category="medical", urgency=3,
                       groups=["tekun"], description="户主妻子查出宫颈癌，正在放疗，自付费用高。")
    kidney = make_need(id="KD", title="肾移植后抗排异药费", category="medical", urgency=1,
                       description="儿子肾移植术后每月抗排异药一千多，医保报销后仍负担重。")
    for run in (allocate, allocate_first_come):
        res = run([cancer, kidney], [fund], as_of=AS_OF)
        assert [(a.need_id, a.offer_id) for a in res.assignments] == [("KD", "TX")]
        assert res.unassigned["CA"] != ""
    assert allocate([cancer, kidney], [fund], as_of=AS_OF).unassigned["CA"].startswith("专病项目")


def test_a_girls_only_programme_s_scarce_place_goes_to_a_girl():
    grant = make_offer(id="GIRL", title="“春蕾”女童助学（限1人）", categories=["education"],
                       description="资助家庭困难的在校女童完成学业，每人每学年1500元。",
                       capacity_remaining=1)
    boy = make_need(id="BOY", title="初二学生学费困难", category="education", urgency=3,
                    groups=["tekun"], beneficiary_age=14,
                    description="学生刘某，男，14岁，读初二，父母双亡，学费困难。")
    girl = make_need(id="GRL", title="初二学生学费困难", category="education", urgency=1,
                     beneficiary_age=13,
                     description="学生陈某，女，13岁，读初二，父亲残疾，学费困难。")
    for run in (allocate, allocate_first_come):
        res = run([boy, girl], [grant], as_of=AS_OF)
        assert [(a.need_id, a.offer_id) for a in res.assignments] == [("GRL", "GIRL")]
    why = allocate([boy, girl], [grant], as_of=AS_OF).unassigned["BOY"]
    assert why == "限女性项目：需求对象为男性"


def test_a_men_only_programme_s_scarce_place_goes_to_a_man():
    group = make_offer(id="DAD", title="单亲父亲互助小组（限1户）", categories=["psychological"],
                       description="为低收入单亲父亲提供个案辅导和互助小组，本期只收父亲。",
                       capacity_remaining=1, provider_type="ngo", provider_name="社工服务社")
    mother = make_need(id="MUM", title="离婚后带孩子压力大", category="psychological", urgency=3,
                       groups=["low_income"], beneficiary_age=36, amount_needed=None,
                       description="王某，女，36岁，离婚后一个人带儿子，常常失眠。")
    father = make_need(id="PA", title="离婚后带孩子压力大", category="psychological", urgency=1,
                       groups=["low_income"], beneficiary_age=40, amount_needed=None,
                       description="邱某，男，40岁，离婚后一个人带儿子，常常发脾气。")
    for run in (allocate, allocate_first_come):
        res = run([mother, father], [group], as_of=AS_OF)
        assert [(a.need_id, a.offer_id) for a in res.assignments] == [("PA", "DAD")]
    assert allocate([mother, father], [group], as_of=AS_OF).unassigned["MUM"] \
        == "限男性项目：需求对象为女性"


def test_a_status_programme_s_scarce_place_goes_to_a_person_who_holds_the_status():
    post = make_offer(id="VETJOB", title="困难退役军人就业帮扶（限1人）", categories=["employment"],
                      description="为生活困难的退役军人推荐就业岗位，发放一次性求职补贴。",
                      capacity_remaining=1)
    mother = make_need(id="MUM", title="失业单亲妈妈找工作", category="employment", urgency=3,
                       groups=["tekun"], beneficiary_age=38,
                       description="厂里裁员后失业半年，一个人带孩子，想找份稳定的工作。")
    soldier = make_need(id="VET", title="退伍后失业找工作", category="employment", urgency=1,
                        beneficiary_age=45,
                        description="他是退役军人，在部队服役八年，退伍后在厂里上班，厂子关了后失业。")
    for run in (allocate, allocate_first_come):
        res = run([mother, soldier], [post], as_of=AS_OF)
        assert [(a.need_id, a.offer_id) for a in res.assignments] == [("VET", "VETJOB")]
    why = allocate([mother, soldier], [post], as_of=AS_OF).unassigned["MUM"]
    assert why == "身份不符：项目面向特定身份人群，需求中未见该身份"


def test_a_stage_s_student_aid_place_goes_to_a_student_of_that_stage():
    grant = make_offer(id="HS", title="普通高中家庭困难学生助学金（限1人）",
                       categories=["education"],
                       description="资助在读普通高中的家庭经济困难学生，每人每学年2000元。",
                       capacity_remaining=1)
    college = make_need(id="UNI", title="大学生学费困难", category="education", urgency=3,
                        groups=["tekun"], beneficiary_age=19,
                        description="女儿在南京读大学二年级，学费住宿费一年一万多，家里拿不出。")
    school = make_need(id="SEN", title="高中生学费困难", category="education", urgency=1,
                       beneficiary_age=16,
                       description="儿子在县中读高一，父亲工伤后在家，学费和住宿费交不起。")
    for run in (allocate, allocate_first_come):
        res = run([college, school], [grant], as_of=AS_OF)
        assert [(a.need_id, a.offer_id) for a in res.assignments] == [("SEN", "HS")]
    why = allocate([college, school], [grant], as_of=AS_OF).unassigned["UNI"]
    assert why == "学段不符：项目不面向需求中学生所在学段"
