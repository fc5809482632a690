"""Kinds read where the diagnostic sets fell in the twenty-fourth session; every sentence
here is invented for the test, none is taken from a set.

A caseworker's note that says what the family does not need (不需要法律方面再帮, 再培训没必要)
takes that help out of what the need asks for, as help already received does (received.py).

Words that describe a house (墙体, 屋顶, 平房, 翻建) are no danger: a sound house whose family
asks for a flush toilet and a new stove is sent to the toilet-and-kitchen programme, not to
the rebuilding of unsafe houses; a roof crushed by snow (压塌) still is a danger.

A fear told as a condition (要是我倒下, 真有那一天) is a wish for cover, as 万一 is.

Learning to walk again (练习走路, 坚持练, 活动手脚) asks for rehabilitation, and 代步 for an aid.

A wish to be examined (做个全面检查, 查清病因, 别拖成大病, 怕得了…) asks for a check-up.

A family that fears its 低保 stops once someone works (有了工作低保马上就没了) is sent to the taper.

A child whose father died and whose mother is in prison (他妈判了五年，关在里头) has no one to
raise them: 事实无人抚养 (taxonomy kid_unsupported).

Cover told without the word (生了大病能赔钱的保障) is insurance, and 要是再病倒 a fear of
what may come.

A school year at a line's end or before 女生/学生/班 (17岁，高二 / 严某是高二女生) is the pupil's
year.

A case that is over (款项已全部到位，本案已结案; 官司…打完) asks nothing more of legal aid.

卫校 is a secondary vocational school, 确诊自闭 autism, 精分 精神分裂; 护理的钱一直在领 is help
had, as 已在领 is.

A person who says they are well (我身体好着呢) and asks for cover has no illness of their own,
whatever a relative's illness the text tells; English words (ESRD, hemodialysis, chemo,
wheelchair) name the concepts as the Chinese ones do.

已 written as its look-alike 己 (学校己为其免除学费) is read as 已; an illness or a crack said to
be absent (自述健康，无慢性病 / 房屋主体尚好，无开裂) makes no patient and no unsafe house, and a
fire hazard (有火灾隐患) is no fire.
"""

from __future__ import annotations

from matching.features import mended
from matching.received import declined, spans

from .factories import MAJOR_ILLNESS_AID, RELIEF, TAPER, make_need, make_offer, ranked

RECEIVED = "已降低排序"

_LEGAL = {"id": "FY", "title": "困难群众法律援助", "categories": ["legal"],
          "provider_name": "南通市法律援助中心",
          "description": "经济困难群众在追索劳动报酬、交通事故人身损害赔偿等事项上，可申请免费"
                         "法律咨询和诉讼代理。"}
_COUNSEL = {"id": "XL", "title": "青少年心理辅导", "categories": ["psychological"],
            "provider_type": "ngo", "provider_name": "某社工机构",
            "description": "为遭遇家庭变故、情绪低落的青少年提供一对一心理辅导和陪伴。"}


def test_the_clause_of_what_the_family_does_not_need_is_found():
    text = "证书拿到了，再培训没必要；住房不需要帮；医疗方面不涉及。有没有不需要担保的贷款？"
    assert [text[s:e] for s, e in declined(text)] == \
        ["再培训没必要", "住房不需要帮", "医疗方面不涉及"]


def test_a_triage_note_s_field_of_what_was_done_and_a_grant_already_had_are_spans():
    note = "已办：居民医保出院时已结算；大病救助在医院扣掉了。诉：化疗自付还缺两万"
    assert [note[s:e] for s, e in spans(note)][:2] == \
        ["居民医保出院时已结算", "大病救助在医院扣掉了"]
    text = "慈善总会的一次性助医款已领过，按规定一人一次。"
    assert [text[s:e] for s, e in spans(text)] == ["慈善总会的一次性助医款"]
    fees = "学杂费已免，学校发的国家资助已在领。"
    assert [fees[s:e] for s, e in spans(fees)] == ["学杂费", "学校发的国家资助"]
    # no 已: 一直在领, 都在领 end a clause of help had too
    care = "儿子每月那份护理的钱一直在领。残联的生活、护理两项补贴都在领；"
    assert [care[s:e] for s, e in spans(care)] == \
        ["儿子每月那份护理的钱", "残联的生活、护理两项补贴"]


