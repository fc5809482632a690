"""A programme for one kind of disability (盲人按摩培训, 助听器验配) is for people of that kind
(feature ``kind``, status.py): the group code ``disabled`` lets every disabled person through
the hard rules, so a need that names another kind is warned and ranks the programme lower. The
same for a fund for one kind of accident (feature ``accident``) and for an insurance, which pays
for what it insures: a damaged house, an illness and its bills (feature ``insured``); and a
programme whose title says the one trouble it answers (disaster relief, a channel for unpaid
wages) is for that trouble (feature ``answers``)."""

from __future__ import annotations

from matching import allocate
from matching.reasons import ReasonMaker

from .conftest import AS_OF
from .factories import make_need, make_offer, ranked

WARN = ReasonMaker.KIND

MASSAGE = make_offer(id="MAS", title="盲人保健按摩免费培训", categories=["employment"],
                     eligible_groups=["disabled"],
                     description="为有就业意愿的残疾人提供为期三个月的保健按摩技能培训，"
                                 "结业后推荐到按摩店就业，培训期间补贴生活费。")
TRAINING = make_offer(id="TRN", title="残疾人职业技能培训", categories=["employment"],
                      eligible_groups=["disabled"],
                      description="为就业年龄段的残疾人提供电脑、手工编织、面点等技能培训，"
                                  "推荐就业岗位。")
HEARING = make_offer(id="AID", title="聋哑儿童助听器适配与言语康复", categories=["rehabilitation"],
                     eligible_groups=["disabled"],
                     description="为听力言语残疾儿童免费适配助听器，提供一年言语康复训练。")
DEAF = make_need(id="DEAF", title="听力残疾姑娘想学门手艺", category="employment",
                 groups=["disabled"], beneficiary_age=23, amount_needed=None,
                 description="女儿从小耳朵聋，听力残疾二级，初中毕业后一直在家，想学门手艺"
                             "自己挣钱。")


def test_a_programme_for_another_kind_ranks_below_with_a_warning():
    order, reasons = ranked(DEAF, [MASSAGE, TRAINING])
    assert order == ["TRN", "MAS"]
    assert WARN in reasons["MAS"] and WARN not in reasons["TRN"]


def test_the_programme_is_first_for_a_person_of_its_kind():
    blind = make_need(id="BLIND", title="眼睛看不见的小伙子想学按摩", category="employment",
                      groups=["disabled"], beneficiary_age=24, amount_needed=None,
                      description="儿子先天性青光眼，双目失明，视力残疾一级，在家闲着，"
                                  "想学按摩养活自己。")
    order, reasons = ranked(blind, [TRAINING, MASSAGE])
    assert order[0] == "MAS" and WARN not in reasons["MAS"]


def test_a_need_that_names_no_kind_and_hearing_with_speech_get_no_warning():
    some = make_need(id="SOME", title="残疾人想找工作", category="employment",
                     groups=["disabled"], beneficiary_age=30, amount_needed=None,
                     description="他有残疾证，三十岁了一直没有工作，想学点技术。")
    _, reasons = ranked(some, [MASSAGE])
    assert WARN not in reasons["MAS"]
    child = make_need(id="KID", title="孩子耳朵听不见", category="rehabilitation",
                      groups=["disabled"], beneficiary_age=5, amount_needed=None,
                      description="儿子5岁，医院诊断双耳重度耳聋，说话也说不清，想给他配助听器。")
    order, reasons = ranked(child, [HEARING])
    assert order == ["AID"] and WARN not in reasons["AID"]


def test_a_scarce_place_goes_to_a_person_of_the_programme_s_kind():
    place = make_offer(id="MAS1", title="盲人保健按摩免费培训（限1人）", categories=["employment"],
                       eligible_groups=["disabled"], capacity_remaining=1,
                       description="为有就业意愿的残疾人提供保健按摩技能培训，结业后推荐就业。")
    deaf = make_need(id="DEAF", title="听力残疾姑娘想学门手艺", category="employment",
                     groups=["disabled", "tekun"], beneficiary_age=23, urgency=3,
                     description="女儿从小耳朵聋，听力残疾二级，想学门手艺自己挣钱。")
    blind = make_need(id="BLIND", title="盲人想学按摩", category="employment", urgency=1,
                      groups=["disabled"], beneficiary_age=24,
                      description="儿子双目失明，视力残疾一级，想学按摩养活自己。")
    res = allocate([deaf, blind], [place], as_of=AS_OF)
    assert [(a.need_id, a.offer_id) for a in res.assignments] == [("BLIND", "MAS1")]
    assert res.unassigned["DEAF"] == "残疾类别或等级不符：项目只面向另一类或另一等级的残疾人"


