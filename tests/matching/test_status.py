"""A programme for a status the spec has no group code for (退役军人, 刑满释放人员, 计划生育特殊
家庭, 受暴妇女) is for people who hold it (feature ``status``, status.py): its title says so, the
need names the status in its own words."""

from __future__ import annotations

import datetime as dt

from matching import OfferIndex, rank
from matching.features import FEATURES
from matching.scorer import MatchScorer
from matching.status import STATUSES

from .factories import make_need, make_offer, ranked

WARN = ("注意: 项目面向特定身份人群（如退役军人、刑满释放人员、计生特殊家庭、受暴妇女、"
        "外卖快递骑手、单亲家庭、在职职工、工会会员、司法案件当事人），需求未提及该身份")

RELEASED = make_offer(id="REL", title="刑满释放人员安置帮教与过渡性安置",
                      categories=["employment", "basic_living"],
                      description="为刑满释放人员提供过渡性安置、技能培训和就业岗位推荐，"
                                  "解决基本生活困难。")
JOBS = make_offer(id="JOB", title="就业困难人员公益性岗位安置", categories=["employment"],
                  description="为失业的就业困难人员开发保洁、绿化等公益性岗位。")
VETERAN = make_offer(id="VET", title="困难退役军人帮扶援助", categories=["basic_living"],
                     description="对生活困难的退役军人给予生活、医疗、住房帮扶。")
LIVING = make_offer(id="LIV", title="城乡最低生活保障", categories=["basic_living"],
                    description="家庭人均收入低于当地低保标准的，按差额发放低保金。")

AS_OF = dt.date(2018, 3, 1)
HOLDS = "身份相符: 项目面向刑满释放人员，需求所述身份在其列"


def _statuses(texts):
    side = OfferIndex([JOBS]).need_side(
        [make_need(title=t, description=t, category="basic_living") for t in texts])
    rows = side.status if side.status is not None else [[False] * len(STATUSES)] * len(texts)
    return [{STATUSES[j] for j in range(len(STATUSES)) if row[j]} for row in rows]


def test_a_need_names_a_status_in_everyday_words():
    got = _statuses(["我爸1979年参加过对越自卫反击战，退伍证还在", "他去年刚出狱，没地方住",
                     "老两口的独生女前年车祸去世了", "她经常被丈夫打，不敢回家", "老人腿脚不便",
                     "女儿身上有淤青，说是继父打的", "官司赢了，法院判了，对方的钱执行不到"])
    # a war veteran is one of the key entitled groups (重点优抚对象) too
    assert got == [{"veteran", "priority_entitled"}, {"released_prisoner"}, {"fp_special"},
                   {"fam_violence"}, set(), {"fam_violence"}, {"litigant"}]


def test_a_programme_for_a_status_the_need_does_not_hold_ranks_below_with_a_warning():
    mother = make_need(title="单亲妈妈失业想找工作", category="employment", beneficiary_age=38,
                       description="离异，带一个10岁儿子，商场关门后失业半年，想找份稳定工作，"
                                   "家里基本生活也困难。")
    order, reasons = ranked(mother, [RELEASED, JOBS])
    assert order == ["JOB", "REL"]
    assert WARN in reasons["REL"] and WARN not in reasons["JOB"]
    grandmother = make_need(title="奶奶带孙子生活困难", category="basic_living",
                            beneficiary_age=67, groups=["low_income"],
                            description="奶奶67岁带9岁孙子，儿子在外打工，收入很少，生活困难。")
    order, reasons = ranked(grandmother, [VETERAN, LIVING])
    assert order == ["LIV", "VET"] and WARN in reasons["VET"]


def _score(need, offer, scorer=None) -> float:
    [r] = rank([need], OfferIndex([offer, JOBS]), as_of=AS_OF, top=2, scorer=scorer)
    return next(x.score for x in r.ranked if x.offer_id == offer.id)


