"""Roll imports through the pages, as a department user would: a generated roll of 10,000 rows
with 50 bad ones per department's template — the preview names each bad row and its field and
writes nothing, confirming writes the good rows (personal fields encrypted, linked to the
platform's household by ID number, no household created), and the same file again changes
nothing."""

from __future__ import annotations

import re

import pytest
from sqlmodel import func, select

from tests.zhuanjie.factories import make_household, make_org, make_user
from zhuanjie import crypto
from zhuanjie.models import AuditEntry, Household, RollEntry, RollImport
from zhuanjie.rolls import samples
from zhuanjie.rolls.layouts import LAYOUTS

COUNTY = "南通市/如皋市"
BAD_ROW = re.compile(r'<tr id="row-(\d+)" class="has-error">(.*?)</tr>', re.S)


def department_user(session, department: str, area: str = COUNTY):
    org = make_org(session, kind="government", department=department, service_area=area,
                   name=f"如皋市{department}部门")
    return make_user(session, "org_staff", organisation_id=org.id)


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


@pytest.mark.parametrize(("kind", "department", "fmt"), [
    ("dibao_tekun", "civil_affairs", "xlsx"),
    ("jiandang", "poverty", "csv"),
    ("disability", "disability", "xlsx"),
])
def test_a_roll_of_ten_thousand_rows_with_fifty_bad_ones(session, client, login, kind,
                                                          department, fmt):
    generated = samples.roll_file(kind, 10_000, bad=50, fmt=fmt)
    assert len(generated.bad) == 50
    # one person on the roll is a member of a household a caseworker registered
    worker = make_user(session, "caseworker")
    known = next(r for n, r in enumerate(generated.rows, start=2) if n not in generated.bad)
    household = make_household(session, worker, members=[
        {"name": known["name"], "id_number": known["id_number"], "relation": "head"}])
    households = _count(session, Household)
    login(department_user(session, department))
    name = f"roll.{fmt}"

    preview = client.post("/rolls/import/preview", data={"county": COUNTY},
                          files={"file": (name, generated.content)})
    assert preview.status_code == 200, preview.text[-2000:]
    named = {int(number): set(re.findall(r'data-field="(\w+)"', cells))
             for number, cells in BAD_ROW.findall(preview.text)}
    assert named == {number: {field} for number, field in generated.bad.items()}
    labels = LAYOUTS[kind].labels
    for number, field in list(generated.bad.items())[:5]:  # in Chinese, with the row number
        row = BAD_ROW.search(preview.text[preview.text.index(f'id="row-{number}"') - 8:])
        assert f"第{number}行" in row[0] and labels[field] in row[0]
    assert "有误（不导入）" in preview.text and 'id="bad-count">50<' in preview.text
    assert _count(session, RollEntry) == 0 and _count(session, RollImport) == 0  # not yet

    content = re.findall(r'name="content" value="([^"]+)"', preview.text)
    form = {"filename": name, "county": COUNTY, "content": content}
    done = client.post("/rolls/import/confirm", data=form, follow_redirects=False)
    assert done.status_code == 303, done.text[-2000:]
    record = session.exec(select(RollImport)).one()
    assert (record.rows_total, record.rows_added, record.rows_rejected) == (10_000, 9_950, 50)
    assert record.linked == 1 and record.filename == name
    assert _count(session, RollEntry) == 9_950
    assert _count(session, Household) == households  # no household made for a roll row
    entry = session.exec(select(RollEntry).where(
        RollEntry.id_number_hash == crypto.keyed_hash(known["id_number"]))).one()
    assert entry.household_id == household.id
    assert known["name"] not in (entry.name_enc or "") and crypto.decrypt(entry.name_enc) == \
        known["name"]
    assert known["id_number"] not in entry.id_number_enc + entry.household_key
    history = client.get(done.headers["location"])
    assert name in history.text and "9950" in history.text

    before = session.exec(select(RollEntry.id, RollEntry.row_digest, RollEntry.updated_at)
                          .order_by(RollEntry.id)).all()
    audits = _count(session, AuditEntry)
    again = client.post("/rolls/import/confirm", data=form, follow_redirects=False)
    assert again.status_code == 303 and "same=1" in again.headers["location"]
    assert "没有任何更改" in client.get(again.headers["location"]).text
    assert _count(session, RollImport) == 1 and _count(session, AuditEntry) == audits
    assert session.exec(select(RollEntry.id, RollEntry.row_digest, RollEntry.updated_at)
                        .order_by(RollEntry.id)).all() == before


def test_a_later_roll_updates_changed_rows_and_ends_those_it_no_longer_has(session):
    from zhuanjie.rolls import service

    staff = department_user(session, "civil_affairs")
    rows = samples.person_rows("dibao_tekun", 30)
    service.confirm(session, actor=staff, county=COUNTY, filename="a.csv",
                    content=samples.write("dibao_tekun", rows))
    changed = [dict(r) for r in rows[:-4]]
    changed[0]["income"] = "999"
    outcome = service.confirm(session, actor=staff, county=COUNTY, filename="b.csv",
                              content=samples.write("dibao_tekun", changed))
    record = outcome.record
    assert (record.rows_added, record.rows_updated, record.rows_unchanged,
            record.rows_ended) == (0, 1, 25, 4)
    ended = session.exec(select(RollEntry).where(RollEntry.ended_date.is_not(None))).all()
    assert {crypto.decrypt(e.id_number_enc) for e in ended} == {r["id_number"]
                                                               for r in rows[-4:]}


def test_who_may_import_what(session, client, login):
    roll = samples.roll_file("dibao_tekun", 5).content
    ngo_staff = make_user(session, "org_staff")
    login(ngo_staff)
    assert client.get("/rolls").status_code == 403
    assert client.post("/rolls/import/preview", data={"county": COUNTY},
                       files={"file": ("r.csv", roll)}).status_code == 403
    haian = department_user(session, "civil_affairs", area="南通市/海安市")
    login(haian)
    page = client.post("/rolls/import/preview", data={"county": COUNTY},
                       files={"file": ("r.csv", roll)})
    assert page.status_code == 422 and "请选择本部门服务的县" in page.text
    medical = department_user(session, "medical")  # keeps no roll here
    login(medical)
    assert client.get("/rolls").status_code == 403
    poverty = department_user(session, "poverty")
    login(poverty)
    wrong = client.post("/rolls/import/preview", data={"county": COUNTY},
                        files={"file": ("r.csv", roll)})  # 民政's layout, not 建档立卡's
    assert wrong.status_code == 422 and "缺少列" in wrong.text
    template = client.get("/rolls/templates/jiandang.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    assert "证件号码" in client.get("/rolls/templates/jiandang.csv").content.decode("utf-8-sig")
