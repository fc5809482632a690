"""One Jinja2 environment: Chinese labels, dates in Asia/Shanghai, masked personal fields."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from zhuanjie import clock, codes, crypto, regions
from zhuanjie.config import PROJECT_ROOT

templates = Jinja2Templates(directory=str(PROJECT_ROOT / "templates"))
env = templates.env
# Templates are compiled once per process; no stat() of every template file on each render
# (restart the server to see a template changed).
env.auto_reload = False


def local_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return clock.local_text(value, "%Y-%m-%d")
    return value.strftime("%Y-%m-%d")


def yuan(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):,.2f} 元".replace(".00 元", " 元")


def waited(since: datetime | None, now: datetime) -> str:
    """How long something has waited, in Chinese: 3小时, 2天5小时."""
    if since is None:
        return ""
    hours = int((now - since).total_seconds() // 3600)
    if hours < 1:
        return "不到1小时"
    days, hours = divmod(hours, 24)
    return (f"{days}天" if days else "") + (f"{hours}小时" if hours else "")


def label(value, vocabulary: str) -> str:
    table = getattr(codes, vocabulary.upper())
    return table.get(value, value if value is not None else "")


env.filters.update(
    local_time=clock.local_text,
    local_date=local_date,
    yuan=yuan,
    waited=waited,
    label=label,
    mask_id=crypto.mask_id_number,
    mask_phone=crypto.mask_phone,
    mask_name=crypto.mask_name,
    region=regions.short_name,
)
env.globals.update(codes=codes)


NAV: dict[str, list[tuple[str, str]]] = {
    "admin": [
        ("/", "工作台"),
        ("/admin/users", "用户管理"),
        ("/organisations", "机构"),
        ("/reports", "监管报表"),
        ("/insight", "数据概览"),
        ("/audit", "审计日志"),
        ("/admin/jobs", "定时任务"),
        ("/admin/models", "匹配模型"),
        ("/directory", "项目目录"),
        ("/notifications", "消息"),
    ],
    "supervisor": [
        ("/", "工作台"),
        ("/needs", "救助需求"),
        ("/organisations", "机构"),
        ("/reports", "监管报表"),
        ("/insight", "数据概览"),
        ("/audit", "审计日志"),
        ("/admin/jobs", "定时任务"),
        ("/admin/models", "匹配模型"),
        ("/directory", "项目目录"),
        ("/notifications", "消息"),
    ],
    "caseworker": [
        ("/", "工作台"),
        ("/households", "困难家庭"),
        ("/needs", "救助需求"),
        ("/referrals", "转介"),
        ("/intakes", "部门转介"),
        ("/followups", "回访"),
        ("/directory", "项目目录"),
        ("/notifications", "消息"),
    ],
    "org_staff": [
        ("/", "工作台"),
        ("/referrals", "转介收件箱"),
        ("/checkin", "转介单签到"),
        ("/offers", "本机构项目"),
        ("/insight/organisation", "本机构成效"),
        ("/directory", "项目目录"),
        ("/notifications", "消息"),
    ],
    "donor": [
        ("/", "我的捐助"),
        ("/board", "求助信息"),
        ("/donor/pledges", "我的认捐"),
        ("/insight/donor", "捐助成效"),
        ("/directory", "项目目录"),
        ("/notifications", "消息"),
    ],
}


def nav_for(user) -> list[tuple[str, str]]:
    if user is None:
        return [("/", "首页"), ("/board", "求助信息"), ("/directory", "项目目录"),
                ("/gongshi", "低保公示")]
    links = NAV.get(user.role, [("/", "工作台")])
    if user.role == "org_staff" and _department_of(user):
        links = links[:1] + DEPARTMENT_NAV + links[1:]
    return links


# A department user (staff of a government body with a department) exchanges work with civil
# affairs: these links come first after the home page.
DEPARTMENT_NAV = [("/intakes", "部门转介"), ("/alerts", "监测预警"), ("/rolls", "部门台帐")]


def _department_of(user) -> str | None:
    # No statement of its own: the organisation came with the sign-in (auth.service._keep).
    from sqlalchemy.orm import object_session

    from zhuanjie.organisations.service import department_of

    session = object_session(user)
    return department_of(session, actor=user) if session is not None else None


env.globals.update(nav_for=nav_for)

# Private donors' standing offers wait for a supervisor's review (donors.review).
for _role in ("supervisor", "admin"):
    NAV[_role].insert(len(NAV[_role]) - 1, ("/reviews/offers", "帮扶意愿审核"))
# 统筹分配: supervisors run it; caseworkers work off its proposals.
for _role in ("supervisor", "admin"):
    NAV[_role].insert(len(NAV[_role]) - 1, ("/allocation", "统筹分配"))
NAV["caseworker"].insert(len(NAV["caseworker"]) - 1, ("/allocation/proposals", "分配建议"))

# 应享未享: caseworkers work the list; supervisors and admins see their region's totals too.
for _role in ("caseworker", "supervisor", "admin"):
    _at = [href for href, _ in NAV[_role]].index("/directory")
    NAV[_role].insert(_at, ("/unclaimed", "应享未享"))

# Departments' rolls (台帐): imports, 台帐比对 and the 公示 (rolls/); the public 公示 for all.
for _role, _text in (("supervisor", "台帐比对"), ("admin", "台帐比对"), ("caseworker", "台帐核实")):
    NAV[_role].insert(len(NAV[_role]) - 2, ("/rolls", _text))


@lru_cache(maxsize=512)
def region_options(selected: str | None) -> Markup:
    """The <option>s of a county / township picker (the whole tree), with one selected:
    rendered once per process for each choice instead of on every page."""
    parts = []
    for county in regions.counties():
        mark = " selected" if selected == county.path else ""
        parts.append(f'<option value="{escape(county.path)}"{mark}>{escape(county.name)}</option>')
        for town in regions.townships(county.path):
            mark = " selected" if selected == town.path else ""
            parts.append(
                f'<option value="{escape(town.path)}"{mark}>\u3000{escape(town.name)}</option>'
            )
    return Markup("\n".join(parts))


env.globals.update(region_options=region_options)
