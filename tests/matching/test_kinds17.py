"""Kinds read where the twenty-ninth session's fifth batch of blind sets fell; every sentence
here is invented for the test, none is taken from a set.

高职高专 (a college's levels) holds the letters of 职高 (a vocational high school): a college
programme that lists it is no programme for a pupil of a high school.

A school year said with 了 or a child after it (儿子高二了, 高一女孩) is the pupil's stage.

A programme that leaves a group out of this round (初中生不在这一批) is not for that group.

A student loan the family already holds, told without 已 (大一就在县里办了贷款, 学费是贷的,
借了贷款) ranks below the grant for the living costs still missing, with the reason that says so.

Cuts on an arm (手臂上一道一道划的) are self-harm.

A roof the wind has torn (台风把屋顶掀了) is damage that has happened: a house insurance to buy
is warned as a cover for what may come.

A programme for men only (只收父亲, 单亲父亲家庭服务) is warned for a woman, as one for women only
is for a man; a clause that leaves a sex out (单亲母亲不在服务对象范围) does not make the
programme one for that sex.

A wife who left with another man (老婆跟人跑了) or a husband in prison (丈夫入狱) leaves a single
parent: a single parents' programme is no status the need lacks.

A stall to set up (摆个小吃摊) is a small business: a start-up loan is not warned off it.

Board with a job (包吃住) is no support of the destitute (特困供养).

Read in the session's sixth batch: a programme that sends a group elsewhere (中职学生请转中职
助学金) is not for it; a mother who calls herself a single mother (单亲母亲) is a woman; a doctor's
word that it is no mental illness (医生说不是精神病) names none; a lump in the breast (乳房有个
硬块) is a sign for the cancer screening.

Read in the seventh batch: a grant that says what its applicants may already have (已享受其他
助学贷款的不影响申请) does not give it, so a student who holds the loan is not warned off it; a
loan carried (背着贷款) is a loan held.
"""

from __future__ import annotations

from .factories import make_need, make_offer, ranked

STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"
PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"

SENIOR = make_offer(id="GZ", title="爱心助学（高中在读）", categories=["education"],
                    description="资助家庭困难的普通高中在读学生，每人每学年1500元，由学校统一申报。",
                    provider_type="ngo", provider_name="慈善会", age_min=12, age_max=22)
COLLEGE = make_offer(id="DX", title="爱心助学（在读大学生）", categories=["education"],
                     description="资助家庭困难的在读大学生，本科、高职高专都可以，每人每学年1500元。",
                     provider_type="ngo", provider_name="慈善会", age_min=12, age_max=22)


def _pupil(description: str, title: str = "孩子读书的钱不够", age: int = 16) -> object:
    return make_need(title=title, category="education", beneficiary_age=age, urgency=1,
                     amount_needed=2000, description=description)


def test_a_college_programme_that_lists_gao_zhi_gao_zhuan_is_not_for_a_vocational_pupil():
    pupil = _pupil("女儿16岁，在卫校读护理一年级，学费住宿费加起来三千，她爸一个月两千多。")
    _, reasons = ranked(pupil, [COLLEGE])
    assert STAGE in reasons["DX"]


def test_a_school_year_with_le_or_a_child_after_it_is_the_pupil_s_stage():
    for title, text in (("学费凑不齐", "儿子成绩一直不错，今年高二了，住宿费还欠着。"),
                        ("高二男孩住宿费凑不齐", "爸爸前年走了，妈妈打零工，住宿费还欠着。")):
        order, reasons = ranked(_pupil(text, title=title), [COLLEGE, SENIOR])
        assert order[0] == "GZ", text
        assert STAGE in reasons["DX"], text


def test_a_group_left_out_of_this_round_is_not_served_by_it():
    round_ = make_offer(id="PG", title="助学金（普通高中批次）", categories=["education"],
                        description="这一批只资助普通高中在校生，每人每年2000元，初中生、中职生不在这一批。",
                        provider_type="ngo", provider_name="慈善会", age_min=12, age_max=22)
    middle = make_offer(id="CZ", title="助学金（义务教育阶段）", categories=["education"],
                        description="资助家庭困难的义务教育阶段学生，每人每年1000元。",
                        provider_type="ngo", provider_name="慈善会", age_min=6, age_max=16)
    order, reasons = ranked(_pupil("大的15岁读初三，中考前补课要钱，他爸前年没了。", age=15),
                            [round_, middle])
    assert order == ["CZ", "PG"]
    assert STAGE in reasons["PG"]


