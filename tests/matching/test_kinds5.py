"""Words found by reading where data/match-freshx, -freshz, -freshaa … -freshag (new hands) fell;
every sentence here is invented for the test, none is taken from a set.

- Older pupils who extort a child (被高年级学生勒索) are bullying; a stepfather's beating
  (是继父打的) is family violence.
- Unpaid wages said plainly (厂里不发工资, 被欠工钱); a sublandlord who ran off with the rent
  (二房东卷款跑了) is no wage claim.
- Usury and creditors at the door (高利贷, 债主上门逼债, 夫妻共同债务) are a private-debt dispute
  (人民调解法); a platform's loan (网贷) is not.
- 门诊特定项目 is the outpatient special-disease benefit (门特 alone is no term: 部门特批).
- Money borrowed to get by (过年是借钱过的) is hardship, not a wish for a loan; money borrowed to
  raise pigs or open a shop (借钱养, 借钱开) is a business loan.
- 患儿 is any sick child (hospital notes call every child patient so), not a child with a
  major illness.
"""

from __future__ import annotations

import pytest

from .factories import fired


@pytest.mark.parametrize(
    "text, concept",
    [
        ("四年级，近两个月多次被高年级学生勒索零花钱、推搡", "bullying"),
        ("女儿周末回来身上有淤青，说是继父打的", "fam_violence"),
        ("服装厂从去年11月开始不发工资，老板说等货款", "wage_arrears"),
        ("跟着包工头干了一年，被欠工钱两万多", "wage_arrears"),
        ("丈夫借了高利贷人跑了，债主上门逼债", "loan_dispute"),
        ("对方说这是夫妻共同债务，要她来还", "loan_dispute"),
        ("门诊特定项目（门特）待遇认定", "special_outpatient"),
        ("前年借钱养了50头育肥猪，想接着养", "loan"),
    ],
)
def test_everyday_words_name_the_situation(text, concept):
    assert concept in fired(text)


@pytest.mark.parametrize(
    "text, concept",
    [
        ("二房东卷款跑了，大房东要他月底搬走", "wage_arrears"),
        ("用几个网贷平台拆东墙补西墙，催收电话打到单位", "loan_dispute"),
        ("患儿，男，5岁，确诊孤独症，在机构做康复训练", "child_major"),
        ("包工头跑了，过年是借钱过的，亲戚都借遍了", "loan"),
    ],
)
def test_words_that_do_not_name_the_situation(text, concept):
    assert concept not in fired(text)
