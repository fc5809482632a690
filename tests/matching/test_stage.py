"""Student aid is paid by school stage (feature ``stage``, stages.py): a 中职 fee waiver does
not pay a 高二 pupil's costs, nor a 普通高中 grant a 中专 student's; a broader stage (高中阶段,
义务教育, 中小学) stands for every stage under it, and a programme that is no student aid is
not closed to any stage."""

from __future__ import annotations

from matching import OfferIndex
from matching.stages import LEAVES

from .factories import make_need, make_offer, ranked

WARN = "注意: 项目按学段资助或开办，需求中的学生不在本项目所列学段"

VOC = make_offer(id="VOC", title="中等职业学校免学费及国家助学金", categories=["education"],
                 description="中职学校全日制在校学生中的家庭经济困难学生免除学费，并按每生"
                             "每年2000元发放国家助学金。")
SENIOR = make_offer(id="SEN", title="普通高中家庭经济困难学生资助", categories=["education"],
                    description="普通高中在校生中的低保、低收入家庭学生，免除学杂费，每生每年"
                                "发放助学金2000元。")
BOTH = make_offer(id="HIGH", title="高中阶段学生资助", categories=["education"],
                  description="对普通高中和中等职业学校家庭经济困难学生发放助学金，每生每年"
                              "2000元。")



def _stages(texts):
    """The stages each text names (no age: a child's age would add the stages it allows)."""
    ix = OfferIndex([VOC])
    side = ix.need_side([make_need(title=t, description=t, category="education",
                                   beneficiary_age=None) for t in texts])
    return [{LEAVES[j] for j in range(len(LEAVES)) if row[j]} for row in side.stage]


def test_a_text_names_its_stages_and_a_broader_stage_stands_for_those_under_it():
    got = _stages(["孩子在技校读书", "女儿读高二", "儿子上幼儿园大班", "孩子上高中阶段",
                   "家里两个中小学生", "孩子刚考上大学", "老人腿脚不便"])
    assert got[0] == {"stage_voc_secondary"}              # 技校 is 中职, not 普通高中 too
    assert got[1] == {"stage_senior"}
    assert got[2] == {"stage_preschool"}
    assert got[3] == {"stage_senior"}
    assert got[4] == {"stage_primary", "stage_junior"}
    assert got[5] >= {"stage_voc_higher", "stage_undergraduate"}   # 大学: 高职 or 本科
    assert got[6] == set()


def test_a_school_year_written_bare_after_an_age_or_in_a_list_names_its_stage():
    got = _stages(["学生周某，男，16岁，高一。父亲病故", "两个孩子（高二、初一）都在上学",
                   "女，19岁，大一，学费靠贷款", "在启东某高级中学住校",
                   "成绩还想再提高一点，", "房子比路面高一些",
                   "班主任反映：高二（5）班女生周某", "儿子9岁，三年级，成绩中等",
                   "父亲服刑还有三年多，孩子成绩在年级前五十名", "高二女生读书难",
                   "父残母病。高一男生，学费紧"])
    assert got[0] == got[6] == {"stage_senior"}
    assert got[1] == {"stage_senior", "stage_junior"}
    assert got[2] >= {"stage_voc_higher", "stage_undergraduate"}
    assert got[3] == {"stage_senior"}
    assert got[7] == {"stage_primary"}
    assert got[4] == got[5] == got[8] == set()
    # a year opening the title or a sentence, before 女生/男生
    assert got[9] == got[10] == {"stage_senior"}


def test_how_new_students_apply_is_no_stage():
    # 新生入学后向学校申请 is how a 中职 grant is applied for, not a college one
    voc = make_offer(id="VOC2", title="中等职业学校国家助学金", categories=["education"],
                     description="中等职业学校一、二年级家庭经济困难学生每生每年2000元。办理方式："
                                 "新生入学后向学校学生资助办公室申请。")
    college = make_offer(id="COL", title="高校家庭经济困难新生资助", categories=["education"],
                         description="考入高职院校或本科院校的家庭经济困难学生，一次性资助5000元。")
    fresher = make_need(title="高职大一学生生活费没着落", category="education",
                        beneficiary_age=18, groups=["jiandang"],
                        description="学生冒某，18岁，去年考入南京某职业技术学院会计专业，学费已办"
                                    "助学贷款，第二学期生活费和住宿费没有着落。")
    order, reasons = ranked(fresher, [voc, college])
    assert order == ["COL", "VOC2"] and WARN in reasons["VOC2"]


