"""E-mail for notifications, in Chinese, for the kinds each person chose.

Without SMTP configured the message is written to the log instead (local mode).
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlmodel import Session, select, update

from zhuanjie.config import get_settings
from zhuanjie.models import Notification, User

log = logging.getLogger("zhuanjie.email")
LOOK_BACK = timedelta(days=2)  # older unsent messages are no longer worth an e-mail


def compose(user: User, note: Notification) -> EmailMessage:
    settings = get_settings()
    message = EmailMessage()
    message["Subject"] = f"【转介平台】{note.title}"
    message["From"] = settings.smtp_from
    message["To"] = user.email
    link = f"\n\n查看详情：{settings.base_url}{note.link}" if note.link else ""
    message.set_content(
        f"{user.display_name}，您好：\n\n{note.title}\n{note.body}{link}\n\n"
        "—— 南通市社会救助转介服务平台（此邮件由系统自动发送，请勿回复）\n",
        charset="utf-8",
    )
    return message


def _tls_context():
    import ssl

    settings = get_settings()
    return ssl.create_default_context(cafile=settings.smtp_ca_file or None)


def _send(message: EmailMessage) -> None:
    """Hand one message to the mail server. With credentials the connection is encrypted
    first (implicit TLS, or STARTTLS, which is then required): a password never travels in
    clear, and a server that offers no TLS gets no password and no message."""
    settings = get_settings()
    if not settings.smtp_host:
        log.info("e-mail (no SMTP configured) to %s: %s", message["To"], message["Subject"])
        return
    if settings.smtp_tls:
        smtp = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=30, context=_tls_context()
        )
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    with smtp:
        if not settings.smtp_tls and (settings.smtp_starttls or settings.smtp_user):
            smtp.starttls(context=_tls_context())  # SMTPNotSupportedError if not offered
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\\\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                     r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


def deliverable(address: str) -> bool:
    """An address a mail server can be handed: one mailbox, ASCII, no header tricks."""
    return address.isascii() and len(address) <= 254 and bool(ADDRESS.fullmatch(address))


def send_pending(session: Session, now: datetime) -> int:
    """Send each new notification once to users who asked for its kind by e-mail."""
    rows = session.exec(
        select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.emailed_at.is_(None),
            Notification.created_at > now - LOOK_BACK,
            User.email != "",
            User.is_active,
        )
        .order_by(Notification.id)
        .limit(500)
    ).all()
    sent = 0
    for note, user in rows:
        if note.kind not in user.email_kinds:
            continue
        claimed = session.exec(
            update(Notification)
            .where(Notification.id == note.id, Notification.emailed_at.is_(None))
            .values(emailed_at=now)
            .execution_options(synchronize_session=False)
        )
        session.commit()  # the claim: another worker will not send it too
        if claimed.rowcount != 1:
            continue
        if not deliverable(user.email):
            # Not worth a retry, and no reason to hold up the others: logged and passed over.
            log.warning("e-mail to user %s skipped: malformed address %r", user.id, user.email)
            continue
        try:
            _send(compose(user, note))
            sent += 1
        except (smtplib.SMTPRecipientsRefused, ValueError, UnicodeError):
            log.warning("e-mail to %s refused for this address; not retried", user.email)
        except Exception:  # noqa: BLE001 - one failed message must not stop the batch
            log.exception("e-mail to %s failed; will retry", user.email)
            session.exec(
                update(Notification)
                .where(Notification.id == note.id)
                .values(emailed_at=None)
                .execution_options(synchronize_session=False)
            )
            session.commit()
    return sent
