"""Kinds found by reading where data/match-fresham and -freshan (new needs against the dev
offers) fell; every sentence here is invented for the test, none is taken from a set.

- The illness of someone outside the household (隔壁大姐查出胃癌, 看到邻居得癌症) is not the
  need's (others.py): no disease concept, nothing "already happened".
- A need that asks for cover against what may come (万一得了大病, 怕自己也得, 想查一查, 怕查出来,
  免费检查), or whose person says she is well (身体尚好), wants the insurance or the screening
  it names: no preventive warning, even when a relative's illness frightened it. A patient who
  asks for an insurance is still warned.
- Fear of falling ill (怕我也倒下) is what a health insurance asks for: no warning that the need
  names no illness.
- The disability allowances as families name them (残联每月的钱, 残疾补贴), and already drawn
  when the text says so after them (…已经在领, 已经按时领了).
- A claim that is settled (肇事方已赔偿, 工伤已赔完, 赔偿早就花完了) is no compensation dispute
  (settled.py); one still open (赔偿款至今未到位, 对方拒绝) is.
- A fall that happened (老伴摔过一回, 摔了一跤) has happened: an accident insurance bought from
  now on does not pay for it; the fear of the next fall (再摔, 怕摔) asks for it. So has a
  disaster or a fire (压塌, 受灾, 失火): a policy to buy now is warned; a claim on the policy the
  government holds (理赔) is not.
"""

from __future__ import annotations

from matching import OfferIndex

from .factories import make_need, make_offer, ranked

PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"

_SCREEN = {"id": "SCR", "title": "城乡居民癌症早诊早治免费筛查", "categories": ["medical"],
           "mode": "service", "amount_per_beneficiary": None,
           "description": "为40至69周岁居民免费提供胃镜、肠镜等癌症筛查，查出早期病变的转诊治疗。"}
_POLICY = {"id": "CII", "title": "困难家庭重大疾病保险公益投保", "categories": ["insurance"],
           "mode": "cash", "amount_per_beneficiary": 50000,
           "description": "为困难家庭成员免费投保重大疾病保险，保障恶性肿瘤等25种重大疾病，"
                          "投保前已患疾病不在保障范围。"}
# an accident insurance to buy (a subsidy of the premium): bought now, it pays from tomorrow
_ACCIDENT_POLICY = {"id": "ACC", "title": "老年人意外伤害保险投保补贴", "categories": ["insurance"],
                    "mode": "cash", "amount_per_beneficiary": 5000,
                    "description": "60至85周岁困难老人自愿投保意外伤害保险的，政府补贴一半保费，"
                                   "保障跌倒摔伤、骨折等意外医疗，自投保次日起生效。"}
_AID = {"id": "AID", "title": "重特大疾病医疗救助", "categories": ["medical"],
        "description": "对患恶性肿瘤、尿毒症等重特大疾病的困难群众，住院自付费用按比例救助。"}


def _concepts_and_flags(text):
    ix = OfferIndex([make_offer()])
    side = ix.need_side([make_need(title="想买保险", description=text, category="insurance")])
    got = {ix.lexicon.ids[i] for i in side.concepts[0].nonzero()[0]}
    return got, bool(side.flags[0, ix.flag("_existing")])


def test_a_neighbour_s_illness_is_not_the_need_s():
    got, existing = _concepts_and_flags(
        "我今年46，种地。上个月隔壁大姐查出胃癌，花了好几万，我想买份便宜的保险。")
    assert "gastric_cancer" not in got and "serious_illness" not in got
    assert not existing
    own, existing = _concepts_and_flags(
        "邻居帮忙把他送到医院，查出胃癌，要开刀。")
    assert "gastric_cancer" in own and existing
    # a clause that names the neighbour but no one falling ill keeps the old man's own fall
    fall, existing = _concepts_and_flags("老人夜里摔倒，天亮被邻居发现，右腿骨折。")
    assert "fracture" in fall and existing
    # the family upstairs, and a neighbour told of with more words before the illness
    for told in ("我们楼上那家男的才四十岁得了尿毒症，一家子都垮了，我想给老公买份保险。",
                 "隔壁的大姐才四十出头就查出了尿毒症，我想给老公买份保险。"):
        got, existing = _concepts_and_flags(told)
        assert "esrd" not in got and not existing, told
    # a neighbour's fall is no fall of the household's: the cover asked for is not warned
    _, existing = _concepts_and_flags("隔壁的老太太前阵子摔了一跤，髋骨断了，我想给我爸弄个保险。")
    assert not existing