def test_help_the_family_says_it_does_not_need_ranks_below_what_it_asks_for():
    def need(settled: str):
        return make_need(title="父亲车祸去世后孩子情绪低落", category="psychological",
                         beneficiary_age=16, amount_needed=None, groups=["low_income"],
                         description=f"孩子16岁，读高一。父亲去年车祸去世，交通事故赔偿{settled}"
                                     "现在孩子整天不说话，常一个人哭，成绩下滑。")
    order, reasons = ranked(need("已经调解结案，钱已到位，不需要法律方面再帮。"),
                            [make_offer(**_LEGAL), make_offer(**_COUNSEL)])
    assert order[0] == "XL"
    assert any(r.startswith("需求写明 ") and r.endswith(RECEIVED) for r in reasons["FY"])
    # without the sentence, legal aid is not warned
    _, reasons = ranked(need("还在协商。"), [make_offer(**_LEGAL), make_offer(**_COUNSEL)])
    assert not any(r.endswith(RECEIVED) for r in reasons["FY"])


_UNSAFE = {"id": "WF", "title": "农村困难群众危房改造", "categories": ["housing"],
           "eligible_groups": ["dibao", "low_income"],
           "description": "对居住在C级、D级危房中的低保、低收入家庭，给予翻建或加固补助。"}
_TOILET = {"id": "SG", "title": "困难户农房改厕改厨", "categories": ["housing"],
           "eligible_groups": ["dibao", "low_income"],
           "description": "为困难家庭把旱厕改成水冲式卫生厕所，把柴灶改成节能灶，每户补助3000元。"}


def _first_for_house(title: str, description: str, age: int, amount: int) -> str:
    """The first of the unsafe-house and the toilet-and-kitchen programmes for a housing need
    of a household on 低保."""
    need = make_need(title=title, category="housing", beneficiary_age=age, amount_needed=amount,
                     urgency=1, description=description)
    order, _ = ranked(need, [make_offer(**_UNSAFE), make_offer(**_TOILET)])
    return order[0]


def test_a_sound_house_is_sent_to_the_toilet_and_kitchen_programme():
    assert _first_for_house("老人想改厕所换灶台",
                            "老人住的是前些年翻建的平房，墙体结实，屋顶也好好的。就是厕所还是"
                            "屋后的旱厕，夜里出去不方便，灶台烧柴烟大，想改一改。",
                            age=74, amount=3000) == "SG"


def test_a_roof_crushed_by_snow_is_still_an_unsafe_house():
    assert _first_for_house("雪灾压塌房屋",
                            "大雪后后屋两间老瓦房屋面压塌，老两口挤在前屋，想把房子重新盖起来。",
                            age=70, amount=20000) == "WF"


_COVER = {"id": "BX", "title": "困难家庭重大疾病保险", "categories": ["insurance"],
          "eligible_groups": ["low_income", "dibao"], "provider_type": "ngo",
          "provider_name": "慈善总会",
          "description": "为18至50周岁的困难家庭成员免费投保重大疾病保险，投保后确诊合同所列"
                         "重大疾病的，一次性给付5万元。"}


def _wish_for_cover(title: str, description: str, age: int, groups: list[str], *others: dict):
    """A need filed under insurance that asks for cover, ranked alone against ``_COVER`` and
    ``others``: the offer ids in order and each one's reasons."""
    need = make_need(title=title, category="insurance", beneficiary_age=age, amount_needed=None,
                     urgency=1, groups=groups, description=description)
    return ranked(need, [make_offer(**_COVER)] + [make_offer(**o) for o in others])


def test_a_fear_told_as_a_condition_asks_for_cover():
    order, reasons = _wish_for_cover(
        "泥瓦工担心自己倒下",
        "表哥去年查出肝癌，不到一年人就没了。他说自己身体现在不错，可我要是倒下，这个家就完了，"
        "就想有个保障，真有那一天孩子还能念书。", 41, ["low_income"],
        {"id": "MAJ", "title": "重特大疾病医疗救助", "categories": ["medical"],
         "eligible_groups": ["low_income"],
         "description": "对罹患重特大疾病的患者，住院费用报销后个人自付部分给予救助。"})
    assert order[0] == "BX"
    assert not any("预防性项目" in r for r in reasons["BX"])


def test_the_look_alike_of_yi_is_read_as_yi():
    assert mended("学校己为其免除学费，化疗己做4次，自已带孩子") == \
        "学校已为其免除学费，化疗已做4次，自己带孩子"
    assert mended("他自己为人老实，是我的知己") == "他自己为人老实，是我的知己"


