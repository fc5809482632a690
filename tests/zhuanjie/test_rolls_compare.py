"""台帐比对 on a hand-made set of three rolls (民政 低保/特困, 建档立卡, 残联) and four platform
households: exactly the expected rows with the expected reasons; the worklist page and the
.xlsx export agree; rows are assigned to the township's caseworker and closed with an
outcome, once; who may run a comparison."""

from __future__ import annotations

import io
import re
from datetime import date

from sqlmodel import select

from tests.zhuanjie.factories import make_household, make_user, valid_id
from tests.zhuanjie.test_rolls_import import COUNTY, department_user
from zhuanjie import codes, crypto
from zhuanjie.models import RollReview, RollReviewItem
from zhuanjie.rolls import service as imports
from zhuanjie.rolls.samples import write

TOWN, OTHER = "南通市/如皋市/白蒲镇", "南通市/如皋市/九华镇"
AS_OF = date(2026, 11, 30)


def _people() -> dict[str, tuple[str, str]]:
    """name → (name, ID number) for everyone in the story below."""
    names = {"A": "钱国华", "A2": "孙秀兰", "B": "周德明", "C": "吴建军", "D": "郑玉英",
             "E": "冯志刚", "F": "陈金凤", "F2": "褚小东", "G": "卫春生"}
    return {k: (v, valid_id(birth=date(1950 + i, 3, 9))) for i, (k, v) in enumerate(names.items())}


def _row(person, **values) -> dict[str, str]:
    name, number = person
    return {"name": name, "id_number": number, "township": "白蒲镇", "village": "林梓社区",
            "since": "2020-01-01", "publish": "是", **values}


def hand_made(session) -> dict[str, tuple[str, str]]:
    """Platform: H1 低保 (A, A2), H2 低保 (B), H3 建档立卡 (C, disabled), H4 低收入 (E).
    民政: A and A2 (A2 died), D (not on the platform, income above the line), E as 特困.
    建档立卡: C (income above the line), F and F2 (not on the platform, below the line, not on
    低保), A (on 低保). 残联: G (nowhere else), F2 and B (no disability written elsewhere)."""
    p = _people()
    worker = make_user(session, "caseworker", region_path=TOWN)

    def household(groups, *members, disability=""):
        return make_household(session, worker, groups=groups, members=[
            {"name": p[k][0], "id_number": p[k][1], "relation": "head" if i == 0 else "spouse",
             **({"disability": disability} if disability and i == 0 else {})}
            for i, k in enumerate(members)])

    household(["dibao"], "A", "A2")
    household(["dibao"], "B")
    household(["jiandang"], "C", disability="肢体二级")
    household(["low_income"], "E")
    civil = [
        _row(p["A"], household_key="K1", relation="户主", category="低保", household_size="2",
             income="500", amount="1020"),
        _row(p["A2"], household_key="K1", relation="配偶", category="低保", household_size="2",
             income="500", amount="1020", status="死亡", status_date="2026-10-01"),
        _row(p["D"], household_key="K2", relation="户主", category="低保", household_size="1",
             income="1200", amount="200", township="九华镇", village="郑甸村"),
        _row(p["E"], household_key="K3", relation="户主", category="特困", household_size="1",
             income="200", amount="1313"),
    ]
    poverty = [
        _row(p["C"], household_key="P1", relation="户主", household_type="脱贫户",
             household_size="1", income="14400"),
        _row(p["F"], household_key="P2", relation="户主", household_type="监测户",
             household_size="2", income="9000", township="九华镇", village="郑甸村"),
        _row(p["F2"], household_key="P2", relation="配偶", household_type="监测户",
             household_size="2", income="9000", township="九华镇", village="郑甸村"),
        _row(p["A"], household_key="P3", relation="户主", household_type="脱贫户",
             household_size="2", income="6000"),
    ]
    disabled = [
        _row(p["G"], household_key="D1", disability_kind="视力", disability_grade="一级"),
        _row(p["F2"], household_key="D2", disability_kind="肢体", disability_grade="三级",
             township="九华镇", village="郑甸村"),
        _row(p["B"], household_key="D3", disability_kind="听力", disability_grade="四级"),
    ]
    for department, kind, rows in (("civil_affairs", "dibao_tekun", civil),
                                   ("poverty", "jiandang", poverty),
                                   ("disability", "disability", disabled)):
        outcome = imports.confirm(session, actor=department_user(session, department),
                                  county=COUNTY, filename=f"{kind}.csv",
                                  content=write(kind, rows))
        assert outcome.record.rows_rejected == 0
    return p


