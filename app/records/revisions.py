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
    """A new revision holding the whole answer set after it; the record keeps the newest."""
    record.revision += 1
    record.answers = answers
    revision = RecordRevision(
        record=record,
        number=record.revision,
        answers=answers,
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
