"""台帐比对 reports and their worklists: who sees which rows, assigning a row to a caseworker,
closing it with an outcome, and the .xlsx export for the 定期会商.

Those who may run a comparison of a county (compare.comparison_counties) manage its reports:
they see every row, assign and close. A caseworker sees the rows of their township (of every
report of the county) and closes them.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import case, false, or_
from sqlmodel import Session, func, select

from zhuanjie import audit, codes, pagination, policy, regions, spreadsheets
from zhuanjie.errors import Forbidden, Invalid, NotFound
from zhuanjie.models import RollReview, RollReviewItem, User
from zhuanjie.pagination import PAGE_SIZE, Page, paginate
from zhuanjie.rolls import compare, flow


def _managed(session: Session, user: User) -> list[str]:
    return compare.comparison_counties(session, user)


def visible_reviews(session: Session, user: User):
    """Reports of the counties the user manages, or of the county of a caseworker's township."""
    counties = _managed(session, user)
    if not counties and user.role == "caseworker" and user.region_path:
        counties = [c for c in regions.ancestors(user.region_path) if regions.is_known(c)
                    and c.count("/") == 1]
    if not counties:
        return select(RollReview).where(false())
    return select(RollReview).where(RollReview.county_path.in_(counties))


def visible_items(session: Session, user: User):
    counties = _managed(session, user)
    if counties:
        return select(RollReviewItem).where(or_(*[
            RollReviewItem.region_path.like(c + "/%") for c in counties]))
    if user.role == "caseworker":
        return select(RollReviewItem).where(policy.region_filter(user,
                                                                 RollReviewItem.region_path))
    return select(RollReviewItem).where(false())


def _review(session: Session, user: User, review_id: int) -> RollReview:
    if _managed(session, user) or user.role == "caseworker":
        return policy.one_visible(session, visible_reviews(session, user), RollReview,
                                  review_id, missing="没有这份比对报告",
                                  hidden="这份比对报告不在您的辖区")
    raise Forbidden("您的角色不能查看台帐比对")


def _item(session: Session, user: User, item_id: int) -> RollReviewItem:
    if not (_managed(session, user) or user.role == "caseworker"):
        raise Forbidden("您的角色不能办理台帐比对清单")
    return policy.one_visible(session, visible_items(session, user), RollReviewItem, item_id,
                              missing="没有这一条", hidden="这一条不在您的辖区")


@dataclass
class ReviewPage:
    review: RollReview
    items: list[RollReviewItem]
    manage: bool
    townships: list[tuple[str, int, int]] = field(default_factory=list)  # path, rows, open
    caseworkers: dict[str, list[User]] = field(default_factory=dict)  # township → people
    names: dict[int, str] = field(default_factory=dict)  # user id → display name
    run_by: str = ""
    page: Page = field(default_factory=lambda: Page(1))  # which rows `items` are, of how many


def _report_items(session: Session, actor: User, review: RollReview, *, township: str = "",
                  status: str = ""):
    """The report's rows the actor may see, narrowed in SQL to a township and a status."""
    query = visible_items(session, actor).where(RollReviewItem.review_id == review.id)
    if township:
        query = query.where(RollReviewItem.region_path == township)
    if status:
        query = query.where(RollReviewItem.status == status)
    return query.order_by(RollReviewItem.id)


def _township_counts(session: Session, actor: User,
                     review: RollReview) -> list[tuple[str, int, int]]:
    """(township, rows, open rows) of the report's rows the actor may see: one GROUP BY."""
    query = (visible_items(session, actor)
             .where(RollReviewItem.review_id == review.id)
             .with_only_columns(RollReviewItem.region_path, func.count(),
                                func.count().filter(RollReviewItem.status == "open"))
             .group_by(RollReviewItem.region_path)
             .order_by(RollReviewItem.region_path))
    return [(path, int(rows), int(still)) for path, rows, still in session.execute(query)]


def _names(session: Session, items: list[RollReviewItem], *extra: int | None) -> dict[int, str]:
    wanted = {i.assignee_id for i in items} | {i.closed_by_id for i in items} | set(extra)
    wanted.discard(None)
    if not wanted:
        return {}
    return dict(session.exec(select(User.id, User.display_name)
                             .where(User.id.in_(wanted))).all())


def review_page(session: Session, *, actor: User, review_id: int, township: str = "",
                status: str = "", page: Page | None = None) -> ReviewPage:
    """One page of a report's worklist (filtered by township and status in the database),
    with the rows and open rows per township."""
    review = _review(session, actor, review_id)
    manage = review.county_path in _managed(session, actor)
    page = page or Page(1)
    items, total = paginate(
        session, _report_items(session, actor, review, township=township, status=status),
        offset=page.offset, limit=page.size)
    out = ReviewPage(review, items, manage, _township_counts(session, actor, review),
                     page=page.of(total))
    if manage:
        people = session.exec(select(User).where(
            User.role == "caseworker", User.is_active,
            User.region_path.like(review.county_path + "/%")).order_by(User.id)).all()
        for person in people:
            out.caseworkers.setdefault(person.region_path, []).append(person)
    out.names = _names(session, items, review.run_by_id)
    out.run_by = out.names.get(review.run_by_id, "")
    return out


def review_public(session: Session, *, actor: User, review_id: int,
                  page: Page | None = None) -> dict:
    shown = review_page(session, actor=actor, review_id=review_id, page=page)
    review = shown.review
    return {"id": review.id, "county_path": review.county_path,
            "as_of_date": review.as_of_date, "run_at": review.run_at,
            "counts": review.counts, "items": shown.items, "total": shown.page.total,
            "page": shown.page.number, "size": shown.page.size}


