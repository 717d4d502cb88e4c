"""Finalised versions, frozen, and the one rule for what a record is read with: the frozen answers,
facts and people of its snapshot once finalised, the live ones otherwise."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases import service as cases
from app.cases.facts import child_facts
from app.engine.library import Library
from app.errors import Invalid
from app.records import chronology
from app.records.models import Record, RecordSnapshot, RecordStatus


@dataclass(frozen=True)
class Source:
    """What a record is read with: frozen for a finalised record, live for a draft."""

    answers: dict[str, Any]
    facts: Mapping[str, Any]  # live facts are read when first asked for (cases/facts.py)
    people: list[dict[str, Any]]
    finalised: bool
    on: date
    version: int | None = None  # the finalised version read, when frozen
    # Frozen since answers name professionals by typed reference; older snapshots have none.
    professionals: list[dict[str, Any]] = field(default_factory=list)


def source_of(
    *, session: Session, record: Record, with_people: bool = True, version: int | None = None
) -> Source:
    """The one frozen-or-live rule, for pages, pathways and printouts alike; `version` reads an
    earlier finalised version (say while the record is amended), as it was frozen."""
    snapshot = latest_snapshot(session=session, record_id=record.id)
    if version is not None:
        snapshot = next(
            (s for s in snapshots(session=session, record_id=record.id) if s.version == version),
            None,
        )
        if snapshot is None:
            raise Invalid(f"Version {version} of this record was never finalised.", field="version")
    if snapshot is not None and (version is not None or record.status == RecordStatus.FINALISED):
        content = snapshot.content
        on = snapshot.finalised_at.date()
        frozen = content.get("professionals", [])
        return Source(
            content["answers"],
            content["facts"],
            content["people"],
            True,
            on,
            snapshot.version,
            professionals=frozen,
        )
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


def facts_for(*, session: Session, record: Record) -> Mapping[str, Any]:
    """Facts for pathways: frozen ones for a finalised record, live ones otherwise."""
    return source_of(session=session, record=record, with_people=False).facts


def freeze(
    *,
    session: Session,
    library: Library,
    record: Record,
    actor: User,
    answers: dict[str, Any] | None = None,
) -> RecordSnapshot:
    """A snapshot of the record now: answers (with the sign-off, when given), pre-filled values,
    the facts and people of today, and the child's chronology with this record in it."""
    answers = record.answers if answers is None else answers
    case = cases.get_case(session=session, case_id=record.case_id)
    exemplar = library.get(record.exemplar_id, record.exemplar_version)
    this = chronology.Event(record.id, record.version, exemplar, answers, record.started_at.date())
    entries = chronology.of_case(session=session, library=library, case_id=case.id, adding=this)
    content = {
        "exemplar_id": record.exemplar_id,
        "exemplar_version": record.exemplar_version,
        "answers": answers,
        "facts": dict(child_facts(session=session, case=case)),
        "people": cases.snapshot_people(session=session, case_id=case.id),
        "professionals": cases.snapshot_professionals(session=session, case=case),
        "revision": record.revision,
        "chronology": [entry.as_dict() for entry in entries],
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


def chronology_for_print(
    *, session: Session, library: Library, record: Record, version: int | None = None
) -> list[chronology.Entry]:
    """A finalised record's chronology as frozen when it was finalised; a draft's as it is now.
    `version` reads the chronology frozen with that finalised version."""
    snapshot = latest_snapshot(session=session, record_id=record.id)
    if version is not None:
        snapshot = next(
            (s for s in snapshots(session=session, record_id=record.id) if s.version == version),
            None,
        )
    if snapshot is None or (version is None and record.status != RecordStatus.FINALISED):
        return chronology.of_case(session=session, library=library, case_id=record.case_id)
    frozen = snapshot.content.get("chronology")
    if frozen is None:  # finalised before chronologies were frozen: read it as of that moment
        return chronology.of_case(
            session=session, library=library, case_id=record.case_id, as_of=snapshot.finalised_at
        )
    return [chronology.Entry.from_dict(entry) for entry in frozen]


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


def amended_from(*, session: Session, record: Record) -> dict[str, Any] | None:
    """While a record is amended: the answers of the version it was finalised as."""
    if record.status != RecordStatus.AMENDING:
        return None
    snapshot = latest_snapshot(session=session, record_id=record.id)
    return snapshot.content["answers"] if snapshot else None
