"""Offers, needs and the referrals between them, each with a consistent history."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from zhuanjie.clock import frozen
from zhuanjie.codes import CONSENT_FIELDS, GROUPS
from zhuanjie.demo import texts as T
from zhuanjie.demo.base import Ctx, Family, NeedInfo, OfferInfo, yuan
from zhuanjie.demo.catalogue import GOV_HOW_TO_APPLY, NGO_HOW_TO_APPLY, OFFERS
from zhuanjie.demo.stories import NeedFacts, compose_need
from zhuanjie.models import (
    Consent,
    Need,
    Offer,
    OfferCategory,
    OfferGroup,
    OfferRegion,
    OfferRevision,
    Referral,
    User,
)
from zhuanjie.referrals import flow as referral_flow
from zhuanjie.referrals.deadlines import respond_by
from zhuanjie.regions import within

PROGRAMME_KEYS = {
    "低保": "城乡最低生活保障", "特困": "特困人员救助供养", "两项补贴": "困难残疾人生活补贴",
}


def make_offers(ctx: Ctx) -> None:
    rng, today, rows = ctx.rng, ctx.today, []
    for t in OFFERS:
        org = ctx.orgs[t["org"]]
        gov = t.get("gov", False)
        created = ctx.ago(days=rng.randint(300, 700) if gov else rng.randint(190, 320),
                          hours=rng.uniform(0, 8))
        floor = org.verified_at or org.created_at  # a new organisation drafts after joining
        if created < floor:
            created = min(floor + timedelta(days=rng.uniform(0.5, 20)),
                          ctx.now - timedelta(hours=1))
        status = t["status"]
        valid_until = None if gov else today + timedelta(days=rng.randint(30, 400))
        if t.get("expired"):
            valid_until = today - timedelta(days=rng.randint(10, 60))
        rules = {"government_first": True, "basis": t["programme"]} if gov else {}
        if "income" in t and gov:
            rules["income_line_monthly"] = t["income"]
        if "excludes" in t:  # 特困 are supported by 供养, not by 低保
            rules["excludes_groups"] = t["excludes"].split()
        creator = ctx.staff_of.get(org.id)
        offer = Offer(
            organisation_id=org.id, title=t["title"], description=t["description"],
            mode=t["mode"], status=status, is_programme=gov, rules=rules,
            age_min=t.get("age_min"), age_max=t.get("age_max"),
            income_ceiling=yuan(t["income"]) if "income" in t else None,
            capacity=t.get("capacity"),
            amount_per_person=yuan(t["amount"]) if "amount" in t else None,
            budget_total=yuan(t["budget"]) if "budget" in t else None,
            valid_from=created.date(), valid_until=valid_until,
            how_to_apply=GOV_HOW_TO_APPLY if gov else NGO_HOW_TO_APPLY,
            contact=f"{org.contact_name} {org.contact_phone}"[:120],
            created_by_id=creator.id if creator else None, created_at=created,
            updated_at=created,
        )
        if status != "draft":
            offer.published_at = created + timedelta(days=rng.randint(1, 5),
                                                     hours=rng.randint(1, 6))
            offer.updated_at = offer.published_at
        rows.append(offer)
        ctx.offers.append(OfferInfo(row=offer, org=org, cats=t["cats"],
                                    coverage=t["coverage"].split(),
                                    groups=t.get("groups", "").split()))
    ctx.add_all(rows)
    links: list = []
    for info in ctx.offers:
        o = info.row
        links += [OfferCategory(offer_id=o.id, category=c) for c in info.cats]
        links += [OfferRegion(offer_id=o.id, region_path=p) for p in info.coverage]
        links += [OfferGroup(offer_id=o.id, group_code=g) for g in info.groups]
        actor = o.created_by_id
        links.append(OfferRevision(offer_id=o.id, actor_id=actor, at=o.created_at, changes={
            "created": [None, o.title], "status": [None, "draft"]}))
        if o.published_at:
            links.append(OfferRevision(offer_id=o.id, actor_id=actor, at=o.published_at,
                                       changes={"status": ["draft", "published"]}))
        if o.status in ("paused", "closed"):
            at = ctx.ago(days=rng.randint(3, 9))
            links.append(OfferRevision(offer_id=o.id, actor_id=actor, at=at,
                                       changes={"status": ["published", o.status]}))
            o.updated_at = at
        for key, prefix in PROGRAMME_KEYS.items():
            if o.title.startswith(prefix):
                ctx.programme_offer[key] = o
    ctx.add_all(links)
    ctx.report("帮扶项目", len(rows), len(rows))


# --- needs ------------------------------------------------------------------------------------

RELATION_WORDS = {
    ("head", "男"): "户主", ("head", "女"): "户主", ("spouse", "男"): "户主的丈夫",
    ("spouse", "女"): "户主的妻子", ("child", "男"): "其子", ("child", "女"): "其女",
    ("grandchild", "男"): "孙子", ("grandchild", "女"): "孙女", ("parent", "男"): "户主的父亲",
    ("parent", "女"): "户主的母亲",
}
URGENCY_WEIGHTS = {"emergency": (10, 35, 55), "medical": (45, 42, 13)}


def _category_weights(fam: Family) -> dict[str, float]:
    ages = list(fam.ages.values())
    w = {"basic_living": 7, "housing": 5, "emergency": 5, "psychological": 3, "legal": 0,
         "insurance": 4, "medical": 0, "education": 0, "employment": 0, "care": 0,
         "rehabilitation": 0}
    if any(m.illness for m in fam.members):
        w["medical"] = 40
        w["psychological"] = 5
    if any(m.disability for m in fam.members):
        w["rehabilitation"] = 14
        w["care"] += 5
    if any(5 <= a <= 22 for a in ages):
        w["education"] = 16
    if any(a >= 70 for a in ages) or "left_behind_child" in fam.row.groups:
        w["care"] += 12
    if any(18 <= a <= 58 for a in ages):
        w["employment"] = 8
        w["legal"] = 5
    return w


def _beneficiary(ctx: Ctx, fam: Family, category: str) -> int:
    idx = list(range(len(fam.members)))
    ages, ms = fam.ages, fam.members
    pick = {
        "medical": [i for i in idx if ms[i].illness],
        "rehabilitation": [i for i in idx if ms[i].disability],
        "education": [i for i in idx if 5 <= ages[i] <= 22],
        "care": [i for i in idx if ages[i] >= 70 or ms[i].disability]
        + [i for i in idx if ages[i] < 15 and "left_behind_child" in fam.row.groups],
        "employment": [i for i in idx if 18 <= ages[i] <= 58],
        "legal": [i for i in idx if 18 <= ages[i] <= 75],
    }.get(category) or [0]
    return ctx.rng.choice(pick)


def make_needs(ctx: Ctx, total: int = 400) -> None:
    rng = ctx.rng
    demo_towns = {"南通市/如皋市/白蒲镇", "南通市/海安市/李堡镇"}
    counts = Counter(dict.fromkeys(range(len(ctx.families)), 1))
    weights = [2.5 if f.row.region_path in demo_towns else 1.0 for f in ctx.families]
    while sum(counts.values()) < total:
        i = rng.choices(range(len(ctx.families)), weights=weights)[0]
        if counts[i] < 4:
            counts[i] += 1
    rows: list[Need] = []
    for i, fam in enumerate(ctx.families):
        used: set[str] = set()
        for _ in range(counts[i]):
            w = _category_weights(fam)
            for c in used:
                w[c] *= 0.1
            w = {c: x for c, x in w.items() if x > 0}
            category = rng.choices(list(w), weights=list(w.values()))[0]
            used.add(category)
            info = _need(ctx, fam, category)
            rows.append(info.row)
            ctx.needs.append(info)
    ctx.add_all(rows)
    ctx.report("救助需求", len(rows), total)


def _hospital(rng, county: str, ill: str) -> str:
    if ill == "精神分裂症":
        return "南通市第四人民医院"
    pool = [h for h in T.HOSPITALS_CITY if "肿瘤" not in h or "癌" in ill]
    return rng.choice(pool + [T.HOSPITALS_COUNTY[county]] * 3)


def _condition(member) -> str:
    """The person's own health, as a caseworker writes it."""
    if member.illness:
        return f"患{member.illness}"
    if member.disability:
        return f"为{member.disability.split('（')[-1].rstrip('）')}残疾"
    return "身体不好"


