"""Kinds read where the thirty-first session's thirteenth batch of blind sets fell; every
sentence here is invented for the test, none is taken from a set.

A note jots the sex after the age or beside a child's word (40岁，男的 / 男伢儿，16) or names an
elder by a title (冒大伯（57岁）): the beneficiary's sex. A mother's title that says what she does
(在家带孩子的妈妈) is still a title for women.

Programmes send a group elsewhere in more ways (中职学生另有“圆梦”中职项目 / 不在本项目申报 /
这些不算： / 暂时不接 / 请看“中专职校”那一张明白纸), and 职业高中 is a vocational school, not a
普通高中.

Words: a threat to jump into a river is a crisis; 喝了酒就打 is family violence; wanting one's
own money back is a legal claim. (A lump felt in the breast, 乳房·疙瘩 / 摸到·硬块, was tried as
a screening's word and left out: it fires for women whose lump was then diagnosed, and the one
unseen set it reached lost a need.)
"""

from __future__ import annotations

from matching import exclusion
from matching.beneficiary import sex_of

from .factories import fired, make_need, make_offer, ranked, school_grant

SEX = "注意: 项目只面向女童或妇女，需求对象为男性"
STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"
LEAGUE = "团市委"   # the grants of these tests are the Youth League's


def test_a_note_s_sex_after_the_age_or_beside_a_child_s_word_is_read():
    for age, text in ((40, "马塘镇老孙，40岁，男的，他妈68，瘫在床上。"),
                      (11, "小杰，11岁，男小囡，上课坐不住。"),
                      (16, "秦灶的小陈，男伢儿，16，在市里读高一。"),
                      (57, "七组冒大伯（57岁），过年期间大便带血。")):
        assert sex_of(make_need(description=text, beneficiary_age=age)) == 1, text
    assert sex_of(make_need(description="顾大妈(70岁)一个人住。", beneficiary_age=70)) == -1
    # a daughter named after a parent's age is no sex of the parent's
    assert sex_of(make_need(description="王某，45岁，女儿16岁在读高一。", beneficiary_age=45)) == 0


def test_a_programme_for_mothers_who_mind_children_at_home_is_warned_for_a_man():
    man = make_need(title="老孙服侍瘫痪的妈，想在家做点手工活", category="employment",
                    beneficiary_age=40, urgency=1, amount_needed=0, groups=["low_income"],
                    description="老孙，40岁，男的，他妈瘫在床上，他走不开，听讲有手工活能拿"
                                "到家里做，能缝能钩，想报个名挣点钱。")
    mothers = make_offer(id="MM", title="在家带孩子的妈妈接手工活", categories=["employment"],
                         provider_name="市妇联",
                         description="照顾家里出不了门的妇女，免费教编织、缝纫，企业送料上门，"
                                     "按件计酬，手工活在家做。")
    order, reasons = ranked(man, [mothers])
    assert order == ["MM"] and SEX in reasons["MM"]


def test_more_ways_of_sending_a_group_elsewhere():
    cases = {
        "受益对象：普通高中在读学生；中职学生另有“圆梦”中职项目，不在本项目申报。": "中职学生另有",
        "普通高中学生不在本项目申报。": "普通高中学生",
        "四、这些不算：长期卧床的老人照顾不了，可以问家庭病床。": "长期卧床",
        "注意：完全卧床、坐不起来的暂时不接。": "完全卧床",
        "读中专、职高的孩子请看“中专职校”那一张明白纸。": "读中专",
        "【特别提醒】卧床不起、插胃管、需要专人护理的不收。": "卧床不起",
        # a referral directory's field, and 不在这条 before a bracket
        "可转：读普高、中职的孩子。不可转：初中小学的不在这条（学校自己有），大学的也不在这。":
            "初中小学",
        "【特别提醒】只针对中职。读普通高中的不在这里办。": "读普通高中",
    }
    for text, excluded in cases.items():
        got = [text[s:e] for s, e in exclusion.spans(text)]
        assert any(excluded in g for g in got), (text, got)
    # 不收费 is a price, not a group left out
    assert exclusion.spans("服务不收费，每周两次。") == []
    assert exclusion.spans("困难户的不收取押金。") == []


def test_a_senior_high_grant_that_sends_zhong_zhi_pupils_elsewhere_is_not_theirs():
    senior = school_grant("PG", "普通高中困难学生助学",
                          "普通高中在读的低保家庭学生每学年2000元；中职学生另有“圆梦”中职项目，"
                          "不在本项目申报。", provider_name=LEAGUE)
    vocational = school_grant("ZZ", "中等职业学校困难学生助学",
                              "中等职业学校在读的低保家庭学生每学年2000元，由学校推荐。",
                              provider_name=LEAGUE)
    pupil = make_need(title="职教中心学生凑住宿费", category="education", beneficiary_age=16,
                      urgency=1, amount_needed=1800, groups=["dibao"],
                      description="冯某16岁，县职教中心汽修专业一年级，父亲双眼失明，下学期"
                                  "住宿费和实习费还没着落。")
    order, reasons = ranked(pupil, [senior, vocational])
    assert order == ["ZZ", "PG"]
    assert STAGE in reasons["PG"]


