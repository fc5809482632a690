"""Organisations, the platform's users, and the households they serve."""

from __future__ import annotations

import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from zhuanjie.auth.passwords import hash_password
from zhuanjie.codes import GROUPS
from zhuanjie.crypto import encrypt, keyed_hash
from zhuanjie.demo import texts as T
from zhuanjie.demo.base import Ctx, Family, yuan
from zhuanjie.demo.catalogue import DEPARTMENT_OF, DEPARTMENT_OFFICES, ORGS, SUSPEND_REASON
from zhuanjie.models import Entitlement, Household, Member, Organisation, OrganisationEvent, User
from zhuanjie.regions import townships
from zhuanjie.validators import age_on, id_check_char, uscc_check_char

CITY = "南通市"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
COUNTY_PINYIN = {
    "崇川区": "chongchuan", "通州区": "tongzhou", "海门区": "haimen", "如东县": "rudong",
    "启东市": "qidong", "如皋市": "rugao", "海安市": "haian",
}
COUNTY_WORKERS = {
    "崇川区": "钱丽萍", "通州区": "葛建新", "海门区": "黄晓春", "如东县": "袁志华",
    "启东市": "施美娟", "如皋市": "丁国庆", "海安市": "韩秋月",
}
CASEWORKER_TOWN = "南通市/如皋市/白蒲镇"
CASEWORKER_HAIAN_TOWN = "南通市/海安市/李堡镇"

# username, role, display name, region, organisation key, e-mail name, scope (Chinese)
DEMO_USERS = (
    ("admin", "admin", "周静", None, None, "zhoujing", "全平台（系统管理）"),
    ("supervisor", "supervisor", "徐卫东", CITY, None, "xuweidong", "南通市（全市）"),
    ("supervisor_rugao", "supervisor", "冒海燕", "南通市/如皋市", None, "maohaiyan", "如皋市"),
    ("caseworker", "caseworker", "季红梅", CASEWORKER_TOWN, None, "jihongmei", "如皋市白蒲镇"),
    ("caseworker_haian", "caseworker", "储建军", CASEWORKER_HAIAN_TOWN, None, "chujianjun",
     "海安市李堡镇"),
    ("org_staff", "org_staff", "施晓丽", None, "cs", "shixiaoli", "南通市慈善总会"),
    ("org_staff_gov", "org_staff", "缪志强", None, "mz_rg", "miaozhiqiang", "如皋市民政局"),
    ("donor", "donor", "陆志明", None, "lzm", "luzhiming", "爱心人士陆志明（个人捐助方）"),
)
# The department offices' logins (catalogue.DEPARTMENT_OFFICES), same columns as DEMO_USERS
DEPARTMENT_USERS = (
    ("dept_staff", "org_staff", "陈建华", None, "fp_rg", "chenjianhua",
     "如皋市农业农村局（乡村振兴）"),
)

# households per county outside the two demo townships (which get 24 and 22)
COUNTY_HOUSEHOLDS = {
    "崇川区": 22, "通州区": 24, "海门区": 20, "如东县": 24, "启东市": 20, "如皋市": 24,
    "海安市": 20,
}
DEMO_TOWN_HOUSEHOLDS = {CASEWORKER_TOWN: 24, CASEWORKER_HAIAN_TOWN: 22}


def make_organisations(ctx: Ctx) -> None:
    rng, rows = ctx.rng, []
    for n, (key, name, kind, area, prefix, status, contact, address, desc) in enumerate(ORGS):
        created = ctx.ago(days=rng.randint(5, 12) if status == "pending" else rng.randint(300, 900))
        code = None
        if prefix:
            region = T.COUNTY_CODES.get(area.split("/")[-1], "320600")
            body = ("MJ" if prefix[0] == "5" else "MA" if prefix == "91" else "")
            alphabet = "0123456789" if not body else USCC_CHARS
            body += "".join(rng.choice(alphabet) for _ in range(9 - len(body)))
            first17 = prefix + region + body
            code = first17 + uscc_check_char(first17)
        person = prefix is None
        org = Organisation(
            name=name, kind=kind, credit_code=code, status=status, service_area=area,
            contact_name=contact.split()[-1],
            contact_phone=_mobile(rng) if person else f"0513-8{rng.randrange(10**6, 10**7)}",
            contact_email=f"org{n + 1:02d}@example.org", address=address, description=desc,
            is_person=person, created_at=created, updated_at=created,
            status_reason=SUSPEND_REASON if status == "suspended" else "",
        )
        if status in ("verified", "suspended"):
            org.verified_at = created + timedelta(days=rng.randint(2, 15), hours=rng.randint(1, 8))
        ctx.orgs[key] = org
        rows.append(org)
    for key, department in DEPARTMENT_OF.items():
        ctx.orgs[key].department = department
    rows.extend(_department_offices(ctx))
    ctx.add_all(rows)