def _need(ctx: Ctx, fam: Family, category: str) -> NeedInfo:
    rng = ctx.rng
    b = _beneficiary(ctx, fam, category)
    member, head = fam.members[b], fam.members[0]
    ill_member = member if member.illness else next((m for m in fam.members if m.illness), None)
    ill = (ill_member.illness if ill_member else "")
    treat = next((x[2] for x in T.ILLNESSES if x[0] == ill), "")
    who = RELATION_WORDS.get((member.relation, member.sex), "家庭成员") + member.name
    if member.is_head:
        who = member.name
    grp = GROUPS[fam.row.groups[0]]
    facts = NeedFacts(
        name=member.name, who=who, age=fam.ages[b], head=head.name, head_age=fam.ages[0],
        n=len(fam.members), village=fam.row.village, county=fam.county, town=fam.town,
        grp=grp, income=int(fam.row.income_per_capita or 0), family=fam.family_text,
        work=fam.work_text, ill=ill if category != "medical" or ill else "", treat=treat,
        dis=member.disability or next((m.disability for m in fam.members if m.disability), ""),
        hosp=_hospital(rng, fam.county, ill),
        guardian=fam.guardian, kids=sum(m.relation in ("child", "grandchild") for m in fam.members),
        allowance="特困供养金" if "tekun" in fam.row.groups else
        "低保金" if "dibao" in fam.row.groups else "家里的固定收入",
        disabled=bool(member.disability),
        condition=_condition(member),
    )
    title, description, money = compose_need(rng, category, facts)
    urgency = rng.choices((1, 2, 3), weights=URGENCY_WEIGHTS.get(category, (68, 27, 5)))[0]
    created = ctx.ago(days=rng.uniform(0.5, 365))  # a year of months for the charts
    need = Need(
        household_id=fam.row.id, member_id=member.id, region_path=fam.row.region_path,
        category=category, title=title, description=description, urgency=urgency,
        amount_needed=yuan(money) if money is not None else None, status="open",
        created_by_id=fam.caseworker.id, created_at=created, updated_at=created,
        last_action_at=created,
    )
    if rng.random() < 0.4 or urgency == 3:
        soonest = 7 if urgency == 3 else 15
        need.deadline_date = created.date() + timedelta(days=rng.randint(soonest, 90))
    return NeedInfo(row=need, family=fam, member=member, age=fam.ages[b])


