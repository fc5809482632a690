"""No public page or public API response ever shows a household member's name, ID number,
phone or address, nor a private donor's name or phone. Needs of the demo households are
published, pledged to and delivered; then every public response is searched for every
personal value in the database, for anything shaped like an ID number, and for any mobile
number that is not an organisation's own contact: every GET route of the app is requested
without signing in (with every id the demo city has for the public ones: publications,
offers, organisations, counties), so a route added later is crawled too; plus the board's
filters, and what a signed-in donor sees."""

import re
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote

import httpx
from sqlmodel import Session, select

from zhuanjie import codes, crypto, regions
from zhuanjie.clock import today
from zhuanjie.db import get_engine
from zhuanjie.donors.deidentify import ID_NUMBER, MOBILE
from zhuanjie.main import create_app
from zhuanjie.models import (
    Household,
    Intake,
    Member,
    Need,
    NeedPublication,
    Offer,
    Organisation,
    RollEntry,
    User,
)

STORY = "一户{n}口之家，家中有人长期患病，医保报销后自付部分仍难以承担，孩子正在上学。"


@contextmanager
def _client(live_server, username=None):
    with httpx.Client(base_url=live_server.url, timeout=30,
                      headers={"Origin": live_server.url}) as client:  # as a browser sends
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
        for e in s.exec(select(RollEntry)).all():  # the departments' rolls (公示 shows them)
            out |= {crypto.decrypt(e.name_enc) or "", crypto.decrypt(e.id_number_enc) or ""}
        for o in s.exec(select(Organisation).where(Organisation.is_person)).all():
            out |= {o.name, o.contact_name, o.contact_phone}  # a private donor is a person
            out |= set(s.exec(select(User.display_name)
                              .where(User.organisation_id == o.id)).all())
        for i in s.exec(select(Intake)).all():  # who other departments referred or reported
            out |= {crypto.decrypt(i.name_enc) or "", crypto.decrypt(i.id_number_enc) or ""}
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


def _roll_towns(url: str) -> list[str]:
    with Session(get_engine(url)) as s:
        return sorted(set(s.exec(select(RollEntry.region_path)).all()))


def _public_urls(pub_ids: list[int], roll_towns: list[str]) -> list[str]:
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
    urls += ["/gongshi"]  # the rolls' 公示: every township of the demo rolls, page and print
    for town in roll_towns:
        county, name = (quote(part) for part in town.split("/")[1:])
        urls += [f"/gongshi/{county}/{name}", f"/gongshi/{county}/{name}/print"]
    return urls


def _get_routes() -> list[str]:
    """Every GET path of the app (pages and API), walking included routers."""
    paths: list[str] = []

    def walk(routes, prefix: str) -> None:
        for r in routes:
            original = getattr(r, "original_router", None)
            if original is not None:
                walk(original.routes, prefix + r.include_context.prefix)
            elif "GET" in (getattr(r, "methods", None) or ()):
                paths.append(prefix + r.path)

    walk(create_app().routes, "")
    return sorted(set(paths))


PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def _crawl_urls(live_server) -> list[str]:
    """Each GET route with every public id of the demo city (other ids: a few probes)."""
    with Session(get_engine(live_server.database_url)) as s:
        values = {
            "publication_id": [str(i) for i in s.exec(select(NeedPublication.id)).all()],
            "offer_id": [str(i) for i in s.exec(select(Offer.id)).all()],
            "organisation_id": [str(i) for i in s.exec(select(Organisation.id)).all()],
            "county": [quote(c.name) for c in regions.counties()] + [quote("北京市")],
        }
    urls = []
    for path in _get_routes():
        names = PARAM.findall(path)
        if len(names) > 1:  # /x/{a}/y/{b}: probe with small ids only
            urls.append(PARAM.sub("1", path))
            continue
        if not names:
            urls.append(path)
            continue
        for value in values.get(names[0], ["1", "2", "3"]):
            urls.append(PARAM.sub(value, path))
    return urls


