"""Kinds read where the thirtieth session's eighth batch of blind sets fell; every sentence here
is invented for the test, none is taken from a set.

A handbook's cross-reference sends a group to another entry (中职学生见下一条, 普通高中学生见上
一条), as does 另按普高资助办理 or a notice's 普高的不算这个: the entry is not for that group.

普高 is 普通高中; an entry for students of 本科、专科 is for a 高职 student too.

独养儿子 (an only son, in the region's speech) is the only child of a family planning special
family (计生特殊家庭).

A letter names an adult son or daughter, or a parent, with the age after the word (女儿今年三十八,
我爸61岁): that is the beneficiary's sex, and a programme for single fathers is warned for her.

A loan told as what paid the fees (学费都是贷款解决的) is a loan held.

A husband who hits when drunk (喝多了就动手, 一喝酒就打) is family violence.

Read in the ninth batch: a girls' grant that names boys to leave them out (男生不在范围) is for
girls only; 升高中以后 and 考高中 are a plan, not the pupil's stage; 初中生不受理, 初中没有这个,
看下面那条 and 男孩不行 leave a group out; a 低保 cut after taking a job (低保金少了) is the
taper's trouble; a programme for union members only (须是工会会员) is not for a site worker;
吃了老酒就打 is family violence and 医保的钱没交上 an unpaid premium.

Read in the tenth batch: a freshmen's grant that says enrolled students get nothing (已经在读的大二
大三不给, …这个不给) is for freshmen only, even when it lets 高三学生 register ahead.

A screening or a cover to buy whose title names the illness the need already has (两癌筛查 for
a woman whose cervical cancer was diagnosed) is warned twice as hard as another preventive
programme, and ranks below the aid for the treatment; not for a woman who asks to be screened
because her sister fell ill, nor for a title that names the treatment too.
"""

from __future__ import annotations

import datetime as dt

from matching import OfferIndex
from matching.beneficiary import CHILD, sex_of
from matching.features import COL
from matching.rank import pair_features

from .factories import fired, make_need, make_offer, ranked

STAGE = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"
PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"
STATUS = ("注意: 项目面向特定身份人群（如退役军人、刑满释放人员、计生特殊家庭、受暴妇女、"
          "外卖快递骑手、单亲家庭、在职职工、工会会员、司法案件当事人），需求未提及该身份")
SEX_MEN = "注意: 项目只面向男童或男性，需求对象为女性"


def _offer(id_: str, title: str, description: str, **kw) -> object:
    base = {"categories": ["education"], "provider_type": "government",
            "provider_name": "县学生资助管理中心", "age_min": 14, "age_max": 22}
    base.update(kw)
    return make_offer(id=id_, title=title, description=description, **base)


SENIOR = _offer("PG", "普通高中家庭经济困难学生助学金",
                "第9条 【对象】在本县普通高中就读的困难家庭学生。【标准】每生每年2000元。"
                "【注意】只限普通高中在籍学生，中职学生见下一条。")
VOCATIONAL = _offer("ZZ", "中等职业学校家庭经济困难学生助学金",
                    "第10条 【对象】在本县中等职业学校（含技工学校）就读的困难家庭学生。"
                    "【标准】每生每年2000元。【注意】只限中职在籍学生，普通高中学生见上一条。")


def _pupil(description: str, age: int = 16) -> object:
    return make_need(title="孩子下学期的学费还没凑齐", category="education", beneficiary_age=age,
                     urgency=1, amount_needed=2000, groups=["dibao"], description=description)


def test_a_handbook_s_cross_reference_sends_a_group_to_the_other_entry():
    pupil = _pupil("女儿16岁，在县城普高读高一，住校，下学期学费住宿费两千多还差着。")
    order, reasons = ranked(pupil, [VOCATIONAL, SENIOR])
    assert order == ["PG", "ZZ"]
    assert STAGE in reasons["ZZ"]
    student = _pupil("儿子16岁，在区里中专学数控，一年级，住校，生活费一个月五六百。")
    order, reasons = ranked(student, [SENIOR, VOCATIONAL])
    assert order == ["ZZ", "PG"]
    assert STAGE in reasons["PG"]


def test_another_scheme_or_a_notice_s_bu_suan_leaves_the_group_out():
    pupil = _pupil("女儿17岁，在如皋城里读高二（普高，住校），资料费住校费这学期又涨了。", age=17)
    for text in ("读中职、技校的学生，一二年级，学费直接免。坑：普高的不算这个！",
                 "中职学校一二年级困难学生免学费。普通高中学生不适用，另按普高资助办理。"):
        vocational = _offer("ZZ", "中职免学费+助学金", text)
        _, reasons = ranked(pupil, [vocational])
        assert STAGE in reasons["ZZ"], text


