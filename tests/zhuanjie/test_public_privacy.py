"""No public page or public API response ever shows a household member's name, ID number,
phone or address. Needs of the demo households are published, pledged to and delivered; then
every public response (the board with each filter, each need, each county's 公示, the JSON
twins, and what a donor sees) is searched for every personal value in the database."""

from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote

import httpx
from sqlmodel import Session, select

from zhuanjie import codes, crypto, regions
from zhuanjie.clock import today
from zhuanjie.db import get_engine
from zhuanjie.models import Household, Member, Need, NeedPublication

STORY = "一户{n}口之家，家中有人长期患病，医保报销后自付部分仍难以承担，孩子正在上学。"


@contextmanager
def _client(live_server, username=None):
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        if username:
            r = client.post("/login", data={"username": username,
                                            "password": live_server.logins[username]})
            assert r.status_code == 303, r.text  # signed in, not the form again
        yield client


def _secrets(url: str) -> set[str]:
    """Every member's name, ID number and phone, every household's address and phone."""
    out: set[str] = set()
    with Session(get_engine(url)) as s:
        for m in s.exec(select(Member)).all():
            out |= {m.name, crypto.decrypt(m.id_number_enc) or "",
                    crypto.decrypt(m.phone_enc) or ""}
        for h in s.exec(select(Household)).all():
            out |= {crypto.decrypt(h.address_enc) or "", crypto.decrypt(h.phone_enc) or ""}
    return {v for v in out if v and len(v) >= 2}


def _publish_more(live_server) -> list[int]:
    """The demo caseworkers publish every open need of theirs not yet on the board."""
    with Session(get_engine(live_server.database_url)) as s:
        published = set(s.exec(select(NeedPublication.need_id)).all())
        wanted = []
        for username in ("caseworker", "caseworker_haian"):
            from zhuanjie.models import User

            user = s.exec(select(User).where(User.username == username)).one()
            needs = s.exec(
                select(Need).where(Need.region_path == user.region_path,
                                   Need.status.in_(("open", "referred")))
                .order_by(Need.id)
            ).all()
            for need in [n for n in needs if n.id not in published][:6]:
                members = s.exec(
                    select(Member).where(Member.household_id == need.household_id)
                ).all()
                wanted.append((username, need, members))
    ids = []
    for username, need, members in wanted:
        with _client(live_server, username) as client:
            r = client.post(f"/api/v1/needs/{need.id}/publication", json={
                "title": f"{regions.short_name(need.region_path)}一户困难家庭的求助",
                "story": STORY.format(n=len(members)),
                "region_path": need.region_path if need.id % 2 else
                need.region_path.rsplit("/", 1)[0],
                "category": need.category, "urgency": need.urgency,
                "amount_goal": "3000", "goods_needed": "米面油一份" if need.id % 3 == 0 else "",
                "deadline_date": str(today() + timedelta(days=30)),
                "consent_member_id": members[0].id,
                "consent_valid_until": str(today() + timedelta(days=90)),
            })
            assert r.status_code == 201, r.text
            ids.append(r.json()["id"])
    return ids


def _give_and_deliver(live_server, pub_id: int) -> None:
    with _client(live_server, "donor") as donor:
        made = donor.post("/api/v1/pledges", json={"publication_id": pub_id, "kind": "money",
                                                   "amount": "500", "message": "加油"})
        assert made.status_code == 201, made.text
    with _client(live_server, "caseworker") as worker:
        pledge_id = made.json()["id"]
        assert worker.post(f"/api/v1/pledges/{pledge_id}/confirm").status_code == 200
        done = worker.post(f"/api/v1/pledges/{pledge_id}/deliver",
                           json={"thank_you_note": "善款已转交，全家向您表示感谢。"})
        assert done.status_code == 200, done.text


def _public_urls(pub_ids: list[int]) -> list[str]:
    urls = ["/", "/board", "/board?sort=deadline", "/board?sort=newest", "/board?page=2",
            "/board?amount_min=1000&amount_max=6000", "/donor/register",
            "/api/v1/board", "/api/v1/board?sort=deadline&size=100",
            "/api/v1/board?amount_min=0&amount_max=100000&size=100"]
    for county in regions.counties():
        name = quote(county.name)
        urls += [f"/board?county={name}", f"/board/display/{name}",
                 f"/api/v1/board?county={name}&size=100", f"/api/v1/board/display/{name}"]
    for category in codes.CATEGORIES:
        urls += [f"/board?category={category}", f"/api/v1/board?category={category}"]
    for urgency in codes.URGENCY:
        urls += [f"/board?urgency={urgency}", f"/api/v1/board?urgency={urgency}"]
    for pub_id in pub_ids:
        urls += [f"/board/{pub_id}", f"/api/v1/board/{pub_id}"]
    return urls


def test_no_public_response_contains_personal_information(live_server):
    new_ids = _publish_more(live_server)
    assert len(new_ids) >= 6
    _give_and_deliver(live_server, new_ids[0])
    with Session(get_engine(live_server.database_url)) as s:
        pub_ids = list(s.exec(select(NeedPublication.id)).all())
    secrets = _secrets(live_server.database_url)
    assert len(secrets) > 100  # names, IDs, phones and addresses of the demo city

    responses: dict[str, str] = {}
    with _client(live_server) as visitor:
        for url in _public_urls(pub_ids):
            r = visitor.get(url)
            assert r.status_code == 200, (url, r.status_code)
            responses[url] = r.text
    with _client(live_server, "donor") as donor:  # a donor sees no more than the public
        for url in ("/", "/donor/pledges", "/donor/pledges.csv", "/api/v1/pledges",
                    *[f"/board/{i}" for i in pub_ids]):
            r = donor.get(url)
            assert r.status_code == 200, (url, r.status_code)
            responses["donor " + url] = r.text

    # The pages really show what they should, so the search below means something.
    assert sum("/board/" in t for t in responses.values()) > 10
    assert any("*" in t and "受助人公示" in t for t in responses.values())
    assert "全家向您表示感谢" in responses["donor /donor/pledges"]

    leaks = [(url, value) for url, text in responses.items() for value in secrets
             if value in text]
    assert leaks == [], leaks[:10]