def _label(person) -> str:
    return f"{crypto.mask_name(person[0])}（****{person[1][-4:]}）"


def expected(p) -> set[tuple[str, str, str]]:
    return {
        ("deceased", _label(p["A2"]), TOWN),  # dead on the 民政 roll, still a platform member
        ("not_on_roll", _label(p["B"]), TOWN),  # 低保 on the platform, not on the 民政 roll
        ("not_registered", _label(p["D"]), OTHER),
        ("income_above_line", _label(p["D"]), OTHER),  # 1200 > 1010: 渐退
        ("group_missing", _label(p["E"]), TOWN),  # 特困 on the roll, 低收入 on the platform
        ("disability_not_on_roll", _label(p["C"]), TOWN),
        ("should_cover", _label(p["F"]), OTHER),  # 750 a month, not on 低保: 应保尽保
        ("not_registered", _label(p["F"]), OTHER),
        ("group_missing", _label(p["A"]), TOWN),  # 建档立卡 on the roll, not on the platform
        ("disability_unrecorded", _label(p["F2"]), OTHER),
        ("disability_unrecorded", _label(p["B"]), TOWN),
    }


def test_the_comparison_finds_exactly_the_expected_rows_and_export_agrees(session, client,
                                                                         login):
    from openpyxl import load_workbook

    people = hand_made(session)
    supervisor = make_user(session, "supervisor", region_path=COUNTY)
    login(supervisor)
    done = client.post("/rolls/reviews", data={"county": COUNTY, "as_of": str(AS_OF)},
                       follow_redirects=False)
    assert done.status_code == 303, done.text[-1500:]
    review = session.exec(select(RollReview)).one()
    assert review.as_of_date == AS_OF and set(review.imports) == {
        "dibao_tekun", "jiandang", "disability"}
    items = session.exec(select(RollReviewItem).where(RollReviewItem.review_id == review.id)
                         ).all()
    assert {(i.reason, i.label, i.region_path) for i in items} == expected(people)
    assert len(items) == len(expected(people))
    above = next(i for i in items if i.reason == "income_above_line")
    assert "1200" in above.detail and "渐退期至 2027-05-30" in above.detail  # 6 months

    page = client.get(done.headers["location"])
    assert page.status_code == 200
    shown = re.findall(r'<tr id="item-\d+" data-reason="(\w+)"><td>([^<]+)</td><td>[^<]*</td>'
                       r'<td>([^<（]+（\*\*\*\*\d{3}[\dX]）)', page.text)
    assert sorted(shown) == sorted((i.reason, i.region_path.split("/")[-1], i.label)
                                   for i in items)
    assert crypto.mask_name(people["A"][0]) in page.text and people["A"][0] not in page.text

    export = client.get(f"/rolls/reviews/{review.id}/export.xlsx")
    assert export.status_code == 200
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book["工作清单"].iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "乡镇（街道）", "村（社区）", "对象", "问题")
    exported = {(r[4], r[3], r[1]) for r in rows[1:]}
    assert exported == {(codes.ROLL_REASONS[i.reason], i.label, "如皋市" + i.region_path.split(
        "/")[-1]) for i in items}
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(min_row=3, values_only=True)}
    assert summary["合计"] == len(items) == 11
    assert summary[codes.ROLL_REASONS["disability_unrecorded"]] == 2