def test_zhi_ye_gao_zhong_is_a_vocational_school_not_a_senior_high():
    vocational = school_grant("ZZ", "中职学生助学",
                              "受益对象：中等职业学校（职业高中、技工学校）在读的困难家庭学生，"
                              "每人每学年2000元。", provider_name=LEAGUE)
    senior = school_grant("PG", "普通高中学生助学",
                          "普通高中在读的困难家庭学生，每人每学年2000元。", provider_name=LEAGUE)
    pupil = make_need(title="孙子读高二，学费凑不齐", category="education", beneficiary_age=17,
                      urgency=1, amount_needed=2500, groups=["dibao"],
                      description="孙子17岁，在区里普通高中读高二，爸爸不在了，妈妈改嫁，"
                                  "爷爷七十五，下学期学费还差。")
    order, reasons = ranked(pupil, [vocational, senior])
    assert order == ["PG", "ZZ"]
    assert STAGE in reasons["ZZ"]


def test_words_of_a_crisis_a_drunk_husband_and_money_taken():
    for text in ("儿子发短信说要去跳河。", "他站在楼顶上说想跳楼。", "她哭着说不活了。"):
        assert "depression_anxiety" in fired(text), text
    assert "depression_anxiety" not in fired("老张跳河救人的事上了报纸。")
    assert "fam_violence" in fired("男的喝了酒就打，过年又打了。")
    for text in ("年三十了，我就想要回我自己的钱。", "这个理到哪块讲？"):
        assert "legal_claim" in fired(text), text


def test_a_child_s_age_tells_the_stages_a_need_that_names_none_can_be_at():
    college = make_offer(id="DX", title="残疾大学生助学", categories=["education"],
                         provider_name="市残联",
                         description="考入高校的残疾学生和残疾人家庭的大学生，每人一次性5000元。")
    devices = make_offer(id="FJ", title="残疾儿童辅助器具适配", categories=["rehabilitation"],
                         provider_name="市残联",
                         description="持证残疾儿童免费适配助行器、站立架、矫形鞋，康复师上门"
                                     "指导训练走路。")
    boy = make_need(title="孩子九岁了还么得上学", category="education", beneficiary_age=9,
                    urgency=1, amount_needed=0, groups=["disabled"],
                    description="俺家小孩九岁了，生下来就脑瘫，走路要人扶，有残疾证。学校讲他"
                                "跟不上，叫在家里。我们想让他去练练，能自己走路就好了。")
    order, reasons = ranked(boy, [college, devices])
    assert order == ["FJ", "DX"]
    assert STAGE in reasons["DX"]
    # an adult's age says nothing of a stage: it may be a parent's
    mother = make_need(title="儿子上学的钱", category="education", beneficiary_age=45,
                       urgency=1, amount_needed=5000, groups=["disabled"],
                       description="我腿有残疾，儿子今年考上了大学，学费还差。")
    assert STAGE not in ranked(mother, [college])[1]["DX"]


def test_a_factory_s_record_of_a_union_member_is_an_employee_and_a_member():
    fund = make_offer(id="GH", title="总工会困难职工生活帮扶", categories=["basic_living"],
                      provider_name="市总工会",
                      description="对建档困难职工每年帮扶1000至3000元。前提是本人是工会会员，"
                                  "厂里有工会、入了会的才行。")
    worker = make_need(title="挡车工老公突发心梗走了", category="emergency", beneficiary_age=35,
                       urgency=3, amount_needed=20000, groups=["low_income"],
                       description="工号N0427（海安分厂），王某，女，35岁，细纱挡车工，会员。"
                                   "家里情况：老公突发心梗走了，丧事欠了两万多。")
    _, reasons = ranked(worker, [fund])
    assert not any("需求未提及该身份" in r for r in reasons["GH"])