def test_a_healthy_farmer_frightened_by_a_neighbour_gets_the_insurance_first():
    farmer = make_need(title="想买份大病保险", category="insurance", groups=["low_income"],
                       beneficiary_age=48, amount_needed=None, urgency=1,
                       description="村民，48岁，身体还行。看到邻居得了肺癌花光积蓄，想给自己买份"
                                   "便宜的保险。")
    order, reasons = ranked(farmer, [make_offer(**_AID), make_offer(**_POLICY)])
    assert order[0] == "CII"
    assert PREVENTIVE not in reasons["CII"]


def test_a_need_asking_for_cover_against_what_may_come_is_not_warned():
    daughter = make_need(title="母亲得过癌，想做检查", category="medical", groups=["low_income"],
                         beneficiary_age=44, amount_needed=None, urgency=1,
                         description="母亲前年查出食道癌，她自己最近吃饭老是噎，想做个检查，"
                                     "万一得了大病家里就垮了。")
    order, reasons = ranked(daughter, [make_offer(**_SCREEN), make_offer(**_POLICY)])
    assert PREVENTIVE not in reasons["SCR"] and PREVENTIVE not in reasons["CII"]


def test_a_need_afraid_of_what_a_check_may_find_asks_for_the_screening():
    # a sister who died of it frightened her; the check she asks for is said as people say it
    # (怕查出来, 免费检查, 不要钱查): the screening first, not warned as preventive
    for ask in ("怕查出来跟她一样，问有没有不要钱查的", "建议协调免费检查"):
        sister = make_need(title="想查身体", category="medical", groups=["dibao"],
                           beneficiary_age=58, amount_needed=None, urgency=1,
                           description=f"上腹痛半年、消瘦，胞姐死于胃癌，家贫不敢做胃镜，{ask}。")
        order, reasons = ranked(sister, [make_offer(**_AID), make_offer(**_SCREEN)])
        assert order[0] == "SCR", ask
        assert PREVENTIVE not in reasons["SCR"], ask


def test_a_healthy_widow_asking_for_cover_gets_the_insurance_unwarned():
    # her husband's cancer is the past; she says she is well (身体尚好, 身体好好的)
    for well in ("她身体尚好", "她身体好好的"):
        widow = make_need(title="丧偶母亲担心自己病倒", category="insurance", groups=["dibao"],
                          beneficiary_age=36, amount_needed=None, urgency=1,
                          description=f"2016年丈夫因肝癌去世，她一人在水产厂做工。{well}，"
                                      "但常说要是病倒了孩子就没人管了。建议为其增加一份风险保障。")
        order, reasons = ranked(widow, [make_offer(**_AID), make_offer(**_POLICY)])
        assert order[0] == "CII", well
        assert PREVENTIVE not in reasons["CII"], well


def test_a_patient_asking_for_an_insurance_is_still_warned():
    patient = make_need(title="肺癌病人问保险", category="insurance", groups=["dibao"],
                        beneficiary_age=45, amount_needed=None, urgency=2,
                        description="去年确诊肺癌，正在化疗，想问有没有保险能赔一点。")
    _, reasons = ranked(patient, [make_offer(**_POLICY)])
    assert PREVENTIVE in reasons["CII"]