LOAN = make_offer(id="LOAN", title="生源地信用助学贷款", categories=["education"],
                  description="家庭经济困难的在读大学生可在户籍所在县申请，每人每年最高8000元，"
                              "用于学费和住宿费，在校期间财政贴息。",
                  provider_name="县学生资助管理中心", age_min=16, age_max=30)
LIVING = make_offer(id="LIVE", title="在读大学生生活费资助", categories=["education"],
                    description="资助家庭困难的在读大学生生活费，每学期2000元。",
                    provider_type="ngo", provider_name="慈善会", age_min=16, age_max=30)


def test_a_student_loan_held_without_yi_ranks_below_the_grant_for_living_costs():
    for text in ("儿子在苏州读大二，学费大一就在县里办了贷款，一年八千，就是生活费不够。",
                 "女儿读大一，学费八千是贷的，生活费一个月要八百，家里拿不出。",
                 "孙子读大二，学费住宿费前年就借了贷款，每年续着，愁的是生活费。"):
        student = make_need(title="大学生生活费没着落", category="education",
                            beneficiary_age=20, urgency=1, amount_needed=4000,
                            description=text)
        order, reasons = ranked(student, [LOAN, LIVING])
        assert order == ["LIVE", "LOAN"], text
        assert any(r.startswith("需求已享受") for r in reasons["LOAN"]), text
        assert not any(r.startswith("需求已享受") for r in reasons["LIVE"]), text


def test_a_loan_the_family_only_asks_about_is_no_loan_held():
    student = make_need(title="大学生学费没着落", category="education", beneficiary_age=19,
                        urgency=1, amount_needed=8000,
                        description="女儿考上大学了，学费八千，想问问能不能贷款。")
    order, reasons = ranked(student, [LOAN, LIVING])
    assert order[0] == "LOAN"
    assert not any(r.startswith("需求已享受") for r in reasons["LOAN"])


def test_cuts_on_an_arm_are_self_harm():
    girl = make_need(title="女儿最近不对劲", category="psychological", beneficiary_age=16,
                     urgency=3, amount_needed=None,
                     description="前天发现女儿手臂上一道一道划的，问她也不说，考试没考好以后就这样。")
    hotline = make_offer(id="XL", title="心理援助热线和免费面询", categories=["psychological"],
                         description="有自伤念头、情绪低落的青少年和家长可拨打热线，也可预约免费面询。",
                         provider_name="市心理卫生协会", provider_type="ngo")
    order, reasons = ranked(girl, [hotline, SENIOR])
    assert order[0] == "XL"
    assert any("自伤自残" in r for r in reasons["XL"])


def test_a_roof_the_wind_tore_off_is_damage_that_has_happened():
    roof = make_need(title="屋顶漏雨", category="housing", beneficiary_age=70, urgency=2,
                     amount_needed=5000,
                     description="去年夏天台风把东边屋顶掀了一块，一直用油布盖着，现在下雨屋里全是水。")
    insurance = make_offer(id="BX", title="农房保险（火灾、台风）",
                           categories=["insurance", "housing"],
                           description="农户每户每年交10元，火灾、台风造成的房屋损毁每户最高赔2万元，"
                                       "只赔投保以后发生的灾害。",
                           provider_type="enterprise", provider_name="保险公司")
    _, reasons = ranked(roof, [insurance])
    assert PREVENTIVE in reasons["BX"]


SEX_MEN = "注意: 项目只面向男童或男性，需求对象为女性"
SEX_WOMEN = "注意: 项目只面向女童或妇女，需求对象为男性"
STATUS = ("注意: 项目面向特定身份人群（如退役军人、刑满释放人员、计生特殊家庭、受暴妇女、"
          "外卖快递骑手、单亲家庭、在职职工、工会会员、司法案件当事人），需求未提及该身份")
