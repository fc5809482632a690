"""The family registration form: the head and the other members in one form.

The form names the head's fields head_* and each further member's m<row>_*; the schema has
one list, the head first. A row left blank is no member. The page shows FAMILY_ROWS rows
without script; a script adds more (up to the schema's limit)."""

from __future__ import annotations

from collections.abc import Callable

from zhuanjie.households.schemas import MAX_MEMBERS, HouseholdCreate

FAMILY_ROWS = 4
MEMBER_FIELDS = ("name", "id_number", "relation", "disability", "illness")
FILLED = ("name", "id_number", "disability", "illness")  # a relation alone is a blank row


def family_from_form(
    values: dict[str, str], groups: list[str]
) -> tuple[Callable[[], HouseholdCreate], list[int]]:
    """A validator of the form (run inside `attempt`) and the form rows the schema's members
    1, 2 … came from."""
    rows = sorted(
        {int(k[1:].split("_", 1)[0]) for k in values
         if k.startswith("m") and k[1:].split("_", 1)[0].isdigit()
         and k.split("_", 1)[1] in MEMBER_FIELDS}
    )
    rows = [r for r in rows if any(values.get(f"m{r}_{f}", "").strip() for f in FILLED)]
    members = [{
        "name": values.get("head_name", "").strip(),
        "id_number": values.get("head_id_number", ""),
        "relation": "head",
        "phone": values.get("phone", ""),
    }] + [{
        "name": values.get(f"m{r}_name", "").strip(),
        "id_number": values.get(f"m{r}_id_number", ""),
        "relation": values.get(f"m{r}_relation", "") or "other",
        "disability": values.get(f"m{r}_disability", "").strip(),
        "illness": values.get(f"m{r}_illness", "").strip(),
    } for r in rows[: MAX_MEMBERS - 1]]

    def validate() -> HouseholdCreate:
        return HouseholdCreate.model_validate({
            "region_path": values.get("region_path", ""),
            "village": values.get("village", ""),
            "address": values.get("address", ""),
            "phone": values.get("phone", ""),
            "groups": groups,
            "income_per_capita": values.get("income_per_capita") or None,
            "members": members,
        })

    return validate, rows


def form_errors_by_row(errors: dict[str, str], rows: list[int]) -> dict[str, str]:
    """The schema's errors (members.0.name, members.2.id_number …) under the form's names."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        if key == "id_number":  # a clash found by add_member's check names no member
            key = "members.0.id_number"
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "members" and parts[1].isdigit():
            index = int(parts[1])
            name = "head_" + parts[2] if index == 0 else f"m{rows[index - 1]}_{parts[2]}"
            out.setdefault(name, message)
        else:
            out.setdefault(key, message)
    return out
