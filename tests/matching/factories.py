"""Plain factory functions and hypothesis strategies for needs and offers."""

import datetime as dt

from hypothesis import strategies as st

from matching import Need, Offer, OfferIndex, rank
from matching.reasons import ReasonMaker
from matching.schema import CATEGORIES, GROUPS
from matching.text import Lexicon, TextEncoder

REGIONS = ["南通市/如皋市/白蒲镇", "南通市/如皋市/九华镇", "南通市/海安市/城东镇",
           "南通市/海安市", "南通市/崇川区/任港街道/一村"]
COVERAGE = ["南通市", "南通市/如皋市", "南通市/海安市", "南通市/如皋市/白蒲镇",
            "南通市/崇川区", "南通市/崇川区/任港街道", "南通市/启东市"]
WORDS = ["白血病", "透析", "危房改造", "助学金", "临时救助", "上门照料", "法律援助", "轮椅", "就业"]


def ranked(need, offers, as_of=dt.date(2018, 3, 1)):
    """One need ranked alone against ``offers``: the offer ids in order and each one's reasons."""
    [got] = rank([need], OfferIndex(offers), as_of=as_of, top=5)
    return [r.offer_id for r in got.ranked], {r.offer_id: r.reasons for r in got.ranked}


def answers_warning(flag: str) -> str:
    """The warning of feature ``answers`` for the title flag ``flag``."""
    return ReasonMaker.ANSWERS[flag]


def programme(oid, title, description, category, provider_type="government",
              provider_name="区民政局"):
    """An offer as the tables of one-trouble programmes write it (test_kinds31, test_kinds32)."""
    return make_offer(id=oid, title=title, description=description, categories=[category],
                      provider_type=provider_type, provider_name=provider_name)


def warned_for(flag, offer, fields, description) -> bool:
    """Whether a need of ``fields`` that tells ``description``, ranked alone against ``offer``,
    gets the ``answers`` warning of the title flag ``flag``."""
    need = make_need(description=description,
                     **{"title": "家里的事", "amount_needed": None, "urgency": 2, **fields})
    _, reasons = ranked(need, [offer])
    return answers_warning(flag) in reasons[offer.id]


def make_need(**kw):
    base = {"id": "N1", "title": "白血病患儿治疗费用",
            "description": "孩子确诊白血病，急需医疗救助。", "category": "medical",
            "region": "南通市/如皋市/白蒲镇", "groups": ["dibao"], "beneficiary_age": 8,
            "income_per_capita": 600, "urgency": 3, "amount_needed": 50000}
    base.update(kw)
    return Need(**base)


# 重特大疾病医疗救助 as a city runs it: part of a patient's hospital bill, for households on 低保
# (a government body's, targeted at the household's group: every other piece of evidence
# favours it); the programme the warnings untimely and minor are about
MAJOR_ILLNESS_AID = {"id": "MAJ", "title": "重特大疾病医疗救助", "categories": ["medical"],
                     "eligible_groups": ["dibao", "low_income"], "mode": "cash",
                     "amount_per_beneficiary": 80000,
                     "description": "对低保、低收入家庭中罹患重特大疾病的患者，住院费用经基本医保"
                                    "报销后，个人自付部分按70%给予救助。"}


# the 低保 taper (a household whose income rose above the line after finding work keeps its 低保
# for a while) and the emergency relief it is compared with
TAPER = {"id": "JT", "title": "低保渐退帮扶", "categories": ["basic_living"],
         "eligible_groups": ["dibao"],
         "description": "低保家庭成员就业后家庭收入超过低保标准的，给予6个月渐退期，"
                        "期间继续享受低保待遇。"}
RELIEF = {"id": "JJ", "title": "急难型临时救助", "categories": ["basic_living", "emergency"],
          "description": "因突发事件导致基本生活陷入困境的家庭，给予一次性临时救助。"}


def school_grant(id_: str, title: str, description: str, provider_name: str = "市教育局"):
    """A student grant for ages 14 to 20 (senior high, 中职 or a first year at university)."""
    return make_offer(id=id_, title=title, description=description, categories=["education"],
                      provider_name=provider_name, age_min=14, age_max=20)


def make_offer(**kw):
    base = {"id": "O1", "title": "重特大疾病医疗救助",
            "description": "对白血病等重特大疾病患者给予医疗救助。",
            "provider_type": "government", "provider_name": "南通市医疗保障局",
            "categories": ["medical"], "coverage": ["南通市"]}
    base.update(kw)
    return Offer(**base)


def _opt(s):
    return st.one_of(st.none(), s)


@st.composite
def needs(draw, n_id):
    return Need(
        id=f"N{n_id}", title=draw(st.sampled_from(WORDS)) + "求助",
        description="".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))),
        category=draw(st.sampled_from(CATEGORIES)), region=draw(st.sampled_from(REGIONS)),
        groups=draw(st.lists(st.sampled_from(GROUPS), max_size=3, unique=True)),
        beneficiary_age=draw(_opt(st.integers(0, 100))),
        income_per_capita=draw(_opt(st.integers(0, 3000))),
        urgency=draw(st.integers(1, 3)), amount_needed=draw(_opt(st.integers(0, 100000))))


@st.composite
def offers(draw, o_id):
    amin = draw(_opt(st.integers(0, 80)))
    return Offer(
        id=f"O{o_id}", title=draw(st.sampled_from(WORDS)) + "项目",
        description="".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))),
        provider_type=draw(st.sampled_from(["government", "ngo", "donor", "enterprise"])),
        provider_name=draw(st.sampled_from(["甲机构", "乙机构", "丙机构"])),
        categories=draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2,
                                 unique=True)),
        coverage=draw(st.lists(st.sampled_from(COVERAGE), min_size=1, max_size=2, unique=True)),
        eligible_groups=draw(st.lists(st.sampled_from(GROUPS), max_size=2, unique=True)),
        age_min=amin,
        age_max=draw(_opt(st.integers(amin or 0, 100))),
        income_ceiling=draw(_opt(st.integers(0, 3000))),
        capacity_remaining=draw(_opt(st.integers(0, 3))),
        amount_per_beneficiary=draw(_opt(st.integers(0, 50000))),
        mode=draw(_opt(st.sampled_from(["cash", "in_kind", "service", "volunteer"]))),
        valid_from=draw(_opt(st.dates(dt.date(2017, 1, 1), dt.date(2018, 6, 1)))),
        valid_until=draw(_opt(st.dates(dt.date(2017, 6, 1), dt.date(2019, 1, 1)))))


@st.composite
def worlds(draw, max_needs=8, max_offers=12):
    n = draw(st.integers(1, max_needs))
    m = draw(st.integers(1, max_offers))
    return ([draw(needs(i)) for i in range(n)], [draw(offers(j)) for j in range(m)])


_LEXICON = Lexicon.load()
_ENCODER = TextEncoder(_LEXICON).fit(
    ["困难群众临时救助", "居家养老上门服务", "农村危房改造补助", "大病保险", "职业技能培训",
     "学生资助", "法律援助"])


def fired(text: str) -> set[str]:
    """Concepts and flags a text fires (need-side encoding): the tests of terms and kinds."""
    _, con, flags = _ENCODER.transform([text])
    got = {_LEXICON.ids[i] for i in range(len(_LEXICON.ids)) if con[0, i] > 0}
    return got | {_LEXICON.ids[i] for k, i in enumerate(_ENCODER.flag_ids_) if flags[0, k]}