# --- referrals --------------------------------------------------------------------------------

STATE_COUNTS = {"sent": 24, "accepted": 18, "declined": 20, "in_service": 18, "delivered": 22,
                "failed": 8, "closed": 30, "withdrawn": 10}
SENT_DAYS = {"sent": (0.1, 6), "accepted": (3, 30), "declined": (5, 330), "in_service": (10, 80),
             "delivered": (12, 60), "failed": (20, 300), "closed": (60, 350),
             "withdrawn": (5, 300)}
# Referrals holding one of the offer's places. As in referrals.service, closing a delivered
# referral keeps its place (the help was given); declining, failing, withdrawing give it back.
HOLDS = {"accepted", "in_service", "delivered", "closed"}
# (town, organisation key, state): slots the demo logins must see
CONSTRAINTS = (
    [("南通市/如皋市/白蒲镇", None, s) for s in STATE_COUNTS] + [
        ("南通市/如皋市/白蒲镇", None, "sent"), ("南通市/如皋市/白蒲镇", None, "in_service")]
    + [("南通市/海安市/李堡镇", None, s) for s in
       ("sent", "accepted", "declined", "in_service", "delivered", "closed")]
    + [(None, "cs", s) for s in ("sent", "sent", "sent", "accepted", "accepted", "in_service",
                                 "in_service", "delivered", "delivered", "closed", "closed",
                                 "declined")]
    + [("南通市/如皋市", "mz_rg", s) for s in ("sent", "sent", "accepted", "in_service",
                                              "delivered", "closed", "declined")]
)
SEND_NOTES = (
    "已与户主电话沟通，同意转介。", "家属已签署授权书，请尽快联系。", "情况紧急，请优先处理。", "",
    "已入户核实，材料齐全。", "申请人行动不便，请上门服务。", "", "联系时请找户主本人，白天在家。",
)
ACCEPT_NOTES = (
    "已安排工作人员跟进。", "", "材料已收到，三个工作日内联系。", "符合条件，予以受理。", "",
)
DECLINE_NOTES = {
    "full": ("本期名额已满，建议下期再申请。", "项目名额已全部分配。"),
    "ineligible": (
        "申请人年龄不在项目范围内。", "家庭收入超过项目标准。", "不属于本项目资助病种。",
    ),
    "unreachable": ("连续三天电话无人接听。", "按登记地址上门未找到申请人。"),
    "referred_elsewhere": ("已由其他部门救助，避免重复。", "已转介至更合适的项目。"),
    "other": ("项目资金暂未到位。", "申请人表示暂不需要。"),
}
DELIVERY_NOTES = {
    "cash": (
        "救助金{amt}元已打入户主社保卡。", "已通过银行转账发放{amt}元。",
        "救助金{amt}元已发放到位。",
    ),
    "in_kind": ("物资已送到家中，户主签收。", "志愿者已上门送达并拍照留存。", "已按清单发放物资。"),
    "service": ("服务已按计划完成。", "已完成上门服务，家属满意。", "已完成评估并提供服务。"),
    "volunteer": ("志愿者已完成结对服务。", "已安排志愿者上门，服务顺利。"),
}
FAIL_NOTES = ("服务对象已搬迁外地，无法继续服务。", "服务对象住院，服务中止。",
              "家属拒绝继续接受服务。",
              "预算调整，项目提前结束。")
