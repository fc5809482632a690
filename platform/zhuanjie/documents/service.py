"""Printable documents (PDF): the consent form (授权书), the referral slip (转介单) with its
check-in QR code, the follow-up record (回访记录) and an organisation's monthly list of
referrals. Each carries its document number (documents.numbers) and the day it was printed.

A document is printed by whoever may see its record, from the same scope checks as the record's
page. Those that name the person (all but the monthly list, which shows no personal field) are
audited: one `document_printed` row per print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from zhuanjie import audit, codes, crypto, regions
from zhuanjie.clock import local_text, local_time, today
from zhuanjie.config import get_settings
from zhuanjie.documents import numbers
from zhuanjie.documents.pdf import Sheet
from zhuanjie.errors import Forbidden, Invalid, NotFound
from zhuanjie.followups import service as followups
from zhuanjie.households import service as households
from zhuanjie.models import (
    Consent,
    Household,
    Member,
    Need,
    Offer,
    Organisation,
    Referral,
    ReferralEvent,
    User,
)
from zhuanjie.referrals import flow as referral_flow
from zhuanjie.referrals import service as referrals

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MONTHLY_MAX_ROWS = 3000


@dataclass
class Document:
    filename: str
    data: bytes
    number: str


def _masked_id(member: Member) -> str:
    return "*" * 14 + member.id_last4 if member.id_last4 else "—"


def _name_of(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else "—"


def _printed(session: Session, actor: User, kind: str, object_type: str, object_id: int,
             number: str, ip: str) -> None:
    audit.record(session, actor, "document_printed", object_type=object_type,
                 object_id=object_id, detail={"document": kind, "number": number}, ip=ip)
    session.commit()


# --- 授权书 ---------------------------------------------------------------------------------------


def consent_form(session: Session, *, actor: User, consent_id: int, ip: str = "") -> Document:
    """The consent as the household signs it: who agrees, that exactly these fields may be
    seen by exactly this organisation, for this purpose, until this day."""
    consent = session.get(Consent, consent_id)
    if consent is None:
        raise NotFound("授权记录不存在")
    household = households.get_household(session, actor=actor, household_id=consent.household_id)
    member = session.get(Member, consent.member_id)
    organisation = (session.get(Organisation, consent.organisation_id)
                    if consent.organisation_id else None)
    need = session.get(Need, consent.need_id) if consent.need_id else None
    number = numbers.number(numbers.CONSENT, consent.id)
    sheet = Sheet(title="个人信息使用授权书", number=number, printed_on=today())
    sheet.heading("授权人")
    sheet.line("姓名", member.name)
    sheet.line("身份证号", _masked_id(member))
    sheet.line("与户主关系", codes.RELATIONS.get(member.relation, member.relation))
    sheet.line("所在地", f"{regions.short_name(household.region_path)}{household.village}")
    sheet.heading("授权内容")
    receiver = organisation.name if organisation else "南通市社会救助转介服务平台（去标识化公开）"
    sheet.line("被授权方", receiver)
    sheet.line("用途", codes.CONSENT_PURPOSES.get(consent.purpose, consent.purpose)
               + (f"：{need.title}" if need else ""))
    sheet.paragraph("本人同意被授权方在下列期限内查看本人家庭的以下信息，且仅限以下信息：")
    sheet.boxes([codes.CONSENT_FIELDS.get(f, "受助公示" if f == "display" else f)
                 for f in consent.fields])
    sheet.line("授权期限", f"{local_text(consent.given_at, '%Y年%m月%d日')} 至 "
                        f"{consent.valid_until:%Y年%m月%d日}")
    sheet.paragraph(
        "未列出的信息不向被授权方提供。本人可随时向经办人员撤回本授权；撤回后被授权方不能再查看"
        "上述信息，并应删除已获取的信息。授权到期后自动失效。", size=10)
    if consent.revoked_at:
        sheet.paragraph(f"注：本授权已于 {local_text(consent.revoked_at)} 撤回"
                        f"（{consent.revoke_reason}）。", size=10)
    sheet.line("经办人员", _name_of(session, consent.recorded_by_id))
    sheet.signatures(["授权人", "经办人员"])
    _printed(session, actor, "consent_form", "consent", consent.id, number, ip)
    return Document(f"授权书-{number}.pdf", sheet.output(), number)


# --- 转介单 ---------------------------------------------------------------------------------------


def slip_url(number: str) -> str:
    return get_settings().base_url.rstrip("/") + f"/checkin/{number}"


def referral_slip(session: Session, *, actor: User, referral_id: int, ip: str = "") -> Document:
    """The slip the household carries to the organisation. Its QR code opens the check-in page
    (after sign-in, for the receiving organisation's staff only); the name is printed whole
    only when the consent gives it."""
    referral = referrals.get_referral(session, actor=actor, referral_id=referral_id)
    need = session.get(Need, referral.need_id)
    offer = session.get(Offer, referral.offer_id)
    organisation = session.get(Organisation, referral.organisation_id)
    household = session.get(Household, need.household_id)
    consent = session.get(Consent, referral.consent_id) if referral.consent_id else None
    member_id = need.member_id or (consent.member_id if consent else None)
    member = session.get(Member, member_id) if member_id else None
    named = bool(consent and "name" in consent.fields and consent.revoked_at is None)
    person = (member.name if named else crypto.mask_name(member.name)) if member else "—"
    number = numbers.number(numbers.SLIP, referral.id)
    sheet = Sheet(title="转介单", number=number, printed_on=today())
    sheet.qr(slip_url(number), caption="机构扫码登记到达")
    sheet.heading("服务对象")
    sheet.line("姓名", person)
    sheet.line("所在地", f"{regions.short_name(household.region_path)}{household.village}")
    sheet.line("需求", f"{need.title}（{codes.CATEGORIES.get(need.category, need.category)}，"
                     f"{codes.URGENCY.get(need.urgency, '')}）")
    sheet.heading("转介至")
    sheet.line("服务机构", organisation.name)
    sheet.line("项目", offer.title)
    sheet.line("联系方式", offer.contact or organisation.contact_phone or "—")
    sheet.line("如何申请", offer.how_to_apply or "—")
    sheet.heading("转介信息")
    sheet.line("转介编号", number)
    sheet.line("转介时间", local_text(referral.sent_at))
    sheet.line("答复期限", local_text(referral.respond_by_at) or "—")
    sheet.line("经办人员", _name_of(session, referral.sent_by_id))
    sheet.line("当前状态", codes.REFERRAL_STATUSES.get(referral.status, referral.status))
    sheet.paragraph(
        "请服务对象携带本单前往服务机构。机构工作人员登录平台后扫描右上角二维码，或在"
        "“转介单签到”页输入转介编号，即可打开该转介并登记服务对象已到达。", size=10)
    sheet.signatures(["机构接待人", "服务对象"])
    _printed(session, actor, "referral_slip", "referral", referral.id, number, ip)
    return Document(f"转介单-{number}.pdf", sheet.output(), number)


# --- 回访记录 -------------------------------------------------------------------------------------


def followup_record(session: Session, *, actor: User, followup_id: int, ip: str = "") -> Document:
    """A follow-up visit on paper: what was recorded, or blank lines to fill in at the door."""
    visit, need = followups.followup_with_need(session, actor=actor, followup_id=followup_id)
    household = session.get(Household, need.household_id)
    member = session.get(Member, need.member_id) if need.member_id else session.exec(
        select(Member).where(Member.household_id == household.id, Member.is_head)
    ).first()
    referral = session.get(Referral, visit.referral_id) if visit.referral_id else None
    offer = session.get(Offer, referral.offer_id) if referral else None
    organisation = session.get(Organisation, referral.organisation_id) if referral else None
    number = numbers.number(numbers.FOLLOW_UP, visit.id)
    sheet = Sheet(title="回访记录", number=number, printed_on=today())
    sheet.heading("回访对象")
    sheet.line("姓名", member.name if member else "—")
    sheet.line("所在地", f"{regions.short_name(household.region_path)}{household.village}")
    sheet.line("需求", need.title)
    if referral:
        sheet.line("服务", f"{organisation.name} · {offer.title}")
        sheet.line("送达日期", f"{referral.delivery_date:%Y-%m-%d}" if referral.delivery_date
                   else "—")
    sheet.heading("回访")
    sheet.line("应回访日期", f"{visit.due_date:%Y-%m-%d}")
    sheet.line("回访人", _name_of(session, visit.assignee_id))
    sheet.line("状态", codes.FOLLOWUP_STATUSES.get(visit.status, visit.status))
    if visit.status == "done":
        sheet.line("回访时间", local_text(visit.done_at))
        sheet.line("需求是否满足", {True: "是", False: "否"}.get(visit.need_met, "—"))
        sheet.line("满意度", f"{visit.rating} / 5" if visit.rating else "—")
        sheet.line("情况记录", visit.notes or "—")
    else:
        sheet.line("需求是否满足", "□ 是　　□ 否")
        sheet.line("满意度", "□1　□2　□3　□4　□5")
        sheet.paragraph("情况记录：")
        sheet.blank_lines(5)
    sheet.signatures(["回访人", "受访人"])
    _printed(session, actor, "followup_record", "follow_up", visit.id, number, ip)
    return Document(f"回访记录-{number}.pdf", sheet.output(), number)


# --- 机构月度转介清单 ----------------------------------------------------------------------------


def parse_month(text: str) -> tuple[int, int]:
    match = MONTH.match(text or "")
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
        raise Invalid("月份格式应为 年-月，如 2026-11", field="month")
    return int(match[1]), int(match[2])


def monthly_list(
    session: Session, *, actor: User, month: str = "", organisation_id: int | None = None
) -> Document:
    """An organisation's referrals sent in one month (Asia/Shanghai), with what became of
    each. No personal field is printed, so printing it is not audited. Organisation staff
    print their own; platform staff any organisation's referrals within their scope."""
    year, mon = parse_month(month or f"{today():%Y-%m}")
    if actor.role == "org_staff":
        organisation_id = actor.organisation_id
    elif actor.role not in ("caseworker", "supervisor", "admin"):
        raise Forbidden("您的角色无权打印机构转介清单")
    if organisation_id is None:
        raise Invalid("请选择机构", field="organisation_id")
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("机构不存在")
    start = date(year, mon, 1)
    end = (start + timedelta(days=32)).replace(day=1)
    rows = session.exec(
        referrals.visible_referrals(actor, Offer)
        .join(Offer, Offer.id == Referral.offer_id)
        .where(Referral.organisation_id == organisation_id,
               Referral.sent_at >= local_time(start, 0), Referral.sent_at < local_time(end, 0))
        .order_by(Referral.sent_at, Referral.id)
        .limit(MONTHLY_MAX_ROWS)
    ).all()
    ids = [row[0].id for row in rows]
    arrived = dict(session.exec(
        select(ReferralEvent.referral_id, ReferralEvent.at)
        .where(ReferralEvent.referral_id.in_(ids or [0]),
               ReferralEvent.kind == referral_flow.ARRIVED)
        .order_by(ReferralEvent.at.desc())
    ).all())
    categories = _categories(session, [row[0].need_id for row in rows])
    number = numbers.monthly(organisation_id, year, mon)
    sheet = Sheet(title=f"{organisation.name} {year}年{mon}月转介清单", number=number,
                  printed_on=today())
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[0].status] = counts.get(row[0].status, 0) + 1
    summary = "、".join(f"{codes.REFERRAL_STATUSES.get(s, s)} {n} 条" for s, n in counts.items())
    sheet.paragraph(f"本月共收到转介 {len(rows)} 条" + (f"：{summary}。" if summary else "。"))
    sheet.table(
        ["转介编号", "转介日期", "需求类别", "项目", "状态", "到达", "答复", "送达"],
        [[numbers.number(numbers.SLIP, r.id), local_text(r.sent_at, "%m-%d"),
          codes.CATEGORIES.get(categories.get(r.need_id, ""), ""), offer.title,
          codes.REFERRAL_STATUSES.get(r.status, r.status),
          local_text(arrived.get(r.id), "%m-%d"), local_text(r.responded_at, "%m-%d"),
          f"{r.delivery_date:%m-%d}" if r.delivery_date else ""]
         for r, offer in rows],
        [30, 18, 22, 46, 16, 16, 16, 16],
    )
    sheet.paragraph("本清单不含服务对象的个人信息。", size=9)
    return Document(f"转介清单-{number}.pdf", sheet.output(), number)


def _categories(session: Session, need_ids: list[int]) -> dict[int, str]:
    if not need_ids:
        return {}
    return dict(session.exec(select(Need.id, Need.category).where(Need.id.in_(need_ids))).all())