def test_a_grant_the_school_already_gave_in_a_scanned_note_ranks_below_other_help():
    grant = make_offer(id="ZX", title="普通高中国家助学金", categories=["education"],
                       eligible_groups=["dibao", "low_income"],
                       description="对家庭经济困难的普通高中在校学生，免除学杂费并发放国家助学金。")
    prize = make_offer(id="JX", title="品学兼优高中生奖学金", categories=["education"],
                       provider_type="enterprise", provider_name="某企业",
                       description="资助成绩优秀、家庭困难的普通高中学生，每人每年2000元。")
    need = make_need(title="优秀高三女生生活费紧张", category="education", beneficiary_age=18,
                     amount_needed=2000, urgency=1,
                     description="高三女生，成绩年级第6名，家里低保。学校己为其免除学杂费并发放"
                                 "国家助学金，但生活费和复习资料费仍紧张。")
    order, reasons = ranked(need, [grant, prize])
    assert order[0] == "JX"
    assert any(r.endswith(RECEIVED) for r in reasons["ZX"])


_REHAB = {"id": "KF", "title": "残疾人基本康复服务和辅助器具适配", "categories": ["rehabilitation"],
          "eligible_groups": ["disabled"],
          "description": "为持证残疾人提供康复训练指导，免费适配轮椅、助行器等辅助器具。"}
_ALLOWANCE = {"id": "BT", "title": "重度残疾人护理补贴", "categories": ["care"],
              "eligible_groups": ["disabled"],
              "description": "对一级、二级重度残疾人按月发放护理补贴，用于日常照料。"}


def test_learning_to_walk_again_asks_for_rehabilitation():
    need = make_need(title="中风后想重新站起来", category="rehabilitation", beneficiary_age=60,
                     amount_needed=None, urgency=1, groups=["dibao", "disabled"],
                     description="去年中风后左边身子不听使唤，办了二级残疾证，老伴一个人照料，扶不动"
                                 "他，大部分时间只能躺着。医生说要坚持练，家里希望有人教他练习走路、"
                                 "活动手脚，再配个代步的东西推他出门。")
    order, _ = ranked(need, [make_offer(**_ALLOWANCE), make_offer(**_REHAB)])
    assert order[0] == "KF"
    child = make_need(title="中风父亲需锻炼", category="rehabilitation", beneficiary_age=52,
                      amount_needed=None, urgency=1, groups=["disabled"],
                      description="爸爸去年中风，左边手脚不听使唤，拿到了二级残疾证。医生说要坚持"
                                  "做锻炼，妈妈一个人照顾他背不动，我想有人教爸爸怎么锻炼。")
    order, _ = ranked(child, [make_offer(**_ALLOWANCE), make_offer(**_REHAB)])
    assert order[0] == "KF"


_TILT = {"id": "QX", "title": "困难群体大病保险倾斜支付", "categories": ["insurance", "medical"],
         "eligible_groups": ["dibao", "low_income"],
         "description": "低保、低收入人员患大病住院的，住院费用经基本医保报销后，城乡居民"
                        "大病保险起付线降低50%，报销比例提高5个百分点。"}


def test_an_illness_said_to_be_absent_is_no_patient():
    order, reasons = _wish_for_cover(
        "低保母亲想买大病保障",
        "来访记录：丈夫前年病故，她一个人带两个孩子，在服装厂做工，怕哪天自己也倒下，想买个便宜的"
        "保险。身体情况：自述健康，无慢性病。", 38, ["dibao"], _TILT)
    assert order[0] == "BX"
    assert not any("预防性项目" in r for r in reasons["BX"])


def test_a_man_who_says_he_is_well_asks_for_cover_though_his_brother_died_of_cancer():
    order, reasons = _wish_for_cover(
        "顶梁柱想买份大病保障",
        "小陆说：“我身体好着呢。我是怕，我哥前年查出肝上的毛病，半年人就没了，还欠了一屁股债。"
        "我要是哪天倒下，这个家就塌了。想买个保险，一年要好几千，哪买得起。”", 36, ["dibao"],
        _TILT)
    assert order[0] == "BX"
    assert any(r.startswith("注意") for r in reasons["QX"])