WITHDRAW_NOTES = ("家属表示已通过亲友解决。", "转介信息有误，撤回后重新提交。",
                  "户主不同意转介给该机构。",
                  "申请人已享受同类救助。")


def make_referrals(ctx: Ctx) -> None:
    rng = ctx.rng
    static = {id(n): [o for o in ctx.offers if _fits(o, n)] for n in ctx.needs}
    slots = [[None, None, s] for s, k in STATE_COUNTS.items() for _ in range(k)]
    taken: set[int] = set()
    for town, org, state in CONSTRAINTS:
        i = next(i for i, x in enumerate(slots) if x[2] == state and i not in taken)
        slots[i][0], slots[i][1] = town, org
        taken.add(i)
    stage = ("closed", "failed", "declined", "withdrawn", "delivered", "in_service", "accepted",
             "sent")
    rest = sorted((x for i, x in enumerate(slots) if i not in taken),
                  key=lambda x: stage.index(x[2]))
    constrained = [slots[i] for i in sorted(taken)]
    reasons = [r for r in ("full", "ineligible", "unreachable", "referred_elsewhere", "other")
               for _ in range(4)]
    rng.shuffle(reasons)
    pending: list = []  # (consent, sketch, events, need, offer): the history of each referral
    for town, org, state in constrained + rest:
        for attempt in range(3):
            if _place(ctx, static, town if attempt < 2 else None, org if attempt < 1 else None,
                      state, reasons, pending):
                break
    people = {u.id: u for u in (*ctx.users.values(), *ctx.staff_of.values(),
                                *ctx.caseworker_of.values())}
    for consent, sketch, events, need, offer in pending:
        ref = _replay(ctx, people, consent, sketch, events, need, offer)
        ctx.referral_events[ref.id] = events
    ctx.report("转介", len(pending), len(slots))
    _settle_needs(ctx)


def _fits(o: OfferInfo, n: NeedInfo) -> bool:
    fam, row = n.family, o.row
    if row.status != "published" or o.org.is_person:
        return False  # a private donor's offer is taken up through the board, not referrals
    if not any(within(n.row.region_path, c) for c in o.coverage):
        return False
    if o.groups and not set(o.groups) & set(fam.row.groups):
        return False
    if row.age_min is not None and n.age < row.age_min:
        return False
    if row.age_max is not None and n.age > row.age_max:
        return False
    if row.income_ceiling is not None and fam.row.income_per_capita > row.income_ceiling:
        return False
    cat = n.row.category
    return cat in o.cats or (cat in ("medical", "basic_living") and "emergency" in o.cats
                             and row.mode == "cash")


def _place(ctx: Ctx, static, town, org, state, reasons, pending) -> bool:
    rng = ctx.rng
    lo, hi = SENT_DAYS[state]
    sent_at = ctx.ago(days=rng.uniform(lo, hi))
    pool = [n for n in ctx.needs if not n.live
            and n.row.created_at < sent_at - timedelta(hours=2)
            and (n.free_after is None or n.free_after < sent_at)
            and (not town or n.row.region_path.startswith(town))]
    rng.shuffle(pool)
    pool.sort(key=lambda n: len(n.referrals) > 0)  # fresh needs first, a few re-referrals
    if rng.random() < 0.25:
        pool.reverse()
    for need in pool:
        used = {r.offer_id for r in need.referrals}
        offers = [o for o in static[id(need)] if o.row.id not in used
                  and o.row.valid_from <= sent_at.date()
                  and (not org or o.org is ctx.orgs[org])
                  and (state not in HOLDS or o.row.capacity is None or o.holds < o.row.capacity)]
        if not offers:
            continue
        primary = [o for o in offers if need.row.category in o.cats]
        offer = rng.choice(primary or offers)
        _referral(ctx, need, offer, state, sent_at, reasons, pending)
        return True
    return False