def _department_offices(ctx: Ctx) -> list[Organisation]:
    # A random stream of their own, so adding an office leaves every other demo row unchanged.
    rng, rows = random.Random("department offices"), []
    for key, name, area, department, contact, address, desc in DEPARTMENT_OFFICES:
        region = T.COUNTY_CODES.get(area.split("/")[-1], "320600")
        first17 = "11" + region + "".join(rng.choice("0123456789") for _ in range(9))
        created = ctx.ago(days=rng.randint(600, 900))
        org = Organisation(
            name=name, kind="government", department=department,
            credit_code=first17 + uscc_check_char(first17), status="verified",
            service_area=area, contact_name=contact.split()[-1],
            contact_phone=f"0513-8{rng.randrange(10**6, 10**7)}",
            contact_email=f"{key}@example.org", address=address, description=desc,
            created_at=created, updated_at=created, verified_at=created + timedelta(days=3),
        )
        ctx.orgs[key] = org
        rows.append(org)
    return rows


def make_users(ctx: Ctx) -> list[tuple[str, str, str, str, str]]:
    """The demo logins (with fresh passwords) and quiet colleagues who give the data its actors."""
    passwords = [secrets.token_urlsafe(9) for _ in DEMO_USERS]
    with ThreadPoolExecutor(max_workers=4) as pool:  # argon2 releases the GIL
        hashes = list(pool.map(hash_password, passwords))
    logins, rows = [], []
    for (username, role, display, region, org_key, mail, scope), pw, pw_hash in zip(
        DEMO_USERS, passwords, hashes, strict=True
    ):
        org = ctx.orgs[org_key] if org_key else None
        user = User(
            username=username, display_name=display, password_hash=pw_hash, role=role,
            region_path=region, organisation_id=org.id if org else None,
            email=f"{mail}@example.org", created_at=_joined(ctx, org),
            email_kinds=["referral_received", "referral_overdue"] if role == "org_staff" else [],
        )
        ctx.users[username] = user
        rows.append(user)
        logins.append((username, role, display, pw, scope))
    # Colleagues without a usable password ("!" never verifies): an admin sets one if needed.
    for county, pinyin in COUNTY_PINYIN.items():
        user = User(
            username=f"cw_{pinyin}", display_name=COUNTY_WORKERS[county], password_hash="!",
            role="caseworker", region_path=f"{CITY}/{county}", email=f"cw.{pinyin}@example.org",
            created_at=_joined(ctx, None),
        )
        ctx.users[user.username] = user
        rows.append(user)
    demo_orgs = {"cs", "mz_rg", "lzm"}  # a company that gives has staff who answer referrals
    for key, _name, _kind, _area, _prefix, status, contact, *_ in ORGS:
        if key in demo_orgs or status in ("pending", "person"):
            continue
        user = User(
            username=f"staff_{key}", display_name=contact.split()[-1], password_hash="!",
            role="org_staff", organisation_id=ctx.orgs[key].id,
            email=f"staff.{key}@example.org", created_at=_joined(ctx, ctx.orgs[key]),
        )
        ctx.users[user.username] = user
        rows.append(user)
    logins += _department_users(ctx, rows)
    ctx.add_all(rows)
    for user in rows:
        if user.organisation_id and user.organisation_id not in ctx.staff_of:
            ctx.staff_of[user.organisation_id] = user
    ctx.caseworker_of.update({CASEWORKER_TOWN: ctx.users["caseworker"],
                              CASEWORKER_HAIAN_TOWN: ctx.users["caseworker_haian"]})
    for county, pinyin in COUNTY_PINYIN.items():
        ctx.caseworker_of[f"{CITY}/{county}"] = ctx.users[f"cw_{pinyin}"]
    _organisation_events(ctx)
    return logins


