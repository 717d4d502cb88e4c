"""What is due for a child: the next review, meeting or visit from the rules the exemplars declare
(`due_next`), and each open record's own timescale.

Clocks start from events (a conference held, a child seen), never from when a form was finished:
any record's date answer counts once the day has come, whatever the record's status. Within a
series the latest clock start wins, so the next review runs from the last one held.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.cases import episodes
from app.cases.facts import CASE_TYPE_BY_LEGAL_STATUS
from app.engine.conditions import Scope, compile_condition, plain
from app.engine.definitions import DueRule, text_for
from app.engine.library import Exemplar, Library
from app.records.lifecycle import EDITABLE
from app.records.models import Record, RecordStatus
from app.records.queries import definition_of, records_for_cases, title_of
from app.timescales.due import DAY_ZERO, Due, count, counted_words, skipped

if TYPE_CHECKING:
    from app.cases.models import CareEvent

__all__ = ["Due", "due_for_cases"]

# How "why is this due?" names a clock started by a care event.
CARE = {
    "became_looked_after": "Became looked after",
    "placement_started": "Placement started",
}


@dataclass(frozen=True)
class _Start:
    rule: DueRule
    record: Record | None  # None: a care event (becoming looked after, a placement) started it
    exemplar: Exemplar | None
    on: date

    @property
    def order(self) -> tuple[date, int, int]:
        # On one day a record's event (a visit made on the day of a placement) comes after the
        # care event, so it is the one that counts.
        return (self.on, 0, 0) if self.record is None else (self.on, 1, self.record.id)


def due_for_cases(
    *,
    session: Session,
    library: Library,
    legal_statuses: dict[int, str],
    today: date,
    found: Mapping[int, list[Record]] | None = None,
    care: Mapping[int, Sequence["CareEvent"]] | None = None,
) -> dict[int, list[Due]]:
    """Case id → what is due for that child, soonest first (`today` fixes what has happened).

    `found`, `care`: the cases' records and care events when the page has read them already
    (they are read once a page).
    """
    if found is None:
        found = records_for_cases(session=session, case_ids=list(legal_statuses))
    if care is None:
        care = episodes.events_of(session=session, case_ids=list(legal_statuses))
    return {
        case_id: sorted(
            _due_of_case(
                library,
                found.get(case_id, []),
                legal_status,
                episodes.story_of(care[case_id]),
                today,
            ),
            key=lambda due: due.on,
        )
        for case_id, legal_status in legal_statuses.items()
    }


def _due_of_case(
    library: Library, rows: list[Record], legal_status: str, story: episodes.Story, today: date
) -> Iterable[Due]:
    facts = {
        "case.legal_status": legal_status,
        "case.type": _case_type(legal_status),
        "case.visits": episodes.visits(story, today),
    }
    starts = [s for r in rows for s in _starts(library, r, facts, today)]
    starts += _care_starts(story, today)
    latest: dict[str, _Start] = {}
    for start in _by_occurrence(starts):
        held = latest.get(start.rule.series)
        if held is None or start.order > held.order:
            latest[start.rule.series] = start
    for start in latest.values():
        if (due := _due(start)) is not None:
            yield due
    for row in rows:
        if (due := _own_timescale(library, row)) is not None:
            yield due


def _case_type(legal_status: str) -> str:
    return CASE_TYPE_BY_LEGAL_STATUS.get(legal_status, "cin")


def _starts(library: Library, record: Record, facts: dict[str, str], today: date) -> list[_Start]:
    exemplar = definition_of(library=library, record=record)
    found = []
    for rule in exemplar.definition.due_next:
        on = _date(record, rule.clock_start)
        scope = Scope(record.answers, facts)
        if on is None or on > today or (rule.when and not compile_condition(rule.when)(scope)):
            continue
        found.append(_Start(rule, record, exemplar, on))
    return found


def _care_starts(story: episodes.Story, today: date) -> list[_Start]:
    """Clock starts from the care events (app/cases/looked_after.yaml `due`)."""
    dates = episodes.clock_starts(story)
    return [
        _Start(rule, None, None, on)
        for rule in episodes.care_rules().due
        if (on := dates.get(rule.clock_start)) is not None and on <= today
    ]


def _by_occurrence(starts: list[_Start]) -> list[_Start]:
    """Keep a `first` rule for the first such record of the case only, a `later` rule for the
    rest (a looked-after child's second review is 3 months on, later ones 6)."""
    order: dict[tuple[str, str], list[int]] = {}
    for s in sorted(starts, key=lambda s: s.order):
        if s.record is None or s.exemplar is None:
            continue
        ids = order.setdefault((s.rule.series, s.exemplar.id), [])
        if s.record.id not in ids:
            ids.append(s.record.id)
    kept = []
    for s in starts:
        if s.record is None or s.exemplar is None:
            kept.append(s)
            continue
        first = order[(s.rule.series, s.exemplar.id)][0] == s.record.id
        if s.rule.occurrence == "any" or (s.rule.occurrence == "first") == first:
            kept.append(s)
    return kept


def _date(record: Record, field_id: str) -> date | None:
    value = plain(record.answers.get(field_id))
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _due(start: _Start) -> Due | None:
    rule, exemplar, record = start.rule, start.exemplar, start.record
    if rule.due_on is not None and record is not None:
        on = _date(record, rule.due_on)
    else:
        on = _counted(start.on, rule.length or 0, rule.unit or "days")
    if on is None:
        return None
    return Due(
        on=on,
        what=rule.what,
        rule_id=rule.id,
        rule=rule.rule,
        clock_start=start.on,
        clock_label=_label(exemplar, rule.clock_start) if exemplar else CARE[rule.clock_start],
        source_title=title_of(exemplar) if exemplar else "looked-after history",
        source_record_id=record.id if record else None,
        counted=counted_words(rule.length, rule.unit),
        skipped=skipped(start.on, on, rule.unit or ""),
        day_zero=DAY_ZERO if rule.unit == "working_days" else None,
    )


def _counted(start: date, length: int, unit: str) -> date | None:
    try:
        return count(start, length, unit)
    except (ValueError, OverflowError):  # a slip past the calendar's end has no due date
        return None


def _own_timescale(library: Library, record: Record) -> Due | None:
    """An open record's own timescale (a referral's decision in one working day, say)."""
    if record.status not in EDITABLE or record.status == RecordStatus.SUBMITTED:
        return None
    exemplar = definition_of(library=library, record=record)
    timescale = exemplar.definition.timescale
    start = _date(record, timescale.clock_start) if timescale else None
    if timescale is None or start is None:
        return None
    on = _counted(start, timescale.working_days, "working_days")
    if on is None:
        return None
    return Due(
        on=on,
        what=f"Complete the {title_of(exemplar).lower()}",
        rule_id=f"{exemplar.id}_timescale",
        rule=timescale.rule or "the exemplar's timescale",
        clock_start=start,
        clock_label=_label(exemplar, timescale.clock_start),
        source_title=title_of(exemplar),
        source_record_id=record.id,
        counted=counted_words(timescale.working_days, "working_days"),
        skipped=skipped(start, on, "working_days"),
        day_zero=DAY_ZERO,
    )


def _label(exemplar: Exemplar, field_id: str) -> str:
    return text_for(exemplar.fields[field_id].label, "worker")
