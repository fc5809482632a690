"""Open data exchange: the directory as HSDS 3.0, valid against the official schemas, and
an HSDS file imported as draft offers (round trip: export, import, export again)."""

import copy
import json
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.zhuanjie.conftest import fresh_database
from tests.zhuanjie.factories import accept_referral, make_org, make_user, post_offer
from zhuanjie.clock import today
from zhuanjie.db import get_engine
from zhuanjie.migrate import upgrade
from zhuanjie.models import Offer, Organisation
from zhuanjie.offers import hsds, hsds_format

EXT = hsds_format.EXTENSION


@pytest.fixture
def directory_data(session):
    ngo = make_user(session, "org_staff")
    dept_org = make_org(session, kind="government", credit_code=None, name="如皋市民政局",
                        contact_name="缪志强", contact_phone="0513-87512345",
                        contact_email="mz@rugao.example.cn", service_area="南通市/如皋市")
    dept = make_user(session, "org_staff", organisation_id=dept_org.id)
    made = [
        post_offer(session, ngo),
        post_offer(session, ngo, title="白蒲镇老人助餐", coverage=["南通市/如皋市/白蒲镇",
                                                                "南通市/海安市"],
                   categories=["care", "basic_living"], groups=[], capacity=None,
                   amount_per_person=None, budget_total="50000.50", mode="service",
                   age_min=60, age_max=None, valid_from=None, valid_until=None,
                   income_ceiling="1300"),
        post_offer(session, dept, title="如皋市最低生活保障", categories=["basic_living"],
                   coverage=["南通市/如皋市"], groups=[], capacity=None, is_programme=True,
                   rules={"government_first": True, "basis": "《南通市最低生活保障实施办法》",
                          "income_line_monthly": "1040", "excludes_groups": ["tekun"]}),
    ]
    hidden = post_offer(session, ngo, publish=False, title="内部草稿")
    session.commit()
    return made, hidden


def all_pages(fetch) -> dict:
    page, contents = 1, []
    while True:
        body = fetch(page)
        contents += body["contents"]
        if body["last_page"]:
            return {"pages": page, "contents": contents, "total": body["total_items"]}
        page += 1


def test_every_exported_record_validates_against_the_official_schemas(client, directory_data):
    made, hidden = directory_data
    service = hsds_format.schema_validator("service")
    service_list = hsds_format.schema_validator("service_list")
    organization = hsds_format.schema_validator("organization")
    services_page = hsds_format.schema_validator("services_page")
    organizations_page = hsds_format.schema_validator("organizations_page")
    response = client.get("/api/v1/hsds/services", params={"per_page": 2})
    assert response.status_code == 200
    first = response.json()
    assert first["total_items"] == 3 and first["total_pages"] == 2 and first["size"] == 2
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    exported = all_pages(lambda n: client.get("/api/v1/hsds/services",
                                              params={"per_page": 2, "page": n}).json())
    assert len(exported["contents"]) == 3
    assert "内部草稿" not in json.dumps(exported, ensure_ascii=False)
    assert list(services_page.iter_errors(first)) == []
    for record in exported["contents"]:
        assert [e.message for e in service.iter_errors(record)] == [], record["name"]
        assert list(service_list.iter_errors(record)) == []
        assert list(organization.iter_errors(record["organization"])) == []
    orgs = client.get("/api/v1/hsds/organizations").json()
    assert list(organizations_page.iter_errors(orgs)) == []
    assert {o["name"] for o in orgs["contents"]} >= {"如皋市民政局"}
    for record in orgs["contents"]:
        assert list(organization.iter_errors(record)) == []


