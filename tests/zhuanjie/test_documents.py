"""Printed documents: each PDF is generated through its page, read back with a text extractor
for its Chinese text, document number and content, rendered to PNG into
tests/artifacts/documents/, and printing is audited where a person is named.

Text is extracted with PDFium (pypdfium2, the engine of Chromium's viewer: what a person
copying the text gets); pypdf reads the file's structure (embedded fonts, the QR image). pypdf's
own text extraction misreads the encoding CMap stream fpdf2 writes for CFF fonts (a NUL before
every character) while PDFium and the file's ToUnicode map agree."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pypdfium2
import pytest
import segno
from PIL import Image, ImageChops
from pypdf import PdfReader
from sqlmodel import func, select

from tests.zhuanjie.factories import make_user
from tests.zhuanjie.paper_helpers import sent_referral
from zhuanjie import codes
from zhuanjie.clock import today
from zhuanjie.config import get_settings
from zhuanjie.documents import numbers
from zhuanjie.followups import service as followups
from zhuanjie.models import AuditEntry, Consent, FollowUp, Member, Referral

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "documents"


@pytest.fixture(autouse=True, scope="module")
def _cjk_font():
    """Like the page tests without chromium: skipped without the font, except under CI."""
    import os

    from zhuanjie.documents.pdf import FontMissing, faces

    try:
        faces()
    except FontMissing as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(str(exc))


def _read(response) -> tuple[PdfReader, str]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    document = pypdfium2.PdfDocument(response.content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    return reader, re.sub(r"\s+", "", text)


def _png(response, name: str) -> Path:
    """Page 1 as the printer would put it on paper, for the screenshots folder."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(response.content)
    image = document[0].render(scale=1.5).to_pil()
    target = ARTIFACTS / f"{name}.png"
    image.save(target)
    # Something was drawn: a page of text is far from blank white.
    grey = image.convert("L")
    assert grey.histogram()[:128].count(0) < 128 and sum(grey.histogram()[:128]) > 2000
    return target


def _embedded_fonts(reader: PdfReader) -> list[str]:
    """Fonts whose glyphs travel inside the file (not left to the reader's machine)."""
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor and any(k in descriptor.get_object()
                                      for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    found.append(str(descendant.get_object()["/BaseFont"]))
    return found


def _printed(session, object_type: str, object_id: int) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "document_printed", AuditEntry.object_type == object_type,
        AuditEntry.object_id == object_id)).one()


def test_the_consent_form_lists_exactly_the_fields_organisation_and_period(session, login):
    caseworker, staff, referral = sent_referral(session, fields=("name", "phone", "need_text"))
    consent = session.get(Consent, referral.consent_id)
    member = session.get(Member, consent.member_id)
    client = login(caseworker)

    response = client.get(f"/consents/{consent.id}/form.pdf")
    reader, text = _read(response)
    number = numbers.number(numbers.CONSENT, consent.id)
    assert "个人信息使用授权书" in text and number in text
    assert f"打印日期{today():%Y-%m-%d}" in text  # each page's foot
    assert member.name in text and "****" + member.id_last4 in text
    assert staff.organisation_id and "测试社工服务中心" in text
    agreed = text.split("且仅限以下信息：")[1].split("授权期限")[0]
    assert agreed == "姓名电话需求描述"  # exactly the consented fields, nothing more
    assert "住址" not in agreed and "身份证号" not in agreed
    assert "2099年01月01日" in text and "授权人（签字）" in text and "经办人员（签字）" in text
    assert _embedded_fonts(reader) and all("NotoSansCJK" in f for f in _embedded_fonts(reader))
    assert len(response.content) < 200_000  # a subset of the font, not all of it
    _png(response, "consent-form")
    assert _printed(session, "consent", consent.id) == 1


def test_the_referral_slip_has_a_qr_code_to_the_check_in_page(session, login):
    caseworker, _staff, referral = sent_referral(session, fields=("phone",))
    need_member = session.get(Member, session.get(Consent, referral.consent_id).member_id)
    response = login(caseworker).get(f"/referrals/{referral.id}/slip.pdf")
    reader, text = _read(response)
    number = numbers.number(numbers.SLIP, referral.id)
    assert "转介单" in text and number in text and "尿毒症透析费用负担重" in text
    # The consent does not give the name: the slip masks it.
    assert need_member.name not in text and need_member.name[0] + "*" in text
    (qr,) = reader.pages[0].images
    expected = io.BytesIO()
    url = get_settings().base_url + f"/checkin/{number}"
    segno.make(url, error="m").save(expected, kind="png", scale=8, border=2)
    wanted = Image.open(io.BytesIO(expected.getvalue())).convert("L")
    got = qr.image.convert("L")
    assert got.size == wanted.size and ImageChops.difference(got, wanted).getbbox() is None
    _png(response, "referral-slip")
    assert _printed(session, "referral", referral.id) == 1


