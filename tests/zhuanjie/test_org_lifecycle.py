"""An organisation signs up, is verified, suspended and reactivated; its staff manage it."""

from sqlmodel import select

from tests.zhuanjie.factories import PASSWORD, make_org, make_user, valid_uscc
from zhuanjie.models import AuditEntry, Organisation, OrganisationEvent, User


def signup_form(**overrides) -> dict:
    data = {
        "name": "如皋市暖阳社会工作服务中心",
        "kind": "ngo",
        "credit_code": valid_uscc(),
        "contact_name": "丁海燕",
        "contact_phone": "13962712345",
        "service_area": "南通市/如皋市",
        "description": "服务留守儿童和独居老人。",
        "username": "nuanyang",
        "display_name": "丁海燕",
        "password": "nuanyang-2026",
    }
    return data | overrides


def test_an_ngo_signs_up_is_signed_in_and_waits_for_verification(client, session):
    response = client.post("/organisations/signup", data=signup_form(), follow_redirects=True)
    assert response.status_code == 200
    assert "如皋市暖阳社会工作服务中心" in response.text and "待审核" in response.text
    org = session.exec(select(Organisation).where(Organisation.name == signup_form()["name"])
                       ).one()
    staff = session.exec(select(User).where(User.username == "nuanyang")).one()
    assert org.status == "pending" and staff.role == "org_staff"
    assert staff.organisation_id == org.id
    home = client.get("/")
    assert "认证通过前，项目只能保存为草稿" in home.text


def test_the_signup_form_keeps_values_and_names_the_field(client, session):
    bad = signup_form(credit_code="51320600MJ00000001", username="ab", password="short")
    response = client.post("/organisations/signup", data=bad)
    assert response.status_code == 400
    html = response.text
    assert 'id="err-credit_code">统一社会信用代码校验位不正确' in html
    assert 'id="err-username">至少填写3个字符' in html
    assert 'id="err-password">密码至少10位' in html
    assert 'value="如皋市暖阳社会工作服务中心"' in html and "short" not in html
    assert session.exec(select(Organisation).where(Organisation.name == bad["name"])).first() \
        is None


def test_the_api_signup_refuses_a_taken_username_and_creates_nothing(client, session):
    taken = make_user(session, "caseworker")
    response = client.post("/api/v1/organisations/signup",
                           json=signup_form(username=taken.username))
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "username"]
    assert session.exec(select(Organisation).where(Organisation.name == signup_form()["name"])
                        ).first() is None


def test_admin_verifies_suspends_with_a_reason_and_reactivates(session, login):
    org = make_org(session, status="pending")
    admin = make_user(session, "admin")
    client = login(admin.username)
    assert client.post(f"/organisations/{org.id}/decide/verify",
                       data={"reason": "材料齐全"}).status_code == 200
    session.refresh(org)
    assert org.status == "verified" and org.verified_at is not None
    no_reason = client.post(f"/organisations/{org.id}/decide/suspend", data={"reason": " "})
    assert no_reason.status_code == 400 and 'id="err-reason">请填写原因' in no_reason.text
    api = client.post(f"/api/v1/organisations/{org.id}/suspend",
                      json={"reason": "未按期提交年度报告"})
    assert api.status_code == 200 and api.json()["status"] == "suspended"
    assert api.json()["status_reason"] == "未按期提交年度报告"
    again = client.post(f"/api/v1/organisations/{org.id}/suspend", json={"reason": "x"})
    assert again.status_code == 409
    client.post(f"/organisations/{org.id}/decide/reactivate", data={"reason": "已整改"})
    events = client.get(f"/api/v1/organisations/{org.id}/events").json()
    assert [(e["from_status"], e["to_status"], e["reason"]) for e in events] == [
        ("suspended", "verified", "已整改"),
        ("verified", "suspended", "未按期提交年度报告"),
        ("pending", "verified", "材料齐全"),
    ]
    page = client.get(f"/organisations/{org.id}")
    assert "未按期提交年度报告" in page.text and "认证与状态记录" in page.text
    actions = session.exec(select(AuditEntry.action).where(AuditEntry.object_id == org.id,
                                                           AuditEntry.object_type ==
                                                           "organisation")).all()
    assert {"organisation_verify", "organisation_suspend", "organisation_reactivate"} <= set(
        actions)
    assert session.exec(select(OrganisationEvent).where(
        OrganisationEvent.organisation_id == org.id)).all()[0].actor_id == admin.id


