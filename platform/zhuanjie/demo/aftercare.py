"""What follows delivery and what people see: follow-ups, service plans, the donors' board,
notifications and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlmodel import select, update

from zhuanjie.clock import frozen
from zhuanjie.codes import DECLINE_REASONS, GROUPS, URGENCY
from zhuanjie.demo.base import Ctx, NeedInfo, yuan
from zhuanjie.demo.stories import PUBLIC_ASKS, publication_story
from zhuanjie.followups import flow as followup_flow
from zhuanjie.models import (
    AuditEntry,
    Consent,
    FollowUp,
    NeedPublication,
    Notification,
    Pledge,
    ServicePlan,
    ServiceVisit,
    Task,
)
from zhuanjie.regions import short_name

FOLLOW_NOTES_GOOD = (
    "电话回访，户主表示救助金已收到，缓解了燃眉之急。", "入户回访，物资已使用，老人很满意。",
    "回访时孩子已按时返校，家长表示感谢。", "服务人员每周按时上门，家属满意。",
    "已完成手术，恢复良好，家庭负担明显减轻。", "户主已到岗上班，收入稳定。",
)
FOLLOW_NOTES_PART = ("救助已到位，但后续治疗费用仍有缺口。", "服务频次偏少，已与机构沟通增加。")
PLEDGE_NEWS = {"confirmed": "您的认捐已被确认，感谢您的爱心", "declined": "您的认捐未被采纳",
               "delivered": "您的捐赠已送达受助家庭"}
PLEDGE_MESSAGES = ("希望孩子早日康复。", "一点心意，祝一家人渡过难关。", "加油！")
VISIT_NOTES = ("上门助洁一次，老人精神状态好。", "陪同老人到卫生院配药。", "辅导数学作业一小时。",
               "测血压、量体温，情况平稳。", "帮助整理房间，更换床单。", "陪孩子读绘本，完成作业。")


def _morning(day) -> datetime:
    return datetime.combine(day, time(2, 0), tzinfo=UTC)  # 10:00 in Nantong


def make_follow_ups(ctx: Ctx) -> None:
    """Each delivery scheduled its follow-ups (referrals.flow, 7 and 30 days after); those
    already due were recorded, or missed, through the follow-up lifecycle's owner."""
    rng, missed = ctx.rng, 0
    for n in ctx.needs:
        for ref in n.referrals:
            if ref.delivered_at is None:
                continue
            rows = ctx.session.exec(
                select(FollowUp).where(FollowUp.referral_id == ref.id).order_by(FollowUp.due_date)
            ).all()
            for f in rows:
                due, last = f.due_date, f is rows[-1]
                if due <= ctx.today and (ref.status == "closed" or missed >= 2
                                         or rng.random() < 0.8):
                    done = min(_morning(due) + timedelta(hours=rng.uniform(0, 50)),
                               ctx.now - timedelta(minutes=30))
                    partly = n.row.outcome == "partly_met" and last
                    done = max(done, ref.delivered_at)
                    with frozen(done):
                        followup_flow.move(
                            ctx.session, f, to="done", at=done, need_met=not partly,
                            rating=3 if partly else rng.choice((4, 5, 5)),
                            notes=rng.choice(FOLLOW_NOTES_PART if partly else FOLLOW_NOTES_GOOD))
                elif due < ctx.today:
                    followup_flow.move(ctx.session, f, to="missed")
                    missed += 1
    _service_plans(ctx)