def _department_users(ctx: Ctx, rows: list[User]) -> list[tuple[str, str, str, str, str]]:
    logins = []
    for username, role, display, region, org_key, mail, scope in DEPARTMENT_USERS:
        password, org = secrets.token_urlsafe(9), ctx.orgs[org_key]
        user = User(
            username=username, display_name=display, password_hash=hash_password(password),
            role=role, region_path=region, organisation_id=org.id,
            email=f"{mail}@example.org", created_at=org.created_at + timedelta(days=1),
        )
        ctx.users[username] = user
        rows.append(user)
        logins.append((username, role, display, password, scope))
    return logins


def _joined(ctx: Ctx, org: Organisation | None):
    """Staff join when their organisation registers; officials before any household exists."""
    if org is not None:
        return org.created_at + timedelta(hours=ctx.rng.uniform(1, 40))
    return ctx.ago(days=ctx.rng.randint(1150, 1300))


def _organisation_events(ctx: Ctx) -> None:
    admin, rows = ctx.users["admin"], []
    for org in ctx.orgs.values():
        if org.verified_at:
            rows.append(OrganisationEvent(
                organisation_id=org.id, from_status="pending", to_status="verified",
                reason="登记证书、法人身份证明和银行账户材料齐全，核验通过。" if not org.is_person
                else "身份核验通过，已签署爱心承诺书。", actor_id=admin.id, at=org.verified_at))
        if org.status == "suspended":
            at = ctx.ago(days=ctx.rng.randint(15, 40))
            rows.append(OrganisationEvent(organisation_id=org.id, from_status="verified",
                                          to_status="suspended", reason=org.status_reason,
                                          actor_id=admin.id, at=at))
            org.updated_at = at
    ctx.add_all(rows)


# --- households -------------------------------------------------------------------------------


