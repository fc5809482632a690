"""Notifications by e-mail, received by a real SMTP server on loopback (aiosmtpd)."""

import email
import socket
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from tests.zhuanjie.factories import make_user
from zhuanjie.config import get_settings
from zhuanjie.db import utc_now
from zhuanjie.models import Notification
from zhuanjie.notifications import email as mailer
from zhuanjie.notifications import service as notifications


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = get_settings()
    monkeypatch.setattr(settings, "smtp_host", "127.0.0.1")
    monkeypatch.setattr(settings, "smtp_port", port)
    yield inbox
    controller.stop()


def test_chosen_kinds_arrive_by_email_in_chinese_once(session, smtp, login):
    worker = make_user(session, "caseworker", display_name="季红梅")
    client = login(worker.username)
    saved = client.post(
        "/notifications/settings",
        data={"email": "jihongmei@example.org", "kinds": ["referral_declined"]},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    notifications.notify(
        session,
        user_ids=[worker.id],
        kind="referral_declined",
        title="转介被拒绝（名额已满）",
        body="需求已回到待匹配。",
        link="/needs/7",
    )
    notifications.notify(
        session,
        user_ids=[worker.id],
        kind="better_match",
        title="有更合适的项目",
        body="不发邮件的种类",
    )
    session.commit()
    assert mailer.send_pending(session, utc_now()) == 1
    assert mailer.send_pending(session, utc_now()) == 0  # sent once
    ((recipients, message),) = smtp.messages
    assert recipients == ["jihongmei@example.org"]
    assert (
        str(make_header(decode_header(message["Subject"]))) == "【转介平台】转介被拒绝（名额已满）"
    )
    body = message.get_payload(decode=True).decode(message.get_content_charset())
    assert "季红梅，您好" in body and "需求已回到待匹配。" in body
    assert "http://127.0.0.1:8000/needs/7" in body
    sent = session.exec(select(Notification).where(Notification.kind == "referral_declined")).one()
    assert sent.emailed_at is not None


def test_a_kind_by_email_needs_an_address(session, login):
    worker = make_user(session, "caseworker")
    client = login(worker.username)
    page = client.post("/notifications/settings", data={"email": "", "kinds": ["followup_due"]})
    assert page.status_code == 400
    assert 'id="err-email">要接收邮件，请先填写电子邮箱' in page.text
    assert 'value="followup_due" checked' in page.text