def _service_plans(ctx: Ctx) -> None:
    rng, plans = ctx.rng, []
    candidates = [(n, r) for n in ctx.needs for r in n.referrals
                  if r.status == "in_service" and n.row.category in ("care", "education")]
    for n, ref in candidates[:2]:
        start = (ref.responded_at + timedelta(days=2)).date()
        plan = ServicePlan(referral_id=ref.id, every_days=7, start_date=start,
                           end_date=start + timedelta(days=91), created_at=ref.responded_at,
                           description=f"每周上门一次：{n.row.title}，由机构工作人员或志愿者执行。")
        plans.append((plan, start))
    ctx.add_all([p for p, _ in plans])
    visits = []
    for plan, start in plans:
        day = start
        while day <= ctx.today + timedelta(days=14):
            v = ServiceVisit(plan_id=plan.id, due_date=day)
            if day < ctx.today:
                if rng.random() < 0.9:
                    v.status, v.notes = "done", rng.choice(VISIT_NOTES)
                    v.done_at = min(_morning(day) + timedelta(hours=rng.uniform(0, 8)), ctx.now)
                else:
                    v.status, v.notes = "missed", "服务对象外出就医，未能上门。"
            visits.append(v)
            day += timedelta(days=plan.every_days)
    ctx.add_all(visits)


def make_publications(ctx: Ctx) -> None:
    rng, donor = ctx.rng, ctx.users["donor"]
    picked: list[NeedInfo] = []
    counties: set[str] = set()
    for n in sorted(ctx.needs, key=lambda n: (n.family.row.region_path != "南通市/如皋市/白蒲镇",
                                              n.row.id)):
        if (n.row.status in ("open", "referred") and n.row.category in PUBLIC_ASKS
                and (n.row.amount_needed or 0) >= 5000 and n.family.county not in counties):
            picked.append(n)
            counties.add(n.family.county)
        if len(picked) == 5:
            break
    pubs = []
    for i, n in enumerate(picked):
        fam = n.family
        consenter = n.member if n.age >= 18 else fam.head
        given = n.row.created_at + timedelta(days=rng.uniform(0.5, 2))
        consent = Consent(household_id=fam.row.id, member_id=consenter.id, need_id=n.row.id,
                          purpose="publication", given_at=given,
                          # all but the last also agreed to the 公示 of what they received
                          fields=["need_text", "display"] if i < 4 else ["need_text"],
                          valid_until=ctx.today + timedelta(days=180),
                          recorded_by_id=fam.caseworker.id)
        ctx.add_all([consent])
        region = fam.row.region_path if i % 2 == 0 else fam.row.region_path.rsplit("/", 1)[0]
        goal = int(n.row.amount_needed)
        pubs.append(NeedPublication(
            need_id=n.row.id, consent_id=consent.id, region_path=region, category=n.row.category,
            title=f"{short_name(region)}一户{GROUPS[fam.row.groups[0]].removesuffix('家庭')}家庭的求助",
            story=publication_story(rng, category=n.row.category, place=short_name(region),
                                    grp=GROUPS[fam.row.groups[0]], age=n.age, n=len(fam.members),
                                    ill=n.member.illness, goal=goal),
            urgency=n.row.urgency, amount_goal=yuan(goal), deadline_date=n.row.deadline_date,
            published_by_id=fam.caseworker.id,
            published_at=given + timedelta(hours=rng.uniform(2, 30)),
        ))
    ctx.add_all(pubs)
    # donor pledges: (publication index, kind, amount, status)
    plan = ((0, "money", 1000, "confirmed"), (0, "money", 500, "pending"),
            (1, "money", 2000, "delivered"), (1, "goods", None, "confirmed"),
            (2, "money", 300, "cancelled"), (2, "time", None, "pending"),
            (3, "money", 800, "declined"), (4, "money", 1500, "delivered"))
    pledges = []
    for idx, kind, amount, status in plan:
        if idx >= len(pubs):
            continue
        pub, n = pubs[idx], picked[idx]
        created = min(pub.published_at + timedelta(days=rng.uniform(0.5, 6)),
                      ctx.now - timedelta(hours=3))
        p = Pledge(publication_id=pub.id, donor_id=donor.id, kind=kind,
                   amount=yuan(amount) if amount else None, status=status, created_at=created,
                   goods="冬被两床、米面油一份" if kind == "goods" else "",
                   hours=8 if kind == "time" else None,
                   message=rng.choice(PLEDGE_MESSAGES))
        if status in ("confirmed", "declined", "delivered"):
            p.decided_by_id = n.family.caseworker.id
            p.decided_at = min(created + timedelta(hours=20), ctx.now - timedelta(hours=2))
        if status == "declined":
            p.thank_you_note = "该需求已由政府救助解决，感谢您的爱心。"
        if status == "delivered":
            p.delivered_at = max(min(created + timedelta(days=3), ctx.now - timedelta(hours=1)),
                                 p.decided_at)
            p.thank_you_note = "善款已转交家属，户主托我们向您表示衷心感谢！"
        if kind == "money" and status in ("confirmed", "delivered"):
            pub.amount_pledged += Decimal(amount)
        pledges.append(p)
    ctx.add_all(pledges)
    told = []  # the donor hears when a caseworker decides on, or hands over, a pledge
    for p in pledges:
        decision = "confirmed" if p.status == "delivered" else p.status
        for at, kind, title in ((p.decided_at, f"pledge_{decision}", PLEDGE_NEWS.get(decision)),
                                (p.delivered_at, "pledge_delivered", PLEDGE_NEWS["delivered"])):
            if at and title:
                told.append(Notification(user_id=donor.id, kind=kind, title=title,
                                         body=p.thank_you_note, created_at=at,
                                         read_at=at + timedelta(hours=3) if at < ctx.ago(2)
                                         else None))
    ctx.add_all(told)