def _mobile(rng) -> str:
    return rng.choice(T.PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _name(rng, sex: str, age: int, surname: str | None = None) -> str:
    surname = surname or rng.choice(T.SURNAMES)
    if age >= 55:
        pool = T.GIVEN_OLD_M if sex == "男" else T.GIVEN_OLD_F
    elif age >= 25:
        pool = T.GIVEN_MID_M if sex == "男" else T.GIVEN_MID_F
    else:
        pool = T.GIVEN_YOUNG_M if sex == "男" else T.GIVEN_YOUNG_F
    return surname + rng.choice(pool)


def _structure(rng) -> tuple[str, list[tuple[str, int, str]]]:
    """A family shape: kind and [(relation, age, sex)], head first."""
    kind = rng.choices(
        ("elderly_single", "elderly_couple", "family", "single_parent", "grandparents", "disabled",
         "alone", "couple_ill"), weights=(11, 10, 33, 10, 12, 10, 8, 6))[0]
    sex = rng.choice("男女")
    other = "女" if sex == "男" else "男"
    if kind == "elderly_single":
        return kind, [("head", rng.randint(68, 92), rng.choice("男女女"))]
    if kind == "elderly_couple":
        age = rng.randint(65, 86)
        return kind, [("head", age, "男"), ("spouse", age - rng.randint(0, 4), "女")]
    if kind == "family":
        age = rng.randint(32, 54)
        people = [("head", age, sex)]
        if rng.random() < 0.85:
            people.append(("spouse", age + rng.randint(-3, 3), other))
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            people.append(("child", rng.randint(max(1, age - 40), min(22, age - 20)),
                           rng.choice("男女")))
        if rng.random() < 0.3 and len(people) < 5:
            people.append(("parent", age + rng.randint(24, 32), rng.choice("男女")))
        return kind, people[:5]
    if kind == "single_parent":
        age = rng.randint(28, 50)
        people = [("head", age, rng.choice("女女男"))]
        for _ in range(rng.choice((1, 1, 2))):
            people.append(("child", rng.randint(3, min(20, age - 20)), rng.choice("男女")))
        return kind, people
    if kind == "grandparents":
        age = rng.randint(58, 76)
        people = [("head", age, sex)]
        if rng.random() < 0.6:
            people.append(("spouse", age + rng.randint(-3, 3), other))
        for _ in range(rng.choice((1, 1, 2))):
            people.append(("grandchild", rng.randint(4, 15), rng.choice("男女")))
        return kind, people
    if kind == "disabled":
        age = rng.randint(55, 78)
        people = [("head", age, sex)]
        if rng.random() < 0.5:
            people.append(("spouse", age + rng.randint(-3, 3), other))
        people.append(("child", rng.randint(max(5, age - 45), age - 22), rng.choice("男女")))
        return kind, people
    if kind == "alone":
        return kind, [("head", rng.randint(38, 64), rng.choice("男男女"))]
    age = rng.randint(45, 62)
    return kind, [("head", age, "男"), ("spouse", age - rng.randint(0, 5), "女")]


class _Ids:
    """Unique, valid 18-digit ID numbers for people born in Nantong's counties."""

    def __init__(self, rng):
        self.rng, self.seen = rng, set()
        self.dibao = 0  # counts 低保 households so that every 15th one is in 渐退

    def make(self, county: str, birth: date, sex: str) -> str:
        code = T.COUNTY_CODES[county]
        if self.rng.random() < 0.12:
            code = self.rng.choice(list(T.COUNTY_CODES.values()))
        while True:
            last = self.rng.choice("13579" if sex == "男" else "02468")
            first17 = f"{code}{birth:%Y%m%d}{self.rng.randrange(100):02d}{last}"
            number = first17 + id_check_char(first17)
            if number not in self.seen:
                self.seen.add(number)
                return number


def _places(ctx: Ctx, town_path: str) -> tuple[list[str], bool]:
    rng = ctx.rng
    street = town_path.endswith("街道")
    if street:
        return [s + "社区" for s in rng.sample(T.COMMUNITY_STEMS, 4)], True
    villages = [s + "村" for s in rng.sample(T.VILLAGE_STEMS, rng.randint(4, 6))]
    return villages + [town_path.rsplit("/", 1)[-1].removesuffix("镇") + "社区"], False


def _town_plan(ctx: Ctx, scale: int = 1) -> list[str]:
    plan: list[str] = []
    for path, n in DEMO_TOWN_HOUSEHOLDS.items():
        plan += [path] * (n * scale)
    for county, n in COUNTY_HOUSEHOLDS.items():
        n *= scale
        towns = [t.path for t in townships(f"{CITY}/{county}")
                 if t.path not in DEMO_TOWN_HOUSEHOLDS]
        ctx.rng.shuffle(towns)
        chosen = towns[: max(5, len(towns) - 2)]
        plan += [chosen[i % len(chosen)] for i in range(n)]
    return plan


def make_households(ctx: Ctx, scale: int = 1) -> None:
    """The households (``scale`` times as many, for the training history of demo/history.py)."""
    ids = _Ids(ctx.rng)
    plan = _town_plan(ctx, scale)
    places = {path: _places(ctx, path) for path in dict.fromkeys(plan)}
    total, batch = len(plan), []
    for i, town_path in enumerate(plan, start=1):
        batch.append(_household(ctx, ids, town_path, places[town_path]))
        if len(batch) == 25 or i == total:
            ctx.add_all([f.row for f in batch])
            for fam in batch:
                for m in fam.members:
                    m.household_id = fam.row.id
            ctx.add_all([m for f in batch for m in f.members])
            ctx.add_all([e for f in batch for e in _entitlements(ctx, f)])
            ctx.families += batch
            batch = []
            ctx.report("家庭与成员", i, total)


def _household(ctx: Ctx, ids: _Ids, town_path: str, place: tuple[list[str], bool]) -> Family:
    rng, today = ctx.rng, ctx.today
    _, county, town = town_path.split("/")
    kind, shape = _structure(rng)
    head_surname = rng.choice(T.SURNAMES)
    members, ages = [], {}
    for idx, (relation, age, sex) in enumerate(shape):
        surname = head_surname if relation in ("child", "grandchild") else None
        if relation == "parent":
            surname = head_surname if rng.random() < 0.7 else None
        birth = today - timedelta(days=int(age * 365.25) + rng.randint(1, 360))
        number = ids.make(county, birth, sex)
        real_age = age_on(birth, today)
        member = Member(
            name=_name(rng, sex, real_age, surname if idx else head_surname), relation=relation,
            is_head=idx == 0, id_number_enc=encrypt(number), id_number_hash=keyed_hash(number),
            id_last4=number[-4:], birth_date=birth, sex="男" if int(number[16]) % 2 else "女",
        )
        members.append(member)
        ages[idx] = real_age
    # illness and disability
    ill_idx = None
    if kind == "couple_ill" or rng.random() < 0.33:
        adults = [i for i, a in ages.items() if a >= 18] or [0]
        children = [i for i, a in ages.items() if a < 18]
        ill_idx = rng.choice(children) if children and rng.random() < 0.15 else rng.choice(adults)
        pool = [x for x in T.ILLNESSES if (ages[ill_idx] >= 18 or not x[3])
                and (members[ill_idx].sex == "女" or x[0] not in T.WOMEN_ONLY)]
        members[ill_idx].illness = rng.choice(pool)[0]
    if kind == "disabled" or rng.random() < 0.12:
        idx = len(members) - 1 if kind == "disabled" else rng.randrange(len(members))
        pool = T.DISABILITIES_CHILD if ages[idx] < 16 else T.DISABILITIES_ADULT
        members[idx].disability = rng.choice(pool)
    head_phone = _mobile(rng)
    members[0].phone_enc = encrypt(head_phone)
    # groups and income
    alone = len(members) == 1
    r = rng.random()
    groups: list[str] = []
    if (alone or kind == "elderly_couple") and (ages[0] >= 60 or members[0].disability) \
            and r < (0.5 if alone else 0.2):
        groups.append("tekun")
    elif r < 0.55:
        groups.append("dibao")
    elif r < 0.78:
        groups.append("low_income")
    if rng.random() < 0.2:
        groups.append("jiandang")
    if any(m.disability for m in members):
        groups.append("disabled")
    if any(m.illness for m in members):
        groups.append("serious_illness")
        if "tekun" not in groups and rng.random() < 0.55:
            groups.append("expenditure_hardship")
    rural = not place[1]
    if kind == "grandparents" and rural:
        groups.append("left_behind_child")
    if kind in ("elderly_single", "elderly_couple") and rural and rng.random() < 0.6:
        groups.append("left_behind_elderly")
    if rng.random() < 0.04:
        groups.append("disaster_victim")
    if not groups:
        groups.append(rng.choice(("low_income", "expenditure_hardship")))
    if "tekun" in groups:
        income = rng.randrange(0, 41) * 10
    elif "dibao" in groups:
        income = rng.randrange(20, 81) * 10
    elif "low_income" in groups:
        income = rng.randrange(80, 121) * 10
    else:
        income = rng.randrange(100, 240) * 10
    groups = [g for g in GROUPS if g in groups]  # codebook order
    village = rng.choice(place[0])
    address = _address(rng, county, town, village)
    created = ctx.ago(days=rng.randint(190, 1100))
    status, until, notes = "active", None, ""
    if "dibao" in groups:
        ids.dibao += 1
    if "dibao" in groups and ids.dibao % 15 == 7:  # a few households in 渐退
        status, until = "transition", ctx.today + timedelta(days=rng.randint(30, 180))
        notes = (f"家庭收入已超过低保标准，进入渐退期，保留低保待遇至{until:%Y年%m月%d日}，"
                 "同步开展就业帮扶。")
    elif rng.random() < 0.3:
        notes = rng.choice((
            "户主为人老实，沟通顺畅。", "子女在外地，紧急联系人为村委会。",
            "需注意老人听力不好，入户时大声说话。",
            "已纳入网格员每周走访名单。", "家中养狗，入户前先电话联系。",
        ))
    caseworker = ctx.caseworker_of.get(town_path) or ctx.caseworker_of[f"{CITY}/{county}"]
    row = Household(
        region_path=town_path, village=village, address_enc=encrypt(address),
        phone_enc=encrypt(head_phone), groups=groups, income_per_capita=yuan(income),
        status=status, transition_until_date=until, notes=notes, created_by_id=caseworker.id,
        next_review_date=ctx.today + timedelta(days=rng.randint(-20, 330)),
        created_at=created, updated_at=ctx.ago(days=rng.randint(5, 180)),
    )
    return Family(row=row, members=members, ages=ages, county=county, town=town,
                  caseworker=caseworker, family_text=_family_text(rng, kind, members, ages),
                  work_text=rng.choice(T.HEAD_WORK_OLD if ages[0] >= 65 else T.HEAD_WORK).format(
                      mu=rng.randint(2, 8), wage=rng.randrange(18, 30) * 100),
                  guardian="爷爷奶奶" if kind == "grandparents" else "父母")


def _address(rng, county: str, town: str, village: str) -> str:
    if village.endswith("社区"):
        return (f"{county}{town}{village}{rng.choice(T.ROADS)}{rng.randint(1, 300)}号"
                f"{rng.randint(1, 30)}幢{rng.randint(1, 6)}0{rng.randint(1, 4)}室")
    return f"{county}{town}{village}{rng.randint(1, 18)}组{rng.randint(1, 60)}号"


def _family_text(rng, kind: str, members: list[Member], ages: dict[int, int]) -> str:
    kids = sum(1 for m in members if m.relation in ("child", "grandchild"))
    ill = next((m for m in members if m.illness), None)
    if kind == "elderly_single":
        text = rng.choice(("老人独自居住", "户主独居多年，老伴早年去世", "老人无子女，一个人生活"))
    elif kind == "elderly_couple":
        text = rng.choice(("老两口相依为命，子女均在外地", "夫妻二人年事已高，儿子早年病故"))
    elif kind == "grandparents":
        text = f"{kids}个孙辈随祖辈生活，孩子父母常年在外务工" if kids > 1 else \
            rng.choice(("孙辈随祖辈生活，父母在外打工很少回家",
                        "孩子父母离异后外出，孩子由祖辈抚养"))
    elif kind == "single_parent":
        text = rng.choice((f"单亲家庭，户主独自抚养{kids}个孩子",
                           "丈夫几年前因病去世，母子相依为命"))
    elif kind == "disabled":
        text = rng.choice(("家中有一名重度残疾人需长期照护",
                           "子女残疾，生活不能自理，全靠父母照顾"))
    elif kind == "alone":
        text = rng.choice(("户主未婚，一人生活", "户主离异后独居",
                           "户主独自生活，兄弟姐妹各自困难"))
    elif kind == "couple_ill":
        text = rng.choice(("夫妻二人身体都不好", "夫妻俩无子女，靠打零工和低保生活"))
    else:
        text = f"夫妻俩带着{kids}个孩子" if kids else "一家人挤在老房子里"
        if any(m.relation == "parent" for m in members):
            text += "，还要赡养一位老人"
    if ill and kind not in ("couple_ill",):
        text += f"，{'户主' if ill.is_head else '家中一人'}患{ill.illness}"
    return text


def _entitlements(ctx: Ctx, fam: Family) -> list[Entitlement]:
    rng, rows, groups = ctx.rng, [], fam.row.groups
    n = len(fam.members)
    since = ctx.today - timedelta(days=rng.randint(120, 2400))
    income = float(fam.row.income_per_capita or 0)
    if "dibao" in groups and rng.random() < 0.9:
        amount = max(150, round((1040 - income) * n, -1))
        rows.append(Entitlement(household_id=fam.row.id, programme="低保金",
                                category="basic_living", offer_id=ctx.programme_offer["低保"].id,
                                monthly_amount=yuan(amount),
                                since_date=since, until_date=fam.row.transition_until_date))
    if "tekun" in groups:
        rows.append(Entitlement(household_id=fam.row.id, programme="特困供养金",
                                category="basic_living", offer_id=ctx.programme_offer["特困"].id,
                                monthly_amount=yuan(1360 + rng.choice((0, 0, 300, 600))),
                                since_date=since))
    for m in fam.members:
        if m.disability and (set(groups) & {"dibao", "tekun", "low_income"}):
            severe = "一级" in m.disability or "二级" in m.disability
            rows.append(Entitlement(
                household_id=fam.row.id, programme="残疾人两项补贴（护理补贴）" if severe
                else "残疾人两项补贴（生活补贴）", category="care" if severe else "basic_living",
                offer_id=ctx.programme_offer["两项补贴"].id,
                monthly_amount=yuan(rng.choice((90, 130, 150))), since_date=since))
            break
    return rows