def test_quota_coverage_and_eligibility_travel_in_hsds_fields_and_the_extension(
    session, client, directory_data
):
    made, _hidden = directory_data
    accept_referral(session, made[0], make_user(session, "caseworker"))
    session.commit()
    records = {r["name"]: r for r in client.get("/api/v1/hsds/services").json()["contents"]}
    grant = records["困境儿童助学金"]
    assert [a["name"] for a in grant["service_areas"]] == ["南通市/如皋市"]
    assert grant["minimum_age"] == 6 and grant["maximum_age"] == 18
    assert grant["schedules"][0]["valid_to"] == str(made[0].valid_until)
    assert grant["cost_options"][0]["amount"] == 2000 and grant["cost_options"][0][
        "currency"] == "CNY"
    terms = {(a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"])
             for a in grant["attributes"]}
    assert ("zhuanjie-category", "education") in terms
    assert ("zhuanjie-group", "left_behind_child") in terms
    assert ("zhuanjie-mode", "cash") in terms
    assert "低保对象" in grant["eligibility_description"]
    assert grant[EXT]["capacity"] == 3 and grant[EXT]["places_remaining"] == 2
    assert grant["status"] == "active"
    programme = records["如皋市最低生活保障"]
    assert programme[EXT]["is_programme"] is True
    assert programme[EXT]["rules"]["income_line_monthly"] == 1040
    assert programme["organization"]["name"] == "如皋市民政局"


def _comparable(records: list[dict]) -> list[dict]:
    """Services without what a new database gives anew: identifiers, times, places taken."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()
                    if k not in ("id", "last_modified") and not k.endswith("_id")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    out = []
    for record in copy.deepcopy(records):
        record[EXT].pop("places_taken")
        record[EXT].pop("places_remaining")
        out.append(strip(record))
    return sorted(out, key=lambda r: r["name"])


def test_an_hsds_file_round_trips_through_an_empty_database(client, directory_data):
    before = all_pages(lambda n: client.get("/api/v1/hsds/services",
                                            params={"page": n}).json())["contents"]
    with fresh_database() as url:
        upgrade(url)
        with Session(get_engine(url), expire_on_commit=False) as other:
            report = hsds.import_services(other, before)
            assert report.refused == [] and len(report.created) == 3
            assert len(report.organisations_created) == 2
            drafts = other.exec(select(Offer)).all()
            assert {o.status for o in drafts} == {"draft"}
            assert {o.status for o in other.exec(select(Organisation)).all()} == {"pending"}
            # A verifier accepts the organisations and the offers are published.
            for org in other.exec(select(Organisation)).all():
                org.status = "verified"
                other.add(org)
            for offer in drafts:
                offer.status = "published"
                other.add(offer)
            other.commit()
            after = all_pages(lambda n: hsds.export_services(other, page=n))["contents"]
            # The same file again creates nothing twice, even after publishing.
            again = hsds.import_services(other, before)
            assert again.created == [] and again.refused == []
            assert sorted(offer_id for _, offer_id in again.skipped) == \
                sorted(o.id for o in drafts)
            assert len(other.exec(select(Offer)).all()) == 3
        get_engine(url).dispose()
    assert _comparable(after) == _comparable(before)
    assert sorted(r["id"] for r in after) == sorted(r["id"] for r in before)


def test_import_reports_each_record_it_could_not_take_and_why(session, directory_data):
    made, _hidden = directory_data
    (good,) = [r for r in hsds.export_services(session)["contents"]
               if r["name"] == "困境儿童助学金"]
    no_name = dict(good, name="")
    bad_region = copy.deepcopy(good)
    bad_region["name"] = "火星助学"
    bad_region["service_areas"][0]["name"] = "南通市/火星县"
    bad_window = copy.deepcopy(good)
    bad_window["name"] = "倒着的日期"
    bad_window["schedules"][0]["valid_from"] = str(today() + timedelta(days=10))
    bad_window["schedules"][0]["valid_to"] = str(today())
    no_category = copy.deepcopy(good)
    no_category["name"] = "没有类别"
    no_category["attributes"] = []
    ngo_programme = copy.deepcopy(good)
    ngo_programme["name"] = "假冒政策"
    ngo_programme[EXT]["is_programme"] = True
    variants = [no_name, bad_region, bad_window, no_category, ngo_programme]
    for n, record in enumerate(variants):   # distinct services, distinct ids
        record["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"variant-{n}"))
    report = hsds.import_services(session, [good, *variants, "junk", good])
    assert len(report.created) == 1
    assert report.skipped == [("第8条（困境儿童助学金）", report.created[0])]  # same id twice
    reasons = dict(report.refused)
    assert reasons["第2条（" + no_name["id"] + "）"] == "title: 此项必填"
    assert reasons["第3条（火星助学）"] == "coverage: 未知的行政区划，请从列表中选择"
    assert reasons["第4条（倒着的日期）"] == "valid_until: 结束日期不能早于开始日期"
    assert reasons["第5条（没有类别）"] == "categories: 请至少选择1项"
    assert reasons["第6条（假冒政策）"] == "只有政府部门可以发布常设救助政策项目"
    assert "第7条（无名称）" in reasons
    imported = session.get(Offer, report.created[0])
    assert imported.status == "draft" and imported.organisation_id == made[0].organisation_id


def test_the_import_command_reports_refused_records(tmp_path: Path, client, directory_data):
    exported = client.get("/api/v1/hsds/services").json()
    broken = copy.deepcopy(exported["contents"][0])
    broken["name"] = "坏记录"
    broken["id"] = "not-a-uuid"
    exported["contents"].append(broken)
    file = tmp_path / "services.json"
    file.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    env = dict(os.environ)
    env.update(ZHUANJIE_VAR_DIR=str(tmp_path), ZHUANJIE_DATABASE_URL=f"sqlite:///{tmp_path}/i.db")
    env.pop("ZHUANJIE_MODE", None)
    run = lambda *a: subprocess.run([sys.executable, "-m", "zhuanjie.cli", *a], env=env,  # noqa: E731
                                    capture_output=True, text=True, timeout=120)
    assert run("migrate").returncode == 0
    result = run("import-hsds", str(file))
    assert result.returncode == 0, result.stderr
    summary = "共 4 条：已导入 3 个项目（草稿），新建机构 2 个（待认证），未导入 1 条。"
    assert summary in result.stdout
    assert "未导入 第4条（坏记录）：不符合 HSDS 3.0 结构：id:" in result.stdout
    again = run("import-hsds", str(file))
    assert "已导入 0 个项目（草稿），新建机构 0 个（待认证）" in again.stdout
    assert "跳过此前已导入的 3 条（未重复创建）。" in again.stdout
    assert "import-hsds" in run("--help").stdout
