"""The public 公示 of a township's rolls: masked names only, no ID number, phone or address;
only households whose roll says so; a household withheld with a reason is gone from the
public page and the printed sheet until the withholding is lifted; changes are dated."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

from tests.zhuanjie.factories import make_user
from tests.zhuanjie.test_rolls_import import COUNTY, department_user
from zhuanjie import crypto
from zhuanjie.clock import today
from zhuanjie.donors.deidentify import ID_NUMBER, MOBILE
from zhuanjie.rolls import samples
from zhuanjie.rolls import service as imports

TOWN = "南通市/如皋市/白蒲镇"
PAGE = "/gongshi/" + quote("如皋市") + "/" + quote("白蒲镇")


def _roll(session):
    rows = [r | {"township": "白蒲镇"} for r in samples.person_rows("dibao_tekun", 12, seed=7)]
    households = list(dict.fromkeys(r["household_key"] for r in rows))
    hidden = households[0]  # the roll says: not on 公示
    recent = households[1]
    for r in rows:
        if r["household_key"] == hidden:
            r["publish"] = "否"
        if r["household_key"] == recent:
            r["since"] = str(today() - timedelta(days=10))
    staff = department_user(session, "civil_affairs")
    imports.confirm(session, actor=staff, county=COUNTY, filename="roll.csv",
                    content=samples.write("dibao_tekun", rows))
    return rows, hidden, recent


def test_the_public_list_shows_masked_names_only(session, client, login):
    rows, hidden, recent = _roll(session)
    page = client.get(PAGE)
    assert page.status_code == 200
    heads = [r for r in rows if r["relation"] == "户主"]
    shown = [r for r in heads if r["household_key"] != hidden]
    for r in shown:
        assert crypto.mask_name(r["name"]) in page.text
    for r in rows:  # no full name, ID number or phone of anyone
        assert r["name"] not in page.text and r["id_number"] not in page.text
    assert ID_NUMBER.findall(page.text) == [] and MOBILE.findall(page.text) == []
    assert len(re.findall(r"<tr><td>\d+</td>", page.text)) == len(shown)
    assert "纳入" in page.text  # the recent household among the dated changes
    printed = client.get(PAGE + "/print")
    assert printed.status_code == 200 and "gongshi-print.css" in printed.text
    assert "<nav>" not in printed.text and "@page" not in printed.text  # the CSS is a file
    assert crypto.mask_name(shown[0]["name"]) in printed.text
    assert "如皋市" in client.get("/gongshi").text
    assert PAGE.split("/")[-1] in client.get("/gongshi/" + quote("如皋市")).text
    assert client.get("/gongshi/" + quote("北京市")).status_code == 404
    assert client.get("/gongshi/" + quote("如皋市") + "/" + quote("不存在镇")).status_code == 404


def test_a_household_can_be_withheld_with_a_reason_and_shown_again(session, client, login):
    rows, _hidden, recent = _roll(session)
    head = next(r for r in rows if r["household_key"] == recent and r["relation"] == "户主")
    masked = crypto.mask_name(head["name"])
    worker = make_user(session, "caseworker", region_path=TOWN)
    login(worker)
    manage = client.get("/rolls/publicity", params={"township": TOWN})
    assert manage.status_code == 200 and masked in manage.text
    missing = client.post("/rolls/publicity/withhold", data={
        "township": TOWN, "roll_kind": "dibao_tekun", "household_key": recent, "reason": ""})
    assert missing.status_code == 422 and "请写明暂不公示的原因" in missing.text
    done = client.post("/rolls/publicity/withhold", data={
        "township": TOWN, "roll_kind": "dibao_tekun", "household_key": recent,
        "reason": "家中有未成年人需保护"}, follow_redirects=False)
    assert done.status_code == 303
    assert masked not in client.get(PAGE).text and masked not in client.get(PAGE + "/print").text
    manage = client.get("/rolls/publicity", params={"township": TOWN})
    assert "家中有未成年人需保护" in manage.text
    far = make_user(session, "caseworker", region_path="南通市/海安市/城东镇")
    login(far)
    assert client.get("/rolls/publicity", params={"township": TOWN}).status_code == 403
    hold_id = int(re.search(r"/rolls/withholdings/(\d+)/lift", manage.text)[1])
    assert client.post(f"/rolls/withholdings/{hold_id}/lift").status_code == 403
    login(worker)
    assert client.post(f"/rolls/withholdings/{hold_id}/lift",
                       follow_redirects=False).status_code == 303
    assert masked in client.get(PAGE).text
