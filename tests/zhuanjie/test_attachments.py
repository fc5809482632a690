"""Attachments: judged by content, not name; images cleaned of their metadata; encrypted on
disk; served only within the record's scope, every download audited; no file outlives its
row (deleted, or written by an action that failed)."""

from __future__ import annotations

import io
import zipfile

import pytest
from cryptography.fernet import Fernet
from PIL import Image
from sqlmodel import func, select

from tests.zhuanjie.factories import HAIAN_TOWN, make_need, make_user
from tests.zhuanjie.paper_helpers import photo
from zhuanjie import crypto
from zhuanjie.attachments import service as attachments
from zhuanjie.config import get_settings
from zhuanjie.crypto import FieldKeyError, KeyRing
from zhuanjie.models import Attachment, AuditEntry, Member, Referral


def _files() -> set:
    root = attachments.storage().root
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _upload(client, owner: str, owner_id: int, data: bytes, name="photo.jpg",
            kind="house_photo", mime="image/jpeg"):
    return client.post(f"/{owner}/{owner_id}/attachments", data={"kind": kind},
                       files={"file": (name, data, mime)}, follow_redirects=False)


def _only(session, **where) -> Attachment:
    query = select(Attachment)
    for key, value in where.items():
        query = query.where(getattr(Attachment, key) == value)
    (row,) = session.exec(query).all()
    return row


@pytest.fixture
def household(session):
    caseworker = make_user(session, "caseworker")
    need = make_need(session, caseworker)
    return caseworker, need


def test_a_photo_keeps_no_gps_tag_and_is_encrypted_on_disk(session, login, household):
    caseworker, need = household
    original = photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the phone's position
    client = login(caseworker)
    response = _upload(client, "households", need.household_id, original, name="张家房子.jpg")
    assert response.status_code == 303
    row = _only(session, owner_type="household", owner_id=need.household_id)
    assert row.content_type == "image/jpeg" and row.kind == "house_photo"

    page = client.get(f"/households/{need.household_id}/attachments")
    assert "住房照片" in page.text and "张家房子.jpg" in page.text
    got = client.get(f"/attachments/{row.id}/file")
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    kept = Image.open(io.BytesIO(got.content))
    assert kept.size == (320, 240)
    assert not kept.getexif().get_ifd(0x8825) and len(kept.getexif()) == 0  # no EXIF at all
    assert b"Phone Maker" not in got.content and b"Exif" not in got.content

    # On disk: neither an image nor anything the wrong key opens; the right key does.
    on_disk = attachments.storage().get(row.storage_key)
    assert not on_disk.startswith(b"\xff\xd8") and got.content not in on_disk
    assert crypto.encrypt(None) is None and row.key_id == crypto.keyring().current_id
    stranger = KeyRing(((row.key_id, Fernet.generate_key().decode()),), "h" * 32)
    with pytest.raises(FieldKeyError):
        stranger.decrypt_bytes(on_disk)
    assert crypto.decrypt_bytes(on_disk) == got.content
    # The file's name is personal too: stored encrypted.
    assert "张家" not in (row.name_enc or "")

    audited = session.exec(select(AuditEntry).where(
        AuditEntry.action == "attachment_downloaded", AuditEntry.object_id == row.id)).all()
    assert len(audited) == 1 and audited[0].actor_id == caseworker.id


@pytest.mark.parametrize("name, data", [
    ("photo.jpg", b"MZ\x90\x00" + b"\x00" * 400),  # a Windows program
    ("scan.jpg", b"<html><script>alert(1)</script></html>"),
    ("scan.pdf", b"PK\x03\x04" + b"\x00" * 100),  # a zip named .pdf
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10),  # JPEG magic, no image
])
def test_a_file_of_a_forbidden_type_is_refused_whatever_its_name(session, login, household,
                                                                   name, data):
    caseworker, need = household
    before = _files()
    client = login(caseworker)
    response = _upload(client, "needs", need.id, data, name=name)
    assert response.status_code == 400
    assert "只接受" in response.text or "无法读取" in response.text
    assert 'id="err-file"' in response.text  # beside the field
    assert session.exec(select(func.count()).select_from(Attachment)).one() == 0
    assert _files() == before


