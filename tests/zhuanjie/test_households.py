from pathlib import Path

from sqlmodel import select

from tests.zhuanjie.conftest import fresh_database
from tests.zhuanjie.factories import HAIAN_TOWN, RUGAO_TOWN, make_household, make_user, valid_id
from zhuanjie.db import get_engine, session_scope
from zhuanjie.migrate import upgrade
from zhuanjie.models import AuditEntry, Member


def _payload(**overrides):
    data = {
        "region_path": RUGAO_TOWN,
        "village": "新华村",
        "address": "新华村6组28号",
        "phone": "13912345678",
        "groups": ["dibao"],
        "income_per_capita": "650",
        "members": [{"name": "王建国", "id_number": valid_id(), "relation": "head"}],
    }
    return data | overrides


def test_api_registers_a_household_and_answers_masked(session, login):
    client = login(make_user(session, "caseworker").username)
    number = valid_id()
    response = client.post(
        "/api/v1/households",
        json=_payload(
            members=[
                {"name": "王建国", "id_number": number, "relation": "head", "phone": "13912345678"}
            ]
        ),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["members"][0]["id_number_masked"] == "*" * 14 + number[-4:]
    assert number not in response.text and "13912345678" not in response.text
    assert body["phone_masked"] == "139****5678"


def test_an_invalid_id_number_is_a_422_naming_the_field_in_chinese(session, login):
    client = login(make_user(session, "caseworker").username)
    good = valid_id()
    bad = good[:17] + ("0" if good[-1] != "0" else "1")
    response = client.post(
        "/api/v1/households",
        json=_payload(members=[{"name": "王建国", "id_number": bad, "relation": "head"}]),
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "members", 0, "id_number"]
    assert error["msg"] == "身份证号校验位不正确，请核对"


def test_the_form_keeps_typed_values_and_shows_the_message_at_the_field(session, login):
    client = login(make_user(session, "caseworker").username)
    response = client.post(
        "/households/new",
        data={
            "head_name": "李秀英",
            "head_id_number": "320682196005170011",
            "region_path": RUGAO_TOWN,
            "village": "白蒲社区",
            "income_per_capita": "abc",
            "groups": ["dibao", "disabled"],
        },
    )
    assert response.status_code == 400
    html = response.text
    assert 'id="err-head_id_number">身份证号校验位不正确' in html
    assert 'id="err-income_per_capita">请填写数字' in html
    assert 'value="李秀英"' in html and 'value="白蒲社区"' in html
    assert 'value="disabled" checked' in html
    assert session.exec(select(Member).where(Member.name == "李秀英")).first() is None


def test_unknown_region_and_group_are_refused(session, login):
    client = login(make_user(session, "caseworker").username)
    response = client.post(
        "/api/v1/households",
        json=_payload(region_path="南通市/如皋市/不存在镇", groups=["dibao", "rich"]),
    )
    fields = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert fields[("body", "region_path")] == "未知的行政区划，请从列表中选择"
    assert fields[("body", "groups")].startswith("未知的对象类别")


def test_a_caseworker_registers_only_in_their_own_region(session, login):
    client = login(make_user(session, "caseworker").username)
    response = client.post("/api/v1/households", json=_payload(region_path=HAIAN_TOWN))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "region_path"]


def test_the_same_id_number_twice_points_at_the_other_household_only_in_scope(session, login):
    number = valid_id()
    haian = make_user(session, "caseworker", region_path=HAIAN_TOWN)
    other = make_household(
        session, haian, members=[{"name": "陈桂兰", "id_number": number, "relation": "head"}]
    )
    rugao_worker = make_user(session, "caseworker")
    client = login(rugao_worker.username)
    response = client.post(
        "/api/v1/households",
        json=_payload(members=[{"name": "陈桂兰", "id_number": number, "relation": "head"}]),
    )
    assert response.status_code == 409
    message = response.json()["detail"][0]["msg"]
    assert "其他辖区" in message and str(other.id) not in message

    client.post("/logout")
    client = login(make_user(session, "caseworker", region_path=HAIAN_TOWN).username)
    response = client.post(
        "/api/v1/households",
        json=_payload(
            region_path=HAIAN_TOWN,
            members=[{"name": "陈桂兰", "id_number": number, "relation": "head"}],
        ),
    )
    assert response.status_code == 409
    assert f"#{other.id}" in response.json()["detail"][0]["msg"]


def test_revealing_an_id_number_is_logged_with_who_and_what(session, login):
    worker = make_user(session, "caseworker")
    number = valid_id()
    household = make_household(
        session, worker, members=[{"name": "王建国", "id_number": number, "relation": "head"}]
    )
    client = login(worker.username)
    page = client.get(f"/households/{household.id}")
    assert number not in page.text and number[-4:] in page.text
    member = session.exec(select(Member).where(Member.household_id == household.id)).one()
    revealed = client.post(
        f"/households/{household.id}/members/{member.id}/reveal", data={"field": "id_number"}
    )
    assert number in revealed.text
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "reveal_id_number")).one()
    assert entry.actor_id == worker.id and entry.object_id == member.id
    assert entry.detail == {"household_id": household.id}
    audit_page = login(make_user(session, "admin").username).get("/audit")
    assert "查看完整身份证号" in audit_page.text


def test_id_numbers_phones_and_addresses_are_not_readable_in_the_database_file():
    with fresh_database("sqlite") as url:
        upgrade(url)
        number, phone, address = valid_id(), "13800138000", "白蒲镇新华村6组28号"
        with session_scope(url) as s:
            worker = make_user(s, "caseworker")
            s.commit()
            make_household(
                s,
                worker,
                phone=phone,
                address=address,
                members=[
                    {"name": "王建国", "id_number": number, "relation": "head", "phone": phone}
                ],
            )
        get_engine(url).dispose()  # checkpoint the WAL into the main file
        folder = Path(url.removeprefix("sqlite:///")).parent
        raw = b"".join(p.read_bytes() for p in folder.glob("test.db*"))
        assert "王建国".encode() in raw  # the file is readable: the data is there
        for secret in (number, phone, address):
            assert secret.encode() not in raw


def test_revealing_a_phone_on_the_page_is_logged_too(session, login):
    worker = make_user(session, "caseworker")
    household = make_household(session, worker, members=[
        {"name": "王建国", "id_number": valid_id(), "relation": "head", "phone": "13700001234"}])
    client = login(worker.username)
    page = client.get(f"/households/{household.id}")
    assert "137****1234" in page.text and "13700001234" not in page.text
    member = session.exec(select(Member).where(Member.household_id == household.id)).one()
    revealed = client.post(f"/households/{household.id}/members/{member.id}/reveal",
                           data={"field": "phone"})
    assert '<span class="revealed">13700001234</span>' in revealed.text
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "reveal_phone")).one()
    assert entry.actor_id == worker.id and entry.object_id == member.id
