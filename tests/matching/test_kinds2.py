"""Kinds of failure found by reading where data/match-fresha (new cases, new programmes) fell;
every sentence here is invented for the test, none is taken from that set.

- Short terms that sit inside a standard phrase of another meaning: 外伤 in 意外伤害 (the name
  of a whole class of insurance and a cause 临时救助 notices list), 致贫 in 致贫原因 (the heading
  of a 建档立卡 case record), 内向 in "…小时内向…报告" (a notice's deadline), 课后 in 体育课后,
  要回来 (any sum owed, not only wages).
- Received with an adverb or a short verb (已按月领取, 已领过), new-student grants, everyday
  words for 赡养 and 求职, and 大学 in a university hospital's name.
"""

from __future__ import annotations

import datetime as dt

import pytest

from matching import OfferIndex, rank

from .factories import fired, make_need, make_offer

AS_OF = dt.date(2018, 3, 1)
WARN = "注意: 专病项目，需求所患疾病不在其列"


@pytest.mark.parametrize(
    "text, concept",
    [
        ("为参保居民统一办理意外伤害保险", "fracture"),           # 外伤 in 意外伤害
        ("因意外伤害、突发事件导致生活困难的可申请", "fracture"),
        ("家庭情况：三口人。致贫原因：缺劳动力。", "poverty_return"),  # 致贫 in 致贫原因
        ("受灾后应在24小时内向村委会报告", "withdrawn"),              # 内向 in 小时内向
        ("受灾后应在三日内向镇政府提出申请", "psych"),
        ("孩子上完体育课后头晕", "after_school"),                    # 课后 in 体育课后
        ("想把车祸的赔偿要回来", "wages"),                            # 要回来 is not only wages
    ],
)
def test_a_short_term_does_not_fire_inside_a_standard_phrase(text, concept):
    assert concept not in fired(text)


@pytest.mark.parametrize(
    "text, concept",
    [
        ("他从脚手架上摔下来受了外伤", "fracture"),
        ("头部外伤后一直头痛", "fracture"),
        ("家里因学致贫，两个孩子都在读大学", "poverty_return"),
        ("刚脱贫，还有重新致贫的风险", "poverty_return"),
        ("女儿性格内向，在学校不说话", "withdrawn"),
        ("孩子内向不合群", "psych"),
        ("放学后想找个地方课后托管", "after_school"),
        ("想请律师帮忙把赔偿要回来", "legal_claim"),
        ("包工头欠的工钱到现在没给", "wages"),
    ],
)
def test_the_longer_form_still_fires(text, concept):
    assert concept in fired(text)


def _ranked(need, offers):
    [got] = rank([need], OfferIndex(offers), as_of=AS_OF, top=5)
    return [r.offer_id for r in got.ranked], {r.offer_id: r.reasons for r in got.ranked}


RELIEF = make_offer(id="TR", title="困难群众临时救助", categories=["emergency", "basic_living"],
                    description="因火灾、交通事故等意外伤害或突发重病导致生活暂时困难的家庭，"
                                "可申请一次性临时救助，最高5000元。")


def test_an_emergency_fund_that_names_accidents_is_no_injury_fund_for_a_patient():
    need = make_need(title="丈夫肝癌住院", category="medical",
                     description="丈夫查出肝癌，住院做介入治疗，自付了两万多，家里揭不开锅。")
    _, reasons = _ranked(need, [RELIEF])
    assert WARN not in reasons["TR"]


OPEN = make_offer(id="OP", title="重特大疾病慈善医疗援助", categories=["medical"],
                  description="对患尿毒症、恶性淋巴瘤、白血病等重特大疾病的困难患者，"
                              "按自付费用的50%给予援助，每人最高2万元。")
CLOSED = make_offer(id="CL", title="尿毒症透析援助", categories=["medical"],
                    description="对患尿毒症须长期血液透析的困难患者，每人每年援助3000元。")


def test_a_list_of_examples_of_serious_illness_is_open_to_another_serious_illness():
    need = make_need(title="孩子先天性心脏病要手术", category="medical",
                     description="儿子八岁，查出先天性心脏病，医生说要尽快做手术，费用六万多。")
    _, reasons = _ranked(need, [OPEN, CLOSED])
    assert WARN not in reasons["OP"]
    assert WARN in reasons["CL"]


