"""HTML pages: the public board and 公示, donor sign-up and pledges, the caseworker's
publishing and pledge decisions, the supervisor's take-down."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from zhuanjie import codes, pagecache, regions, spreadsheets
from zhuanjie.auth.pages import start_browser_session
from zhuanjie.bounds import PathId
from zhuanjie.clock import today
from zhuanjie.db import SessionDep
from zhuanjie.deps import CurrentUser, OptionalUser
from zhuanjie.donors import board, cache, display, service
from zhuanjie.donors import offers as donor_offers
from zhuanjie.donors.schemas import (
    BoardQuery,
    DeclineIn,
    DeliveredIn,
    DonorSignup,
    PledgeIn,
    PublicationIn,
    TakedownIn,
)
from zhuanjie.forms import FormDataDep, FormDep, attempt
from zhuanjie.households import service as households
from zhuanjie.needs import service as needs
from zhuanjie.pagination import Page, page_number
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)

BOARD_FILTERS = ("county", "category", "urgency", "amount_min", "amount_max", "sort")


def _board_query(params: dict) -> tuple[BoardQuery, dict]:
    """Lenient parsing for a public page: a bad filter is dropped, never an error page."""
    raw = {k: params.get(k, "") for k in (*BOARD_FILTERS, "page")}
    given = {k: v for k, v in raw.items() if v not in ("", None)}
    try:
        return BoardQuery.model_validate(given), raw
    except ValidationError as exc:
        bad = {str(e["loc"][0]) for e in exc.errors()}
        return BoardQuery.model_validate({k: v for k, v in given.items() if k not in bad}), raw


def _cached(request: Request, user, render, session=None):
    """Anonymous visitors share a few seconds' cache of each page (see donors.cache)."""
    if user is not None:
        return render()
    key = request.url.path + "?" + request.url.query
    hit = cache.get(key, session)
    if hit is not None:
        return Response(hit[0], media_type=hit[1])
    response = render()
    if response.status_code == 200:
        cache.put(key, bytes(response.body), "text/html")
    return response


pagecache.cache_route("/board", "board", "casework", "offers", "organisations", "regions")


@router.get("/board")
def board_list(request: Request, session: SessionDep, user: OptionalUser):
    return _cached(request, user, lambda: _board_list(request, session, user), session)


def _board_list(request: Request, session, user):
    query, raw = _board_query(dict(request.query_params))
    rows, total = board.search(session, query=query)
    base = "/board?" + "".join(f"{k}={raw[k]}&" for k in BOARD_FILTERS if raw[k])
    return templates.TemplateResponse(
        request,
        "board/list.html",
        {
            "user": user,
            "rows": [board.public_view(p) for p in rows],
            "page": Page(query.page, query.size, total),
            "filters": raw,
            "base": base,
            "counties": regions.counties(),
        },
    )


@router.get("/board/display/{county}")
def board_display(county: str, request: Request, session: SessionDep, user: OptionalUser,
                  page: str = "1"):
    view = display.county_display(session, county=county, page=page_number(page))
    return templates.TemplateResponse(
        request, "board/display.html",
        {"user": user, "view": view, "counties": regions.counties()},
    )


def _detail(request, session, user, pub, values=None, errors=None, status=200):
    return templates.TemplateResponse(
        request,
        "board/detail.html",
        {"user": user, "p": board.public_view(pub), "values": values or {"kind": "money"},
         "errors": errors or {}},
        status_code=status,
    )


@router.get("/board/{publication_id:int}")
def board_detail(publication_id: PathId, request: Request, session: SessionDep, user: OptionalUser):
    return _cached(request, user, lambda: _detail(
        request, session, user, board.get_public(session, publication_id=publication_id)),
        session)


def _blank_to_none(values: dict, *names: str) -> dict:
    return {k: v for k, v in values.items() if not (k in names and v == "")}


@router.post("/board/{publication_id:int}/pledge")
def pledge(
    publication_id: PathId, request: Request, session: SessionDep, user: CurrentUser,
    values: FormDep,
):
    made, errors = attempt(
        lambda: service.pledge(
            session, actor=user, publication_id=publication_id,
            data=PledgeIn.model_validate(_blank_to_none(values, "amount", "hours")),
        )
    )
    if errors:
        pub = board.get_public(session, publication_id=publication_id)
        return _detail(request, session, user, pub, values, errors, status=400)
    return RedirectResponse(f"/donor/pledges?new={made.id}", status_code=303)