def _step(ctx: Ctx, prev: datetime, lo_days: float, hi_days: float) -> datetime:
    at = prev + timedelta(days=ctx.rng.uniform(lo_days, hi_days))
    return max(min(at, ctx.now - timedelta(minutes=ctx.rng.randint(5, 90))),
               prev + timedelta(minutes=1))


def _referral(ctx: Ctx, need: NeedInfo, offer: OfferInfo, state: str, sent_at: datetime,
              reasons: list[str], pending: list) -> None:
    rng = ctx.rng
    fam, caseworker = need.family, need.family.caseworker
    staff = ctx.staff_of.get(offer.org.id)
    staff_id = staff.id if staff else None
    respond_by_at = respond_by(sent_at, need.row.urgency)
    window = respond_by_at - sent_at
    consenter = need.member if need.age >= 18 else fam.head
    fields = ["name", "need_text"]
    if rng.random() < 0.9:
        fields.append("phone")
    if offer.row.mode in ("service", "in_kind", "volunteer") or need.row.category == "housing":
        fields.append("address")
    if offer.row.is_programme and rng.random() < 0.8:
        fields.append("id_number")
    consent = Consent(
        household_id=fam.row.id, member_id=consenter.id, need_id=need.row.id,
        organisation_id=offer.org.id, purpose="referral",
        fields=[f for f in CONSENT_FIELDS if f in fields],
        given_at=max(need.row.created_at, sent_at - timedelta(minutes=rng.randint(10, 180))),
        valid_until=(sent_at + timedelta(days=rng.randint(180, 365))).date(),
        recorded_by_id=caseworker.id,
    )
    if state in HOLDS or state == "sent":
        consent.valid_until = max(consent.valid_until, ctx.today + timedelta(days=90))
    ref = Referral(
        need_id=need.row.id, offer_id=offer.row.id, organisation_id=offer.org.id,
        status=state, note=rng.choice(SEND_NOTES),
        score=round(rng.uniform(0.52, 0.96), 3), sent_by_id=caseworker.id, sent_at=sent_at,
        respond_by_at=respond_by_at, updated_at=sent_at,
    )
    events = [(None, "sent", caseworker.id, sent_at, ref.note)]
    late = rng.random() < 0.12
    if state == "withdrawn":
        at = _step(ctx, sent_at, 0.05, window.total_seconds() / 86400 * 0.8)
        ref.decline_note = ""
        events.append(("sent", "withdrawn", caseworker.id, at, rng.choice(WITHDRAW_NOTES)))
        ref.closed_at = at
        if "亲友" in events[-1][4] or "不同意" in events[-1][4]:
            consent.revoked_at = at
    elif state != "sent":
        factor = rng.uniform(1.1, 2.0) if late else rng.uniform(0.05, 0.9)
        responded = _step(ctx, sent_at, 0, window.total_seconds() / 86400 * factor)
        ref.responded_at = responded
        if state == "declined":
            ref.decline_reason = reasons.pop() if reasons else rng.choice(list(DECLINE_NOTES))
            ref.decline_note = rng.choice(DECLINE_NOTES[ref.decline_reason])
            events.append(("sent", "declined", staff_id, responded, ref.decline_note))
        else:
            events.append(("sent", "accepted", staff_id, responded, rng.choice(ACCEPT_NOTES)))
            rng.randint(7, 30)  # drawn as before; the deadline is now the flow's own rule
            prev, status = responded, "accepted"
            if state in ("in_service", "failed") or (
                state in ("delivered", "closed") and offer.row.mode in ("service", "volunteer")
            ):
                prev = _step(ctx, prev, 0.5, 5)
                events.append(("accepted", "in_service", staff_id, prev, "服务已开始。"))
                status = "in_service"
            if state == "failed":
                prev = _step(ctx, prev, 2, 20)
                events.append((status, "failed", staff_id, prev, rng.choice(FAIL_NOTES)))
                ref.closed_at = prev
            if state in ("delivered", "closed"):
                prev = _step(ctx, prev, 1, 15)
                ref.delivered_at, ref.delivery_date = prev, prev.date()
                amount = offer.row.amount_per_person if offer.row.mode == "cash" else None
                if amount is not None and need.row.amount_needed is not None:
                    amount = min(amount, need.row.amount_needed)
                ref.delivery_amount = amount
                ref.delivery_note = rng.choice(DELIVERY_NOTES[offer.row.mode]).format(
                    amt=f"{amount:,.0f}" if amount else "")
                events.append((status, "delivered", staff_id, prev, ref.delivery_note))
            if state == "closed":
                prev = _step(ctx, prev, 31, 40)
                events.append(("delivered", "closed", caseworker.id, prev, "回访完成，办结。"))
                ref.closed_at = prev
    ref.holds_place = state in HOLDS  # every closed referral here was delivered first
    if ref.holds_place:
        offer.holds += 1
    ref.updated_at = events[-1][3]
    pending.append((consent, ref, events, need, offer))
    need.referrals.append(ref)
    need.live = state not in ("declined", "failed", "withdrawn")
    need.free_after = events[-1][3]