def test_aid_for_another_stage_ranks_below_the_stage_s_own_with_a_warning():
    pupil = make_need(title="高二学生学费困难", category="education", beneficiary_age=16,
                      description="学生王某，16岁，在县中读高二，父亲去世，母亲务农，学费和"
                                  "生活费交不起，想申请助学金。")
    order, reasons = ranked(pupil, [VOC, SENIOR])
    assert order == ["SEN", "VOC"]
    assert WARN in reasons["VOC"] and WARN not in reasons["SEN"]
    trainee = make_need(title="中专学生生活费困难", category="education", beneficiary_age=16,
                        description="学生李某，16岁，在市中专读数控专业一年级，低保家庭，"
                                    "生活费困难，想申请助学金。")
    order, reasons = ranked(trainee, [SENIOR, VOC])
    assert order == ["VOC", "SEN"]
    assert WARN in reasons["SEN"] and WARN not in reasons["VOC"]


def test_aid_for_both_stages_and_needs_naming_no_stage_get_no_warning():
    pupil = make_need(title="高二学生学费困难", category="education", beneficiary_age=16,
                      description="学生王某，16岁，读高二，学费交不起，想申请助学金。")
    _, reasons = ranked(pupil, [BOTH, VOC])
    assert WARN not in reasons["HIGH"]
    unnamed = make_need(title="孩子上学学费困难", category="education", beneficiary_age=16,
                        description="孩子16岁还在上学，家里低保，学费交不起，想申请助学金。")
    _, reasons = ranked(unnamed, [VOC, SENIOR])
    assert not any(WARN in r for r in reasons.values())


def test_a_programme_that_is_no_student_aid_is_open_to_every_stage():
    # its text names 中小学生 among those it reaches; a title that names them is for them only
    # (test_kinds19)
    mentoring = make_offer(id="MEN", title="困境学生结对辅导", categories=["care", "education"],
                           description="组织志愿者与困境家庭的中小学生结对，定期家访、辅导功课。")
    trainee = make_need(title="中专学生没人辅导", category="education", beneficiary_age=16,
                        description="学生李某，16岁，读中专，父母在外打工，学习没人管，"
                                    "希望有人辅导功课。")
    _, reasons = ranked(trainee, [mentoring])
    assert WARN not in reasons["MEN"]


def test_a_living_allowance_that_mentions_one_stage_s_students_is_no_student_aid():
    orphans = make_offer(id="ORP", title="孤儿基本生活保障",
                         categories=["basic_living", "education"],
                         description="对父母双亡的未满18周岁儿童按月发放基本生活费，每人每月1300元；"
                                     "就读高校的孤儿另有助学资助。")
    pupil = make_need(title="父母双亡的孩子生活困难", category="basic_living", beneficiary_age=10,
                      description="孩子10岁，读小学四年级，父母前年车祸都去世了，跟爷爷生活。")
    order, reasons = ranked(pupil, [orphans])
    assert order == ["ORP"] and WARN not in reasons["ORP"]


def test_an_offer_without_a_category_is_indexed_and_is_no_student_aid():
    bare = make_offer(id="BARE", title="助学金", categories=[],
                      description="资助家庭困难的普通高中学生，每生每年2000元。")
    pupil = make_need(title="中专学生学费困难", category="education", beneficiary_age=16,
                      description="学生李某，16岁，读中专，学费交不起。")
    order, reasons = ranked(pupil, [bare, VOC])
    assert "BARE" in order and WARN not in reasons["BARE"]


def test_a_programme_for_ben_zhuan_ke_students_pays_an_undergraduate():
    # 本专科生 is 本科 and 专科 students: its bigrams hold 专科 but not 本科, so it was read as
    # 高职 alone and a 大二 本科 student was warned off the student loan
    loan = make_offer(id="LOAN", title="生源地信用助学贷款", categories=["education"],
                      description="家庭经济困难的全日制普通高校新生和在校生可申请，本专科生每人"
                                  "每年最高8000元，在校期间财政贴息。")
    need = make_need(title="大二学费没着落", category="education", beneficiary_age=20,
                     description="女儿在南京读大二（本科），家里低保，下学期学费还差五千。")
    order, reasons = ranked(need, [loan, SENIOR])
    assert order[0] == "LOAN"
    assert WARN not in reasons["LOAN"]
    assert WARN in reasons["SEN"]