def test_an_entry_for_ben_ke_and_zhuan_ke_is_for_a_gao_zhi_student():
    college = _offer("DX", "在校大学生助学补助",
                     "【对象】在全日制普通高校就读本科、专科的困难家庭子女。【标准】每生每年3000元。",
                     age_min=17, age_max=25)
    student = make_need(title="大一学生生活费不够", category="education", beneficiary_age=19,
                        urgency=1, amount_needed=3000, groups=["jiandang"],
                        description="小许19岁，在南京一所高职读大一，生活费一个月六七百，在食堂打工还是不够。")
    _, reasons = ranked(student, [college])
    assert STAGE not in reasons["DX"]


def test_an_only_son_in_the_region_s_speech_is_a_family_planning_special_family():
    assert "fp_special" in fired("伊独养儿子去年在工地出事走了，老两口从那以后不出门。")
    parents = make_need(title="独养儿子没了，老两口不出门", category="psychological",
                        beneficiary_age=67, urgency=2, amount_needed=None, groups=[],
                        description="伊独养儿子去年七月在工地出事走了，三十六岁，没成家。"
                                    "老两口从那以后不出门，老太天天在儿子房间里坐着。")
    special = make_offer(id="JS", title="计划生育特殊家庭特别扶助",
                         categories=["basic_living", "psychological"],
                         description="独生子女死亡或伤残后未再生育的夫妻，每人每月发放扶助金，"
                                     "并安排志愿者结对、心理慰藉。")
    _, reasons = ranked(parents, [special])
    assert STATUS not in reasons["JS"]


FATHERS = make_offer(id="BB", title="单亲家庭关爱金（单亲爸爸）", categories=["basic_living"],
                     description="资助独自抚养孩子的低收入单亲家庭，每户每年2000元。",
                     provider_type="ngo", provider_name="慈善会")
MOTHERS = make_offer(id="MM", title="单亲家庭关爱金（单亲妈妈）", categories=["basic_living"],
                     description="资助独自抚养孩子的低收入单亲家庭，每户每年2000元。",
                     provider_type="ngo", provider_name="慈善会")


def test_a_letter_s_adult_daughter_is_a_woman_and_a_programme_for_fathers_is_warned():
    letter = ("尊敬的镇领导：我是某村的倪某某，六十四岁，为了我女儿写信。女儿今年三十八，"
              "前年离的婚，两个孩子都跟着她，孩子爸爸说好每月给钱，只给了三个月。")
    daughter = make_need(title="离婚女儿独自带两个孩子", category="basic_living",
                         beneficiary_age=38, urgency=1, amount_needed=5000,
                         groups=["low_income"], description=letter)
    assert sex_of(daughter) == -1
    order, reasons = ranked(daughter, [FATHERS, MOTHERS])
    assert order == ["MM", "BB"]
    assert SEX_MEN in reasons["BB"]


def test_a_child_named_before_the_age_does_not_warn_a_programme_for_mothers():
    # a programme for mothers serves a boy's mother and, with her, the boy: the boy's sex
    # (read as a child's, beneficiary.CHILD) warns only programmes for girls or women
    boy = make_need(title="儿子不肯上学", category="psychological", beneficiary_age=10,
                    urgency=2, amount_needed=None, groups=["low_income"],
                    description="我四十二岁，离婚了，儿子10岁跟着我，这学期一说上学就哭。")
    assert sex_of(boy) == CHILD
    mothers = make_offer(id="MO", title="单亲妈妈心理支持小组", categories=["psychological"],
                         provider_type="ngo", provider_name="向阳社工",
                         description="离婚、丧偶后独自带孩子的妈妈，每两周一次小组活动，孩子的"
                                     "情绪问题也可以一起谈。")
    order, reasons = ranked(boy, [mothers])
    assert order == ["MO"] and not any(r.startswith("注意: 项目只面向") for r in reasons["MO"])