def test_the_programme_ranks_high_for_a_person_who_holds_the_status():
    released = make_need(title="刚出狱没工作", category="employment", beneficiary_age=41,
                         description="2018年1月刑满释放回家，没地方住，找工作处处碰壁，"
                                     "吃饭也有困难。")
    order, reasons = ranked(released, [JOBS, RELEASED])
    # both in the first places, the status programme without a warning; which comes first is
    # the graders' call and they differ (a homeless man's 安置帮教 first, a job seeker's public
    # job first), so holds stays a nudge (default_model.json: at 1.5 it cost 34 needs)
    assert sorted(order) == ["JOB", "REL"] and WARN not in reasons["REL"]
    # the reason says so (feature holds), on the status programme only
    assert HOLDS in reasons["REL"] and HOLDS not in reasons["JOB"]
    # and holding the status lifts the programme: it scores above what a model without the
    # feature gives it
    without = MatchScorer.default()
    without.coef_[FEATURES.index("holds")] = 0.0
    assert _score(released, RELEASED) > _score(released, RELEASED, without)
    veteran = make_need(title="老兵生活困难", category="basic_living", beneficiary_age=68,
                        description="父亲当过兵，参加过对越自卫反击战，现在老伴中风，家里生活困难。")
    _, reasons = ranked(veteran, [VETERAN, LIVING])
    assert WARN not in reasons["VET"]


def test_a_status_listed_among_others_in_a_description_is_no_restriction():
    broad = make_offer(id="BROAD", title="困难群众临时救助",
                       categories=["emergency", "basic_living"],
                       description="对象包括低保对象、特困人员、退役军人、刑满释放人员等遭遇"
                                   "突发困难的群众。")
    need = make_need(title="家里突发困难", category="basic_living", beneficiary_age=50,
                     description="丈夫突发脑出血住院，家里生活一下子没了着落。")
    _, reasons = ranked(need, [broad])
    assert WARN not in reasons["BROAD"]


UNION = make_offer(id="UNI", title="困难职工帮扶救助", categories=["basic_living", "medical"],
                   description="对因本人或家属患病、子女上学、意外灾害造成生活困难的在职工会会员，"
                               "给予生活救助或医疗救助，每次最高3000元，由所在单位工会申报。")
TEMPORARY = make_offer(id="TMP", title="急难型临时救助", categories=["emergency", "basic_living"],
                       description="因意外事故、突发重病导致基本生活陷入困境的家庭，一次性救助。")


def test_a_programme_for_employees_is_for_a_need_that_names_work():
    elder = make_need(title="独居老人跌倒骨折", category="basic_living", beneficiary_age=82,
                      description="82岁独居老人在家跌倒，股骨颈骨折，手术后自付一万多，"
                                  "女儿在外地，生活一下子困难了。")
    order, reasons = ranked(elder, [UNION, TEMPORARY])
    assert order == ["TMP", "UNI"] and WARN in reasons["UNI"]
    worker = make_need(title="工人下班途中被撞", category="basic_living", beneficiary_age=32,
                       description="他是工厂一线工人、工会会员，下班途中被车撞伤住院，"
                                   "已垫付四万元，家里生活困难。")
    _, reasons = ranked(worker, [UNION, TEMPORARY])
    assert WARN not in reasons["UNI"]


def test_odd_jobs_and_parents_working_away_are_no_employment():
    # 打工 and 打零工 say nothing of an employer: a child's parents 在外打工, an old man's odd
    # jobs; 工伤 does
    child = make_need(title="留守男孩放学后没人管", category="care", beneficiary_age=9,
                      description="父母都在外地打工，孩子跟奶奶住，放学后没人管，生活费也紧。")
    elder = make_need(title="孤老想要个救济", category="basic_living", beneficiary_age=72,
                      description="一辈子没成家，以前靠打零工，现在干不动了，生活困难。")
    for need in (child, elder):
        _, reasons = ranked(need, [UNION, TEMPORARY])
        assert WARN in reasons["UNI"]
    hurt = make_need(title="工伤断指老板不认", category="basic_living", beneficiary_age=42,
                     description="在冲床上压断两根手指，老板说没签合同不算工伤，家里生活困难。")
    _, reasons = ranked(hurt, [UNION, TEMPORARY])
    assert WARN not in reasons["UNI"]