@router.post("/board/{publication_id:int}/takedown")
def take_down(publication_id: PathId, request: Request, session: SessionDep,
              user: CurrentUser, values: FormDep):
    _done, errors = attempt(
        lambda: service.take_down(session, actor=user, publication_id=publication_id,
                                  data=TakedownIn.model_validate(values))
    )
    if errors:
        pub = board.get_public(session, publication_id=publication_id)
        return _detail(request, session, user, pub, values, errors, status=400)
    return RedirectResponse("/board", status_code=303)


# --- donors ----------------------------------------------------------------------------------


def _register_form(request, values, errors, status=200):
    return templates.TemplateResponse(
        request, "donors/register.html",
        {"user": None, "values": values, "errors": errors}, status_code=status,
    )


@router.get("/donor/register")
def register_form(request: Request, user: OptionalUser, next: str = "/board"):
    if user is not None:
        return RedirectResponse("/", status_code=303)
    return _register_form(request, {"donor_type": "person", "next": next}, {})


@router.post("/donor/register")
def register(request: Request, session: SessionDep, values: FormDep):
    created, errors = attempt(
        lambda: service.sign_up(session, data=DonorSignup.model_validate(values))
    )
    if errors:
        values.pop("password", None)
        return _register_form(request, values, errors, status=400)
    start_browser_session(request, session, created)
    target = values.get("next", "")
    safe = target.startswith("/") and not target.startswith("//")
    return RedirectResponse(target if safe else "/board", status_code=303)


@router.get("/donor/pledges")
def my_pledges(request: Request, session: SessionDep, user: CurrentUser, new: int = 0):
    rows = service.my_pledges(session, actor=user)
    return templates.TemplateResponse(
        request, "donors/pledges.html", {"user": user, "rows": rows, "new": new}
    )


@router.get("/donor/pledges.csv")
def my_pledges_csv(session: SessionDep, user: CurrentUser):
    rows = service.my_pledges(session, actor=user)
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)
    writer.writerow(["认捐编号", "求助信息", "地区", "方式", "金额（元）", "物资", "志愿小时",
                     "状态", "认捐时间", "送达时间", "感谢留言"])
    fmt = templates.env.filters
    for p, pub in rows:
        writer.writerow([
            p.id, pub.title, regions.short_name(pub.region_path), codes.PLEDGE_KINDS[p.kind],
            f"{p.amount:.2f}" if p.amount is not None else "", p.goods, p.hours or "",
            codes.PLEDGE_STATUSES.get(p.status, p.status), fmt["local_time"](p.created_at),
            fmt["local_time"](p.delivered_at), p.thank_you_note if p.status == "delivered" else "",
        ])
    return Response(
        "\ufeff" + out.getvalue(),  # BOM: Excel opens UTF-8 Chinese correctly
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="my-pledges.csv"'},
    )


@router.post("/donor/pledges/{pledge_id}/cancel")
def cancel_pledge(pledge_id: PathId, session: SessionDep, user: CurrentUser):
    service.cancel(session, actor=user, pledge_id=pledge_id)
    return RedirectResponse("/donor/pledges", status_code=303)


# --- caseworkers and supervisors -------------------------------------------------------------


PUBLICATION_FIELDS = ("title", "story", "region_path", "category", "urgency", "amount_goal",
                      "goods_needed", "deadline_date", "consent_member_id",
                      "consent_valid_until", "allow_house_numbers", "consent_display")


def _publish_form(request, session, user, need, values, errors, status=200):
    household = households.get_household(session, actor=user, household_id=need.household_id)
    township = need.region_path
    choices = [(township, regions.short_name(township))]
    county = township.rsplit("/", 1)[0]
    if county != township:
        choices.append((county, regions.short_name(county) + "（只公开到县）"))
    return templates.TemplateResponse(
        request, "donors/publish.html",
        {"user": user, "need": need, "members": households.members_of(session, household),
         "regions": choices, "values": values, "errors": errors},
        status_code=status,
    )


