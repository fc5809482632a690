"""The 民政 department user's roll journey in a real browser, on the demo city: download the
template, upload a roll with one bad row, read the preview (the bad row named with its field),
confirm, find the import in the history; then the township's public 公示 at 360 px wide."""

import re
from urllib.parse import quote

import pytest

from zhuanjie.rolls import samples

pytestmark = pytest.mark.browser


def test_civil_affairs_imports_a_roll_and_the_public_sees_the_list(
    page, sign_in, sign_out, live_server, tmp_path
):
    rows = [r | {"township": "白蒲镇"} for r in samples.person_rows("dibao_tekun", 20, seed=11)]
    rows[4] = samples.spoil(rows[4], "id_number")
    roll = tmp_path / "如皋市低保名册.csv"
    roll.write_bytes(samples.write("dibao_tekun", rows))

    sign_in(live_server, "org_staff_gov")
    page.goto(live_server.url + "/rolls")
    with page.expect_download() as download:
        page.click("#template-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.set_input_files("#f-file", str(roll))
    page.click("#import button[type=submit]")
    assert page.inner_text("#bad-count") == "1"
    assert "身份证号码：身份证号校验位不正确" in page.inner_text("#row-6")
    page.shot("01-roll-preview")
    page.click("#do-confirm")
    page.wait_for_url(re.compile(r".*/rolls\?imported=\d+"))
    assert "如皋市低保名册.csv" in page.inner_text("#imports")
    page.shot("02-roll-imported")
    sign_out()

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/gongshi/" + quote("如皋市") + "/" + quote("白蒲镇"))
    text = page.inner_text("#roll-list")
    assert "*" in text and rows[0]["name"] not in text
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    page.shot("03-gongshi-360")
