"""Kinds of failure found by reading where data/match-freshc (new cases, new programmes) fell,
medical, care, rehabilitation and psychological needs; every sentence here is invented for the
test, none is taken from that set.

- A mood is no illness: 情绪困扰 (焦虑, 情绪低落) has 抑郁症 as its one narrower node, and was
  counted as an illness, so a counselling line for low moods became a "disease fund" warned off
  any need that named an illness.
- The 第一批罕见病目录 names missing from the taxonomy (脊髓性肌萎缩症, 黏多糖贮积症 …).
"""

from __future__ import annotations

import datetime as dt

import pytest

from matching import OfferIndex, rank

from .factories import fired, make_need, make_offer

AS_OF = dt.date(2018, 3, 1)
WARN = "注意: 专病项目，需求所患疾病不在其列"


def _ranked(need, offers):
    [got] = rank([need], OfferIndex(offers), as_of=AS_OF, top=5)
    return [r.offer_id for r in got.ranked], {r.offer_id: r.reasons for r in got.ranked}


HOTLINE = make_offer(id="HL", title="社区心理关爱热线", categories=["psychological"],
                     provider_type="ngo", mode="volunteer",
                     description="心理咨询师接听热线，为情绪低落、焦虑失眠、遭遇变故的居民提供"
                                 "免费倾诉和疏导，必要时上门面谈。")


def test_a_counselling_line_for_low_moods_is_no_disease_fund():
    need = make_need(title="老伴去世后整天发呆", category="psychological", beneficiary_age=70,
                     description="老人患糖尿病多年，上个月老伴病逝，他天天以泪洗面，"
                                 "女儿在外地，希望有人常来陪他说说话。")
    _, reasons = _ranked(need, [HOTLINE])
    assert WARN not in reasons["HL"]


# -- names of the 第一批罕见病目录 (国卫医发〔2018〕10号) ------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["女儿两岁，确诊脊髓性肌萎缩症，站不起来", "儿子患黏多糖贮积症，要做酶替代治疗",
     "妹妹得了肝豆状核变性，长期吃药", "孩子是白化病，视力很差", "父亲患多系统萎缩，走路不稳"],
)
def test_a_disease_of_the_rare_disease_list_is_a_rare_disease(text):
    assert {"rare_listed", "rare_disease", "serious_illness"} <= fired(text)


RARE = make_offer(id="RD", title="罕见病患儿关爱基金", categories=["medical"],
                  provider_type="ngo", amount_per_beneficiary=10000, mode="cash",
                  description="资助确诊罕见病的困难家庭儿童购买特殊药品，每人最高1万元。")
GENERIC = make_offer(id="GN", title="困难家庭儿童门诊补助", categories=["medical"],
                     provider_type="ngo", amount_per_beneficiary=500, mode="cash",
                     description="困难家庭儿童看门诊的自付药费按次补助，每人每年最高500元。")


def test_a_child_with_a_listed_rare_disease_meets_the_rare_disease_fund_first():
    need = make_need(title="孩子得了脊髓性肌萎缩症", category="medical", beneficiary_age=3,
                     description="女儿三岁确诊脊髓性肌萎缩症，药要几十万一针，家里借遍了亲戚。")
    order, reasons = _ranked(need, [GENERIC, RARE])
    assert order[0] == "RD" and WARN not in reasons["RD"]


# -- a family carer's burden in everyday words, and the programmes for carers (国办发〔2019〕5号:
# 喘息服务, 家庭照护者培训) ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, concept",
    [
        ("婆婆瘫在床上，我一个人照顾吃不消了", "respite"),
        ("只想有人替一下，让我喘口气", "respite"),
        ("为家庭照护者开设护理技能课", "respite"),
        ("小组活动帮助家属缓解照护压力", "caregiver_stress"),
        ("长期护理负担和照顾压力都落在女儿身上", "caregiver_stress"),
    ],
)
def test_a_carer_s_burden_and_help_for_carers(text, concept):
    assert concept in fired(text)
