"""One record in context: the record, its definition, its child's case, and what it is read with.

Every route, the API, printing and the command line open a record here, so the rule "finalised →
frozen facts, live otherwise" and the permission check are written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.cases import service as cases
from app.engine import answers as engine
from app.engine.library import Exemplar, Library
from app.records.errors import RecordNotFound
from app.records.models import Record
from app.records.snapshots import Source, source_of

if TYPE_CHECKING:
    from app.cases.models import Case


@dataclass
class RecordContext:
    """A record ready to read or change; facts and visibility are worked out once, when asked."""

    session: Session = field(repr=False)
    record: Record
    exemplar: Exemplar
    case: Case
    granted: Any = None  # set by the web layer: who opened it, for which action

    @cached_property
    def source(self) -> Source:
        return source_of(session=self.session, record=self.record, with_people=False)

    @property
    def facts(self) -> Mapping[str, Any]:
        return self.source.facts

    @property
    def answers(self) -> dict[str, Any]:
        return self.record.answers

    @cached_property
    def visibility(self) -> engine.Visibility:
        return engine.visibility(self.exemplar, answers=self.record.answers, facts=self.facts)

    @cached_property
    def references(self) -> frozenset[tuple[str, int]]:
        """Everyone an answer may name: the child's people and professionals, as (kind, id)."""
        return frozenset(s.key for s in cases.network(session=self.session, case=self.case))

    def refreshed(self) -> engine.Visibility:
        """Visibility after a save changed the answers."""
        self.__dict__.pop("visibility", None)
        return self.visibility


def load(*, session: Session, library: Library, record_id: int) -> RecordContext:
    """A record in context, without any permission check: for code that has already decided.

    A row the session already holds (locked by the access check for a save) is not read again.
    """
    record = session.get(Record, record_id)
    if record is None:
        raise RecordNotFound(f"No record with id {record_id}.", field="record_id")
    exemplar = library.get(record.exemplar_id, record.exemplar_version)
    case = cases.get_case(session=session, case_id=record.case_id)
    return RecordContext(session=session, record=record, exemplar=exemplar, case=case)