ACCIDENT_WARN = "注意: 项目只面向某类意外事故（如道路交通事故），需求中的意外类别不同"
ROAD_FUND = make_offer(id="ROAD", title="道路交通事故社会救助基金垫付",
                       categories=["emergency", "medical"],
                       description="交通事故受害人抢救费用超过交强险限额、肇事车辆逃逸或未参加"
                                   "交强险的，由救助基金先行垫付抢救费用。")
TEMPORARY = make_offer(id="TMP", title="急难型临时救助", categories=["emergency", "basic_living"],
                       description="因意外事故、突发重病导致基本生活陷入困境的家庭，一次性救助。")
WORK_LAW = make_offer(id="LAW", title="交通事故及工伤法律援助", categories=["legal"],
                      description="为交通事故受害人和工伤职工免费代理索赔诉讼。")


def test_a_fund_for_one_kind_of_accident_ranks_below_for_another_with_a_warning():
    drowned = make_need(id="DRN", title="孩子落水抢救住院", category="emergency",
                        groups=["low_income"], beneficiary_age=12,
                        description="12岁的儿子放学后在河塘滑冰，冰面破裂落水，送医抢救，"
                                    "在ICU住了十天，自付已超过三万元。")
    order, reasons = ranked(drowned, [ROAD_FUND, TEMPORARY])
    assert order == ["TMP", "ROAD"]
    assert ACCIDENT_WARN in reasons["ROAD"] and ACCIDENT_WARN not in reasons["TMP"]
    hit = make_need(id="HIT", title="夜里骑车被撞，司机跑了", category="emergency",
                    groups=["low_income"], beneficiary_age=40,
                    description="丈夫夜里骑电动车被车撞了，肇事司机逃逸，人在ICU抢救。")
    order, reasons = ranked(hit, [TEMPORARY, ROAD_FUND])
    assert order[0] == "ROAD" and ACCIDENT_WARN not in reasons["ROAD"]


def test_a_title_that_names_work_injuries_too_is_for_a_fall_at_work():
    fell = make_need(id="FELL", title="工地摔伤老板不管", category="legal", groups=["low_income"],
                     beneficiary_age=43,
                     description="他在建筑工地扎钢筋，从架子上摔下来腰摔坏了，老板付了点医药费"
                                 "后就不管了，说没签合同。")
    _, reasons = ranked(fell, [WORK_LAW])
    assert ACCIDENT_WARN not in reasons["LAW"]


HOUSE_WARN = "注意: 农房保险只赔付因自然灾害或火灾受损的房屋，需求中没有房屋受灾"
HOUSE_POLICY = make_offer(id="FARM", title="政策性农村住房保险",
                          categories=["insurance", "housing"],
                          description="县财政为农户统一投保，因台风、暴雨、雪灾、火灾造成房屋倒塌或"
                                      "损坏的，按损失赔付，每户最高3万元。")
HEALTH_POLICY = make_offer(id="HLTH", title="城乡居民大病保险", categories=["insurance", "medical"],
                           description="参加城乡居民医保的人员住院自付费用超过起付线的部分，"
                                       "由大病保险再报销。")


def test_house_insurance_is_for_a_damaged_house_only():
    patient = make_need(id="CAN", title="乳腺癌手术后想报销", category="insurance",
                        groups=["low_income"], beneficiary_age=45, amount_needed=None,
                        description="年前查出乳腺癌，已经开了刀，还要化疗，想问问有什么保险能报销。")
    order, reasons = ranked(patient, [HOUSE_POLICY, HEALTH_POLICY])
    assert order == ["HLTH", "FARM"] and HOUSE_WARN in reasons["FARM"]
    storm = make_need(id="WND", title="大风掀了屋顶", category="housing", groups=["low_income"],
                      beneficiary_age=60, amount_needed=None,
                      description="上个月龙卷风把家里两间平房的屋顶掀了，墙也裂了，住不了人。")
    order, reasons = ranked(storm, [HEALTH_POLICY, HOUSE_POLICY])
    assert order[0] == "FARM" and HOUSE_WARN not in reasons["FARM"]


