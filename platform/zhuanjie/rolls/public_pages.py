"""The public 公示 of the rolls (no sign-in): the counties, a county's townships, and a
township's list as a page and as a printable A4 sheet."""

from __future__ import annotations

from fastapi import APIRouter, Request

from zhuanjie.clock import today
from zhuanjie.db import SessionDep
from zhuanjie.deps import OptionalUser
from zhuanjie.rolls import publicity
from zhuanjie.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/gongshi")
def city(request: Request, session: SessionDep, user: OptionalUser):
    return templates.TemplateResponse(
        request, "rolls/public_city.html",
        {"user": user, "counties": publicity.city_index(session)})


@router.get("/gongshi/{county}")
def county(request: Request, session: SessionDep, user: OptionalUser, county: str):
    path, towns = publicity.county_index(session, county_name=county)
    return templates.TemplateResponse(
        request, "rolls/public_county.html",
        {"user": user, "county": county, "county_path": path, "towns": towns})


@router.get("/gongshi/{county}/{town}")
def township(request: Request, session: SessionDep, user: OptionalUser, county: str,
             town: str):
    sheet = publicity.public_sheet(session, county_name=county, town_name=town)
    return templates.TemplateResponse(
        request, "rolls/public_town.html",
        {"user": user, "county": county, "town": town, "sheet": sheet, "day": today()})


@router.get("/gongshi/{county}/{town}/print")
def township_print(request: Request, session: SessionDep, county: str, town: str):
    sheet = publicity.public_sheet(session, county_name=county, town_name=town)
    return templates.TemplateResponse(
        request, "rolls/public_print.html",
        {"user": None, "county": county, "town": town, "sheet": sheet, "day": today()})