def test_a_loan_that_paid_the_fees_is_a_loan_held():
    loan = _offer("DK", "生源地信用助学贷款",
                  "全日制高校家庭困难学生可申请，每年最高8000元，用于学费和住宿费。",
                  age_min=16, age_max=30)
    living = make_offer(id="SH", title="在读大学生生活费资助", categories=["education"],
                        description="资助家庭困难的在读大学生生活费，每学期2000元。",
                        provider_type="ngo", provider_name="慈善会", age_min=16, age_max=30)
    student = make_need(title="大二学生生活费不够", category="education", beneficiary_age=20,
                        urgency=1, amount_needed=4000, groups=["low_income"],
                        description="陆某20岁，在南京一所高职读大二。学费前年、去年都是贷款解决的，"
                                    "每年八千。现在的问题是生活费，母亲每月给六七百还是不够。")
    order, reasons = ranked(student, [loan, living])
    assert order == ["SH", "DK"]
    assert any(r.startswith("需求已享受") for r in reasons["DK"])


SCREENING = make_offer(id="SC", title="农村妇女宫颈癌、乳腺癌免费筛查", categories=["medical"],
                       description="农村户籍35—64周岁妇女免费做妇科检查、宫颈细胞学检查和乳腺彩超。"
                                   "这是筛查，不出治疗费；已确诊的不在筛查范围。",
                       age_min=35, age_max=64)
CANCER_AID = make_offer(id="JZ", title="困难群众大病医疗救助", categories=["medical"],
                        eligible_groups=["dibao", "low_income"], amount_per_beneficiary=20000,
                        description="低保、低收入家庭成员患重大疾病住院治疗的，医保报销后自付部分给予救助。")


def test_a_screening_for_the_cancer_already_diagnosed_ranks_below_the_treatment_aid():
    patient = make_need(title="宫颈癌刚确诊，住院的钱发愁", category="medical", beneficiary_age=38,
                        urgency=3, amount_needed=40000, groups=["dibao"],
                        description="小郁38岁，1月底查出宫颈癌，医生讲要手术再放疗，"
                                    "自家拿不出钱，男人讲要卖车。")
    order, reasons = ranked(patient, [SCREENING, CANCER_AID])
    assert order == ["JZ", "SC"]
    assert PREVENTIVE in reasons["SC"]
    assert _prevention(patient, [SCREENING]) == {"SC": 2.0}


def _prevention(need, offers) -> dict[str, float]:
    """Each offer's ``prevention`` feature against ``need``."""
    _, oids, X = pair_features([need], OfferIndex(offers), as_of=dt.date(2018, 3, 1))
    return dict(zip(oids, X[:, COL.prevention].tolist(), strict=True))


def test_a_woman_who_asks_to_be_screened_keeps_the_screening_first():
    sister = make_need(title="姐姐得了宫颈癌，自己也想查一查", category="medical",
                       beneficiary_age=51, urgency=1, amount_needed=None, groups=["low_income"],
                       description="孙阿姨51岁，姐姐去年查出宫颈癌做了手术。她自己这几个月偶尔也有出血，"
                                   "心里发毛，这辈子没做过妇科检查，想去查一查。")
    order, _ = ranked(sister, [SCREENING, CANCER_AID])
    assert order[0] == "SC"
    assert _prevention(sister, [SCREENING])["SC"] < 2.0


def test_a_title_that_names_the_treatment_too_is_no_screening_only():
    boy = make_need(title="3岁儿子室间隔缺损待手术", category="medical", beneficiary_age=3,
                    urgency=3, amount_needed=35000, groups=["low_income"],
                    description="儿子3岁，出生时查出心脏有个洞（室间隔缺损），上海的医生说今年要尽快手术，"
                                "手术费六七万，医保能报一部分，钱还差三万多。")
    text = "为0—14岁先天性心脏病患儿免费筛查，确诊需手术的资助手术费用。"
    offers = [make_offer(id=id_, title=title, categories=["medical"], description=text,
                         provider_type="ngo", provider_name="红十字会", age_min=0, age_max=14)
              for id_, title in (("SS", "先天性心脏病患儿免费筛查和手术资助"),
                                 ("S", "先天性心脏病患儿免费筛查"))]
    # the screening alone is warned twice as hard; the title that names the surgery and the
    # illness is a fund for its patients, not warned (the thirty-sixth session: a surgery whose
    # patients a screening finds treats the illness)
    assert _prevention(boy, offers) == {"SS": 0.0, "S": 2.0}


def test_a_husband_who_hits_when_drunk_is_family_violence():
    for text in ("丈夫喝酒，喝多了就动手，这几年打过不知多少回。",
                 "男人一喝酒就打人，孩子吓得躲在床底下。"):
        assert "fam_violence" in fired(text), text
    wife = make_need(title="丈夫酒后长期打人，想离婚带孩子", category="legal", beneficiary_age=36,
                     urgency=2, amount_needed=None, groups=["low_income"],
                     description="丈夫喝酒，喝多了就动手，这几年打过不知多少回，过年那天把她眼角打破缝了三针。"
                                 "她这次是真想离了，孩子要带着，没钱请人打官司。")
    rights = make_offer(id="FL", title="妇联婚姻家庭维权（家暴、抚养、赡养）",
                        categories=["legal", "psychological"], provider_name="市妇联",
                        description="为遭受家庭暴力的妇女提供法律咨询、申请人身安全保护令和离诉代理。")
    _, reasons = ranked(wife, [rights])
    assert STATUS not in reasons["FL"]



