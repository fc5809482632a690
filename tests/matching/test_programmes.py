"""Offers written with a programme's own name (门诊救助, 长者食堂, 雨露计划, 以工代赈 …) reach the
service a need asks for, and a need that names a programme meets an offer that names the
service, with the reason ("门诊救助 属于 医疗费用"). The names come from the policies declared in
data/taxonomy.txt (section "programmes and services")."""

from __future__ import annotations

import datetime as dt

import pytest

from matching import Need, Offer, OfferIndex, rank

from .factories import fired

AS_OF = dt.date(2018, 3, 1)



@pytest.mark.parametrize(
    "text, concept",
    [
        ("社区长者食堂每天中午开餐，辖区老人凭卡就餐", "meal_help"),
        ("幸福食堂为老人提供午餐，每餐补贴三元", "home_care"),
        ("雨露计划补助每生每学期1500元", "tuition"),
        ("对家庭经济困难幼儿减免保教费", "tuition"),
        ("以工代赈，组织当地群众参与村内道路修建", "job"),
        ("三重保障后负担仍然较重的困难群众，给予倾斜救助", "medical_cost"),
        ("城市惠民保，每人每年59元，既往症可保", "insurance"),
        ("救助管理站为生活无着人员提供临时食宿、护送返乡", "house_none"),
        ("村里的儿童主任定期走访，建立关爱台账", "kid_difficulty"),
        ("社工个案工作：评估需求、制定服务计划并跟进", "psych"),
        ("受灾群众冬春生活救助", "living"),
    ],
)
def test_a_programme_name_in_an_offer_lights_the_service_it_is_a_kind_of(text, concept):
    assert concept in fired(text)


@pytest.mark.parametrize(
    "text, concept",
    [
        ("开通危重患者就医绿色通道", "college_aid"),  # a hospital's 绿色通道 is no student aid
        ("法律援助对象可申请", "emp_assist"),  # 援助 of a lawyer is no job aid
        ("困难家庭大病救助分类施保", "kid_classified"),
    ],
)
def test_a_programme_name_does_not_fire_inside_other_wording(text, concept):
    assert concept not in fired(text)


def _offer(oid: str, title: str, description: str, category: str) -> Offer:
    return Offer(
        id=oid,
        title=title,
        description=description,
        provider_type="government",
        provider_name=f"{oid}单位",
        categories=(category,),
        coverage=("南通市",),
    )


def _ranked(need: Need, offers: list[Offer]):
    [ranking] = rank([need], OfferIndex(offers), as_of=AS_OF, top=len(offers))
    return ranking.ranked


@pytest.mark.parametrize(
    "need, right, wrong",
    [
        # a meal problem against a canteen named as the programme is named, and another kind
        # of daily help
        (
            ("独居老人做不了饭", "老人一个人住，做不了饭，经常有一顿没一顿", "care"),
            ("长者食堂", "社区长者食堂每天中午开餐，辖区老年人凭卡就餐，每餐补贴三元"),
            ("上门助浴", "为行动不便的老年人提供上门助浴"),
        ),
        # a vocational-school pupil's fees against 雨露计划, and a job fair
        (
            ("孩子读中职交不起学费", "儿子在读职高二年级，家里困难，学费交不上", "education"),
            ("雨露计划", "对农村低收入家庭子女给予补助，每生每学期1500元"),
            ("春季招聘会", "组织企业现场招聘，提供岗位信息"),
        ),
        # a long-term outpatient illness against 门诊救助, and legal aid
        (
            ("母亲常年吃药看病贵", "母亲患高血压糖尿病多年，每月药钱几百元，负担不起", "medical"),
            ("门诊救助", "对低保对象在定点机构的门诊费用按比例救助，年度限额两千元"),
            ("法律援助", "为困难群众提供免费法律咨询和代理"),
        ),
        # a household without a home against 救助管理站, and a school grant
        (
            ("无家可归", "男子外出打工失业，身无分文，露宿街头", "housing"),
            ("救助管理站", "为生活无着人员提供临时食宿、医疗和护送返乡"),
            ("助学金", "为困难学生发放助学金"),
        ),
    ],
)
def test_an_offer_named_as_its_programme_ranks_above_an_unrelated_one(need, right, wrong):
    title, description, category = need
    n = Need(
        id="N",
        title=title,
        description=description,
        category=category,
        region="南通市/如皋市/白蒲镇",
    )
    ranked = _ranked(n, [_offer("W", *wrong, category), _offer("R", *right, category)])
    assert [r.offer_id for r in ranked][0] == "R", [(r.offer_id, r.reasons) for r in ranked]
    reasons = {r.offer_id: r.reasons for r in ranked}["R"]
    assert any(r.startswith("内容相关") for r in reasons), reasons


@pytest.mark.parametrize(
    "need_text, offer, says",
    [
        (
            "想申请门诊救助",
            ("医疗费用救助", "对困难群众自付的医疗费用给予救助"),
            "门诊救助 属于 医疗费用",
        ),
        ("老人想去长者食堂吃饭", ("助餐", "为老年人提供助餐"), "老年助餐服务 属于"),
        ("孩子能不能申请雨露计划", ("学费资助", "对困难学生资助学费"), "雨露计划 属于 学费资助"),
        ("家里想申请低保", ("基本生活救助", "保障困难群众基本生活"), "最低生活保障 属于 基本生活"),
    ],
)
def test_a_need_naming_a_programme_meets_the_service_with_the_reason(need_text, offer, says):
    n = Need(
        id="N",
        title=need_text,
        description=need_text,
        category="basic_living",
        region="南通市/如皋市/白蒲镇",
    )
    [r] = _ranked(n, [_offer("O", *offer, "basic_living")])
    assert any(says in x for x in r.reasons), r.reasons


@pytest.mark.parametrize(
    "need_text, offer, says",
    [
        ("想申请孤儿基本生活费", ("孤儿关爱", "为孤儿提供关爱陪伴"), "孤儿基本生活费 针对"),
        ("老人想领高龄津贴", ("老年人关爱", "为老年人提供关爱"), "高龄津贴 针对 老人"),
        ("想申请重度残疾人护理补贴", ("重度残疾", "为重度残疾人服务"), "重度残疾人护理补贴 针对"),
    ],
)
def test_a_programme_for_a_group_is_said_to_serve_it_not_to_be_a_kind_of_it(need_text, offer, says):
    """高龄津贴 is a programme for old people, not a kind of old person: the reason says 针对."""
    n = Need(
        id="N",
        title=need_text,
        description=need_text,
        category="basic_living",
        region="南通市/如皋市/白蒲镇",
    )
    [r] = _ranked(n, [_offer("O", *offer, "basic_living")])
    assert any(says in x for x in r.reasons), r.reasons
    assert not any("属于" in x for x in r.reasons), r.reasons