def make_notifications(ctx: Ctx) -> None:
    """The demo users' inboxes, worded as referrals.service words them; older ones read."""
    rng, rows, u = ctx.rng, [], ctx.users

    def note(user, kind, title, at, body="", link="", key=None):
        dice = rng.random()  # drawn always, so one early note does not shift the rest
        read = at < ctx.now - timedelta(days=2) and dice < 0.8
        rows.append(Notification(
            user_id=user.id, kind=kind, title=title[:200], body=body, link=link,
            dedupe_key=f"{key}:{user.id}" if key else None, created_at=at,
            read_at=at + timedelta(hours=rng.uniform(1, 30)) if read else None))

    staff = {u[n].organisation_id: u[n] for n in ("org_staff", "org_staff_gov")}
    own = {u[n].id: u[n] for n in ("caseworker", "caseworker_haian")}
    offers = {o.row.id: o.row for o in ctx.offers}
    for n in ctx.needs:
        for r in n.referrals:
            offer, events = offers[r.offer_id], _events(ctx, r)
            org_user, cw = staff.get(r.organisation_id), own.get(r.sent_by_id)
            if org_user:
                note(org_user, "referral_received", f"新转介：{n.row.title}", r.sent_at,
                     f"「{offer.title}」收到一条{URGENCY[n.row.urgency]}转介，请在期限内答复。",
                     f"/referrals/{r.id}")
                if "withdrawn" in events:
                    note(org_user, "referral_withdrawn", "转介已被经办人员撤回",
                         events["withdrawn"].at, events["withdrawn"].note, f"/referrals/{r.id}")
            if cw:
                link = f"/needs/{n.row.id}"
                if "accepted" in events:
                    note(cw, "referral_accepted", f"转介已接收：{offer.title}",
                         events["accepted"].at, link=link)
                if "declined" in events:
                    note(cw, "referral_declined",
                         f"转介被拒绝（{DECLINE_REASONS[r.decline_reason]}）", r.responded_at,
                         "需求已回到待匹配，可在匹配页查看下一个合适的项目。", link)
                if "delivered" in events:
                    note(cw, "referral_delivered", "服务已送达，请安排回访", r.delivered_at,
                         r.delivery_note, link)
                if "failed" in events:
                    note(cw, "referral_failed", "转介未能完成", events["failed"].at,
                         events["failed"].note or "需求已回到待匹配。", link)
            if r.status == "sent" and r.respond_by_at < ctx.now:
                region_boss = u["supervisor_rugao"] if "/如皋市/" in n.row.region_path else None
                for who in filter(None, (cw, u["supervisor"], region_boss)):
                    note(who, "referral_overdue", f"转介超时未答复：{n.row.title}",
                         r.respond_by_at, f"「{offer.title}」未在期限内答复，请跟进或改派。",
                         f"/referrals/{r.id}", key=f"referral_overdue:{r.id}")
    for org in ctx.orgs.values():
        if org.status == "pending":
            note(u["admin"], "organisation_pending", f"新机构待审核：{org.name}", org.created_at,
                 "请核验登记材料后作出认证决定。", f"/organisations/{org.id}")
    ctx.add_all(rows)


