"""A programme for girls or women only does not help a boy or a man (feature ``sex``); the
need's sex is read from its text only where it states the beneficiary's (beneficiary.py)."""

from __future__ import annotations

from matching.beneficiary import sex_of

from .factories import make_need, make_offer, ranked

WARN = "注意: 项目只面向女童或妇女，需求对象为男性"

GIRLS = make_offer(id="GIRL", title="“春蕾”女童助学金", categories=["education"],
                   description="资助家庭困难的在校女童完成学业，每人每学年1500元。")
GRANT = make_offer(id="ALL", title="困难家庭学生助学金", categories=["education"],
                   description="对低保、低收入家庭的在校学生发放助学金，每人每学年1000元。")



def test_the_beneficiary_s_sex_is_the_one_stated_with_the_beneficiary_s_age():
    boy = make_need(title="初二学生学费困难", category="education", beneficiary_age=14,
                    description="学生刘某，男，14岁，读初二，父亲去世，母亲打零工。")
    assert 1 == sex_of(boy)
    assert 1 == sex_of(make_need(title="孩子上学", category="education", beneficiary_age=9,
                             description="家里9岁的儿子读三年级，书本费交不上。"))
    # a father applying for his daughter: the man is not the beneficiary
    daughter = make_need(title="女儿上高中", category="education", beneficiary_age=16,
                         description="申请人王某，男，45岁，女儿16岁读高一，家里困难。")
    assert 1 != sex_of(daughter)
    # no sex stated, or both for the same age: nothing is assumed
    assert 1 != sex_of(make_need(title="孩子上学", category="education", beneficiary_age=10,
                                 description="孩子10岁，上四年级，学费困难。"))
    assert 1 != sex_of(make_need(title="双胞胎上学", category="education", beneficiary_age=12,
                                 description="一儿一女，男，12岁，女，12岁，都在读六年级。"))


def test_a_girls_only_grant_ranks_below_other_help_for_a_boy_with_a_warning():
    boy = make_need(title="初二学生学费困难", category="education", beneficiary_age=14,
                    description="学生刘某，男，14岁，读初二，父亲去世，母亲打零工，学费和"
                                "生活费困难，想申请助学金。")
    order, reasons = ranked(boy, [GIRLS, GRANT])
    assert order == ["ALL", "GIRL"]
    assert WARN in reasons["GIRL"] and WARN not in reasons["ALL"]


def test_a_girl_or_an_offer_open_to_both_gets_no_warning():
    girl = make_need(title="初二女生学费困难", category="education", beneficiary_age=14,
                     description="学生刘某，女，14岁，读初二，父亲去世，母亲打零工，学费和"
                                 "生活费困难，想申请助学金。")
    _, reasons = ranked(girl, [GIRLS, GRANT])
    assert WARN not in reasons["GIRL"]
    both = make_offer(id="BOTH", title="困难学生助学（女童优先）", categories=["education"],
                      description="资助家庭困难的在校学生，男女不限，女童优先，每人1500元。")
    boy = make_need(title="初二学生学费困难", category="education", beneficiary_age=14,
                    description="学生刘某，男，14岁，读初二，学费困难，想申请助学金。")
    _, reasons = ranked(boy, [both, GRANT])
    assert WARN not in reasons["BOTH"]


def test_the_sex_the_platform_passes_wins_over_the_text():
    # the platform reads the beneficiary's sex from the ID number; a text that states none (or
    # the applicant's) then does not decide
    need = make_need(title="孩子上学", category="education", beneficiary_age=14,
                     description="孩子14岁读初二，学费和生活费困难，想申请助学金。")
    assert 1 != sex_of(need)
    need.beneficiary_sex = "男"
    assert 1 == sex_of(need)
    order, reasons = ranked(need, [GIRLS, GRANT])
    assert order == ["ALL", "GIRL"] and WARN in reasons["GIRL"]
    need.beneficiary_sex = "女"
    assert 1 != sex_of(need)
