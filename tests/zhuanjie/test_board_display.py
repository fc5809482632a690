"""公示: what was given in a county, by category and month, with recipients' names masked."""


from tests.zhuanjie.factories import make_user, publish_need
from zhuanjie.clock import today


def test_delivered_pledges_are_summed_and_recipients_masked(session, client, login):
    worker, _need, pub = publish_need(session, client, login, consent_display=True)
    donor = make_user(session, "donor")
    ids = []
    for amount in ("500", "300", "200"):
        login(donor)
        r = client.post("/api/v1/pledges", json={"publication_id": pub["id"], "kind": "money",
                                                 "amount": amount})
        ids.append(r.json()["id"])
    login(worker)
    for pledge_id in ids[:2]:  # the third stays pending: not given yet, not shown
        assert client.post(f"/api/v1/pledges/{pledge_id}/confirm").status_code == 200
        done = client.post(f"/api/v1/pledges/{pledge_id}/deliver",
                           json={"thank_you_note": "善款已转交，谢谢您。"})
        assert done.status_code == 200, done.text
    client.post("/logout")

    view = client.get("/api/v1/board/display/如皋市").json()
    assert view["total_count"] == 2 and float(view["total_amount"]) == 800
    month = today().strftime("%Y-%m")
    assert [(line["month"], line["category"], line["count"]) for line in view["lines"]] == [
        (month, "medical", 2)
    ]
    assert {r["masked_name"] for r in view["recipients"]} == {"王*国"}
    assert {r["category"] for r in view["recipients"]} == {"医疗救助"}
    assert all("village" not in r for r in view["recipients"])
    assert {r["township"] for r in view["recipients"]} == {"白蒲镇"}

    page = client.get("/board/display/如皋市")
    assert page.status_code == 200 and "王*国" in page.text and "王建国" not in page.text
    assert "新华村" not in page.text
    assert "800 元" in page.text and "医疗救助" in page.text
    elsewhere = client.get("/api/v1/board/display/海安市").json()
    assert elsewhere["total_count"] == 0 and elsewhere["recipients"] == []
    assert client.get("/board/display/北京市").status_code == 404