@dataclass(frozen=True, slots=True)
class _Event:
    at: datetime
    note: str


def _events(ctx: Ctx, referral) -> dict[str, _Event]:
    """to_status → when it happened and what was noted."""
    return {to: _Event(at, note) for _, to, _, at, note in ctx.referral_events[referral.id]}


def make_audit(ctx: Ctx) -> None:
    """Audit rows as the services write them: decisions, reveals, sends, consented views."""
    rng, rows = ctx.rng, []
    admin = ctx.users["admin"]
    for org in ctx.orgs.values():
        if org.verified_at:
            rows.append(AuditEntry(at=org.verified_at, actor_id=admin.id,
                                   action="organisation_verify", object_type="organisation",
                                   object_id=org.id, detail={"from": "pending", "reason": ""},
                                   ip="10.32.1.15"))
        if org.status == "suspended":
            rows.append(AuditEntry(at=org.updated_at, actor_id=admin.id,
                                   action="organisation_suspend", object_type="organisation",
                                   object_id=org.id,
                                   detail={"from": "verified", "reason": org.status_reason},
                                   ip="10.32.1.15"))
    for username in ("caseworker", "caseworker_haian"):
        user = ctx.users[username]
        mine = [f for f in ctx.families if f.caseworker is user]
        for fam in rng.sample(mine, min(6, len(mine))):
            rows.append(AuditEntry(
                at=ctx.ago(days=rng.uniform(0.1, 40)), actor_id=user.id,
                action=rng.choice(("reveal_id_number", "reveal_phone")), object_type="member",
                object_id=fam.head.id, detail={"household_id": fam.row.id},
                ip=f"10.32.{rng.randint(20, 60)}.{rng.randint(2, 250)}"))
    staff = {ctx.users[n].organisation_id: ctx.users[n] for n in ("org_staff", "org_staff_gov")}
    for n in ctx.needs:
        for r in n.referrals:
            consent = ctx.session.get(Consent, r.consent_id)
            if r.sent_by_id in (ctx.users["caseworker"].id, ctx.users["caseworker_haian"].id):
                rows.append(AuditEntry(at=r.sent_at, actor_id=r.sent_by_id, action="referral_sent",
                                       object_type="referral", object_id=r.id,
                                       detail={"consent_fields": consent.fields},
                                       ip="10.32.41.7"))
            viewer = staff.get(r.organisation_id)
            if viewer and r.status in ("accepted", "in_service", "delivered"):
                rows.append(AuditEntry(
                    at=r.responded_at + timedelta(minutes=rng.randint(5, 90)), actor_id=viewer.id,
                    action="view_consented_fields", object_type="referral", object_id=r.id,
                    detail={"fields": sorted(consent.fields)}, ip="10.40.3.21"))
    ctx.add_all(rows)


def expire_one_consent(ctx: Ctx) -> None:
    """One old, finished referral whose consent has run out, as happens in real data."""
    for n in ctx.needs:
        for r in n.referrals:
            if r.status == "closed":
                consent = ctx.session.get(Consent, r.consent_id)
                consent.valid_until = ctx.today - timedelta(days=7)
                return


def settle_past_tasks(ctx: Ctx) -> None:
    """The referrals' and follow-ups' deadline tasks that fell due before the load are history
    (the inboxes written above stand for what they told), so the first scheduler tick does not
    tell months of it at once; the deadlines still ahead stay scheduled."""
    ctx.session.exec(
        update(Task)
        .where(Task.done_at.is_(None), Task.due_at <= ctx.now)
        .values(done_at=ctx.now, result="demo: due before the demo was loaded")
        .execution_options(synchronize_session=False)
    )
