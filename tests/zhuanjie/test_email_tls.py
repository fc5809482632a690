"""E-mail with credentials goes over TLS (STARTTLS or implicit), never in clear; a malformed
address is passed over without stopping the batch. Real SMTP servers on loopback (aiosmtpd),
with a certificate made for the test."""

from __future__ import annotations

import datetime as dt
import email
import ipaddress
import socket
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlmodel import select

from tests.zhuanjie.factories import make_user
from zhuanjie.config import get_settings
from zhuanjie.db import utc_now
from zhuanjie.models import Notification
from zhuanjie.notifications import email as mailer
from zhuanjie.notifications import service as notifications


def _over_tls(server) -> bool:
    return server.transport.get_extra_info("ssl_object") is not None


class Inbox:
    def __init__(self):
        self.messages = []
        self.logins = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content),
                              _over_tls(server)))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            self.logins.append((auth_data.login.decode(), auth_data.password.decode(),
                                _over_tls(server)))
            ok = auth_data.password == b"mail-pass-1"
            return AuthResult(success=ok)
        return AuthResult(success=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(
            ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("smtp-cert")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return folder / "cert.pem", folder / "key.pem"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def mail_settings(monkeypatch, certificate):
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_user", "zhuanjie")
    monkeypatch.setattr(settings, "smtp_password", "mail-pass-1")
    monkeypatch.setattr(settings, "smtp_ca_file", str(certificate[0]))
    return settings


def _server(inbox, port, **kwargs) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=inbox.authenticate, **kwargs)
    controller.start()
    return controller


def _one_note(session, address: str):
    user = make_user(session, "caseworker", email=address, email_kinds=["referral_declined"])
    notifications.notify(session, user_ids=[user.id], kind="referral_declined",
                         title="转介被拒绝", body="需求已回到待匹配。", link="/needs/7")
    session.commit()
    return user


def test_credentials_are_sent_only_after_starttls(session, mail_settings, monkeypatch,
                                                   certificate):
    inbox, port = Inbox(), _port()
    monkeypatch.setattr(mail_settings, "smtp_port", port)
    controller = _server(inbox, port, tls_context=_server_context(certificate),
                         require_starttls=True, auth_require_tls=True)
    try:
        _one_note(session, "jihongmei@example.org")
        assert mailer.send_pending(session, utc_now()) == 1
    finally:
        controller.stop()
    assert inbox.logins == [("zhuanjie", "mail-pass-1", True)]
    ((recipients, _message, over_tls),) = inbox.messages
    assert recipients == ["jihongmei@example.org"] and over_tls


def test_implicit_tls_when_asked(session, mail_settings, monkeypatch, certificate):
    inbox, port = Inbox(), _port()
    monkeypatch.setattr(mail_settings, "smtp_port", port)
    monkeypatch.setattr(mail_settings, "smtp_tls", True)
    # aiosmtpd counts only STARTTLS as TLS for AUTH; this whole connection is TLS.
    controller = _server(inbox, port, ssl_context=_server_context(certificate),
                         auth_require_tls=False)
    try:
        _one_note(session, "jihongmei@example.org")
        assert mailer.send_pending(session, utc_now()) == 1
    finally:
        controller.stop()
    assert inbox.logins == [("zhuanjie", "mail-pass-1", True)]
    assert [m[2] for m in inbox.messages] == [True]


def test_a_server_without_tls_never_gets_the_password(session, mail_settings, monkeypatch):
    inbox, port = Inbox(), _port()
    monkeypatch.setattr(mail_settings, "smtp_port", port)
    controller = _server(inbox, port, auth_require_tls=False)  # offers AUTH in clear
    try:
        _one_note(session, "jihongmei@example.org")
        assert mailer.send_pending(session, utc_now()) == 0
    finally:
        controller.stop()
    assert inbox.logins == [] and inbox.messages == []
    note = session.exec(select(Notification)).one()
    assert note.emailed_at is None  # kept for a later try, once TLS works


def test_a_malformed_address_does_not_stop_the_batch(session, mail_settings, monkeypatch,
                                                      certificate):
    inbox, port = Inbox(), _port()
    monkeypatch.setattr(mail_settings, "smtp_port", port)
    controller = _server(inbox, port, tls_context=_server_context(certificate),
                         require_starttls=True, auth_require_tls=True)
    try:
        for address in ("bad@@example.org", "王芳@例子.中国", "a@b.org\r\nBcc: x@evil.example",
                        "lumin@example.org"):
            _one_note(session, address)
        assert mailer.send_pending(session, utc_now()) == 1
        assert mailer.send_pending(session, utc_now()) == 0  # the bad ones are not retried
    finally:
        controller.stop()
    assert [m[0] for m in inbox.messages] == [["lumin@example.org"]]