def test_the_follow_up_record_prints_blank_lines_or_what_was_recorded(session, login):
    caseworker, _staff, referral = sent_referral(session)
    row = referral_row = session.get(Referral, referral.id)
    visit = FollowUp(need_id=row.need_id, referral_id=referral_row.id,
                     assignee_id=caseworker.id, due_date=today() + timedelta(days=7))
    session.add(visit)
    session.commit()
    client = login(caseworker)
    response = client.get(f"/followups/{visit.id}/record.pdf")
    _reader, text = _read(response)
    assert "回访记录" in text and numbers.number(numbers.FOLLOW_UP, visit.id) in text
    assert "□是□否" in text and "回访人（签字）" in text and "受访人（签字）" in text
    _png(response, "follow-up-blank")

    from zhuanjie.followups.schemas import FollowUpRecord

    followups.record_followup(session, actor=caseworker, followup_id=visit.id,
                              data=FollowUpRecord(need_met=True, rating=5, notes="透析费用已报销"))
    _reader, text = _read(client.get(f"/followups/{visit.id}/record.pdf"))
    assert "透析费用已报销" in text and "5/5" in text
    assert _printed(session, "follow_up", visit.id) == 2


def test_the_monthly_list_names_the_referrals_and_no_person(session, login):
    _caseworker, staff, referral = sent_referral(session)
    member = session.get(Member, session.get(Consent, referral.consent_id).member_id)
    client = login(staff)
    response = client.get("/documents/monthly-referrals.pdf")
    _reader, text = _read(response)
    month = today()
    assert f"{month.year}年{month.month}月转介清单" in text
    assert numbers.number(numbers.SLIP, referral.id) in text
    assert numbers.monthly(staff.organisation_id, month.year, month.month) in text
    assert "本月共收到转介1条" in text and codes.REFERRAL_STATUSES["sent"] in text
    assert member.name not in text
    _png(response, "monthly-referrals")
    assert session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "document_printed")).one() == 0
    # Another month has none of them; a month that is no month is refused.
    earlier = (date(month.year, month.month, 1) - timedelta(days=1)).strftime("%Y-%m")
    _reader, text = _read(client.get(f"/documents/monthly-referrals.pdf?month={earlier}"))
    assert "本月共收到转介0条" in text
    assert client.get("/documents/monthly-referrals.pdf?month=2026-13").status_code == 422


@pytest.mark.parametrize("outsider", ["caseworker_elsewhere", "donor", "org_staff_other"])
def test_no_one_outside_the_records_scope_prints_it(session, login, outsider):
    caseworker, _staff, referral = sent_referral(session)
    visit = FollowUp(need_id=referral.need_id, referral_id=referral.id,
                     assignee_id=caseworker.id, due_date=today())
    session.add(visit)
    session.commit()
    user = {
        "caseworker_elsewhere": lambda: make_user(session, "caseworker",
                                                  region_path="南通市/海安市/城东镇"),
        "donor": lambda: make_user(session, "donor"),
        "org_staff_other": lambda: make_user(session, "org_staff"),
    }[outsider]()
    client = login(user)
    for url in (f"/consents/{referral.consent_id}/form.pdf",
                f"/referrals/{referral.id}/slip.pdf",
                f"/followups/{visit.id}/record.pdf"):
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert not response.content.startswith(b"%PDF")
    assert session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "document_printed")).one() == 0


def test_the_demo_citys_documents_print(demo_client, demo_session):
    """On the demo city: the caseworker prints the consent form and slip of a referral with a
    signed scan, the organisation its month."""
    from zhuanjie.models import Attachment

    scan = demo_session.exec(select(Attachment).where(Attachment.kind == "consent_scan")).first()
    referral = demo_session.exec(select(Referral).where(Referral.consent_id == scan.owner_id)
                                 ).first()
    client = demo_client.sign_in("caseworker")
    _reader, text = _read(client.get(f"/consents/{scan.owner_id}/form.pdf"))
    assert numbers.number(numbers.CONSENT, scan.owner_id) in text
    page = client.get(f"/needs/{referral.need_id}/consents")
    assert "已签字（有扫描件）" in page.text
    _read(client.get(f"/referrals/{referral.id}/slip.pdf"))


def test_the_demo_organisations_month_prints(demo_client):
    staff = demo_client.sign_in("org_staff")
    _reader, text = _read(staff.get("/documents/monthly-referrals.pdf"))
    assert "转介清单" in text