def test_a_fall_that_happened_is_no_reason_to_buy_an_accident_insurance_first():
    insurance = make_offer(**_ACCIDENT_POLICY)
    toilet = make_offer(id="WC", title="困难户农房改厕改厨", categories=["housing"],
                        mode="in_kind", amount_per_beneficiary=3000,
                        description="为农村低保、特困家庭改水冲厕所、改柴灶为节能灶，每户补助3000元。")
    need = make_need(title="老人家里还是旱厕", category="housing", groups=["dibao"],
                     beneficiary_age=70, amount_needed=None, urgency=1,
                     description="房子还结实，厕所是屋后的露天旱厕，冬天夜里老伴摔过一回，"
                                 "做饭还烧柴火灶。想改个抽水马桶。")
    order, reasons = ranked(need, [insurance, toilet])
    assert order == ["WC", "ACC"]
    assert PREVENTIVE in reasons["ACC"]


def test_a_fall_that_frightens_wants_the_accident_insurance_unwarned():
    # the fall last year happened; the fear of the next one (再摔, 怕摔) is what the cover is for
    insurance = make_offer(**_ACCIDENT_POLICY)
    for fear in ("就怕再摔了没人管，想买一份摔伤能报的保险。",
                 "夜里起夜怕摔，问有没有老人摔了能报的便宜保险。"):
        need = make_need(title="老人摔过跤想买保险", category="insurance", groups=["low_income"],
                         beneficiary_age=72, amount_needed=None, urgency=1,
                         description="老人72岁独居，去年冬天在院子里滑倒，手腕骨折，花了四千多。"
                                     + fear)
        _, reasons = ranked(need, [insurance, make_offer(**_AID)])
        assert PREVENTIVE not in reasons["ACC"], fear


DISEASE = "注意: 专病项目，需求所患疾病不在其列"


def test_a_disease_fund_is_for_its_narrowest_illness_and_those_its_title_names():
    leukaemia = make_offer(id="LEU", title="白血病患者博爱救助", categories=["medical"],
                           description="白血病患者（含儿童和成人）在化疗或造血干细胞移植期间，"
                                       "家庭经济困难的，一次性救助5000元至2万元。")
    screening = make_offer(**_SCREEN)
    two = make_offer(id="TWO", title="贫困母亲“两癌”救助", categories=["medical"],
                     description="对患病的贫困妇女一次性救助1万元。")
    breast = make_need(title="乳腺癌化疗中", category="medical", beneficiary_age=52,
                       description="去年查出乳腺癌，做了手术，现在每三周化疗一次，自付太多。")
    _, reasons = ranked(breast, [leukaemia, two])
    # 化疗 lights 癌症肿瘤 on the leukaemia fund's text, but it is for leukaemia
    assert DISEASE in reasons["LEU"] and DISEASE not in reasons["TWO"]
    lung = make_need(title="肺癌化疗", category="medical", beneficiary_age=60,
                     description="去年确诊肺癌，正在化疗，医保报完自己还要掏三万。")
    _, reasons = ranked(lung, [two])
    assert DISEASE in reasons["TWO"]                  # 两癌 are breast and cervical cancer
    # a screening whose title says 癌症 is for every cancer its text does not list
    worried = make_need(title="胃不舒服想查癌", category="medical", beneficiary_age=50,
                        groups=["low_income"], amount_needed=None, urgency=1,
                        description="最近老是胃胀，吃一点就饱，人也瘦了，听说有免费查癌症的。")
    _, reasons = ranked(worried, [screening])
    assert DISEASE not in reasons["SCR"]


def test_people_in_the_village_falling_ill_frighten_a_healthy_woman_into_asking_for_cover():
    policy = make_offer(**_POLICY)
    need = make_need(title="担心自己生病想上份保障", category="insurance", groups=["low_income"],
                     beneficiary_age=38, amount_needed=None, urgency=1,
                     description="我身体一向没什么病，可看到村里好几个人得了肝癌一下子就垮了，"
                                 "心里很怕我也倒下，想问问有没有便宜点的保障。")
    order, reasons = ranked(need, [make_offer(**_AID), policy])
    assert order[0] == "CII"
    assert not [r for r in reasons["CII"] if r.startswith("注意")]