def _replay(ctx: Ctx, people: dict, consent: Consent, sketch: Referral, events: list,
            need: NeedInfo, offer: OfferInfo) -> Referral:
    """Write one referral's history through the lifecycle's one owner, each step backdated
    (`at`, and the clock frozen there for what the step stamps itself, e.g. task cancels and
    an offer's place). The demo writes its inboxes itself (aftercare.make_notifications), so
    the steps tell nobody now."""
    session = ctx.session
    session.add(consent)
    session.flush()

    def who(user_id):
        return people.get(user_id) or (session.get(User, user_id) if user_id else None)

    _, _, actor, at, note = events[0]
    with frozen(at):
        ref = referral_flow.open_referral(
            session, need=need.row, offer=offer.row, consent_id=consent.id, by=who(actor),
            at=at, note=note, score=sketch.score, notify=False)
    for _, to, actor, at, note in events[1:]:
        with frozen(at):
            referral_flow.move(
                session, ref, to=to, by=who(actor), at=at, note=note, notify=False,
                decline_reason=sketch.decline_reason, delivery_date=sketch.delivery_date,
                delivery_amount=sketch.delivery_amount)
    need.referrals[next(i for i, r in enumerate(need.referrals) if r is sketch)] = ref
    return ref


def _settle_needs(ctx: Ctx) -> None:
    """Need status and outcome from its referrals, by the rule of referrals.service."""
    rng = ctx.rng
    for info in ctx.offers:  # places were taken and given back by referrals.flow
        ctx.session.expire(info.row)
    for n in ctx.needs:
        row, refs = n.row, n.referrals
        states = {"delivered" if r.delivered_at else r.status for r in refs}
        last = max((r.updated_at for r in refs), default=row.created_at)
        if any(r.status == "closed" for r in refs):
            row.status, row.outcome = "closed", rng.choice(("met", "met", "met", "partly_met"))
            row.outcome_note = "经回访，救助已落实，家庭情况有所好转。" if row.outcome == "met" \
                else "已解决部分费用，剩余缺口继续关注。"
            row.closed_at = last
        elif states & {"accepted", "in_service", "delivered"}:
            row.status = "in_service"
        elif "sent" in states:
            row.status = "referred"
        elif refs and rng.random() < 0.4:
            row.status = "closed"
            failed = "failed" in states
            row.outcome = "unmet" if failed else "withdrawn"
            row.outcome_note = ("未能找到合适资源，已纳入常态化走访。" if failed
                                else "家庭表示暂不需要。")
            row.closed_at = last = _step(ctx, last, 1, 10)
        elif not refs and rng.random() < 0.07:
            row.status, row.outcome = "closed", rng.choice(("met", "withdrawn"))
            row.outcome_note = "已通过低保提标和亲属帮助解决。" if row.outcome == "met" \
                else "申请人主动撤销。"
            row.closed_at = last = _step(ctx, row.created_at, 3, 30)
        else:
            row.status = "open"
        row.last_action_at = row.updated_at = last
