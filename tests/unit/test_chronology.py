"""The chronology builder over answers alone: the declared date, the fallback that says so, the
line in the worker's words, and the worker's mark over the declared significance."""

from datetime import date

from app.records.chronology import Event, build
from tests.factories import shipped_library


def _closure(answers: dict[str, object]) -> Event:
    return Event(7, 2, shipped_library().latest("closure"), answers, date(2026, 6, 1))


def test_a_line_is_dated_by_its_event_in_the_worker_s_words() -> None:
    event = _closure({
        "closure_date": {"value": "2026-11-20"},
        "closure_reason": {"value": "RC8"},
        "closure_reason_detail": {"value": "The family moved to Leeds. More follows here."},
    })  # fmt: skip
    [entry] = build([event], {})
    assert (entry.on, entry.dated_by_event, entry.kind) == ("2026-11-20", True, "closure")
    assert entry.what.startswith("Case closed: ") and entry.what.endswith("moved to Leeds")
    assert "RC8" not in entry.what  # the option's label, not its code
    assert entry.significance == "high"  # declared in closure.yaml
    assert entry.source == "Closure record, record 7 version 2"


def test_without_an_event_date_the_start_date_is_used_and_said() -> None:
    [entry] = build([_closure({"closure_reason": {"value": "RC8"}})], {(7, 2): "low"})
    assert entry.on == "2026-06-01" and not entry.dated_by_event
    assert entry.date_text == "1 June 2026 (record started; event date not given)"
    assert not entry.what.endswith((".", ":", " "))  # the blank detail leaves no gap
    assert entry.significance == "low"  # the worker's mark wins over the YAML's


def test_an_exemplar_without_an_event_and_an_ordinary_case_note_add_nothing() -> None:
    note = Event(
        1, 1, shipped_library().latest("case_note"),
        {"event_date": {"value": "2026-11-01"}, "significant_event": {"value": "no"}},
        date(2026, 11, 1),
    )  # fmt: skip
    assert build([note], {}) == []