def test_the_allowances_the_family_already_draws_from_the_disability_federation_rank_lower():
    allowance = make_offer(id="SUB", title="困难残疾人生活补贴和重度残疾人护理补贴",
                           categories=["care", "basic_living"], mode="cash",
                           amount_per_beneficiary=None,
                           description="对低保家庭中的残疾人发放生活补贴，对一级、二级重度残疾人发放"
                                       "护理补贴，按月发放。")
    aids = make_offer(id="AID", title="残疾人辅助器具适配", categories=["rehabilitation"],
                      mode="in_kind", amount_per_beneficiary=None,
                      description="为持证残疾人免费适配轮椅、助行器、坐便椅等辅助器具。")
    need = make_need(title="中风后缺轮椅", category="rehabilitation", beneficiary_age=66,
                     amount_needed=None, urgency=1,
                     description="前年中风后左边身子不听使唤，办了肢体二级残疾证，残联每月的钱已经"
                                 "在领。老伴推我出门很吃力，想要一台轮椅。")
    order, reasons = ranked(need, [allowance, aids])
    assert order == ["AID", "SUB"]
    assert any(r.startswith("需求已享受") for r in reasons["SUB"])


def test_a_settled_claim_is_no_compensation_dispute():
    law = make_offer(id="LAW", title="法律援助", categories=["legal"], mode="service",
                     amount_per_beneficiary=None,
                     description="为经济困难公民提供交通事故、工伤等人身损害赔偿的法律咨询和代理。")
    talk = make_offer(id="PSY", title="心理援助热线", categories=["psychological"],
                      mode="service", amount_per_beneficiary=None,
                      description="为遭遇变故、情绪低落的居民提供免费心理咨询和面询。")
    settled = make_need(title="独子车祸去世老两口走不出来", category="psychological",
                        groups=["low_income"], beneficiary_age=60, amount_needed=None, urgency=1,
                        description="独子去年夏天车祸去世，赔偿已经结清。老两口几乎不出门，"
                                    "妻子整天哭，丈夫睡不着。")
    order, reasons = ranked(settled, [law, talk])
    assert order == ["PSY", "LAW"]
    assert not any("赔偿纠纷" in r for r in reasons["LAW"])      # the reason no longer says so
    from matching import OfferIndex
    ix = OfferIndex([law])
    col = ix.lexicon.ids.index("compensation")
    open_ = make_need(title="车祸赔偿没到位", category="legal",
                      description="丈夫去年车祸去世，肇事方已赔偿一部分，剩下的至今未到位。")
    assert ix.need_side([open_]).concepts[0, col] > 0
    assert ix.need_side([settled]).concepts[0, col] == 0


def test_a_disaster_that_happened_is_no_reason_to_buy_a_policy():
    buy = make_offer(**_ACCIDENT_POLICY)
    claim = make_offer(id="CLM", title="自然灾害民生综合保险理赔", categories=["insurance"],
                       mode="cash", amount_per_beneficiary=20000,
                       description="市政府统一投保，居民因自然灾害造成房屋倒塌、人身伤亡的，"
                                   "报案理赔。")
    need = make_need(title="大雪压塌厨房", category="insurance", groups=["low_income"],
                     beneficiary_age=70, amount_needed=None, urgency=2,
                     description="1月底的大雪把厨房和猪圈的屋顶压塌了，老两口暂住亲戚家，"
                                 "问受灾了有没有保险能赔。")
    order, reasons = ranked(need, [buy, claim])
    assert order == ["CLM", "ACC"]
    assert PREVENTIVE in reasons["ACC"] and PREVENTIVE not in reasons["CLM"]
