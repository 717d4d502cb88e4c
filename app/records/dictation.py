"""Business support types for a worker: typed answers wait for the author's check.

Fields marked `author_only` hold the worker's judgement and are never typed on their behalf.
"""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.policy import Forbidden
from app.engine.definitions import text_for
from app.engine.library import Exemplar
from app.records import revisions
from app.records.models import Record
from app.records.queries import get_for_update

SERVER_KEYS = ("awaiting_check", "provenance")


def own_keys(value: Any, before: Any) -> Any:
    """Who typed, who checked and where a value came from are the server's to say.

    A client may send back a pre-filled value's origin only as the server gave it, for the same
    value (keeping it); any other `prefilled` it sends is dropped, never stored.
    """
    if not isinstance(value, dict):
        return value
    own = {k: v for k, v in value.items() if k not in SERVER_KEYS}
    given = own.pop("prefilled", None)
    kept = isinstance(before, dict) and before.get("prefilled") == given
    if given is not None and kept and before.get("value") == own.get("value"):
        own["prefilled"] = given
    return own


def typed_for(value: Any, actor: User, author: User) -> Any:
    """Typed for someone else: it waits for their check before families or courts see it."""
    if value is None:
        return None
    note = {"typed_by": actor.full_name, "for": author.full_name, "on": date.today().isoformat()}
    return {**value, "awaiting_check": note}


class AuthorOnly(Forbidden):
    """Someone tried to type the author's judgement for them; the route keeps the refusal."""

    def __init__(self, exemplar: Exemplar, record: Record, fields: list[str]) -> None:
        label = text_for(exemplar.fields[fields[0]].label, "worker")
        super().__init__(
            f"Only the worker may write '{label}': it is their judgement.", field=fields[0]
        )
        self.record_id, self.case_id, self.fields = record.id, record.case_id, fields


def judged(exemplar: Exemplar, keys: Any) -> list[str]:
    """The keys among `keys` that are the author's judgement (fields marked author_only)."""
    return [key for key in keys if key in exemplar.fields and exemplar.fields[key].author_only]


def refuse_judgement(*, exemplar: Exemplar, record: Record, keys: dict[str, Any]) -> None:
    """Fields marked author_only hold the worker's judgement: nobody types them on their behalf."""
    if found := judged(exemplar, keys):
        raise AuthorOnly(exemplar, record, found)


def withheld_words(exemplar: Exemplar, field_id: str, author: User) -> str:
    """Why a typist's words for a judgement field were not saved, naming who writes it."""
    label = text_for(exemplar.fields[field_id].label, "worker")
    return (
        f"'{label}' was not saved: it is written by the allocated worker ({author.full_name})."
        " What you typed is shown below so you can pass it on."
    )


def confirm(
    *, session: Session, actor: User, record_id: int, field_ids: list[str] | None = None
) -> Record:
    """The author checks what was typed for them; it then carries who typed and who confirmed."""
    record = get_for_update(session=session, record_id=record_id)
    if record.author_id != actor.id:
        raise Forbidden(
            "Only the record's author can confirm what was typed for them.", field="record_id"
        )
    waiting = {
        k: v for k, v in record.answers.items() if isinstance(v, dict) and "awaiting_check" in v
    }
    chosen = {k: v for k, v in waiting.items() if field_ids is None or k in field_ids}
    confirmed = {k: _confirmed(v, actor) for k, v in chosen.items()}
    if confirmed:
        revisions.append(
            session=session,
            record=record,
            answers={**record.answers, **confirmed},
            changed=confirmed,
            actor=actor,
            event=revisions.Event.CONFIRM,
        )
    return record


def _confirmed(value: dict[str, Any], actor: User) -> dict[str, Any]:
    typed = value["awaiting_check"]
    provenance = {
        **typed,
        "confirmed_by": actor.full_name,
        "confirmed_on": date.today().isoformat(),
    }
    return {**{k: v for k, v in value.items() if k != "awaiting_check"}, "provenance": provenance}


def awaiting_check(record: Record) -> list[str]:
    return [k for k, v in record.answers.items() if isinstance(v, dict) and "awaiting_check" in v]