def test_a_parent_named_before_the_age_gives_the_sex():
    father = make_need(title="父亲排尿不畅不肯花钱检查", category="medical", beneficiary_age=61,
                       urgency=1, amount_needed=None, groups=["low_income"],
                       description="村长，我爸61岁，夜里一趟一趟起来小便，伊讲老毛病覅紧。想带伊检查检查。")
    mother = make_need(title="母亲腿脚不便", category="care", beneficiary_age=78, urgency=1,
                       amount_needed=None, groups=["low_income"],
                       description="我妈七十八了，一个人在老家，腿脚不便，烧饭都难。")
    assert sex_of(father) == 1 and sex_of(mother) == -1
    _, reasons = ranked(father, [SCREENING])
    assert "注意: 项目只面向女童或妇女，需求对象为男性" in reasons["SC"]


def test_a_girls_grant_that_names_boys_to_leave_them_out_is_for_girls_only():
    girls = _offer("NS", "“巾帼助学”困难女生资助",
                   "初中、高中在读的困难家庭女生，每学期600元。"
                   "只资助女生，男生不在范围。",
                   provider_name="市妇联", age_min=12, age_max=18)
    boy = _pupil("来访学生：初二(3)班 丁某，男，14岁，走读。班费、资料费常拖，家里建档立卡。",
                 age=14)
    _, reasons = ranked(boy, [girls])
    assert "注意: 项目只面向女童或妇女，需求对象为男性" in reasons["NS"]


def test_rising_to_high_school_is_a_plan_not_the_stage():
    senior = _offer("GZ", "在读高中生助学",
                    "普通高中、中职在读的困难学生每年2000元。初中生不受理。")
    pupil = _pupil("来访学生：初三(1)班 黄某，男，16岁，住校。自己想读高中，爷爷讲读书要钞票。"
                   "这学期住校的生活费、升高中以后的费用都要想一下。")
    _, reasons = ranked(pupil, [senior])
    assert STAGE in reasons["GZ"]


def test_a_dibao_cut_after_taking_a_job_is_the_taper_s_trouble():
    assert "dibao_exit" in fired("去年底在超市做收银，工资一千九，这个月低保金少了一大半。")


def test_a_need_that_asks_to_be_checked_is_not_warned_off_the_screening():
    screening = make_offer(id="AZ", title="城乡居民癌症早诊早治免费筛查", categories=["medical"],
                           description="40—74岁城乡居民可免费做胃镜、低剂量CT等癌症早期筛查。"
                                       "已确诊的不在筛查范围。", age_min=40, age_max=74)
    old_man = make_need(title="吞咽哽噎消瘦老人未检查", category="medical", beneficiary_age=62,
                        urgency=2, amount_needed=None, groups=["low_income"],
                        description="冒某某，男，62岁，近3个月吃东西噎，瘦了十来斤，一直没去医院。"
                                    "子女说家里钱紧。评估建议：尽快安排消化道相关检查明确诊断。")
    assert _prevention(old_man, [screening]) == {"AZ": 0.0}
    _, reasons = ranked(old_man, [screening])
    assert PREVENTIVE not in reasons["AZ"]


UNION_LAWYERS = make_offer(id="GH", title="职工法律援助（工会）", categories=["legal"],
                           provider_name="市总工会",
                           description="总工会的免费律师，管工伤、欠薪、劳动合同。须是工会会员（有会员证、"
                                       "厂里扣会费的）。不是会员的去找司法局。")
LEGAL_AID = make_offer(id="SF", title="法律援助（讨薪、工伤）", categories=["legal"],
                       provider_name="市法律援助中心",
                       description="农民工讨薪、工伤赔偿，经济困难的免费代理。")