def test_house_insurance_pays_for_a_disaster_or_a_fire_not_for_an_old_house():
    leaking = make_need(id="OLD", title="老屋漏雨墙裂", category="housing", groups=["dibao"],
                        beneficiary_age=74, amount_needed=None,
                        description="住的是四十多年的老瓦房，房梁朽了，屋顶漏雨，后墙裂了一道缝，"
                                    "想修一修。")
    repair = make_offer(id="FIX", title="困难家庭危房改造", categories=["housing"],
                        eligible_groups=["dibao", "tekun"],
                        description="对低保、特困家庭的C、D级危房给予维修加固或翻建补助。")
    order, reasons = ranked(leaking, [HOUSE_POLICY, repair])
    assert order == ["FIX", "FARM"] and HOUSE_WARN in reasons["FARM"]
    burnt = make_need(id="BRN", title="电线起火烧了两间房", category="housing", groups=["dibao"],
                      beneficiary_age=66, amount_needed=None,
                      description="前天夜里厨房电线老化起火，两间平房烧塌了，人没事。")
    _, reasons = ranked(burnt, [HOUSE_POLICY])
    assert HOUSE_WARN not in reasons["FARM"]


def test_disaster_relief_is_for_people_a_disaster_struck():
    warn = "注意: 项目只面向受灾群众（自然灾害、火灾），需求中没有受灾情形"
    relief = make_offer(id="REL", title="受灾群众冬春生活救助",
                        categories=["basic_living", "housing"],
                        description="对因自然灾害造成冬春口粮、衣被、取暖困难的受灾群众给予生活救助。")
    rotten = make_need(id="ROT", title="厨房屋顶塌了一角", category="housing",
                       groups=["low_income"], beneficiary_age=59, amount_needed=None,
                       description="厨房是四十多年的老房子，木梁腐朽，年前屋顶塌下一角，想修厨房。")
    order, reasons = ranked(rotten, [relief, TEMPORARY])
    assert order == ["TMP", "REL"] and warn in reasons["REL"]
    snowed = make_need(id="SNW", title="大雪压塌偏房", category="housing", groups=["low_income"],
                       beneficiary_age=70, amount_needed=None,
                       description="一月底连下几天大雪，偏房屋顶被压塌，棉被粮食都埋在里面。")
    order, reasons = ranked(snowed, [TEMPORARY, relief])
    assert order[0] == "REL" and warn not in reasons["REL"]


WAGE_WARN = "注意: 项目只受理拖欠工资（讨薪）事项，需求中没有欠薪"
WAGES = make_offer(id="WAGE", title="农民工讨薪“绿色通道”", categories=["legal"],
                   description="农民工被拖欠工资的，可到劳动保障监察大队或法律援助工作站投诉，"
                               "快速立案，免费代理劳动仲裁和诉讼。")
LEGAL_AID = make_offer(id="AID", title="法律援助", categories=["legal"],
                       description="经济困难公民在赡养、抚养、婚姻家庭、劳动报酬、人身损害等事项"
                                   "上需要代理的，由法律援助中心指派律师免费代理。")


def test_a_channel_for_unpaid_wages_answers_only_that():
    elder = make_need(id="OLD", title="儿子不给生活费", category="legal", groups=[],
                      beneficiary_age=78, amount_needed=None,
                      description="老人独居，三个子女互相推诿，谁也不出赡养费，村里调解过几次没用，"
                                  "想请人帮着打官司。")
    order, reasons = ranked(elder, [WAGES, LEGAL_AID])
    assert order == ["AID", "WAGE"] and WAGE_WARN in reasons["WAGE"]
    unpaid = make_need(id="PAY", title="一年工钱拿不到", category="legal", groups=[],
                       beneficiary_age=45, amount_needed=None,
                       description="跟着包工头在工地扎钢筋干了十个月，年底包工头人不见了，被欠两万三。")
    order, reasons = ranked(unpaid, [LEGAL_AID, WAGES])
    assert order[0] == "WAGE" and WAGE_WARN not in reasons["WAGE"]
    # an employer who will not own a work injury is a case for the same lawyers
    finger = make_need(id="FIN", title="工伤断指老板不认", category="legal", groups=[],
                       beneficiary_age=42, amount_needed=None,
                       description="在五金厂冲床上压断两根手指，老板说没签合同不算工伤，不肯赔。")
    _, reasons = ranked(finger, [WAGES])
    assert WAGE_WARN not in reasons["WAGE"]


def test_a_legal_aid_title_that_names_other_matters_besides_wages_answers_any():
    broad = make_offer(id="BRD", title="法律援助（讨薪、工伤、婚姻家庭、赡养）",
                       categories=["legal"], description="经济困难公民可申请免费律师代理。")
    elder = make_need(id="OLD", title="子女不赡养", category="legal", groups=[],
                      beneficiary_age=80, amount_needed=None,
                      description="两个儿子都不给赡养费，老人想起诉。")
    _, reasons = ranked(elder, [broad])
    assert WAGE_WARN not in reasons["BRD"]


