"""The manager's part of a record: fields declared `signed_off_by` are filled by approve and return.

The author never types them (forms leave them out, saves refuse them, submitting never asks for
them); the server writes who signed off, in which role, when, the decision and the comment, each
answer marked with that provenance so a client can never claim it.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from app.auth.models import User
from app.engine.definitions import SIGN_OFF_DECISIONS, FieldDef, text_for
from app.engine.library import Exemplar
from app.errors import Invalid

Step = Literal["approve", "return"]


def fields_of(exemplar: Exemplar) -> list[FieldDef]:
    return [item for item in exemplar.fields.values() if item.signed_off_by]


def refuse(exemplar: Exemplar, keys: Mapping[str, Any]) -> None:
    """An author's save that writes a sign-off field is refused, naming the field."""
    signed = [key for key in keys if key in exemplar.fields and exemplar.fields[key].signed_off_by]
    if signed:
        label = text_for(exemplar.fields[signed[0]].label, "worker")
        raise Invalid(f"'{label}' is filled in by the manager at sign-off.", field=signed[0])


def filled(
    exemplar: Exemplar,
    *,
    actor: User,
    step: Step,
    comment: str | None = None,
    on: date | None = None,
) -> dict[str, Any]:
    """The sign-off answers for this step; a field with nothing to hold is cleared (None)."""
    when = (on or date.today()).isoformat()
    values: dict[str, Any] = {
        "who": actor.full_name,
        "role": actor.role.label,
        "when": when,
        "decision": SIGN_OFF_DECISIONS[step],
        "comment": comment or None,
    }
    provenance = {"signed_off_by": actor.full_name, "role": actor.role.label, "on": when}
    return {
        item.id: _answer(values[item.holds], provenance)
        for item in fields_of(exemplar)
        if item.holds is not None
    }


def _answer(value: Any, provenance: dict[str, str]) -> dict[str, Any] | None:
    return None if value is None else {"value": value, "provenance": provenance}


def applied(answers: Mapping[str, Any], signed: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with the sign-off written in (a cleared field removed)."""
    merged = {**answers, **signed}
    return {key: value for key, value in merged.items() if value is not None}


def returned_comment(exemplar: Exemplar, answers: Mapping[str, Any]) -> str | None:
    """The manager's comment on a returned record, as the sign-off wrote it."""
    for item in fields_of(exemplar):
        answer = answers.get(item.id)
        if item.holds == "comment" and isinstance(answer, Mapping):
            return str(answer.get("value") or "") or None
    return None
