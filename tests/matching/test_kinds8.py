"""Kinds found by reading the diagnostic sets in the thirteenth session; every sentence here is
invented for the test, none is taken from a set.

- A need's urgency weighs towards emergency cash (急难型临时救助) only when the need names a
  sudden event (a fire, an accident, a disaster, a grave illness, a death, the breadwinner's
  loss, a home about to fall, or its own words of urgency) or is filed as an emergency: an old
  man living alone is a pressing case of care, and the fund with its reason "急难优先" does not
  rank above the care he asked for. The batch and the single-need path read it alike.
- A programme for employees (困难职工帮扶) is for a need that names an employer (a unit, a union,
  a boss, a site); a factory, a job, wages or a lay-off alone (在厂里搞卫生, 纺织厂辞退了) name
  none.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import matching
from matching import OfferIndex, rank
from matching.text import Lexicon

from .factories import make_need, make_offer, ranked
from .test_status import TEMPORARY, UNION, WARN

URGENT = "急难优先: 临时救助/急难资金"
_FUND = {"id": "FUND", "title": "急难型临时救助（先行救助）",
         "categories": ["emergency", "basic_living"], "mode": "cash",
         "amount_per_beneficiary": 5000,
         "description": "对因火灾、交通事故等意外事件或突发重大疾病，导致基本生活暂时出现严重"
                        "困难的家庭，由乡镇先行救助。"}
_CARE = {"id": "CARE", "title": "居家养老上门服务", "categories": ["care"], "mode": "service",
         "amount_per_beneficiary": None,
         "description": "为独居、高龄、失能老人提供上门助洁、助餐、陪同就医等居家养老服务。"}


def _alone(description: str):
    return make_need(id="OLD", title="独居老人没人照看", category="care", groups=["dibao"],
                     beneficiary_age=83, amount_needed=None, urgency=2,
                     description=description)


QUIET = _alone("老人83岁，老伴走了好些年，儿子一家在外省。腿脚不灵便，买菜做饭都吃力，"
               "想有人每周上门帮着打扫、送饭。")
BURNT = _alone("老人83岁独居，前天夜里灶屋起火，被褥衣服都烧了，人暂住在邻居家，"
               "想先解决吃住，再有人上门照看。")


def test_an_old_man_living_alone_is_care_not_emergency_cash():
    order, reasons = ranked(QUIET, [make_offer(**_FUND), make_offer(**_CARE)])
    assert order == ["CARE", "FUND"]
    assert URGENT not in reasons["FUND"]


def test_a_fire_makes_the_same_household_an_emergency():
    index = OfferIndex([make_offer(**_FUND), make_offer(**_CARE)])
    score = {}
    for need in (QUIET, BURNT):
        [got] = rank([need], index, as_of=dt.date(2018, 3, 1), top=5)
        score[need.description] = {x.offer_id: (x.score, x.reasons) for x in got.ranked}
    fund_quiet, fund_burnt = score[QUIET.description]["FUND"], score[BURNT.description]["FUND"]
    assert URGENT in fund_burnt[1] and fund_burnt[0] > fund_quiet[0]


def test_a_need_filed_as_an_emergency_keeps_its_urgency():
    need = make_need(id="EM", title="家里出了急事", category="emergency", groups=["dibao"],
                     beneficiary_age=60, amount_needed=None, urgency=3,
                     description="老人一个人过，眼下实在过不下去了，想请村里帮一把。")
    _, reasons = ranked(need, [make_offer(**_FUND), make_offer(**_CARE)])
    assert URGENT in reasons["FUND"]


def test_the_batch_reads_urgency_as_one_need_does():
    index = OfferIndex([make_offer(**_FUND), make_offer(**_CARE)])
    needs = [QUIET, dataclasses.replace(BURNT, id="FIRE")]
    day = dt.date(2018, 3, 1)
    batch = {r.need_id: r for r in rank(needs, index, as_of=day, top=5)}
    for need in needs:
        [alone] = rank([need], index, as_of=day, top=5)
        assert [(x.offer_id, x.score, x.reasons) for x in alone.ranked] == \
            [(x.offer_id, x.score, x.reasons) for x in batch[need.id].ranked]
    assert URGENT not in batch["OLD"].ranked[-1].reasons
    assert URGENT in {r for x in batch["FIRE"].ranked for r in x.reasons}


def test_a_factory_job_or_a_lay_off_alone_names_no_employer():
    cleaner = make_need(title="老伴瘫在床，想问能不能吃低保", category="basic_living",
                        beneficiary_age=56, groups=[], amount_needed=None, urgency=1,
                        description="老伴前年中风瘫了，我在厂里搞卫生，一个月一千多，"
                                    "给他买药都不够，想问问家里能不能申请低保。")
    laid_off = make_need(title="纺织厂辞退快半年", category="employment", beneficiary_age=48,
                         groups=[], amount_needed=None, urgency=1,
                         description="原来在纺织厂挡车，去年下半年年纪大的都被辞退了，"
                                     "工资也停了，到现在还没找到活。")
    for need in (cleaner, laid_off):
        _, reasons = ranked(need, [UNION, TEMPORARY])
        assert WARN in reasons["UNI"]
    member = make_need(title="单位效益不好家里困难", category="basic_living", beneficiary_age=45,
                       groups=[], amount_needed=None, urgency=1,
                       description="他在单位上班十几年，是工会会员，妻子生病住院，家里困难。")
    _, reasons = ranked(member, [UNION, TEMPORARY])
    assert WARN not in reasons["UNI"]


def test_a_lexicon_without_sudden_events_counts_every_urgency():
    # the packaged concept list without its @sudden lines, as a city's own list might be
    data = Path(matching.__file__).parent / "data"
    concepts = "".join(line for line in (data / "concepts.txt").read_text("utf-8")
                       .splitlines(keepends=True) if not line.startswith("@sudden"))
    lexicon = Lexicon.load(concepts, (data / "taxonomy.txt").read_text("utf-8"))
    index = OfferIndex([make_offer(**_FUND), make_offer(**_CARE)], lexicon=lexicon)
    [got] = rank([QUIET], index, as_of=dt.date(2018, 3, 1), top=5)
    assert URGENT in {r for x in got.ranked for r in x.reasons}