def test_no_public_response_contains_personal_information(live_server):
    roll_towns = _roll_towns(live_server.database_url)
    assert len(roll_towns) >= 2  # the demo's rolls cover two townships
    new_ids = _publish_more(live_server)
    assert len(new_ids) >= 6
    _give_and_deliver(live_server, new_ids[0])
    with Session(get_engine(live_server.database_url)) as s:
        pub_ids = list(s.exec(select(NeedPublication.id)).all())
        org_phones = set(s.exec(select(Organisation.contact_phone)
                                .where(Organisation.is_person.is_(False))).all())
        credit_codes = set(s.exec(select(Organisation.credit_code)).all()) - {None}
    secrets = _secrets(live_server.database_url)
    assert len(secrets) > 100  # names, IDs, phones and addresses of the demo city
    assert {"陆志明", "顾晓燕"} <= secrets  # the demo's private donors

    responses: dict[str, str] = {}
    statuses: dict[str, int] = {}
    with _client(live_server) as visitor:
        public = _public_urls(pub_ids, roll_towns)
        for url in dict.fromkeys(public + _crawl_urls(live_server)):
            r = visitor.get(url, follow_redirects=False)
            assert r.status_code < 500, (url, r.status_code)
            if url in public:  # the pages every visitor is shown must actually show
                assert r.status_code == 200, (url, r.status_code)
            statuses[url] = r.status_code
            if r.status_code == 200:
                responses[url] = r.text
    with _client(live_server, "donor") as donor:  # a donor sees no more than the public
        for url in ("/", "/donor/pledges", "/donor/pledges.csv", "/api/v1/pledges",
                    "/donor/offers", *[f"/board/{i}" for i in pub_ids]):
            r = donor.get(url)
            assert r.status_code == 200, (url, r.status_code)
            responses["donor " + url] = r.text
        for url in ("/intakes", "/alerts", "/api/v1/intakes", "/alerts/outcome.csv"):
            assert donor.get(url).status_code == 403, url  # other departments' work

    # The crawl reached the public pages and they really show what they should, so the
    # search below means something.
    public = [u for u, code in statuses.items() if code == 200]
    assert len(public) > 150, len(public)
    assert sum(u.startswith("/offers/") for u in public) > 20  # every public offer's page
    assert sum(u.startswith("/organisations/") for u in public) > 15
    assert sum(u.startswith("/api/v1/hsds/") for u in public) == 2
    assert sum("/board/" in t for t in responses.values()) > 10
    assert any("*" in t and "受助人公示" in t for t in responses.values())
    assert "全家向您表示感谢" in responses["donor /donor/pledges"]
    assert any("0513-" in t for u, t in responses.items() if u.startswith("/organisations/"))
    assert statuses["/households"] in (303, 401) and statuses["/api/v1/households"] == 401
    assert statuses["/intakes"] in (303, 401) and statuses["/api/v1/intakes"] == 401
    assert statuses["/alerts"] in (303, 401)

    own = _own_details(live_server.database_url, "donor")  # a donor may see their own name
    leaks = [(url, value) for url, text in responses.items() for value in secrets
             if value in text and not (url.startswith("donor ") and value in own)]
    assert leaks == [], leaks[:10]
    ids = [(url, m) for url, text in responses.items() for m in ID_NUMBER.findall(text)
           if m not in credit_codes]
    assert ids == [], ids[:10]
    mobiles = [(url, m) for url, text in responses.items() for m in MOBILE.findall(text)
               if m not in org_phones]
    assert mobiles == [], mobiles[:10]
    # The rolls' 公示 shows households, by masked names only.
    rolls = [t for u, t in responses.items() if u.startswith("/gongshi/") and "roll-list" in t]
    assert len(rolls) == 2 * len(roll_towns)
    assert all(re.search(r"<tr><td>1</td><td>[^<]+\*", t) for t in rolls)
    # A private donor's reviewed offers are public, without the donor's name.
    assert any("爱心人士（个人）" in t for t in responses.values())


def _own_details(url: str, username: str) -> set[str]:
    with Session(get_engine(url)) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        org = s.get(Organisation, user.organisation_id)
        return {user.display_name, org.name, org.contact_name, org.contact_phone}