def test_medical_insurance_is_for_an_illness_and_its_bills():
    warn = "注意: 医疗保险只报销疾病医疗费用，需求中没有疾病或医疗费用"
    loan = make_offer(id="LOAN", title="扶贫小额信贷", categories=["employment", "basic_living"],
                      eligible_groups=["jiandang"],
                      description="建档立卡户发展种植养殖，可申请5万元以下、3年以内免抵押免担保"
                                  "贷款，财政贴息。")
    pigs = make_need(id="PIG", title="养的猪病死了", category="insurance", groups=["jiandang"],
                     beneficiary_age=47, amount_needed=None,
                     description="借钱养了50头育肥猪，1月份发病死了一大半，现在欠着饲料钱，"
                                 "问保险能不能赔。")
    order, reasons = ranked(pigs, [HEALTH_POLICY, loan])
    assert order == ["LOAN", "HLTH"] and warn in reasons["HLTH"]
    patient = make_need(id="ILL", title="住院费用报销", category="insurance", groups=["dibao"],
                        beneficiary_age=60, amount_needed=None,
                        description="老伴中风住院一个月，自付两万多，问还有什么能再报一点。")
    _, reasons = ranked(patient, [HEALTH_POLICY])
    assert warn not in reasons["HLTH"]


def test_care_insurance_is_for_someone_who_cannot_look_after_themselves():
    warn = "注意: 长期护理保险只面向失能人员的照护，需求中没有失能或长期照护需要"
    care = make_offer(id="LTC", title="基本照护保险（失能人员照护）",
                      categories=["insurance", "care"],
                      description="经评估为重度失能的参保人员，由定点机构提供上门护理或机构照护，"
                                  "按日支付照护费用。")
    buyer = make_need(id="BUY", title="想给母亲买意外险", category="insurance", groups=[],
                      beneficiary_age=91, amount_needed=None,
                      description="母亲91岁一个人住，去年摔过两次，想给她买份意外险，保险公司说超龄。")
    _, reasons = ranked(buyer, [care])
    assert warn in reasons["LTC"]
    bedridden = make_need(id="BED", title="中风后卧床需要护理", category="care", groups=[],
                          beneficiary_age=80, amount_needed=None,
                          description="父亲中风后长期卧床，吃饭翻身都要人帮，想申请上门护理。")
    _, reasons = ranked(bedridden, [care])
    assert warn not in reasons["LTC"]


def test_agricultural_insurance_is_for_crops_and_livestock():
    warn = "注意: 农业保险只赔付农作物和养殖损失，需求中没有种养殖损失"
    farm = make_offer(id="AGR", title="政策性农业保险（种植、养殖）", categories=["insurance"],
                      description="种植水稻、小麦及养殖生猪、家禽的农户自愿投保，遭受自然灾害或"
                                  "疫病损失的按合同赔付。")
    fall = make_need(id="FAL", title="修屋顶摔伤问保险", category="insurance", groups=["dibao"],
                     beneficiary_age=57, amount_needed=None,
                     description="二月在家修屋顶时摔下来，腰椎骨折，住院花了两万，问有没有保险能赔。")
    _, reasons = ranked(fall, [farm])
    assert warn in reasons["AGR"]
    pigs = make_need(id="PIG", title="猪病死了", category="insurance", groups=["jiandang"],
                     beneficiary_age=47, amount_needed=None,
                     description="去年养了50头育肥猪，一月份发病死了一大半，问保险能不能赔。")
    _, reasons = ranked(pigs, [farm])
    assert warn not in reasons["AGR"]


def test_a_house_insurance_named_by_the_disasters_it_pays_for_is_house_insurance():
    disaster = make_offer(id="RUR", title="农村住房自然灾害政府统保理赔",
                          categories=["insurance", "housing"],
                          description="政府为农户统一投保，房屋因台风、暴雨、雪灾倒塌或损坏的按损失赔付。")
    farmer = make_need(id="FRM", title="农民想买份大病保险", category="insurance",
                       groups=["low_income"], beneficiary_age=55, amount_needed=None,
                       description="身体健康，看到邻居得癌症花光积蓄，担心以后生大病拖累家里，想买份保险。")
    _, reasons = ranked(farmer, [disaster])
    assert HOUSE_WARN in reasons["RUR"]