def test_english_words_of_a_young_relative_name_the_concepts():
    dialysis = make_offer(id="TX", title="慢性肾衰竭透析患者援助", categories=["medical"],
                          eligible_groups=["dibao", "low_income"], provider_type="ngo",
                          provider_name="慈善总会",
                          description="对低保、低收入家庭中需长期血液透析的尿毒症患者，每人每年资助6000元。")
    need = make_need(title="父亲长期治疗负担重", category="medical", beneficiary_age=58,
                     amount_needed=20000, urgency=2, groups=["low_income"],
                     description="我在UK读书。我爸ESRD，现在每周三次hemodialysis，医保报完每个月"
                                 "还要自己出两千多，我妈一个人part-time，真的撑不住了。")
    spending = make_offer(id="ZC", title="支出型困难家庭临时救助", categories=["basic_living"],
                          eligible_groups=["dibao", "low_income"],
                          description="因医疗等刚性支出过大导致基本生活困难的家庭，给予临时救助。")
    order, _ = ranked(need, [spending, dialysis])
    assert order[0] == "TX"


def test_a_wish_to_be_examined_asks_for_screening_not_for_a_patient_s_bill():
    screening = make_offer(id="SC", title="城乡居民癌症早诊早治免费筛查", categories=["medical"],
                           description="为40至69岁城乡居民免费提供胃镜、肺部低剂量CT等癌症早期筛查。")
    need = make_need(title="妻子胃痛消瘦想查清病因", category="medical", beneficiary_age=57,
                     amount_needed=None, urgency=1, groups=["low_income"],
                     description="配偶近一年胃口越来越差，饭后胀痛，人瘦了十来斤，舍不得花钱。本次诉求："
                                 "给她做个全面检查，查清病因，别拖成大病。")
    order, _ = ranked(need, [make_offer(**MAJOR_ILLNESS_AID), screening])
    assert order[0] == "SC"


def test_a_mother_who_fears_the_dibao_stops_when_she_works_is_sent_to_the_taper():
    taper, relief = make_offer(**TAPER), make_offer(**RELIEF)
    need = make_need(title="母亲就业怕失去低保", category="basic_living", beneficiary_age=39,
                     amount_needed=None, urgency=1, groups=["dibao"],
                     description="妈妈在超市找到收银的工作，一个月一千六，可是她听人讲有了工作低保"
                                 "马上就没了，外婆吃药的钱全靠低保，她不敢去上班。")
    order, _ = ranked(need, [relief, taper])
    assert order[0] == "JT"
    window = make_need(title="低保户就业后怕被取消待遇", category="basic_living",
                       beneficiary_age=39,
                       amount_needed=None, urgency=1, groups=["dibao"],
                       description="参保人1月入职电子厂，月工资约2400元，问民政会不会看到她有工资就"
                                   "把全家低保停了，停了低保孩子上学、丈夫吃药都顾不上。")
    order, _ = ranked(window, [relief, taper])
    assert order[0] == "JT"
    over = make_need(title="低保户子女就业后收入超线", category="basic_living", beneficiary_age=50,
                     amount_needed=None, urgency=1, groups=["dibao"],
                     description="我家吃低保，儿子技校毕业进厂，一个月三千不到，社区说我家超线了。")
    order, _ = ranked(over, [relief, taper])
    assert order[0] == "JT"


def test_a_child_whose_father_died_and_mother_is_in_prison_has_no_one_to_raise_him():
    unsupported = make_offer(id="KJ", title="困境儿童生活费定向资助", categories=["basic_living"],
                             provider_type="donor", provider_name="爱心人士",
                             description="资助父母双亡、父母服刑或失联等事实无人抚养的困境儿童，"
                                         "每月生活费500元。")
    boarding = make_offer(id="JS", title="义务教育阶段困难寄宿生生活补助",
                          categories=["education", "basic_living"],
                          eligible_groups=["dibao", "low_income"],
                          description="对义务教育阶段在校的低保、低收入家庭学生发放生活费补助，"
                                      "寄宿生优先。")
    need = make_need(title="父亡母入狱男孩随祖母生活", category="basic_living", beneficiary_age=9,
                     amount_needed=None, urgency=2, groups=["dibao"],
                     description="孩子九岁读三年级，他爸前年出海出事走了，他妈去年犯了事判了五年，"
                                 "关在里头。现在跟着六十六岁的奶奶过，吃低保，要吃要穿要念书。")
    order, _ = ranked(need, [boarding, unsupported])
    assert order[0] == "KJ"


def test_cover_told_without_the_word_insurance_is_insurance():
    order, _ = _wish_for_cover(
        "妻子想有份大病保障",
        "丈夫去年心梗放了支架，干不了重活，家里靠妻子一个人，她体检没查出毛病，就怕要是再病倒家就"
        "垮了。想给她上一份生了大病能赔钱的保障。", 38, ["low_income"], MAJOR_ILLNESS_AID)
    assert order[0] == "BX"


