"""The service worker and the offline page: served from the site root, allowed by the CSP,
and caching nothing but the offline page and static files."""

from __future__ import annotations

import re

from tests.zhuanjie.factories import make_user


def test_the_service_worker_is_served_from_the_root_and_allowed(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] in ("no-cache", "no-store")
    assert "worker-src 'self'" in response.headers["content-security-policy"]
    cached = re.search(r"var SHELL = \[(.*?)\];", response.text, re.S).group(1)
    paths = re.findall(r'"([^"]+)"', cached)
    assert paths[0] == "/offline" and all(p.startswith("/static/") for p in paths[1:])


def test_the_offline_page_holds_nothing_personal_whoever_asks(session, client, login):
    anonymous = client.get("/offline").text
    login(make_user(session, "caseworker", display_name="季红梅"))
    signed_in = client.get("/offline")
    assert signed_in.status_code == 200 and "网络已断开" in signed_in.text
    assert signed_in.text == anonymous  # the same page for everyone: safe to cache
    assert "季红梅" not in signed_in.text


def test_every_page_loads_the_draft_keeper_and_the_field_styles(session, login):
    client = login(make_user(session, "caseworker"))
    html = client.get("/households/new").text
    assert '<script src="/static/field.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/field.css">' in html
    assert re.search(r'<form method="post" action="/households/new" [^>]*data-draft', html)
