"""The people pages' forms: typed text in, the API's own schemas out, each problem by its field.

A page posts plain strings; what they become is decided by the same schemas the JSON API uses,
so a page and a program can never be held to different rules.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)
Form = Mapping[str, Any]

LABELS = {
    "given_names": "Given names",
    "family_name": "Family name",
    "known_as": "Known as",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "address": "Address",
    "phone": "Phone",
    "name": "Name",
    "role": "Role",
    "agency_type": "Agency",
    "organisation": "Organisation",
    "email": "Email",
    "started_on": "From",
    "ended_on": "To",
    "type_code": "Relationship",
    "person_id": "Person",
    "other_person_id": "Other person",
    "nhs_number": "NHS number",
    "upn": "UPN",
    "former_upn": "Former UPN",
    "upn_unknown_reason": "Why the UPN is not known",
    "local_child_id": "Council's child id",
}
# What to do when a field that must have a value has none, in GOV.UK's words.
MISSING = {
    "given_names": "Enter the person's given names",
    "family_name": "Enter the person's family name",
    "name": "Enter the professional's name",
    "agency_type": "Select the agency",
    "type_code": "Select the relationship",
}


def text(form: Form, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def optional(form: Form, name: str) -> str | None:
    return text(form, name) or None


def yes_no(form: Form, name: str) -> bool | None:
    """A yes / no / not known answer."""
    return {"yes": True, "no": False}.get(text(form, name))


def date_parts(form: Form, name: str) -> dict[str, str]:
    return {part: text(form, f"{name}-{part}") for part in ("day", "month", "year")}


def posted_date(form: Form, name: str, errors: dict[str, str]) -> date | None:
    """A GOV.UK date input's three boxes as a date; a problem goes into `errors` by field."""
    parts = date_parts(form, name)
    if not any(parts.values()):
        return None
    if not all(parts.values()):
        errors[name] = f"{LABELS.get(name, name)} must include a day, month and year"
        return None
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        errors[name] = f"{LABELS.get(name, name)} must be a real date, for example 23 11 2019"
        return None


def parsed(schema: type[Model], values: dict[str, Any], errors: dict[str, str]) -> Model | None:
    """`values` read by `schema`; each problem goes into `errors` under the field it is about."""
    try:
        return schema.model_validate(values)
    except ValidationError as refused:
        for problem in refused.errors():
            field, message = _field_and_message(problem)
            errors.setdefault(field, message)
        return None


def _field_and_message(problem: Any) -> tuple[str, str]:
    location = [str(part) for part in problem.get("loc", ())]
    message = str(problem.get("msg", "is not valid")).removeprefix("Value error, ")
    field, said, rest = message.partition(": ")  # a model check names its field ("x: message")
    if not location and said and field in LABELS:
        location, message = [field], rest
    field = location[0] if location else "body"
    if problem.get("type") in ("string_too_short", "missing") and field in MISSING:
        return field, MISSING[field]
    if message.startswith("Enter "):  # already GOV.UK's words naming the field (identifiers)
        return field, message
    return field, f"{LABELS.get(field, field)}: {message[:1].lower()}{message[1:]}"
