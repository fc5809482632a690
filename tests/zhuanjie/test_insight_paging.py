"""Long lists a supervisor reads page by page (the rows behind a KPI tile, page and API, and
the private donors' offers waiting for review), and small counts kept out of reports that
leave the platform."""

from __future__ import annotations

from tests.zhuanjie.factories import make_org, make_user
from tests.zhuanjie.test_insight import NOW, OCT, city  # noqa: F401 - the hand-made city
from zhuanjie.clock import frozen
from zhuanjie.insight import service
from zhuanjie.models import Offer
from zhuanjie.pagination import Page


def test_the_rows_behind_a_tile_come_a_page_at_a_time(session, city, client, login):  # noqa: F811
    admin = make_user(session, "admin")
    with frozen(NOW):
        first = service.tile_rows(session, user=admin, key="registered", period=OCT,
                                  page=Page(1, 4))
        last = service.tile_rows(session, user=admin, key="registered", period=OCT,
                                 page=Page(4, 4))
    assert (first.total, len(first.rows), len(last.rows)) == (15, 4, 3)
    assert not {r[0] for r in first.rows} & {r[0] for r in last.rows}
    login(admin)
    api = client.get("/api/v1/insight/rows/registered?kind=month&day=2026-10-15&page=4&size=4")
    assert api.status_code == 200
    body = api.json()
    assert (body["total"], body["page"], body["size"], len(body["rows"])) == (15, 4, 4, 3)
    assert client.get("/api/v1/insight/rows/met?page=0").status_code == 422
    page = client.get("/insight/rows/met?kind=month&day=2026-10-15&page=9")
    assert page.status_code == 200 and "共 7 条" in page.text


def test_offers_waiting_for_review_are_paged(session, client, login):
    donor = make_org(session, name="王老师", kind="donor", status="person", is_person=True)
    for i in range(35):
        session.add(Offer(organisation_id=donor.id, title=f"课业辅导{i:02d}", status="review"))
    session.commit()
    login(make_user(session, "admin"))
    first = client.get("/reviews/offers")
    assert first.status_code == 200 and first.text.count("<section class=\"card\">") == 30
    assert "共 35 条，第 1/2 页" in first.text
    second = client.get("/reviews/offers?page=2")
    assert second.text.count("<section class=\"card\">") == 5 and "课业辅导34" in second.text
    api = client.get("/api/v1/reviews/offers?page=4&size=10")
    assert api.status_code == 200 and [o["title"] for o in api.json()] == [
        f"课业辅导{i}" for i in range(30, 35)]


def test_an_impact_breakdown_shows_small_counts_only_as_fewer_than(session, city, monkeypatch):  # noqa: F811
    staff = make_user(session, "org_staff", organisation_id=city.id)
    monkeypatch.setattr(service, "min_cases", lambda: 5)
    with frozen(NOW):
        _summary, towns, groups, _cats, _months = service.impact(session, user=staff, period=OCT)
    assert towns.rows == [["如皋市白蒲镇", 6], ["海安市城东镇", "少于5"]]
    assert groups.rows == [["低保对象", 6], ["特困人员", "少于5"]]
    assert "不足 5 次" in towns.caption


def test_a_supervisor_opens_an_organisation_s_page_from_the_performance_table(
        session, city, client, login):  # noqa: F811
    rugao = make_user(session, "supervisor", region_path="南通市/如皋市")
    haian = make_user(session, "supervisor", region_path="南通市/海安市")
    with frozen(NOW):
        table = service.performance(session, user=rugao, period=OCT)
        name, tables = service.organisation_report(session, user=rugao,
                                                   organisation_id=city.id, period=OCT)
        _name, theirs = service.organisation_report(session, user=haian,
                                                    organisation_id=city.id, period=OCT)
    assert table.links == [f"/insight/organisations/{city.id}?kind=month&day=2026-10-15"]
    assert name == "如皋慈善会"
    assert dict(tables[0].rows)["收到转介"] == 7 and dict(theirs[0].rows)["收到转介"] == 1
    assert tables[1].rows == [["如皋市白蒲镇", 6]]  # a supervisor sees the counts themselves
    login(rugao)
    page = client.get(f"/insight/organisations/{city.id}?kind=month&day=2026-10-15")
    assert page.status_code == 200 and "如皋慈善会" in page.text and "如皋市白蒲镇" in page.text
    overview = client.get("/insight?kind=month&day=2026-10-15")
    assert f'href="/insight/organisations/{city.id}?kind=month&amp;day=2026-10-15"' in overview.text
    assert client.get("/insight/organisations/999999").status_code == 404
    login(make_user(session, "caseworker"))
    assert client.get(f"/insight/organisations/{city.id}").status_code == 403
