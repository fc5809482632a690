"""Schemathesis sends requests generated from the OpenAPI document to every operation, on the
demo city, with an API token of every role; no answer may be a 5xx.

Each operation gets EXAMPLES generated cases (half fitting the schema, half not; path ids now
random, now rows of the demo city) and each case is sent once per role. The seed is fixed, so
a run is repeatable; ZHUANJIE_FUZZ_EXAMPLES and ZHUANJIE_FUZZ_SEED make a longer or another run
(see README, "Fuzzing"). Whatever the requests change is rolled back after the module."""

from __future__ import annotations

import os
import tempfile
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from sqlmodel import select

EXAMPLES = int(os.environ.get("ZHUANJIE_FUZZ_EXAMPLES", "6"))
SEED = int(os.environ.get("ZHUANJIE_FUZZ_SEED", "2017"))
TIMEOUT = 120  # seconds; a request is slow long before, but the machine may be busy
# demo usernames; dept_staff (a department user) reaches the department-only operations
ROLES = ("admin", "supervisor", "caseworker", "org_staff", "dept_staff", "donor")


def _schema():
    # Settings are read once per process; conftest points them at a private folder first, but
    # this runs at collection, possibly before: keep any stray file out of the project.
    os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zhuanjie-fuzz-"))
    from zhuanjie.main import create_app

    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app())


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
SENT: Counter[str] = Counter()  # status class -> requests, for the note at the end


@pytest.fixture(scope="module", autouse=True)
def _tell_what_was_sent(request):
    """One line at the end: how many requests went out, by status class."""
    yield
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None and SENT:
        counts = ", ".join(f"{k}: {v}" for k, v in sorted(SENT.items()))
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nfuzz: {SENT.total()} requests (seed {SEED}, {EXAMPLES}"
                                f" examples per operation, {len(ROLES)} roles): {counts}")


@pytest.fixture(scope="module")
def tokens(demo_tokens, demo_city) -> dict[str, str]:
    """The demo user of each role."""
    assert {demo_city.roles[name] for name in ROLES} == set(demo_city.roles.values())
    return {name: demo_tokens[name] for name in ROLES}


@pytest.fixture(scope="module")
def real_ids(demo_session) -> dict[str, list]:
    """Path values that name rows of the demo city: the demo caseworker's and org_staff's work
    (so some role is allowed, the others are not), in every state there is."""
    from zhuanjie import models as m

    s = demo_session
    worker = s.exec(select(m.User).where(m.User.username == "caseworker")).one()
    staff = s.exec(select(m.User).where(m.User.username == "org_staff")).one()

    def ids(query, per_state=None, limit=6):
        rows = s.exec(query).all()
        if per_state is None:
            return [row.id for row in rows[:limit]]
        first: dict = {}
        for row in rows:
            first.setdefault(getattr(row, per_state), row.id)
        return list(first.values())[:limit]

    town = m.Need.region_path == worker.region_path
    needs = ids(select(m.Need).where(town).order_by(m.Need.id), "status")
    households = ids(select(m.Household).where(m.Household.region_path == worker.region_path)
                     .order_by(m.Household.id), limit=3)
    return {
        "household_id": households,
        "member_id": ids(select(m.Member).where(m.Member.household_id.in_(households))
                         .order_by(m.Member.id)),
        "need_id": needs,
        "referral_id": ids(select(m.Referral).where(
            m.Referral.organisation_id == staff.organisation_id).order_by(m.Referral.id),
            "status"),
        "followup_id": ids(select(m.FollowUp).order_by(m.FollowUp.id), "status"),
        "visit_id": ids(select(m.ServiceVisit).order_by(m.ServiceVisit.id)) or [1],
        "publication_id": ids(select(m.NeedPublication).order_by(m.NeedPublication.id)),
        "pledge_id": ids(select(m.Pledge).order_by(m.Pledge.id), "status"),
        "offer_id": ids(select(m.Offer).where(m.Offer.organisation_id == staff.organisation_id)
                        .order_by(m.Offer.id), "status"),
        "organisation_id": [staff.organisation_id, *ids(select(m.Organisation)
                            .order_by(m.Organisation.id), "status")],
        "county": ["如皋市", "海安市"],
        "run_id": ids(select(m.AllocationRun).order_by(m.AllocationRun.id)),
    }


def _cases(operation, real_ids):
    """Cases fitting the schema, cases that do not, and fitting cases on rows that exist."""
    names = [p.name for p in operation.path_parameters]
    strategies = [operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                  operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)]
    known = {name: real_ids[name] for name in names if real_ids.get(name)}
    if known:
        fixed = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in known.items()})
        strategies.append(fixed.flatmap(lambda values: operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE, path_parameters=values)))
    return st.one_of(strategies)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_operation_answers_a_server_error(operation, demo_app, tokens, real_ids):
    failures: list[str] = []
    statuses: Counter[int] = Counter()

    @seed(SEED)
    @settings(max_examples=EXAMPLES, database=None, deadline=None, derandomize=False,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=_cases(operation, real_ids))
    def send(case):
        for role, token in tokens.items():
            try:
                response = case.call(app=demo_app, timeout=TIMEOUT,
                                     headers={"Authorization": f"Bearer {token}"})
            except Exception as exc:  # noqa: BLE001 - the app raised: a client would get a 500
                failures.append(f"{role}: {type(exc).__name__}: {exc} {case.as_curl_command()}")
                continue
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{role}: {response.status_code} {case.as_curl_command()}")

    send()
    for code, n in statuses.items():
        SENT[f"{code // 100}xx" if code != 404 else "404"] += n
    assert sum(statuses.values()) >= len(tokens)  # something was sent
    assert failures == [], "\n".join(dict.fromkeys(failures))
