"""Kinds read where the thirtieth session's eleventh batch of blind sets fell; every sentence here
is invented for the test, none is taken from a set.

A funeral's costs (丧事、火化 borrowed for) meet the funeral-fee waiver (惠民殡葬), a programme the
taxonomy had no word for.

A hotline script's "读普通高中的不走这个，请改用话术21" sends a group to another entry.

English prose in a bilingual offer does not fire the lexicon's short English words ("can ...
enrolled" holds every bigram of "cancer").

一点进账也没有 is an income lost; 不肯去上学 is a child refusing school; 职教中心 is a 中职 school;
白天…有个地方去 is daytime care.

A programme whose title names its school stage (留守初中生周末成长营) is for that stage only, as
student aid is; 中小学 names 小学 too.

Read in the twelfth batch: the region's Wu characters (勿, 侪, 呒, 囡) read as the Mandarin ones
they stand for; sons who will not keep their mother (两个儿子都不管, 三个儿子侪勿肯养) is a
maintenance case; a drunk son who pushes his old mother is family violence; aid for students
already at university (在读大学生助学) is not for a pupil in 高三.
"""

from __future__ import annotations

from .factories import fired, make_need, make_offer, ranked, school_grant

STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"
ENROLLED = "注意: 在读大学生资助，需求中的学生尚未入学"


def test_a_funeral_s_costs_meet_the_funeral_fee_waiver():
    for text in ("丧事花了八千多，火化的钱也是借的。", "老伴走了，办后事的钱是亲戚凑的。"):
        assert "funeral_aid" in fired(text), text
    # a death alone is no funeral cost: the waiver is only reached through 家庭成员死亡
    assert "funeral_aid" not in fired("老伴去年病故，现在一个人过。")
    widow = make_need(title="老伴病故，丧事钱是借的", category="basic_living", beneficiary_age=61,
                      urgency=2, amount_needed=8000, groups=["jiandang"],
                      description="老伴一月份肺气肿病故，丧事花了八千多，火化那块的钱也是借的，"
                                  "她以后一个人过，心里慌。")
    waiver = make_offer(id="BZ", title="基本殡葬服务费用减免", categories=["basic_living"],
                        provider_name="市民政局", eligible_groups=["dibao", "tekun", "jiandang"],
                        description="逝者生前为低保、特困或建档立卡对象的，遗体接运、火化、"
                                    "普通骨灰盒免费，已付款的凭发票退还。")
    relief = make_offer(id="WN", title="冬令送温暖物资", categories=["basic_living"],
                        provider_type="ngo", provider_name="慈善总会",
                        description="给困难家庭送棉被一床、米20斤、油一桶。")
    order, reasons = ranked(widow, [relief, waiver])
    assert order == ["BZ", "WN"]
    assert any("惠民殡葬" in r for r in reasons["BZ"])


def test_a_hotline_script_s_bu_zou_zhe_ge_sends_the_group_to_another_entry():
    vocational = school_grant("ZZ", "中职学生免学费及助学金",
                              "【话术22】如果来电人说孩子在读职校、技校，就告诉他：中职学生免学费，"
                              "困难家庭的学生每年另拿2000元助学金。符合条件：只给中等职业学校在读学生。"
                              "读普通高中的不走这个，请改用话术21。")
    senior = school_grant("PG", "普通高中困难学生助学金",
                          "【话术21】如果来电人说孩子在读高中、学费生活费跟不上，就告诉他：普通高中的"
                          "困难学生每年可以拿2000元助学金。符合条件：只给普通高中在读学生。")
    pupil = make_need(title="孙女开学要交住宿费", category="education", beneficiary_age=17,
                      urgency=1, amount_needed=3000, groups=["low_income"],
                      description="孙女17岁，在县中学读高二，爷娘离了，开学要交住宿费、书本费，"
                                  "奶奶七十多，种两亩地。")
    order, reasons = ranked(pupil, [vocational, senior])
    assert order == ["PG", "ZZ"]
    assert STAGE in reasons["ZZ"]


def test_english_prose_does_not_fire_short_english_words():
    prose = ("Households newly recognised in 2018 can still be enrolled within 3 months; "
             "our note for donors: families often pay first and are laid low by it.")
    got = fired(prose)
    assert "cancer" not in got and "aids_devices" not in got and "job" not in got
    # the long English words stay: a need that writes "leukemia" still names the illness
    assert "leukemia" in fired("孩子确诊 leukemia，在儿童医院化疗。")


def test_no_income_coming_in_is_an_income_lost():
    for text in ("老头子走了以后，屋里一点进账也呒没。", "厂子关了，现在一分钱进账都没有。",
                 "他讲再没进账日子过不下去。"):
        assert "living_cost_income_loss" in fired(text), text
    assert "living_cost_income_loss" not in fired("家里只有低保金进账，另外没有别的开销。")


def test_a_child_who_will_not_go_to_school_is_school_refusal():
    for text in ("伢儿开学一个礼拜都不肯去上学，夜里要跟妈妈睡。", "孩子不敢去学校，说同学笑他。",
                 "儿子死活不去学校，在家里关着门。"):
        assert "school_refusal" in fired(text), text