FATHERS = make_offer(id="FQ", title="单亲父亲家庭支持服务", categories=["psychological"],
                     description="服务对象为低收入单亲父亲家庭，本项目只收父亲，单亲母亲不在服务对象范围。"
                                 "提供个案辅导、父亲互助小组和子女课后托管对接。",
                     provider_type="ngo", provider_name="社工服务社")
MOTHERS = make_offer(id="MQ", title="单亲母亲家庭支持服务", categories=["psychological"],
                     description="服务对象为低收入单亲母亲家庭，本项目只收母亲，单亲父亲不在服务对象范围。"
                                 "提供个案辅导、母亲互助小组和子女课后托管对接。",
                     provider_type="ngo", provider_name="社工服务社")


def test_a_programme_for_men_only_is_warned_for_a_woman_and_the_other_way():
    mother = make_need(title="离婚后一个人带孩子", category="psychological", beneficiary_age=36,
                       urgency=1, amount_needed=None, groups=["low_income"],
                       description="王某，女，36岁，前年离婚，一个人带8岁的儿子，孩子最近不愿上学，"
                                   "她自己也常常失眠。")
    father = make_need(title="离婚后一个人带孩子", category="psychological", beneficiary_age=40,
                       urgency=1, amount_needed=None, groups=["low_income"],
                       description="邱某，男，40岁，前年离婚，一个人带8岁的儿子，孩子最近不愿上学，"
                                   "他自己也常常发脾气。")
    order, reasons = ranked(mother, [FATHERS, MOTHERS])
    assert order == ["MQ", "FQ"]
    assert SEX_MEN in reasons["FQ"]
    assert not any(r.startswith("注意: 项目只面向") for r in reasons["MQ"])
    order, reasons = ranked(father, [FATHERS, MOTHERS])
    assert order == ["FQ", "MQ"]
    assert SEX_WOMEN in reasons["MQ"]
    assert not any(r.startswith("注意: 项目只面向") for r in reasons["FQ"])


def test_a_wife_gone_or_a_husband_in_prison_leaves_a_single_parent():
    for title, text in (("老婆跟人跑了，一个人带儿子",
                         "前年老婆跟人跑了，儿子八岁跟着他，他辞了夜班的活。"),
                        ("丈夫入狱，带女儿睡不着",
                         "丈夫入狱后她带着六岁的女儿过，村里有闲话，她整夜睡不着。")):
        need = make_need(title=title, category="psychological", beneficiary_age=35, urgency=1,
                         amount_needed=None, groups=["low_income"], description=text)
        _, reasons = ranked(need, [FATHERS, MOTHERS])
        assert STATUS not in reasons["FQ"] and STATUS not in reasons["MQ"], text


def test_a_stall_to_set_up_is_a_small_business():
    mother = make_need(title="想在家门口挣钱", category="employment", beneficiary_age=35, urgency=1,
                       amount_needed=8000, groups=["low_income"],
                       description="孩子小没法上班，想在镇上学校门口摆个小吃摊卖煎饼，"
                                   "车子锅灶要好几千，手上没有。")
    loan = make_offer(id="CY", title="巾帼创业担保贷款贴息", categories=["employment"],
                      description="妇女创业可申请担保贷款，最高10万元，财政贴息。",
                      provider_name="县妇联")
    _, reasons = ranked(mother, [loan])
    assert not any("创业、经营或缺本钱" in r for r in reasons["CY"])


def test_board_with_a_job_is_no_support_of_the_destitute():
    worker = make_need(title="厂子停了想就近找活", category="employment", beneficiary_age=40,
                       urgency=1, amount_needed=None, groups=["dibao"],
                       description="厂子停产半年了，他40岁，什么活都能干，老婆腿不好要照顾，想离家近一点。")
    job = make_offer(id="ZG", title="水产公司招工：包吃住", categories=["employment"],
                     description="招分拣、包装工15名，男女不限，18到55岁，月薪3000元起，包吃住，有班车。",
                     provider_type="enterprise", provider_name="水产公司")
    _, reasons = ranked(worker, [job])
    assert not any("特困" in r for r in reasons["ZG"])