@router.get("/needs/{need_id}/publish")
def publish_form(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    need = needs.get_need(session, actor=user, need_id=need_id)
    if service.publication_of_need(session, actor=user, need_id=need.id):
        return RedirectResponse(f"/needs/{need.id}/publication", status_code=303)
    values = {
        "region_path": need.region_path, "category": need.category, "urgency": str(need.urgency),
        "amount_goal": "" if need.amount_needed is None else f"{need.amount_needed:.2f}",
        "deadline_date": str(need.deadline_date or ""),
        "consent_member_id": str(need.member_id or ""),
        "consent_valid_until": str(today() + timedelta(days=90)),
    }
    return _publish_form(request, session, user, need, values, {})


@router.post("/needs/{need_id}/publish")
def publish(
    need_id: PathId, request: Request, session: SessionDep, user: CurrentUser, values: FormDep
):
    need = needs.get_need(session, actor=user, need_id=need_id)
    data = {k: values[k] for k in PUBLICATION_FIELDS if values.get(k, "") != ""}
    _pub, errors = attempt(
        lambda: service.publish(session, actor=user, need_id=need.id,
                                data=PublicationIn.model_validate(data))
    )
    if errors:
        return _publish_form(request, session, user, need, values, errors, status=400)
    return RedirectResponse(f"/needs/{need.id}/publication", status_code=303)


def _publication_page(request, session, user, need_id, values=None, errors=None, status=200):
    need = needs.get_need(session, actor=user, need_id=need_id)
    pub = service.publication_of_need(session, actor=user, need_id=need.id)
    if pub is None:
        return RedirectResponse(f"/needs/{need.id}/publish", status_code=303)
    return templates.TemplateResponse(
        request, "donors/publication.html",
        {"user": user, "need": need, "pub": pub, "p": board.public_view(pub),
         "pledges": service.pledges_of_publication(session, actor=user, publication_id=pub.id),
         "values": values or {}, "errors": errors or {}, "today": today()},
        status_code=status,
    )


@router.get("/needs/{need_id}/publication")
def publication_page(need_id: PathId, request: Request, session: SessionDep, user: CurrentUser):
    return _publication_page(request, session, user, need_id)


@router.post("/pledges/{pledge_id}/{action}")
def decide(pledge_id: PathId, action: str, request: Request, session: SessionDep,
           user: CurrentUser, values: FormDep):
    actions = {
        "confirm": lambda: service.confirm(session, actor=user, pledge_id=pledge_id),
        "decline": lambda: service.decline(session, actor=user, pledge_id=pledge_id,
                                           data=DeclineIn.model_validate(values)),
        "deliver": lambda: service.deliver(
            session, actor=user, pledge_id=pledge_id,
            data=DeliveredIn.model_validate(_blank_to_none(values, "delivery_date"))),
    }
    if action not in actions:
        return RedirectResponse("/", status_code=303)
    _p, errors = attempt(actions[action])
    need_id = service.need_of_pledge(session, actor=user, pledge_id=pledge_id)
    if errors:
        values["pledge_id"], values["action"] = str(pledge_id), action
        return _publication_page(request, session, user, need_id, values, errors, status=400)
    return RedirectResponse(f"/needs/{need_id}/publication", status_code=303)


# --- standing offers of help -----------------------------------------------------------------


def _offer_form(request, user, values, lists, errors, status=200):
    return templates.TemplateResponse(
        request, "donors/offer_form.html",
        {"user": user, "values": values, "lists": lists, "errors": errors,
         "coverage_choices": [("南通市", "南通全市")] + [(c.path, c.name)
                                                    for c in regions.counties()],
         "modes": [(m, codes.OFFER_MODES[m]) for m in donor_offers.DONOR_MODES]},
        status_code=status,
    )


@router.get("/donor/offers")
def my_offers(request: Request, session: SessionDep, user: CurrentUser):
    org, rows = donor_offers.my_offers(session, actor=user)
    return templates.TemplateResponse(
        request, "donors/offers.html", {"user": user, "organisation": org, "rows": rows}
    )


@router.get("/donor/offers/new")
def new_offer(request: Request, user: CurrentUser):
    return _offer_form(request, user, {"mode": "volunteer", "capacity": "1"},
                       {"categories": [], "coverage": [], "groups": []}, {})


@router.post("/donor/offers/new")
def create_offer(request: Request, session: SessionDep, user: CurrentUser, form: FormDataDep):
    lists = {k: [str(v) for v in form.getlist(k)] for k in ("categories", "coverage", "groups")}
    values = {k: str(v) for k, v in form.items() if k not in lists}
    data = {k: v for k, v in values.items() if v != ""} | lists
    _made, errors = attempt(
        lambda: donor_offers.create_standing_offer(
            session, actor=user, data=donor_offers.StandingOfferIn.model_validate(data))
    )
    if errors:
        errors = {k.split(".")[0]: v for k, v in errors.items()}
        return _offer_form(request, user, values, lists, errors, status=400)
    return RedirectResponse("/donor/offers", status_code=303)