def test_the_api_refuses_a_renamed_zip_with_422_naming_the_file(session, client, household):
    from zhuanjie.auth import service as auth

    caseworker, need = household
    token = auth.issue_token(session, user=caseworker)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "x")
    response = client.post("/api/v1/attachments", headers={"Authorization": f"Bearer {token}"},
                           data={"owner_type": "need", "owner_id": str(need.id),
                                 "kind": "diagnosis"},
                           files={"file": ("诊断.jpg", archive.getvalue(), "image/jpeg")})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "file"
    ok = client.post("/api/v1/attachments", headers={"Authorization": f"Bearer {token}"},
                     data={"owner_type": "need", "owner_id": str(need.id), "kind": "diagnosis"},
                     files={"file": ("诊断.png", photo(fmt="PNG"), "image/png")})
    assert ok.status_code == 201 and ok.json()["kind_label"] == "诊断证明"
    listed = client.get(f"/api/v1/attachments?owner_type=need&owner_id={need.id}",
                        headers={"Authorization": f"Bearer {token}"})
    assert [a["id"] for a in listed.json()] == [ok.json()["id"]]


def test_a_file_over_the_limit_is_refused(session, login, household, monkeypatch):
    caseworker, need = household
    monkeypatch.setattr(get_settings(), "attachment_max_bytes", 1024)
    response = _upload(login(caseworker), "needs", need.id, photo(size=(800, 800)))
    assert response.status_code == 400 and "文件过大" in response.text


@pytest.mark.parametrize("outsider", ["caseworker_elsewhere", "donor", "org_staff"])
def test_only_those_who_see_the_record_download_it(session, login, household, outsider):
    caseworker, need = household
    _upload(login(caseworker), "households", need.household_id, photo())
    row = _only(session, owner_type="household")
    user = {
        "caseworker_elsewhere": lambda: make_user(session, "caseworker", region_path=HAIAN_TOWN),
        "donor": lambda: make_user(session, "donor"),
        "org_staff": lambda: make_user(session, "org_staff"),
    }[outsider]()
    client = login(user)
    for url in (f"/attachments/{row.id}/file", f"/households/{need.household_id}/attachments"):
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert b"\xff\xd8" not in response.content[:4]
    refused = client.post(f"/attachments/{row.id}/delete", follow_redirects=False)
    assert refused.status_code in (403, 404)
    assert session.get(Attachment, row.id) is not None
    assert not session.exec(select(AuditEntry).where(
        AuditEntry.action == "attachment_downloaded")).all()


def test_deleting_an_attachment_leaves_no_file(session, login, household):
    caseworker, need = household
    client = login(caseworker)
    _upload(client, "needs", need.id, photo(), kind="diagnosis")
    row = _only(session, owner_type="need")
    path = attachments.storage().path(row.storage_key)
    assert path.is_file()
    response = client.post(f"/attachments/{row.id}/delete", follow_redirects=False)
    assert response.status_code == 303
    assert not path.exists() and session.get(Attachment, row.id) is None
    assert client.get(f"/attachments/{row.id}/file").status_code == 404
    assert session.exec(select(AuditEntry).where(
        AuditEntry.action == "attachment_deleted", AuditEntry.object_id == row.id)).one()


