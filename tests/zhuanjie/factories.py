"""Plain factory functions: rows with sensible defaults, overridable per test."""

from __future__ import annotations

import itertools
from datetime import date

from sqlmodel import Session

from zhuanjie.auth.passwords import hash_password
from zhuanjie.households import service as households
from zhuanjie.households.schemas import HouseholdCreate
from zhuanjie.models import Organisation, User
from zhuanjie.validators import id_check_char, uscc_check_char

PASSWORD = "secret-pass-1"
RUGAO_TOWN = "南通市/如皋市/白蒲镇"
HAIAN_TOWN = "南通市/海安市/城东镇"
_seq = itertools.count(1)
_password_hash = hash_password(PASSWORD)  # hashing is slow on purpose; do it once


def valid_id(
    birth: date = date(1960, 5, 17), area: str = "320682", serial: int | None = None
) -> str:
    serial = next(_seq) % 1000 if serial is None else serial
    first17 = f"{area}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_check_char(first17)


def valid_uscc(body: str = "51320600MJ") -> str:
    first17 = (body + f"{next(_seq):07d}")[:17]
    return first17 + uscc_check_char(first17)


def make_org(session: Session, **overrides) -> Organisation:
    values = {
        "name": f"测试社工服务中心{next(_seq)}",
        "kind": "ngo",
        "status": "verified",
        "credit_code": valid_uscc(),
    }
    org = Organisation(**(values | overrides))
    session.add(org)
    session.flush()
    return org


def make_user(session: Session, role: str, **overrides) -> User:
    n = next(_seq)
    values = {
        "username": f"{role}{n}",
        "display_name": f"测试{n}",
        "role": role,
        "password_hash": _password_hash,
    }
    if role in ("caseworker", "supervisor") and "region_path" not in overrides:
        values["region_path"] = RUGAO_TOWN if role == "caseworker" else "南通市"
    if role == "org_staff" and "organisation_id" not in overrides:
        values["organisation_id"] = make_org(session).id
    user = User(**(values | overrides))
    session.add(user)
    session.flush()
    return user


def make_household(session: Session, actor: User, **overrides):
    data = {
        "region_path": actor.region_path if actor.role == "caseworker" else RUGAO_TOWN,
        "village": "新华村",
        "address": "新华村6组28号",
        "phone": "13912345678",
        "groups": ["dibao"],
        "income_per_capita": "650",
        "members": [{"name": "王建国", "id_number": valid_id(), "relation": "head"}],
    }
    return households.create_household(
        session, actor=actor, data=HouseholdCreate.model_validate(data | overrides)
    )
