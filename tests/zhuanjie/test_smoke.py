"""Every page of every role, on the demo city: each demo user signs in, follows every link of
the navigation and of the first page of each list, and opens each detail page reached (and
the links of those). A bounded crawl of same-site GET links, one or a few URLs per pattern;
no page may answer 5xx, fail to render, or print a missing value as "None"."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from jinja2 import Undefined

from zhuanjie.templating import env

DEPTH = 4  # "/" → navigation → first page of each list → a detail page → its links
PER_PATTERN = 3  # URLs opened per pattern (/needs/{id}, /referrals?box=…): rows in different states
MAX_PAGES = 250  # a bound per user, far above what the demo city needs
SKIPPED = ("/static/", "/docs", "/redoc", "/api/")

# What each demo user must reach with a 200 (so the crawl cannot pass by reaching nothing).
MUST_REACH = {
    None: {"/", "/board", "/board/{id}", "/directory", "/offers/{id}", "/login", "/gongshi"},
    "admin": {"/admin/users", "/organisations/{id}", "/audit", "/admin/jobs", "/reports"},
    "supervisor": {"/needs", "/needs/{id}", "/organisations/{id}", "/reports", "/audit"},
    "supervisor_rugao": {"/needs/{id}", "/reports", "/rolls", "/rolls/reviews/{id}"},
    "caseworker": {"/households/{id}", "/needs/{id}", "/needs/{id}/matches", "/referrals/{id}",
                   "/followups", "/followups/{id}", "/notifications", "/intakes",
                   "/intakes/{id}", "/households/{id}/attachments", "/referrals/{id}/slip.pdf",
                   "/followups/{id}/record.pdf"},
    "caseworker_haian": {"/households/{id}", "/needs/{id}", "/referrals/{id}", "/followups"},
    "org_staff": {"/referrals", "/referrals/{id}", "/offers", "/offers/{id}", "/notifications",
                  "/checkin", "/documents/monthly-referrals.pdf"},
    "org_staff_gov": {"/referrals/{id}", "/offers/{id}", "/rolls"},
    "dept_staff": {"/", "/notifications", "/intakes", "/intakes/new", "/intakes/{id}", "/alerts",
                   "/rolls"},
    "donor": {"/board", "/board/{id}", "/donor/pledges", "/notifications"},
}
_NONE_SHOWN = re.compile(r">[^<]*\bNone\b[^<]*<")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
                self.hrefs.append(href)


def _pattern(url: str) -> str:
    """/needs/12?page=3&box=new → /needs/{id}?box=new&page={n}: numbers and free text vary
    within a pattern, short codes (box=new, status=open) make patterns of their own."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/{id}", parts.path)
    query = []
    for key, value in sorted(parse_qsl(parts.query, keep_blank_values=True)):
        code = re.fullmatch(r"[a-z_]{1,20}", value)
        query.append((key, value if code else "{n}" if value.isdigit() else "{text}"))
    return path + ("?" + urlencode(query, safe="{}") if query else "")


class _Undefined(Undefined):
    """A template printing a value it was never given is a template error, not an empty cell."""

    def __str__(self) -> str:
        raise AssertionError(f"template printed an undefined value: {self._undefined_name!r}")


@pytest.fixture
def strict_templates(monkeypatch):
    monkeypatch.setattr(env, "undefined", _Undefined)


def _crawl(client) -> tuple[dict[str, int], list[str]]:
    """Loads pages breadth-first from "/"; returns {url: status} and the problems found."""
    loaded: dict[str, int] = {}
    problems: list[str] = []
    per_pattern: Counter[str] = Counter()
    queue: deque[tuple[str, int]] = deque([("/", 0)])
    while queue and len(loaded) < MAX_PAGES:
        url, depth = queue.popleft()
        pattern = _pattern(url)
        if url in loaded or per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        try:
            response = client.get(url, follow_redirects=False)
        except Exception as exc:  # noqa: BLE001 - the app raised: report it with the URL
            loaded[url] = 500
            problems.append(f"{url}: {type(exc).__name__}: {exc}")
            continue
        loaded[url] = response.status_code
        if response.status_code >= 400:  # a link the app shows must lead somewhere
            problems.append(f"{url}: {response.status_code}")
        if response.is_redirect:
            location = urljoin(url, response.headers["location"])
            if urlsplit(location).netloc in ("", "testserver"):
                queue.appendleft((_local(location), depth))
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if _NONE_SHOWN.search(response.text):
            problems.append(f"{url}: shows 'None': {_NONE_SHOWN.search(response.text)[0]!r}")
        if depth >= DEPTH:
            continue
        parser = _Links()
        parser.feed(response.text)
        for href in parser.hrefs:
            target = urljoin("http://testserver" + url, href)
            if urlsplit(target).netloc != "testserver":
                continue
            local = _local(target)
            if not local.startswith(SKIPPED):
                queue.append((local, depth + 1))
    return loaded, problems


def _local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("username", list(MUST_REACH), ids=lambda u: u or "visitor")
def test_every_page_a_demo_user_can_reach_renders(username, demo_client, strict_templates):
    client = demo_client.sign_in(username) if username else demo_client
    loaded, problems = _crawl(client)
    assert problems == [], problems
    reached = {_pattern(url) for url, status in loaded.items() if status == 200}
    missing = MUST_REACH[username] - {p.split("?")[0] for p in reached}
    assert not missing, (missing, sorted(reached))
    assert len(loaded) < MAX_PAGES  # the bound was not what stopped the crawl


# What a list makes of these: the first or the last page, the filter ignored or nothing found.
ODD_QUERIES = ("page=" + "9" * 30, "page=9223372036854775807", "page=-1", "page=%C2%B2",
               "page=1e3", "q=" + "长" * 2000, "status=nothing", "box=nothing")


@pytest.mark.parametrize("username", list(MUST_REACH), ids=lambda u: u or "visitor")
def test_every_page_of_the_navigation_takes_any_page_number_or_filter(username, demo_client,
                                                                      demo_city):
    from zhuanjie.templating import NAV, nav_for

    client = demo_client.sign_in(username) if username else demo_client
    links = NAV[demo_city.roles[username]] if username else nav_for(None)
    answers = {f"{href}?{query}": client.get(f"{href}?{query}", follow_redirects=False)
               for href, _ in links for query in ODD_QUERIES}
    odd = {url: r.status_code for url, r in answers.items() if r.status_code != 200}
    assert odd == {}
    for href, _ in links:  # a NUL character is no text at all (PostgreSQL refuses it)
        refused = client.get(f"{href}?status=x%00", follow_redirects=False)
        assert refused.status_code == 422 and "空字符" in refused.text, href