def test_a_house_said_to_have_no_cracks_is_not_unsafe():
    assert _first_for_house("低保老人旱厕土灶想改造",
                            "家里没有抽水马桶，露天粪坑紧挨河沟，厨房还是土灶，烟大。"
                            "经查看，房屋主体尚好，无开裂。",
                            age=71, amount=3000) == "SG"


def test_a_fire_hazard_is_no_fire_and_a_list_of_damage_can_be_denied():
    relief = make_offer(id="JJ", title="急难型临时救助", categories=["emergency", "basic_living"],
                        description="对因火灾、交通事故等意外事件导致基本生活严重困难的家庭先行救助。")
    need = make_need(title="低保老人土灶烟大屋外旱厕", category="housing", beneficiary_age=80,
                     amount_needed=3000, urgency=1, groups=["dibao"],
                     description="住房为砖混两间，墙体、屋面无裂缝渗漏，结构完好（A级）。厨房仍用土灶"
                                 "烧秸秆，灶后堆满柴草，有火灾隐患；厕所是屋外旱厕。建议换掉炉灶，室内"
                                 "增设厕所。")
    order, _ = ranked(need, [relief, make_offer(**_UNSAFE), make_offer(**_TOILET)])
    assert order[0] == "SG"


def test_a_woman_whose_check_up_was_normal_asks_for_cover_though_her_sister_has_cancer():
    order, _ = _wish_for_cover(
        "低保妇女想买重疾保障",
        "客户称妹妹去年查出乳腺癌，花了十几万；她自己单位体检无异常，想给自己买份得了大病能一次性"
        "赔钱的，怕自己倒下女儿没人管。", 39, ["dibao"], _TILT)
    assert order[0] == "BX"


STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"


def test_a_school_year_before_a_line_break_or_before_girl_is_read_as_the_pupil_s_year():
    grant = make_offer(id="GZ", title="普通高中家庭经济困难学生资助", categories=["education"],
                       eligible_groups=["dibao", "jiandang", "low_income"],
                       description="对普通高中在校家庭经济困难学生发放国家助学金，每生每年2000元。")
    for text in ("受助人：沈*，男，17岁，高二\n他家是建档立卡户，周末去饭店打工。",
                 "社工：严某是高二女生小蕾的妈妈，血透四年了，家里吃低保。"):
        need = make_need(title="学生家境困难求资助", category="education", beneficiary_age=17,
                         amount_needed=2000, urgency=1, groups=["dibao"], description=text)
        _, reasons = ranked(need, [grant])
        assert STAGE not in reasons["GZ"], text
        assert any(r.startswith("内容相关") and "高中" in r for r in reasons["GZ"]), text


def test_a_case_that_is_over_asks_nothing_more_of_legal_aid():
    need = make_need(title="截肢青年求换轮椅做训练", category="rehabilitation", beneficiary_age=35,
                     amount_needed=None, urgency=1, groups=["disabled"],
                     description="结案回访：当事人2016年遭遇交通事故致左小腿截肢，经指派律师代理诉讼，"
                                 "判决肇事方保险公司赔偿，款项已全部到位，本案已结案。其现用的轮椅刹车"
                                 "失灵，未做过系统的功能训练，希望配一辆合适的轮椅并接受正规训练。")
    lawyers = make_offer(id="FY", title="困难群众法律援助", categories=["legal"],
                         provider_name="南通市法律援助中心",
                         description="经济困难群众在工伤赔偿以及交通事故人身损害赔偿等事项上，可申请免费"
                                     "法律咨询和诉讼代理。残疾人免予经济困难审查。")
    aids = make_offer(id="KF", title="残疾人基本康复服务和辅助器具适配",
                      categories=["rehabilitation"], eligible_groups=["disabled"],
                      description="为持证残疾人提供康复训练，适配轮椅、助行器、假肢等辅助器具。")
    order, reasons = ranked(need, [lawyers, aids])
    assert order[0] == "KF"
    # legal aid no longer claims the need's dispute or its lawyers as shared content
    shared = [r for r in reasons["FY"] if r.startswith("内容相关")]
    assert not any("赔偿纠纷" in r or "法律援助" in r for r in shared)