def test_a_group_sent_to_another_programme_is_not_served_by_this_one():
    senior = make_offer(id="PG", title="普通高中困难学生助学金", categories=["education"],
                        description="只限普通高中在籍学生，每生2000元；中等职业学校学生请转中职助学金。",
                        provider_name="市学生资助管理中心", age_min=14, age_max=20)
    pupil = _pupil("儿子16岁，在中等专业学校读机电一年级，住宿费和实训材料费每学期三千左右。")
    _, reasons = ranked(pupil, [senior])
    assert STAGE in reasons["PG"]


def test_a_woman_who_calls_herself_a_single_mother_is_a_woman():
    mother = make_need(title="单亲母亲带儿子租房", category="housing", beneficiary_age=43,
                       urgency=2, amount_needed=2400, groups=["low_income"],
                       description="离婚后带着读初中的儿子租一间老公房，房东开春要涨租金，工资除去房租剩不下什么。")
    _, reasons = ranked(mother, [FATHERS, MOTHERS])
    assert SEX_MEN in reasons["FQ"]
    assert not any(r.startswith("注意: 项目只面向") for r in reasons["MQ"])


def test_a_doctor_s_word_that_it_is_no_mental_illness_names_none():
    mother = make_need(title="儿子出海没回来，母亲走不出来", category="psychological",
                       beneficiary_age=58, urgency=2, amount_needed=None, groups=[],
                       description="儿子跟船出海没有回来，她从那以后吃不下睡不着，天天去海堤上坐着。"
                                   "去医院看过，医生说不是精神病，开了点安眠的药。")
    smi = make_offer(id="SMI", title="严重精神障碍患者免费基本服药", categories=["psychological"],
                     description="在册严重精神障碍患者（精神分裂症、双相障碍等）可免费领取基本药物。",
                     provider_name="市卫计委")
    grief = make_offer(id="AS", title="丧亲家庭哀伤辅导", categories=["psychological"],
                       description="为失去亲人、走不出悲伤的家庭提供上门陪伴和哀伤辅导。",
                       provider_type="ngo", provider_name="社工服务社")
    order, _ = ranked(mother, [smi, grief])
    assert order[0] == "AS"


def test_a_lump_in_the_breast_is_a_sign_for_the_cancer_screening():
    worker = make_need(title="摸到乳房有硬块，想先免费查查", category="medical",
                       beneficiary_age=50, urgency=1, amount_needed=None, groups=[],
                       description="洗澡时摸到左边乳房里有个小硬块，不疼，请假去医院要扣钱。")
    screening = make_offer(id="SC", title="妇女“两癌”免费筛查", categories=["medical"],
                           description="35至64岁妇女可免费做乳腺B超和宫颈检查，查出问题免费复诊一次。",
                           provider_name="市妇联")
    insurance = make_offer(id="HZ", title="职工住院互助保障", categories=["medical"],
                           description="工会会员每人每年交30元，住院可按比例获得互助金。",
                           provider_type="ngo", provider_name="市总工会")
    order, reasons = ranked(worker, [insurance, screening])
    assert order[0] == "SC"
    assert any("癌症筛查" in r for r in reasons["SC"])


def test_a_grant_that_says_loan_holders_may_apply_is_no_loan():
    grant = make_offer(id="ZX", title="在读困难大学生年度资助", categories=["education"],
                       description="每生每学年4000元，可连续申请至毕业；已享受其他助学贷款的不影响申请。",
                       provider_type="ngo", provider_name="慈善会", age_min=16, age_max=30)
    student = make_need(title="大二学生已背着贷款，生活费不够", category="education",
                        beneficiary_age=20, urgency=1, amount_needed=4000,
                        description="他入学时就办了国家的助学贷款，学费住宿费够了，每月生活费只能靠周末做家教。")
    order, reasons = ranked(student, [LOAN, grant])
    assert order == ["ZX", "LOAN"]
    assert any(r.startswith("需求已享受") for r in reasons["LOAN"])
    assert not any(r.startswith("需求已享受") for r in reasons["ZX"])
