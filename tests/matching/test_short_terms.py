"""Short concept terms (two characters or one) fire wherever their characters stand side by
side, so each must not sit inside a frequent word or phrase of another meaning. These cases
come from an audit of every term of <= 2 characters against the frequent words of a general
Chinese word list (jieba's dictionary) and against the phrases a caseworker writes: the term
was replaced by its longer forms (data/README.md, "Taxonomy")."""

from __future__ import annotations

import pytest

from .factories import fired


@pytest.mark.parametrize(
    "text, concept",
    [
        ("这样下去还得了？他说记得了", "_existing"),  # 得了
        ("为了办低保跑了好几趟民政所", "wages"),  # 跑了
        ("丈夫在船厂做高空作业", "after_school"),  # 作业
        ("家中是军人家属，也是职工家属", "illness_family"),  # 家属
        ("儿子在科技公司当技术人员", "training"),  # 技术
        ("企业技术改造后他被调岗", "house_danger"),  # 改造
        ("儿子在城里买了房子", "house_danger"),  # 房子
        ("经相关部门特批", "special_outpatient"),  # 门特
        ("妻子在纺织厂上中班", "stage_preschool"),  # 中班
        ("平时在邻居家吃饭", "home_work"),  # 居家
        ("申请劳动仲裁，仲裁员已受理", "unemployed"),  # 裁员
        ("隔壁的老奶奶常来看她", "left_child"),  # 奶奶
        ("村干部帮忙填写申请表", "home_care"),  # 帮忙
        ("心里火烧火燎，事情火烧眉毛", "home_fire"),  # 火烧
        ("交通事故赔偿纠纷经交警调解", "family_dispute"),  # 纠纷, 调解
        ("儿子月工资约2400元", "wages"),  # 工资
    ],
)
def test_a_short_term_does_not_fire_inside_a_common_word_of_another_meaning(text, concept):
    assert concept not in fired(text)


@pytest.mark.parametrize(
    "text, concept",
    [
        ("去年得了重病，一直在治疗", "_existing"),
        ("包工头跑了，工钱没拿到", "wages"),
        ("拖欠工资一万二", "wages"),
        ("放学后没人辅导孩子做作业", "after_school"),
        ("肿瘤患者及其家属都很焦虑", "illness_family"),
        ("想学一门技术找工作", "training"),
        ("申请农房改造", "house_danger"),
        ("享受门特待遇", "special_outpatient"),
        ("孩子在读幼儿园中班", "stage_preschool"),
        ("想在家居家办公做点手工", "home_work"),
        ("去年被裁员后一直没工作", "unemployed"),
        ("父母外出，孩子跟着奶奶生活", "left_child"),
        ("房子被大火烧了", "home_fire"),
        ("夫妻闹离婚，家庭纠纷需要调解", "family_dispute"),
    ],
)
def test_the_longer_form_still_fires(text, concept):
    assert concept in fired(text)