def test_a_supervisor_may_verify_but_caseworkers_and_org_staff_may_not(session, login):
    org = make_org(session, status="pending")
    for role in ("caseworker", "org_staff"):
        client = login(make_user(session, role).username)
        refused = client.post(f"/api/v1/organisations/{org.id}/verify")
        assert refused.status_code == 403 and refused.json()["detail"] == "您的角色无权进行此操作"
        client.post("/logout")
    client = login(make_user(session, "supervisor").username)
    assert client.post(f"/api/v1/organisations/{org.id}/verify").json()["status"] == "verified"


def test_the_public_sees_verified_organisations_only(client, session):
    pending = make_org(session, status="pending")
    verified = make_org(session)
    session.commit()
    assert client.get(f"/organisations/{pending.id}").status_code == 404
    assert client.get(f"/api/v1/organisations/{pending.id}").status_code == 404
    page = client.get(f"/organisations/{verified.id}")
    assert page.status_code == 200 and verified.name in page.text
    assert "认证与状态记录" not in page.text and "工作人员" not in page.text


def test_staff_edit_their_profile_with_messages_at_the_field(session, login):
    staff = make_user(session, "org_staff")
    client = login(staff.username)
    org_id = staff.organisation_id
    bad = client.post(f"/organisations/{org_id}/edit",
                      data={"contact_phone": "12345", "contact_name": "冒丹",
                            "service_area": "南通市/不存在县"})
    assert bad.status_code == 400
    assert 'id="err-contact_phone">请填写11位手机号' in bad.text
    assert 'id="err-service_area">未知的行政区划' in bad.text
    assert 'value="冒丹"' in bad.text
    ok = client.post(f"/organisations/{org_id}/edit",
                     data={"contact_phone": "0513-87654321", "contact_name": "冒丹",
                           "service_area": "南通市/如皋市", "description": "新简介"},
                     follow_redirects=False)
    assert ok.status_code == 303
    org = session.get(Organisation, org_id)
    session.refresh(org)
    assert org.contact_phone == "0513-87654321" and org.description == "新简介"


def test_staff_cannot_edit_or_read_the_staff_of_another_organisation(session, login):
    other = make_org(session)
    client = login(make_user(session, "org_staff").username)
    assert client.get(f"/organisations/{other.id}/edit").status_code == 403
    assert client.post(f"/organisations/{other.id}/edit", data={}).status_code == 403
    assert client.patch(f"/api/v1/organisations/{other.id}", json={}).status_code == 403
    assert client.get(f"/api/v1/organisations/{other.id}/colleagues").status_code == 403
    assert client.post(f"/api/v1/organisations/{other.id}/colleagues",
                       json={"username": "intruder", "display_name": "x",
                             "password": PASSWORD}).status_code == 403
    assert client.get(f"/organisations/{other.id}/colleagues/new").status_code == 403


def test_staff_invite_a_colleague_who_can_sign_in_within_the_organisation(session, login,
                                                                           client):
    staff = make_user(session, "org_staff")
    login(staff.username)
    response = client.post(f"/organisations/{staff.organisation_id}/colleagues/new",
                           data={"username": "colleague1", "display_name": "冒小兰",
                                 "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 303
    colleague = session.exec(select(User).where(User.username == "colleague1")).one()
    assert colleague.role == "org_staff" and colleague.organisation_id == staff.organisation_id
    names = [c["display_name"] for c in
             client.get(f"/api/v1/organisations/{staff.organisation_id}/colleagues").json()]
    assert "冒小兰" in names
    client.post("/logout")
    login("colleague1")
    assert client.get("/offers").status_code == 200


def test_an_organisations_page_lists_its_published_offers_only(session, client):
    from tests.zhuanjie.factories import post_offer

    staff = make_user(session, "org_staff")
    post_offer(session, staff, title="公开的助学项目")
    post_offer(session, staff, publish=False, title="还在写的草稿")
    page = client.get(f"/organisations/{staff.organisation_id}")
    assert "公开的助学项目" in page.text and "还在写的草稿" not in page.text


def test_admins_find_the_organisations_waiting_for_verification(session, login):
    waiting = make_org(session, status="pending", name="等待审核的协会")
    make_org(session, name="已经认证的基金会")
    client = login(make_user(session, "admin").username)
    page = client.get("/organisations", params={"status": "pending"})
    assert "等待审核的协会" in page.text and "已经认证的基金会" not in page.text
    api = client.get("/api/v1/organisations", params={"status": "pending"}).json()
    assert [o["id"] for o in api["items"]] == [waiting.id]