def test_an_old_man_who_fell_asks_for_the_insurance_that_pays_when_he_falls_again():
    falls = make_offer(id="YW", title="老年人意外伤害保险投保补贴", categories=["insurance"],
                       eligible_groups=["low_income", "dibao"],
                       description="60至85周岁老人自愿投保意外伤害保险的，政府补贴一半保费，跌倒骨折"
                                   "等意外可按合同理赔，自投保次日起生效。")
    need = make_need(title="低收入老人常摔跤想参保", category="insurance", beneficiary_age=68,
                     amount_needed=None, urgency=1, groups=["low_income"],
                     description="爷爷68岁，今年冬天摔了两跤，一次手腕骨裂，拍片打石膏花了两千多。"
                                 "听说有那种摔了能报的保险，想给他买一份。")
    _, reasons = ranked(need, [falls])
    assert not any("预防性项目" in r for r in reasons["YW"])


def test_a_dung_vat_outside_is_a_toilet_to_rebuild():
    assert _first_for_house("厕所在屋外老人起夜难",
                            "母亲74岁，厕所是屋外的粪缸，冬天晚上起夜"
                            "又冷又滑，想在屋里装个抽水马桶。房子本身是2003年翻的楼房，结实的。",
                            age=74, amount=3000) == "SG"


def test_a_house_no_one_can_live_in_is_unsafe():
    assert _first_for_house("渔民老屋梁弯墙烂",
                            "房子是七几年盖的，靠海边潮气重，墙根都烂了，屋梁有一根往下弯。去年"
                            "镇上请人来看过，说不能住人了，要么大修要么推了重盖。",
                            age=57, amount=100000) == "WF"


def test_jingfen_is_schizophrenia():
    drugs = make_offer(id="JF", title="严重精神障碍患者免费基本药物", categories=["medical"],
                       description="在册严重精神障碍患者（精神分裂症、双相障碍等）免费领取基本药物。")
    need = make_need(title="患者停药复发无钱买药", category="medical", beneficiary_age=40,
                     amount_needed=None, urgency=2,
                     description="张某，男，40，精分十年，停药后复发打人，住院后已出院。父母七十多，"
                                 "药一个月四百多，老人说买不起就停了。")
    order, _ = ranked(need, [make_offer(**MAJOR_ILLNESS_AID), drugs])
    assert order[0] == "JF"


def test_a_health_school_is_secondary_vocational_and_zibi_is_autism():
    voc = make_offer(id="ZZ", title="中等职业教育国家助学金及免学费", categories=["education"],
                     eligible_groups=["low_income", "dibao"],
                     description="中等职业学校全日制在校生免学费，家庭困难学生每年发放国家助学金2000元。")
    high = make_offer(id="PG", title="普通高中国家助学金", categories=["education"],
                      eligible_groups=["low_income", "dibao"],
                      description="普通高中家庭经济困难在校学生，每年发放国家助学金2500元。")
    nurse = make_need(title="卫校女生学费生活费困难", category="education", beneficiary_age=17,
                      amount_needed=5000, urgency=1, groups=["low_income"],
                      description="我女儿十七，现在在南通一所卫校念护理，二年级，学费一年"
                                  "好几千。")
    order, reasons = ranked(nurse, [high, voc])
    assert order[0] == "ZZ"
    assert any(r.startswith("内容相关") and "中等职业教育" in r for r in reasons["ZZ"])
    rehab = make_offer(id="KF", title="0–6岁残疾儿童康复救助", categories=["rehabilitation"],
                       description="对0至6岁视力、听力、言语、肢体、智力残疾儿童和孤独症儿童，资助"
                                   "康复训练，每人每年最高1.5万元。")
    counsel = make_offer(**_COUNSEL)
    boy = make_need(title="4岁男孩确诊自闭需干预", category="rehabilitation", beneficiary_age=4,
                    amount_needed=None, urgency=2, groups=["low_income"],
                    description="儿子四岁，只会喊妈妈，叫他名字也不回头。医生说是自闭，要早点做干预，"
                                "上海一个月上课要七八千，家里负担不起。")
    order, reasons = ranked(boy, [counsel, rehab])
    assert order[0] == "KF"
    shared = [r for r in reasons["KF"] if r.startswith("内容相关")]
    assert any("孤独症" in r or "精神疾病" in r for r in shared)


def test_a_woman_afraid_of_falling_ill_whose_check_up_was_all_normal_asks_for_cover():
    _, reasons = _wish_for_cover(
        "低收入妇女担心患病无保障",
        "去年我姐查出来宫颈上的毛病，开刀化疗把积蓄都花光了，我到现在心里都害怕。我去年体检各项都"
        "正常。听说有给家庭妇女的不用自己掏钱的保障。", 45, ["low_income"])
    assert not any("预防性项目" in r for r in reasons["BX"])
