"""Kinds read where the diagnostic sets fell in the twenty-third session; every sentence
here is invented for the test, none is taken from a set.

A benefit a social-insurance fund pays for what has already happened (工伤保险待遇 paid by the
工伤保险基金 once an injury at work is recognised, 失业保险金, 生育保险待遇) is a claim, not a
cover to buy in advance: its 参保单位 is not the 参保 of a policy to take out, and a worker
hurt on a building site is not told it may not apply to what already happened.

A fear of a day to come (怕哪天我也…, 担心哪天…) is a wish for cover, as 万一 is: a widow whose
husband died of cancer and who fears she may be next asks for an insurance, and the cancer
told as her husband's story does not warn it as preventive.
"""

from __future__ import annotations

import pytest

from .factories import MAJOR_ILLNESS_AID, make_need, make_offer, ranked

PREVENTIVE = "注意: 预防性项目（投保/筛查等），对已发生的情况可能不适用"

_WORK_INJURY = {"id": "GSB", "title": "工伤认定和工伤保险待遇",
                "categories": ["employment", "legal"],
                "provider_name": "南通市人力资源和社会保障局",
                "description": "职工因工作原因受到伤害的，由用人单位或本人申请工伤认定；认定后，"
                               "参保单位的职工由工伤保险基金支付医疗费和伤残待遇。"}
_BUY = {"id": "YWX", "title": "务工人员意外伤害保险投保补贴", "categories": ["insurance"],
        "provider_type": "ngo", "provider_name": "某保险公司",
        "description": "外出务工人员自愿投保意外伤害保险的，补贴一半保费，自投保次日起生效。"}


def test_a_work_injury_benefit_is_a_claim_not_a_cover_to_buy():
    need = make_need(title="工地摔伤腰想申请工伤", category="employment", beneficiary_age=46,
                     amount_needed=None, groups=["low_income"],
                     description="在建筑工地干活时从架子上摔下来，腰椎骨折住院，老板只给了"
                                 "一点钱，想问工伤怎么申请、医药费谁来出。")
    order, reasons = ranked(need, [make_offer(**_WORK_INJURY), make_offer(**_BUY)])
    assert order[0] == "GSB"
    assert PREVENTIVE not in reasons["GSB"]
    assert PREVENTIVE in reasons["YWX"]


_COVER = {"id": "CII", "title": "困难家庭重大疾病保险公益投保", "categories": ["insurance"],
          "provider_type": "ngo", "provider_name": "某保险公司", "mode": "cash",
          "amount_per_beneficiary": 50000,
          "description": "为困难家庭18至50周岁成员免费办理一份重大疾病保险，确诊恶性肿瘤等"
                         "重大疾病后一次性给付5万元。"}


def _widow_ranked(description: str, age: int = 36):
    """A widow's wish for cover, ranked against the patient's-bill programme and the cover."""
    widow = make_need(title="想给自己买个大病保险", category="insurance", groups=["dibao"],
                      beneficiary_age=age, amount_needed=None, urgency=1,
                      description=description)
    return ranked(widow, [make_offer(**MAJOR_ILLNESS_AID), make_offer(**_COVER)])


def test_a_fear_of_a_day_to_come_asks_for_cover():
    order, reasons = _widow_ranked("问：家里的怎么走的？答：前年胃癌，没撑到一年。问：现在想办"
                                   "什么？答：我一个人带女儿，就怕哪天我也生个大病，伢儿没人管。",
                                   age=41)
    # the husband's cancer, told as what happened, no longer makes the cover she asks for
    # one that "may not apply to what already happened"
    assert order[0] == "CII"
    assert PREVENTIVE not in reasons["CII"]


@pytest.mark.parametrize("words", ["我身体目前没毛病，就是怕", "就怕我万一也生个大病，",
                                   "我们两口子身体都还好，就怕"])
def test_a_wish_for_cover_said_with_words_between_still_asks_for_cover(words):
    # 身体目前没毛病, 万一也生个大病, 身体都还好: the words of the wish with a word between them
    order, reasons = _widow_ranked(f"孩子爸爸前年肝癌去世，看病欠了十几万。{words}孩子以后没人管，"
                                   "商业保险太贵买不起。")
    assert order[0] == "CII"
    assert PREVENTIVE not in reasons["CII"]


def test_a_student_who_entered_university_last_year_is_enrolled():
    # 去年考入/去年入学: next year's fees are an enrolled student's, not a freshman's
    student = make_need(title="大学生下学年学费差着", category="education", groups=["low_income"],
                        beneficiary_age=19, amount_needed=6000,
                        description="孩子去年考入南京一所大学，家里人均月收入一千元，下学年学费"
                                    "住宿费还差着，父亲肝硬化长期吃药。")
    freshman = make_offer(id="NEW", title="大学新生教育救助", categories=["education"],
                          amount_per_beneficiary=5000,
                          description="对当年考入全日制普通高校的低收入家庭新生一次性资助5000元。")
    grant = make_offer(id="GRA", title="企业爱心助学金", categories=["education"],
                       provider_type="enterprise", provider_name="某企业",
                       amount_per_beneficiary=3000,
                       description="资助家庭困难的在读大学生，每人每年3000元，连续资助至毕业。")
    order, reasons = ranked(student, [freshman, grant])
    assert order[0] == "GRA"
    assert "注意: 新生入学资助，需求中的学生已在读" in reasons["NEW"]


UNTIMELY = "注意: 本项目补助患者已发生的医疗费用，需求中尚未患病，所求是预防或保障"


@pytest.mark.parametrize("death", ["孩子爸爸前年得肝癌走的", "孩子爸爸前年肝癌走了"])
def test_an_illness_someone_died_of_told_as_zou_le_is_not_the_need_s(death):
    # 得肝癌走的, 肝癌走了: a death as people say it; the widow who fears she may be next is
    # well, and a programme paying a patient's bill is warned for her (deceased.py)
    order, reasons = _widow_ranked(f"{death}，看病欠了十几万。我身体还好，就怕哪天我也生个大病，"
                                   "孩子没人管。")
    assert order[0] == "CII"
    assert UNTIMELY in reasons["MAJ"]


@pytest.mark.parametrize("sign", ["最近痰中带血", "这两个月大便带血", "洗澡时摸到肿块"])
def test_a_warning_sign_of_cancer_asks_for_the_cancer_screening(sign):
    # 痰中带血, 便血, 摸到肿块: the national list's warning signs call for the cancer check
    # (早诊早治), not for a cancer patient's help; a general check-up comes after it
    screening = make_offer(id="SCR", title="城乡居民癌症早诊早治免费筛查", categories=["medical"],
                           mode="service",
                           description="为40至74周岁居民免费提供肺癌、胃癌、结直肠癌等癌症筛查，"
                                       "筛查出可疑病变的转诊治疗。")
    checkup = make_offer(id="CHK", title="65岁以上老年人免费健康体检", categories=["medical"],
                         mode="service",
                         description="每年为65岁以上老年人免费体检一次：血压、血糖、血常规、心电图。")
    need = make_need(title="想免费查一查", category="medical", beneficiary_age=55,
                     groups=["low_income"], amount_needed=None, urgency=1,
                     description=f"他{sign}，不敢去大医院，怕花钱，想免费查一查。")
    order, reasons = ranked(need, [checkup, screening])
    assert order[0] == "SCR"
    assert any("癌症筛查" in r for r in reasons["SCR"])
