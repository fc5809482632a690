"""The start page's figures come from the same visibility queries as the lists they lead to,
so a figure and its list never disagree."""

from __future__ import annotations

from tests.zhuanjie.factories import HAIAN_TOWN, make_need, make_offer, make_org, make_user
from tests.zhuanjie.test_publication import publish_need
from zhuanjie.clock import today
from zhuanjie.donors import board, cache
from zhuanjie.donors.schemas import BoardQuery
from zhuanjie.home.service import dashboard
from zhuanjie.households import service as households
from zhuanjie.models import Consent, NeedPublication
from zhuanjie.needs import service as needs


def test_a_caseworkers_figures_count_their_region_like_their_lists(session):
    rugao = make_user(session, "caseworker")
    make_need(session, rugao)
    make_need(session, rugao, urgency=3)
    make_need(session, make_user(session, "caseworker", region_path=HAIAN_TOWN), urgency=3)

    figures = dashboard(session, user=rugao)
    assert figures["households"] == households.search_households(session, actor=rugao)[1] == 2
    assert figures["open_needs"] == needs.search_needs(session, actor=rugao, status="open")[1]
    assert figures["open_needs"] == 2 and figures["urgent_needs"] == 1
    assert dashboard(session, user=make_user(session, "admin"))["urgent_needs"] == 2


def test_org_staff_count_their_own_published_offers(session):
    org = make_org(session)
    staff = make_user(session, "org_staff", organisation_id=org.id)
    make_offer(session, org)
    make_offer(session, org, status="draft")
    make_offer(session)  # another organisation's
    assert dashboard(session, user=staff)["published_offers"] == 1


def test_a_donor_is_told_the_number_the_board_shows(session, client, login):
    cache.clear()
    _worker, _need, shown = publish_need(session, client, login)
    _worker, _need, lapsed = publish_need(session, client, login)
    consent = session.get(Consent, session.get(NeedPublication, lapsed["id"]).consent_id)
    consent.valid_until = today().replace(year=today().year - 1)
    session.add(consent)
    session.commit()

    donor = make_user(session, "donor")
    _rows, on_board = board.search(session, query=BoardQuery())
    assert dashboard(session, user=donor)["published_needs"] == on_board == 1
    cache.clear()