def test_a_referral_sent_with_its_signed_scan_marks_the_consent_signed(session, login,
                                                                       monkeypatch):
    from tests.zhuanjie.factories import make_offer
    from zhuanjie.models import Organisation

    monkeypatch.setattr(get_settings(), "require_signed_consent", True)
    caseworker = make_user(session, "caseworker")
    staff = make_user(session, "org_staff")
    offer = make_offer(session, session.get(Organisation, staff.organisation_id))
    need = make_need(session, caseworker)
    head = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    client = login(caseworker)
    form = {"offer_id": str(offer.id), "member_id": str(head.id), "fields": ["name", "phone"],
            "valid_until": "2099-01-01"}
    before = _files()
    # Required and missing: the form comes back with the message beside the file field.
    refused = client.post(f"/needs/{need.id}/refer", data=form, follow_redirects=False)
    assert refused.status_code == 400 and 'id="err-scan"' in refused.text
    assert session.exec(select(func.count()).select_from(Referral)).one() == 0
    # A scan that is not an image or PDF: refused, and its file is not left behind.
    bad = client.post(f"/needs/{need.id}/refer", data=form, follow_redirects=False,
                      files={"scan": ("授权书.jpg", b"GIF89a" + b"\x00" * 50, "image/jpeg")})
    assert bad.status_code == 400 and 'id="err-scan"' in bad.text
    assert _files() == before
    sent = client.post(f"/needs/{need.id}/refer", data=form, follow_redirects=False,
                       files={"scan": ("授权书.jpg", photo(), "image/jpeg")})
    assert sent.status_code == 303, sent.text
    referral = session.exec(select(Referral).where(Referral.need_id == need.id)).one()
    scan = _only(session, owner_type="consent", owner_id=referral.consent_id)
    assert scan.kind == "consent_scan"
    assert "已签字（有扫描件）" in client.get(f"/needs/{need.id}/consents").text


def test_the_api_sends_a_referral_with_a_scan_uploaded_first(session, client, monkeypatch):
    from zhuanjie.auth import service as auth

    monkeypatch.setattr(get_settings(), "require_signed_consent", True)
    caseworker = make_user(session, "caseworker")
    token = {"Authorization": f"Bearer {auth.issue_token(session, user=caseworker)}"}
    from tests.zhuanjie.factories import make_offer

    offer = make_offer(session)
    need = make_need(session, caseworker)
    head = session.exec(select(Member).where(Member.household_id == need.household_id)).first()
    body = {"offer_id": offer.id, "consent": {"member_id": head.id, "fields": ["name"],
                                              "valid_until": "2099-01-01"}}
    refused = client.post(f"/api/v1/needs/{need.id}/referrals", json=body, headers=token)
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "consent.scan"
    scan = client.post("/api/v1/attachments", headers=token,
                       data={"owner_type": "need", "owner_id": str(need.id),
                             "kind": "consent_scan"},
                       files={"file": ("scan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n",
                                       "application/pdf")})
    assert scan.status_code == 201, scan.text
    body["consent"]["scan_attachment_id"] = scan.json()["id"]
    sent = client.post(f"/api/v1/needs/{need.id}/referrals", json=body, headers=token)
    assert sent.status_code in (200, 201), sent.text
    row = session.get(Attachment, scan.json()["id"])
    session.refresh(row)
    assert row.owner_type == "consent"


def test_the_record_pages_carry_a_labelled_upload_form(session, login, household):
    caseworker, need = household
    client = login(caseworker)
    for url, action in ((f"/households/{need.household_id}", f"/households/{need.household_id}"),
                        (f"/needs/{need.id}", f"/needs/{need.id}")):
        page = client.get(url).text
        assert f'action="{action}/attachments" enctype="multipart/form-data"' in page
        assert '<label for="f-attach-kind">' in page and '<label for="f-attach-file">' in page
    supervisor = make_user(session, "supervisor")
    page = login(supervisor).get(f"/needs/{need.id}").text
    assert "f-attach-file" not in page  # who may not add sees no form


def test_a_file_written_by_an_action_that_rolls_back_is_removed(session, household):
    caseworker, need = household
    row = attachments.store(session, actor=caseworker, household_id=need.household_id,
                            owner_type="need", owner_id=need.id, kind="diagnosis",
                            filename="诊断.jpg", data=photo())
    path = attachments.storage().path(row.storage_key)
    assert path.is_file()
    session.rollback()  # e.g. the referral this scan came with could not be sent
    assert not path.exists()
    assert session.exec(select(func.count()).select_from(Attachment)).one() == 0