def item_page_number(session: Session, *, actor: User, item: RollReviewItem) -> int:
    """Which page of its report's (unfiltered) worklist shows the row."""
    review = _review(session, actor, item.review_id)
    before = pagination.count(session, _report_items(session, actor, review).where(
        RollReviewItem.id < item.id))
    return before // PAGE_SIZE + 1


def page_of_item(session: Session, *, actor: User, item_id: int) -> ReviewPage:
    """The page of its report's worklist that shows the row."""
    item = _item(session, actor, item_id)
    return review_page(session, actor=actor, review_id=item.review_id,
                       page=Page(item_page_number(session, actor=actor, item=item)))


def reviews_list(session: Session, *, actor: User, limit: int = 30) -> list[RollReview]:
    return list(session.exec(visible_reviews(session, actor)
                             .order_by(RollReview.id.desc()).limit(limit)).all())


def my_items(session: Session, *, actor: User,
             page: Page | None = None) -> tuple[list[RollReviewItem], Page]:
    """One page of a caseworker's open rows: assigned to them first, then the rest of their
    township, newest first."""
    page = page or Page(1)
    if actor.role != "caseworker":
        return [], page
    query = visible_items(session, actor).where(RollReviewItem.status == "open").order_by(
        case((RollReviewItem.assignee_id == actor.id, 0), else_=1),
        RollReviewItem.id.desc())
    rows, total = paginate(session, query, offset=page.offset, limit=page.size)
    return rows, page.of(total)


def assign(session: Session, *, actor: User, item_id: int, assignee_id: int) -> RollReviewItem:
    item = _item(session, actor, item_id)
    review = session.get(RollReview, item.review_id)
    if review.county_path not in _managed(session, actor):
        raise Forbidden("只有县级监管人员或民政部门可以分派")
    if item.status != "open":
        raise Invalid("该条已办结", field="assignee_id")
    person = session.get(User, assignee_id)
    if (person is None or person.role != "caseworker" or not person.is_active
            or not person.region_path or not regions.within(item.region_path, person.region_path)):
        raise Invalid("请选择该镇（街道）的经办人员", field="assignee_id")
    item.assignee_id = person.id
    session.add(item)
    session.commit()
    return item


def close(session: Session, *, actor: User, item_id: int, outcome: str,
          note: str = "") -> RollReviewItem:
    item = _item(session, actor, item_id)
    flow.move(session, item, to="closed", by=actor, outcome=outcome, note=note.strip())
    session.commit()
    return item


# --- the export for the 定期会商 -----------------------------------------------------------------

EXPORT_HEADERS = ("序号", "乡镇（街道）", "村（社区）", "对象", "问题", "情况", "经办人", "状态",
                  "办理结果", "办理说明")


def export_rows(page: ReviewPage) -> list[list]:
    return [[n, regions.short_name(i.region_path), i.village, i.label,
             codes.ROLL_REASONS.get(i.reason, i.reason), i.detail,
             page.names.get(i.assignee_id, ""), codes.ROLL_ITEM_STATUSES.get(i.status, ""),
             codes.ROLL_OUTCOMES.get(i.outcome, "") if i.outcome else "", i.outcome_note]
            for n, i in enumerate(page.items, start=1)]


def export_xlsx(session: Session, *, actor: User, review_id: int) -> tuple[bytes, str]:
    """The report as an .xlsx workbook (a summary sheet and the worklist), and its file name."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    review = _review(session, actor, review_id)
    if review.county_path not in _managed(session, actor):
        raise Forbidden("只有县级监管人员或民政部门可以导出比对结果")
    # The whole worklist (the meeting's file), one report's rows: bounded by the comparison.
    items = list(session.exec(_report_items(session, actor, review)).all())
    page = ReviewPage(review, items, True, names=_names(session, items))
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    summary.append([f"{regions.short_name(review.county_path)}台帐比对（截至 "
                    f"{review.as_of_date:%Y-%m-%d}）"])
    summary.append(["问题", "条数"])
    per_reason = Counter(i.reason for i in items)
    for reason, label in codes.ROLL_REASONS.items():
        summary.append([label, per_reason[reason]])
    summary.append(["合计", len(page.items)])
    sheet = book.create_sheet("工作清单")
    sheet.append(list(EXPORT_HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(page):
        sheet.append(spreadsheets.safe_row(row))
    out = io.BytesIO()
    book.save(out)
    audit.record(session, actor, "roll_exported", object_type="roll_review",
                 object_id=review.id, detail={"rows": len(page.items)})
    session.commit()
    name = f"台帐比对-{regions.short_name(review.county_path)}-{review.as_of_date:%Y%m%d}.xlsx"
    return out.getvalue(), name


def run(session: Session, *, actor: User, county: str, as_of) -> RollReview:
    """The comparison page's action (compare.run_review), parsed date included."""
    from datetime import date

    if isinstance(as_of, str):
        try:
            as_of = date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise Invalid("日期格式应如 2026-12-01", field="as_of") from None
    if as_of is None:
        from zhuanjie.clock import today

        as_of = today()
    return compare.run_review(session, actor=actor, county=county, as_of=as_of)


def ensure_sees_reviews(session: Session, *, actor: User) -> None:
    if not (_managed(session, actor) or actor.role == "caseworker"):
        raise NotFound("没有这个页面")
