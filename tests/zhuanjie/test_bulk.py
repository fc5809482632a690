"""Bulk entry: a sheet of offers with Chinese headers, a preview with row errors, all or none."""

import base64
import io
import re

from openpyxl import Workbook, load_workbook
from sqlmodel import select

from tests.zhuanjie.factories import make_user
from zhuanjie.models import Offer, OfferCategory, OfferRegion
from zhuanjie.offers.bulk_format import COLUMNS

HEADERS = [header + ("*" if required else "") for _k, header, required, _n in COLUMNS]


def sheet(rows: list[dict]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "项目"
    ws.append(HEADERS)
    for row in rows:
        ws.append([row.get(key, "") for key, *_ in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    {"title": "冬季送温暖被褥", "categories": "基本生活", "coverage": "白蒲镇、海安市",
     "groups": "低保对象、特困人员", "capacity": 50, "mode": "实物",
     "valid_from": "2027-01-01", "valid_until": "2027-03-31"},
    {"title": "心理疏导热线", "categories": "心理疏导、care", "coverage": "南通市",
     "mode": "service", "age_min": 12},
]


def upload(client, content: bytes, name="offers.xlsx", path="/offers/bulk/preview"):
    return client.post(path, files={"file": (name, content)})


def test_the_template_has_chinese_headers_and_an_example(session, login):
    client = login(make_user(session, "org_staff").username)
    page = client.get("/offers/bulk")
    assert page.status_code == 200 and "Excel 模板" in page.text
    response = client.get("/offers/bulk/template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["项目"][1]][:4] == ["项目名称*", "项目简介", "服务类别*",
                                                   "覆盖区域*"]
    assert book["项目"]["A2"].value == "困境儿童助学金" and "说明" in book.sheetnames
    csv_text = client.get("/offers/bulk/template.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("项目名称*,项目简介,服务类别*")


def test_the_example_template_itself_previews_clean(session, login):
    client = login(make_user(session, "org_staff").username)
    template = client.get("/offers/bulk/template.xlsx").content
    response = upload(client, template)
    assert response.status_code == 200 and 'id="sheet-ok"' in response.text


def test_a_good_sheet_previews_then_saves_every_row_as_a_draft(session, login):
    staff = make_user(session, "org_staff")
    client = login(staff.username)
    preview = upload(client, sheet(GOOD))
    assert preview.status_code == 200
    assert "共 2 行，全部无误" in preview.text and "冬季送温暖被褥" in preview.text
    assert session.exec(select(Offer)).all() == []  # a preview saves nothing
    encoded = re.search(r'name="content" value="([^"]+)"', preview.text).group(1)
    saved = client.post("/offers/bulk/commit",
                        data={"filename": "offers.xlsx", "content": encoded},
                        follow_redirects=False)
    assert saved.status_code == 303
    rows = session.exec(select(Offer).order_by(Offer.id)).all()
    assert [o.title for o in rows] == ["冬季送温暖被褥", "心理疏导热线"]
    assert {o.status for o in rows} == {"draft"} and rows[0].mode == "in_kind"
    assert rows[0].capacity == 50 and str(rows[0].valid_until) == "2027-03-31"
    coverage = session.exec(select(OfferRegion.region_path)
                            .where(OfferRegion.offer_id == rows[0].id)).all()
    assert sorted(coverage) == ["南通市/如皋市/白蒲镇", "南通市/海安市"]
    categories = session.exec(select(OfferCategory.category)
                              .where(OfferCategory.offer_id == rows[1].id)).all()
    assert sorted(categories) == ["care", "psychological"]
    assert "冬季送温暖被褥" in client.get("/offers?status=draft").text


def test_row_errors_are_shown_and_nothing_is_saved(session, login):
    client = login(make_user(session, "org_staff").username)
    bad = [
        GOOD[0],
        {"title": "", "categories": "教育救助", "coverage": "如皋市", "mode": "现金"},
        {"title": "负名额", "categories": "教育救助", "coverage": "如皋市", "mode": "现金",
         "capacity": -2},
        {"title": "火星项目", "categories": "教育救助", "coverage": "火星县", "mode": "现金"},
        {"title": "日期颠倒", "categories": "教育救助", "coverage": "如皋市", "mode": "现金",
         "valid_from": "2027-05-01", "valid_until": "2027-04-01"},
        {"title": "未知类别", "categories": "吃喝玩乐", "coverage": "如皋市", "mode": "现金"},
    ]
    preview = upload(client, sheet(bad))
    assert preview.status_code == 400
    html = preview.text
    assert "共 6 行，其中 5 行有误" in html and 'id="do-commit"' not in html
    assert re.search(r'id="row-3" class="has-error">.*?项目名称：此项必填', html, re.S)
    assert re.search(r'id="row-4" class="has-error">.*?名额（人）：不能小于0', html, re.S)
    assert re.search(r'id="row-5" class="has-error">.*?覆盖区域：未知的行政区划', html, re.S)
    assert re.search(r'id="row-6" class="has-error">.*?结束日期：结束日期不能早于开始日期',
                     html, re.S)
    assert re.search(r'id="row-7" class="has-error">.*?服务类别：未知的服务类别：吃喝玩乐', html,
                     re.S)
    # Posting the file straight to the commit step is refused too: all or nothing.
    refused = client.post("/offers/bulk/commit",
                          data={"filename": "offers.xlsx",
                                "content": base64.b64encode(sheet(bad)).decode()})
    assert refused.status_code == 422 and "有 5 行有误，没有导入任何项目" in refused.text
    assert session.exec(select(Offer)).all() == []


def test_a_gbk_csv_and_a_wrong_file_are_handled(session, login):
    client = login(make_user(session, "org_staff").username)
    lines = [",".join(HEADERS), "社区助浴,,照料关爱,如皋市,,,,,,,,服务,,,,"]
    gbk = upload(client, "\n".join(lines).encode("gb18030"), name="项目.csv")
    assert gbk.status_code == 200 and "全部无误" in gbk.text
    wrong = upload(client, b"not a sheet", name="offers.pdf")
    assert wrong.status_code == 400 and "请上传 .xlsx 或 .csv 文件" in wrong.text
    no_title = upload(client, "服务类别\n教育救助".encode(), name="x.csv")
    assert "缺少必填列：项目名称、覆盖区域、帮扶方式" in no_title.text


def test_the_api_checks_and_commits_all_or_nothing(session, login):
    client = login(make_user(session, "org_staff").username)
    bad = sheet([GOOD[0], {"title": "负名额", "categories": "教育救助", "coverage": "如皋市",
                           "mode": "现金", "capacity": -1}])
    check = upload(client, bad, path="/api/v1/offers/bulk")
    assert check.status_code == 200 and check.json()["ok"] is False
    assert check.json()["rows"][1] == {"row": 3, "title": "负名额",
                                       "errors": {"capacity": "不能小于0"}}
    refused = client.post("/api/v1/offers/bulk?commit=true", files={"file": ("o.xlsx", bad)})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "file"]
    assert "第3行 名额（人）：不能小于0" in refused.json()["detail"][0]["msg"]
    assert session.exec(select(Offer)).all() == []
    done = client.post("/api/v1/offers/bulk?commit=true",
                       files={"file": ("o.xlsx", sheet(GOOD))})
    assert done.status_code == 200 and len(done.json()["created"]) == 2


def test_only_organisation_staff_use_bulk_entry(session, login):
    client = login(make_user(session, "caseworker").username)
    assert client.get("/offers/bulk").status_code == 403
    assert client.get("/offers/bulk/template.xlsx").status_code == 403
    assert upload(client, sheet(GOOD)).status_code == 403
    assert client.post("/offers/bulk/commit", data={"filename": "o.xlsx", "content": base64
                                                    .b64encode(sheet(GOOD)).decode()}
                       ).status_code == 403