def test_a_programme_for_union_members_only_is_not_for_a_site_worker():
    site = make_need(title="南京工地被欠薪三个月", category="legal", beneficiary_age=45,
                     urgency=2, amount_needed=18000, groups=["jiandang"],
                     description="我在南京工地上做钢筋工，老板欠了我们三个月工资一万八，"
                                 "去劳动局说让我们找包工头，不懂法。")
    order, reasons = ranked(site, [UNION_LAWYERS, LEGAL_AID])
    assert order == ["SF", "GH"]
    assert STATUS in reasons["GH"]
    member = make_need(title="厂里欠薪", category="legal", beneficiary_age=45, urgency=2,
                       amount_needed=18000, groups=["jiandang"],
                       description="我在镇上纺织厂做了二十年，是厂里的工会会员，厂子欠了三个月工资。")
    _, reasons = ranked(member, [UNION_LAWYERS, LEGAL_AID])
    assert STATUS not in reasons["GH"]
    assert any(r.startswith("身份相符") and "工会会员" in r for r in reasons["GH"])


def test_a_notebook_s_pointers_leave_a_group_out():
    senior = _offer("GZ", "普通高中国家助学金",
                    "教育局的。只给读普通高中的（高一到高三），一年两千。"
                    "问过了：初中没有这个，初中住校的看下面那条。", age_min=12)
    girls = _offer("CL", "春蕾计划（只给女孩）",
                   "妇联的。只资助女生！家里是保户、建卡、低收入的，一年一千。"
                   "问过了：男孩不行，男孩去找下面慈善那个。", age_min=6, age_max=18)
    pupil = _pupil("我囡儿今年初三，辣镇上中学住校，老师讲考高中没问题。"
                   "住校一个学期伙食费住宿费要一千多。", age=15)
    _, reasons = ranked(pupil, [senior])
    assert STAGE in reasons["GZ"]
    boy = _pupil("小孙，男，12岁，读初一，住校，伙食费住宿费凑不齐。", age=12)
    _, reasons = ranked(boy, [girls])
    assert "注意: 项目只面向女童或妇女，需求对象为男性" in reasons["CL"]


def test_more_ways_to_say_a_drunk_husband_hits_and_an_unpaid_premium():
    assert "fam_violence" in fired("男人吃了老酒就打人，结婚十年打过好几趟。")
    assert "med_enrol_aid" in fired("他讲去年年底医保的钱没交上，现在看病怕要全自费。")


def test_a_title_that_says_free_check_is_a_screening_title():
    check = make_offer(id="JC", title="城乡妇女两癌免费检查", categories=["medical"],
                       description="35—64岁妇女每三年免费做一次宫颈癌、乳腺癌筛查。",
                       age_min=35, age_max=64)
    patient = make_need(title="乳腺癌开过刀，化疗的钱拿不出", category="medical",
                        beneficiary_age=52, urgency=3, amount_needed=30000, groups=["low_income"],
                        description="今年正月里摸着一个硬块，到南通一查，乳腺癌，已经开过刀，"
                                    "现在化疗，每趟要好几千。")
    assert _prevention(patient, [check]) == {"JC": 2.0}


ENROLMENT = "注意: 新生入学资助，需求中的学生已在读"


def test_a_freshmen_grant_that_says_enrolled_students_get_nothing_is_for_freshmen():
    student = make_need(title="大二女儿下学期的钱", category="education", beneficiary_age=20,
                        urgency=1, amount_needed=6000, groups=["dibao"],
                        description="女儿20岁，在扬州读大二，学护理，"
                                    "开学要交住宿费、书本费，估计六千。")
    for text in ("只给2018年新录取的大学新生，已经在读的大二大三不给。",
                 "是今年考上了的新生才给，一人五千。已经在读大学的，大一大二大三的，这个不给。",
                 "2018年被录取的困难家庭新生；已经在读的大学生不在此列。"
                 "高三学生可先向学校团委预登记，录取后凭录取通知书领。"):
        grant = _offer("XS", "大学新生资助", text, age_min=16, age_max=25)
        _, reasons = ranked(student, [grant])
        assert ENROLMENT in reasons["XS"], text


def test_a_slide_or_a_talk_that_says_a_stage_is_not_here_leaves_it_out():
    student = make_need(title="大一女儿学费", category="education", beneficiary_age=19, urgency=1,
                        amount_needed=6000, groups=["low_income"],
                        description="女儿19岁，在扬州读大一。下学期学费还不晓得到哪里去弄。")
    for text in ("普通高中、中等职业学校在校生，每人每年2000元。"
                 "（讲师备注：小学初中不在这一页，大学也不在。）",
                 "伢儿读高中的，普通高中啊，一年给两千块。高中毕业了、上了大学的就没得了。"):
        senior = _offer("GZ", "高中阶段国家助学金", text, age_min=14, age_max=22)
        _, reasons = ranked(student, [senior])
        assert STAGE in reasons["GZ"], text
