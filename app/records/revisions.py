"""Every save is a revision: the answers after it, what changed, who typed it and for whom."""

import enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.records.models import Record, RecordRevision


class Event(enum.StrEnum):
    """Why a revision was written: a save, or a step in the record's life."""

    START = "start"
    SAVE = "save"
    SHARED = "shared"  # a shared section typed in a sibling's record
    FROM_SIBLING = "from_sibling"  # a sibling's shared answers kept when this record began
    CONFIRM = "confirm"
    SUBMIT = "submit"
    RETURN = "return"
    FINALISE = "finalise"
    AMEND = "amend"


def append(
    *,
    session: Session,
    record: Record,
    answers: dict[str, Any],
    changed: dict[str, Any],
    actor: User,
    on_behalf_of: User | None = None,
    section_id: str | None = None,
    event: Event = Event.SAVE,
) -> RecordRevision:
    """A new revision holding what it changed (set and removed); the record keeps the whole set.

    Kept as changes, not copies: ten saves of a long narrative store it once, not ten times.
    """
    before = record.answers or {}
    record.revision += 1
    record.answers = answers
    revision = RecordRevision(
        record=record,
        number=record.revision,
        answers={k: v for k, v in answers.items() if before.get(k) != v},
        removed=sorted(set(before) - set(answers)),
        changed=changed,
        section_id=section_id,
        author_id=actor.id,
        on_behalf_of_id=on_behalf_of.id if on_behalf_of else None,
        event=event.value,
    )
    session.add(revision)
    session.flush()
    return revision


def listed(*, session: Session, record_id: int) -> list[RecordRevision]:
    query = (
        select(RecordRevision)
        .where(RecordRevision.record_id == record_id)
        .order_by(RecordRevision.number)
    )
    return list(session.scalars(query))


def answers_at(*, session: Session, record_id: int, number: int) -> dict[str, Any] | None:
    """The whole answer set as it stood after revision `number` (None if there was none)."""
    query = (
        select(RecordRevision)
        .where(RecordRevision.record_id == record_id, RecordRevision.number <= number)
        .order_by(RecordRevision.number)
    )
    state: dict[str, Any] = {}
    found = False
    for revision in session.scalars(query):
        found = revision.number == number
        state.update(revision.answers)
        for key in revision.removed:
            state.pop(key, None)
    return state if found else None