def test_a_worker_in_no_union_is_no_member_and_a_fund_for_members_says_so_its_way():
    from matching.status import members_only
    assert members_only("对象：在职工会会员。没有入工会、单位没参加互助的不在内。")
    fund = make_offer(id="HZ", title="职工医疗互助（会员大病）", categories=["medical"],
                      provider_name="市总工会",
                      description="单位参加了职工医疗互助的在职职工住院，自付部分最高补5000元。"
                                  "没有入工会、单位没参加互助的不在内。")
    relief = make_offer(id="LS", title="临时救助（急难型）", categories=["emergency"],
                        provider_name="镇民政办",
                        description="因意外、疾病一时难以维持生活的家庭，先行救助一次。")
    worker = make_need(title="手指被机器轧断，老板只肯出一点", category="medical",
                       beneficiary_age=38, urgency=3, amount_needed=15000, groups=[],
                       description="在一家小家纺厂开绗缝机三年，没签合同，厂里没工会，也没交社保。"
                                   "上夜班时手被轧进去，住院还差一万五结账，老板不肯再出。")
    order, _ = ranked(worker, [fund, relief])
    assert order == ["LS", "HZ"]


def test_raising_a_child_alone_is_a_single_parent_s_household():
    for text in ("老公前年车祸走了，她一个人带儿子。", "一个人带着女儿过。"):
        assert "kid_single_parent" in fired(text), text


def test_an_early_screening_is_a_screening_not_for_a_diagnosed_cancer():
    screening = make_offer(id="ZS", title="肝癌免费早筛", categories=["medical"],
                           provider_name="市卫计委",
                           description="三十五岁到六十四岁的人抽血查甲胎蛋白加B超，不要钱。已经查出"
                                       "肝癌、正在治的就不在这里了，请走医疗救助。")
    aid = make_offer(id="JZ", title="医疗救助", categories=["medical"], provider_name="市民政局",
                     description="低收入家庭的重病患者，住院费用医保报销后的自付部分按比例救助。")
    son = make_need(title="母亲肝癌晚期住院", category="medical", beneficiary_age=61,
                    urgency=2, amount_needed=30000, groups=["low_income"],
                    description="母亲1月份查出肝癌晚期，现在住院做介入，一次一万多，医生讲要做"
                                "好几次，家里人均八百。")
    order, _ = ranked(son, [screening, aid])
    assert order == ["JZ", "ZS"]


def test_a_senior_high_year_after_its_school_s_name_and_a_chair_to_push():
    fund = make_offer(id="ZX", title="江海助学·在校大学生", categories=["education"],
                      provider_name="江海助学基金会",
                      description="已经在上大学（本科大专）的在校生，家里困难的，一年4000元。")
    pupil = make_need(title="高三男孩考上大学怕没钱读", category="education", beneficiary_age=18,
                      urgency=1, amount_needed=10000, groups=["low_income"],
                      description="龚某某，男，18岁，某中学高三\n家庭情况：爷娘离婚，跟娘过，学费"
                                  "住宿费路费一下子要上万。")
    _, reasons = ranked(pupil, [fund])
    assert any(r.startswith("注意: 在读大学生资助") for r in reasons["ZX"])
    assert "aids_devices" in fired("三年没出过门，家里没有能推的椅子。")


def test_a_cataract_programme_is_a_fund_for_cataract_not_for_glaucoma():
    cataract = make_offer(id="BN", title="白内障免费复明手术", categories=["medical"],
                          provider_type="ngo", provider_name="光明公益基金会",
                          description="给五十岁以上的老人免费做白内障手术，手术费、晶体全包。不过只做"
                                      "白内障，青光眼、眼底出血这些不在里面的。")
    aid = make_offer(id="YL", title="门诊慢特病医疗救助", categories=["medical"],
                     provider_name="市民政局",
                     description="低保、低收入家庭成员门诊慢特病的自付药费按比例救助。")
    glaucoma = make_need(title="青光眼天天滴药水，药水贵", category="medical", beneficiary_age=79,
                         urgency=1, amount_needed=3000, groups=["dibao"],
                         description="去年县医院查过是青光眼，要天天滴眼药水，药水蛮贵，他舍不得，"
                                     "滴滴停停，眼睛胀痛。")
    _, reasons = ranked(glaucoma, [cataract, aid])
    assert "注意: 专病项目，需求所患疾病不在其列" in reasons["BN"]
    # a need that tells of blurred eyes (眼睛看不清) meets it: its words name the eye
    blurred = make_need(title="两只眼睛看不清，想开刀", category="medical", beneficiary_age=70,
                        urgency=1, amount_needed=6000, groups=["dibao"],
                        description="两只眼睛看东西模模糊糊，医生讲要开刀，一只眼睛好几千。")
    order, reasons = ranked(blurred, [cataract, aid])
    assert order[0] == "BN"
    assert "注意: 专病项目，需求所患疾病不在其列" not in reasons["BN"]


def test_a_job_told_with_words_between_and_a_stall_to_open_and_no_parent_leaving_home():
    for text in ("想在镇上找个离家近、不太累的活。", "想找个轻巧点的事情做做。"):
        assert "job_seeking" in fired(text), text
    assert "self_employ" in fired("想在路口开个修车铺子，本钱不够。")
    assert "_parents_gone" not in fired("想找个离家近的活。")
