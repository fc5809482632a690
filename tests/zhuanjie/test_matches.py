from tests.zhuanjie.factories import HAIAN_TOWN, make_need, make_offer, make_org, make_user
from zhuanjie.db import utc_now
from zhuanjie.models import Offer


def _ids(client, need_id, **params):
    body = client.get(f"/api/v1/needs/{need_id}/matches", params=params).json()
    return [r["offer_id"] for r in body["ranked"]], body


def test_matches_are_admissible_explained_and_the_look_alikes_say_why_not(session, login):
    worker = make_user(session, "caseworker")
    need = make_need(
        session, worker, title="尿毒症透析费用", description="每周透析三次，自付难以承担"
    )
    near = make_offer(
        session,
        make_org(session, kind="government", name="如皋市医疗保障局"),
        title="慢性肾衰竭透析救助",
        coverage=("南通市/如皋市",),
    )
    far = make_offer(session, title="透析患者专项救助", coverage=(HAIAN_TOWN,))
    full = make_offer(session, title="重病透析补助", capacity=2, places_taken=2)
    client = login(worker.username)
    ranked, body = _ids(client, need.id)
    assert ranked == [near.id]
    first = body["ranked"][0]
    assert 0 < first["score"] <= 1 and first["reasons"] and first["remaining"] == 10
    excluded = {e["offer_id"]: e["rules"] for e in body["excluded"]}
    assert excluded[far.id] == ["不在服务范围"] and excluded[full.id] == ["名额已满"]
    page = client.get(f"/needs/{need.id}/matches")
    assert "慢性肾衰竭透析救助" in page.text and "不在服务范围" in page.text


def test_offers_changing_after_the_first_look_show_up_at_once(session, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    first = make_offer(session, title="大病医疗救助")
    client = login(worker.username)
    assert _ids(client, need.id)[0] == [first.id]
    second = make_offer(session, title="重特大疾病医疗救助")
    assert sorted(_ids(client, need.id)[0]) == sorted([first.id, second.id])
    row = session.get(Offer, first.id)
    row.places_taken, row.updated_at = row.capacity, utc_now()
    session.add(row)
    session.commit()
    ranked, body = _ids(client, need.id)
    assert ranked == [second.id]
    assert next(e for e in body["excluded"] if e["offer_id"] == first.id)["rules"] == ["名额已满"]
    row = session.get(Offer, second.id)
    row.status, row.updated_at = "closed", utc_now()
    session.add(row)
    session.commit()
    assert _ids(client, need.id)[0] == []


def test_filters_by_provider_kind_and_mode(session, login):
    worker = make_user(session, "caseworker")
    need = make_need(session, worker)
    gov = make_offer(session, make_org(session, kind="government"), mode="cash")
    ngo = make_offer(session, make_org(session, kind="ngo"), mode="service")
    client = login(worker.username)
    assert _ids(client, need.id, provider_kind="government")[0] == [gov.id]
    assert _ids(client, need.id, mode="service")[0] == [ngo.id]