def test_a_programme_for_delivery_riders_is_for_a_need_that_names_such_work():
    riders = make_offer(id="GIG", title="新就业形态劳动者困难帮扶", categories=["basic_living"],
                        description="对外卖、快递、网约车等平台从业人员因病、因意外导致生活困难的，"
                                    "给予一次性帮扶。")
    # (a household on 低保's edge: for one on 特困 the 低保 itself is warned, feature held)
    widow = make_need(title="孤寡老人过冬困难", category="basic_living", beneficiary_age=81,
                      groups=["low_income"], description="81岁独居旧平房，冬天取暖和吃饭都凑合。")
    order, reasons = ranked(widow, [riders, LIVING])
    assert order[-1] == "GIG" and WARN in reasons["GIG"]
    rider = make_need(title="送外卖被撞伤", category="basic_living", beneficiary_age=28,
                      description="他在城区跑外卖，上周被车撞伤住院，这个月没收入。")
    _, reasons = ranked(rider, [riders])
    assert WARN not in reasons["GIG"]


def test_a_programme_for_single_parent_families_is_for_a_need_that_names_one():
    single = make_offer(id="SGL", title="单亲困难母亲帮扶金",
                        categories=["basic_living", "psychological"],
                        description="对单亲困难母亲家庭给予一次性帮扶金，并提供心理疏导和子女课业辅导。")
    left = make_need(title="留守儿童沉迷手机", category="psychological", beneficiary_age=12,
                     groups=["left_behind_child"],
                     description="父母在上海打工，跟爷爷奶奶生活，上学期开始沉迷手机，成绩下滑。")
    _, reasons = ranked(left, [single])
    assert WARN in reasons["SGL"]
    mother = make_need(title="离婚带娃的妈妈失业了", category="basic_living", beneficiary_age=31,
                       description="2016年离婚，一个人带7岁女儿，前夫不给抚养费，商场关门后失业。")
    _, reasons = ranked(mother, [single])
    assert WARN not in reasons["SGL"]


def test_judicial_aid_is_for_people_in_a_court_case():
    aid = make_offer(id="SFJ", title="国家司法救助", categories=["legal", "emergency"],
                     description="刑事案件被害人受到犯罪侵害、无法通过诉讼获得赔偿，或民事判决确定"
                                 "的赔偿无法执行而生活困难的，由法院、检察院给予一次性救助。")
    legal_aid = make_offer(id="LAW", title="法律援助", categories=["legal"],
                           description="经济困难公民在赡养、婚姻家庭、借贷等事项上需要代理的，"
                                       "由法律援助中心指派律师免费代理。")
    debt = make_need(title="丈夫赌博欠债跑了，债主上门", category="legal", beneficiary_age=45,
                     description="丈夫借了十几万高利贷后人不见了，债主天天上门逼债，说是夫妻共同"
                                 "债务，她不知道该不该还。")
    order, reasons = ranked(debt, [aid, legal_aid])
    assert order == ["LAW", "SFJ"] and WARN in reasons["SFJ"]
    unpaid = make_need(title="官司赢了钱拿不到", category="legal", beneficiary_age=50,
                       description="工伤赔偿官司去年就判了，老板把厂子转走了，法院说没有财产可执行，"
                                   "一分钱拿不到，家里快揭不开锅。")
    _, reasons = ranked(unpaid, [aid])
    assert WARN not in reasons["SFJ"]


def test_one_need_is_read_as_in_a_batch():
    # the match page reads one need at a time in Python lists (StatusReader._read_one,
    # StageReader._read_one): the same rows as the array version over a batch
    texts = ["他去年刚出狱，在工地打工，没地方住", "单亲妈妈，女儿读高二，被欠工钱",
             "受灾后房子塌了，问农房保险", "老伴中风住院，想问长护险",
             "官司赢了执行不到，孩子读大一", "老人腿脚不便", "盲人，想学按摩"]
    index = OfferIndex([JOBS])
    batch = index.need_side([make_need(title=t, description=t, category="basic_living")
                             for t in texts])
    for i, t in enumerate(texts):
        one = index.need_one(make_need(title=t, description=t, category="basic_living"))
        for got, whole in ((one.status, batch.status), (one.stage, batch.stage)):
            assert (got is None and not whole[i].any()) or (got[0] == whole[i]).all()


def test_every_insured_and_answered_trouble_has_its_warning():
    # the insurances' warnings are read by the row's position: a row without its text would
    # show another's; the answered troubles' are keyed by their title flag
    from matching import status
    from matching.reasons import ReasonMaker
    assert len(ReasonMaker.INSURED) == len(status.INSURED)
    assert set(ReasonMaker.ANSWERS) == {f for f, _ in status.ANSWERS}