def test_rows_are_assigned_and_closed_once_with_an_outcome(session, client, login):
    hand_made(session)
    supervisor = make_user(session, "supervisor", region_path=COUNTY)
    worker = make_user(session, "caseworker", region_path=TOWN, display_name="白蒲经办")
    far = make_user(session, "caseworker", region_path="南通市/海安市/城东镇")
    login(supervisor)
    client.post("/rolls/reviews", data={"county": COUNTY, "as_of": str(AS_OF)})
    review = session.exec(select(RollReview)).one()
    item = session.exec(select(RollReviewItem).where(
        RollReviewItem.region_path == TOWN, RollReviewItem.reason == "not_on_roll")).one()
    elsewhere = session.exec(select(RollReviewItem).where(
        RollReviewItem.region_path == OTHER)).first()
    # a caseworker of another township cannot be given it
    wrong = client.post(f"/rolls/items/{item.id}/assign", data={"assignee_id": far.id})
    assert wrong.status_code == 422 and "请选择该镇（街道）的经办人员" in wrong.text
    ok = client.post(f"/rolls/items/{item.id}/assign", data={"assignee_id": worker.id},
                     follow_redirects=False)
    assert ok.status_code == 303
    login(worker)
    mine = client.get("/rolls")
    assert "分派给我" in mine.text and item.label in mine.text
    assert elsewhere.label not in mine.text  # another township's row
    assert client.get(f"/rolls/reviews/{review.id}/export.xlsx").status_code == 403
    refused = client.post(f"/rolls/items/{elsewhere.id}/close", data={"outcome": "no_change"})
    assert refused.status_code == 403
    empty = client.post(f"/rolls/items/{item.id}/close", data={"outcome": ""})
    assert empty.status_code == 422 and "请选择办理结果" in empty.text
    closed = client.post(f"/rolls/items/{item.id}/close",
                         data={"outcome": "corrected", "note": "已补录进民政台帐"},
                         follow_redirects=False)
    assert closed.status_code == 303
    session.refresh(item)
    assert (item.status, item.outcome, item.closed_by_id) == ("closed", "corrected", worker.id)
    again = client.post(f"/rolls/items/{item.id}/close", data={"outcome": "no_change"})
    assert again.status_code == 409
    login(supervisor)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(f"/rolls/reviews/{review.id}/export.xlsx")
                                    .content))
    row = next(r for r in book["工作清单"].iter_rows(values_only=True) if r[3] == item.label
               and r[4] == codes.ROLL_REASONS["not_on_roll"])
    assert row[6:] == ("白蒲经办", "已办结", "已核实并更正台帐或平台", "已补录进民政台帐")


def test_who_may_compare(session, client, login):
    civil = department_user(session, "civil_affairs")
    login(civil)
    assert client.post("/rolls/reviews", data={"county": COUNTY, "as_of": str(AS_OF)},
                       follow_redirects=False).status_code == 303
    refused = client.post("/rolls/reviews", data={"county": "南通市/海安市"})
    assert refused.status_code == 422 and "请选择您辖区内的县" in refused.text
    login(department_user(session, "poverty"))
    assert client.post("/rolls/reviews", data={"county": COUNTY}).status_code == 403
    login(make_user(session, "caseworker", region_path=TOWN))
    assert client.post("/rolls/reviews", data={"county": COUNTY}).status_code == 403
    login(make_user(session, "supervisor", region_path="南通市/海安市"))
    assert client.post("/rolls/reviews", data={"county": COUNTY}).status_code == 422
    review = session.exec(select(RollReview)).one()
    assert client.get(f"/rolls/reviews/{review.id}").status_code == 403
    bad_day = client.post("/rolls/reviews", data={"county": "南通市/海安市", "as_of": "明天"})
    assert bad_day.status_code == 422 and "日期格式" in bad_day.text