# -- what a need already receives, written with an adverb or a short verb -------------------
@pytest.mark.parametrize(
    "text, words",
    [
        ("老人已按月领取高龄津贴，腿脚不便。", ["高龄津贴"]),
        ("他已连续享受低保。", ["低保"]),
        ("女儿上大学那年已领过一次助学金，现在读大三。", ["一次助学金"]),
        ("家里已拿了一次慰问金。", ["一次慰问金"]),
    ],
)
def test_a_receipt_with_an_adverb_or_a_short_verb_is_a_span(text, words):
    from matching.received import spans
    assert [text[s:e] for s, e in spans(text)] == words


def test_an_application_not_yet_granted_is_no_span():
    from matching.received import spans
    assert spans("上个月已申请了低保，还没批下来。") == []


NEWGRANT = make_offer(id="NEW", title="困难家庭高校新生入学资助", categories=["education"],
                      amount_per_beneficiary=4000, mode="cash",
                      description="只资助当年被高校录取的新生（在校生不在资助范围），一次性4000元。")
STUDENT = make_offer(id="STU", title="困难大学生助学金", categories=["education"],
                     amount_per_beneficiary=2000, provider_type="ngo",
                     description="对家庭经济困难的在读大学生发放助学金，用于生活费。")


def test_a_grant_that_excludes_enrolled_students_warns_a_student_who_got_it_as_a_freshman():
    need = make_need(title="大三学生生活费困难", category="education", beneficiary_age=21,
                     description="儿子在扬州读大三，刚入学时已领过新生入学资助，父亲腰伤干不了活，"
                                 "下学期生活费没有着落。")
    [got] = rank([need], OfferIndex([NEWGRANT, STUDENT]), as_of=AS_OF, top=5)
    assert [r.offer_id for r in got.ranked] == ["STU", "NEW"]
    assert "注意: 新生入学资助，需求中的学生已在读" in got.ranked[1].reasons


# -- everyday words for grown children who do not support a parent (赡养, 民法典婚姻家庭编) --------
@pytest.mark.parametrize(
    "text",
    ["老汉八十了，两个女儿都不肯养他", "闺女出嫁后不给养老钱，老人只能捡破烂",
     "老两口的子女都不愿养，老人生活没着落"],
)
def test_children_who_do_not_support_a_parent_is_a_maintenance_matter(text):
    assert "maintenance" in fired(text)


def test_a_maintenance_matter_meets_legal_advice_on_family_support_first():
    advice = make_offer(id="LAW", title="社区法律咨询", categories=["legal"],
                        description="律师每周到社区值班，免费解答婚姻家庭、赡养、继承等法律问题。")
    visit = make_offer(id="VIS", title="空巢老人探访", categories=["care"], provider_type="ngo",
                       description="志愿者每周探访空巢老人，陪聊天、打扫卫生。")
    need = make_need(title="老人没人管", category="legal", beneficiary_age=80,
                     description="王大爷八十岁，三个儿子都不肯养他，一个月也见不到一次，"
                                 "老人想知道怎么让儿子们出钱。")
    [got] = rank([need], OfferIndex([advice, visit]), as_of=AS_OF, top=5)
    assert got.ranked[0].offer_id == "LAW"


# -- seeking a steady job (《就业服务与就业管理规定》's 求职) ---------------------------------
@pytest.mark.parametrize(
    "text",
    ["厂子关门后，他想找份稳定的活", "希望早点找到工作养家", "想找个长期的事做，不想再打零工"])
def test_seeking_a_steady_job_is_job_seeking(text):
    assert "job_seeking" in fired(text)


def test_a_parent_who_left_home_is_no_behaviour_problem_of_the_child():
    assert "behaviour" not in fired("母亲前年离家出走，孩子跟着爷爷生活")
    assert "behaviour" in fired("儿子十四岁，迷上网络游戏，多次离家出走")


def test_a_university_hospital_is_no_university_student():
    from matching.features import need_text
    patient = make_need(title="父亲肺癌化疗", category="medical",
                        description="父亲在南通大学附属医院确诊肺癌，正在化疗，自付费用高。")
    pupil = make_need(title="女儿读大二", category="education",
                      description="女儿在扬州大学读大二，学费还差四千。")
    assert "college" not in fired(need_text(patient))
    assert "college" in fired(need_text(pupil))