def test_a_programme_whose_title_names_its_stage_is_for_that_stage():
    camp = make_offer(id="CZ", title="留守初中生周末成长营", categories=["care"],
                      provider_type="ngo", provider_name="社工服务社",
                      description="周末把留守孩子接到营地，看作业、做活动、谈心。")
    classes = make_offer(id="XS", title="留守儿童四点半课堂", categories=["care"],
                         provider_type="ngo", provider_name="社工服务社", age_min=6, age_max=12,
                         description="放学后在村部看作业、读绘本，六点前送到家。只收小学生。")
    boy = make_need(title="奶奶管不住孙子", category="care", beneficiary_age=11, urgency=2,
                    amount_needed=None, groups=["left_behind_child"],
                    description="孙子读五年级，爸妈在上海打工，放了学就往网吧跑，奶奶喊不动他，"
                                "作业也不晓得做没做。")
    order, reasons = ranked(boy, [camp, classes])
    assert order == ["XS", "CZ"]
    assert STAGE in reasons["CZ"]
    # the camp is still for a pupil of its own stage
    pupil = make_need(title="孙子周末没人管", category="care", beneficiary_age=13, urgency=2,
                      amount_needed=None, groups=["left_behind_child"],
                      description="孙子读初一，爸妈在外打工，周末就在家打游戏。")
    _, reasons = ranked(pupil, [camp, classes])
    assert STAGE not in reasons["CZ"]
    # 中小学 names 小学 as well as 初中
    talks = make_offer(id="ZX", title="中小学生心理辅导进校园", categories=["psychological"],
                       provider_type="ngo", provider_name="心理咨询中心",
                       description="心理老师每月进校开讲座、做个别辅导。")
    _, reasons = ranked(boy, [talks])
    assert STAGE not in reasons["ZX"]


def test_a_vocational_education_centre_is_a_zhong_zhi_school():
    assert "stage_voc_secondary" in fired("女儿16岁，在职教中心读一年级，学护理，住校。")
    vocational = school_grant("ZZ", "中职学生免学费及助学金",
                              "只给中等职业学校（职校、技校）在读学生，每年2000元。")
    daughter = make_need(title="女儿住校生活费", category="education", beneficiary_age=16,
                         urgency=1, amount_needed=3000, groups=["dibao"],
                         description="一个人带女儿，女儿16岁在职教中心读一年级学护理，住校每个月"
                                     "生活费要600。")
    _, reasons = ranked(daughter, [vocational])
    assert STAGE not in reasons["ZZ"]


def test_somewhere_to_go_in_the_daytime_is_daytime_care():
    assert "daytime_care" in fired("要是白天他有个地方去，跟人在一块做点事，我也能喘口气。")
    # after school is another thing: a child's after-school care, not daytime care
    assert "daytime_care" not in fired("希望孩子放学后有个地方去，有人看着写作业。")


def test_the_region_s_wu_characters_read_as_the_mandarin_ones():
    # 勿肯养 is 不肯养, 侪勿管 is 都不管, 呒没进账 is 没有进账
    assert "maintenance" in fired("伲有三个儿子，侪勿肯养伲，一分钿也勿拿。")
    assert "living_cost_income_loss" in fired("老头子走脱以后，屋里一点进账也呒没。")
    legal = make_offer(id="FY", title="法律援助申请条件", categories=["legal"],
                       provider_name="市司法局",
                       description="追索赡养费、抚养费、劳动报酬等事项，经济困难的可申请法律援助，"
                                   "由法律援助中心指派律师免费代理。")
    pack = make_offer(id="LY", title="开春粮油包", categories=["basic_living"], provider_type="ngo",
                      provider_name="慈善总会", description="给困难老人送米一袋、油一桶。")
    mother = make_need(title="老人语音：三个儿子侪勿肯养", category="basic_living",
                       beneficiary_age=76, urgency=2, amount_needed=None, groups=["low_income"],
                       description="伲七十六了，有三个儿子，侪勿肯养伲，大个讲叫小个养，小个讲叫"
                                   "大个养，一分钿也勿拿。伲住在后头一间小棚子里。")
    _, reasons = ranked(mother, [pack, legal])
    assert any(r.startswith("内容相关") and "抚养赡养" in r for r in reasons["FY"])


def test_sons_who_will_not_keep_their_mother_is_a_maintenance_case():
    for text in ("两个儿子都不管，哪个都不给钱。", "三个儿子互相推诿赡养，村里调解过没用。",
                 "老人三个儿子你推我我推你，谁也不肯接她去住。"):
        assert "maintenance" in fired(text), text


def test_a_drunk_son_who_pushes_his_old_mother_is_family_violence():
    for text in ("邻居悄悄讲儿子喝多了推她、骂她。", "儿子酒后推搡老母亲，手臂上有淤青。"):
        assert "fam_violence" in fired(text), text


def test_aid_for_students_at_university_is_not_for_a_pupil_in_gao_san():
    enrolled = make_offer(id="ZD", title="在读大学生助学告知", categories=["education"],
                          provider_type="enterprise", provider_name="某公司工会",
                          description="资助目前已在全日制普通高校就读的本科、专科在校生，每人每学年"
                                      "4000元。尚未入学的高中毕业生本项目不受理。")
    senior = make_offer(id="PG", title="普通高中家庭经济困难学生资助", categories=["education"],
                        provider_name="市教育局",
                        description="普通高中在校困难学生免学费，并发放国家助学金每年2000元。")
    pupil = make_need(title="高三儿子，妈妈打听考上大学的事", category="education",
                      beneficiary_age=18, urgency=1, amount_needed=3000, groups=["dibao"],
                      description="儿子十八，在县中学读高三，男人前年得病走了，娘儿两个靠低保和她在"
                                  "食堂帮工。听人讲考上大学有人给钱，资料费、伙食费也紧。")
    order, reasons = ranked(pupil, [enrolled, senior])
    assert order == ["PG", "ZD"]
    assert ENROLLED in reasons["ZD"]
    # a student at university now is who it is for
    student = make_need(title="大二学费", category="education", beneficiary_age=20, urgency=1,
                        amount_needed=4000, groups=["dibao"],
                        description="儿子在南京读大二，下学期学费住宿费四千还没凑齐。")
    _, reasons = ranked(student, [enrolled, senior])
    assert ENROLLED not in reasons["ZD"]
