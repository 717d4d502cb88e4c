"""Finalised versions, frozen, and the one rule for what a record is read with: the frozen answers,
facts and people of its snapshot once finalised, the live ones otherwise."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases import service as cases
from app.cases.facts import child_facts
from app.records.models import Record, RecordSnapshot, RecordStatus


@dataclass(frozen=True)
class Source:
    """What a record is read with: frozen for a finalised record, live for a draft."""

    answers: dict[str, Any]
    facts: dict[str, Any]
    people: list[dict[str, Any]]
    finalised: bool
    on: date
    # Frozen since answers name professionals by typed reference; older snapshots have none.
    professionals: list[dict[str, Any]] = field(default_factory=list)


def source_of(*, session: Session, record: Record, with_people: bool = True) -> Source:
    """The one frozen-or-live rule, for pages, pathways and printouts alike."""
    snapshot = latest_snapshot(session=session, record_id=record.id)
    if record.status == RecordStatus.FINALISED and snapshot is not None:
        content = snapshot.content
        on = snapshot.finalised_at.date()
        frozen = content.get("professionals", [])
        return Source(content["answers"], content["facts"], content["people"], True, on, frozen)
    case = cases.get_case(session=session, case_id=record.case_id)
    around = cases.snapshot_people(session=session, case_id=case.id) if with_people else []
    pros = cases.snapshot_professionals(session=session, case=case) if with_people else []
    facts = child_facts(session=session, case=case)
    return Source(
        record.answers, facts, around, finalised=False, on=date.today(), professionals=pros
    )


def names_of(source: Source) -> dict[tuple[str, int], str]:
    """Who each reference names, by kind (person 3 and professional 3 are different rows)."""
    names = {
        ("person", int(p["person"]["id"])): str(p["person"]["full_name"]) for p in source.people
    }
    names.update((("professional", int(p["id"])), str(p["name"])) for p in source.professionals)
    return names


def facts_for(*, session: Session, record: Record) -> dict[str, Any]:
    """Facts for pathways: frozen ones for a finalised record, live ones otherwise."""
    return source_of(session=session, record=record, with_people=False).facts


def freeze(*, session: Session, record: Record, actor: User) -> RecordSnapshot:
    """A snapshot of the record now: answers, pre-filled values, the facts and people of today."""
    case = cases.get_case(session=session, case_id=record.case_id)
    content = {
        "exemplar_id": record.exemplar_id,
        "exemplar_version": record.exemplar_version,
        "answers": record.answers,
        "facts": child_facts(session=session, case=case),
        "people": cases.snapshot_people(session=session, case_id=case.id),
        "professionals": cases.snapshot_professionals(session=session, case=case),
        "revision": record.revision,
    }
    snapshot = RecordSnapshot(
        record_id=record.id,
        version=record.version,
        exemplar_id=record.exemplar_id,
        exemplar_version=record.exemplar_version,
        content=content,
        checksum=checksum(content),
        finalised_by_id=actor.id,
    )
    session.add(snapshot)
    return snapshot


def latest_snapshot(*, session: Session, record_id: int) -> RecordSnapshot | None:
    return session.scalar(
        select(RecordSnapshot)
        .where(RecordSnapshot.record_id == record_id)
        .order_by(RecordSnapshot.version.desc())
        .limit(1)
    )


def snapshots(*, session: Session, record_id: int) -> list[RecordSnapshot]:
    query = (
        select(RecordSnapshot)
        .where(RecordSnapshot.record_id == record_id)
        .order_by(RecordSnapshot.version)
    )
    return list(session.scalars(query))


def checksum(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field id -> {"before", "after"} for every answer that differs."""
    keys = sorted(set(old) | set(new))
    return {
        key: {"before": old.get(key), "after": new.get(key)}
        for key in keys
        if old.get(key) != new.get(key)
    }
