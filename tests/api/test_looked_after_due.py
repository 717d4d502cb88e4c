"""A looked-after child's due dates, rule by rule: the first review within 20 working days of
becoming looked after, the second within 3 months of the first, then every 6 months; a visit
within a week of any placement, then 6-weekly, then 3-monthly once a placement meant to last until
18 has run a year. Each shows with "why" on the caseload, the child page and the team view.
"Today" is passed to the service, never mocked."""

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.auth.models import User
from app.cases import care
from app.cases.schemas import CareEventIn
from app.records import service as records
from app.timescales.calendar import add_working_days
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value
from tests.factories import Factory, shipped_library

REVIEW = "Looked-after review"
VISIT = "Visit to see the child"


def _looked_after(
    db: Session, client: TestClient, factory: Factory, on: date
) -> tuple[Worker, int]:
    """A child of the demo worker's, looked after (s20, foster care) from `on`."""
    demo.load(session=db)
    db.commit()
    user = db.scalar(select(User).where(User.username == "worker"))
    assert user
    factory._actor = user
    case = factory.child_case(child=factory.person(given_names="Mia"), worker=user)
    _event(
        db,
        user,
        case.id,
        kind="start",
        on=on,
        legal_status="V2",
        category_of_need="N1",
        placement_type="U6",
    )
    return Worker(client), case.id


def _event(db: Session, user: User, case_id: int, **fields: object) -> None:
    body = {"provider": "PR1", **fields} if "placement_type" in fields else fields
    data = CareEventIn.model_validate(body)
    care.record_event(
        session=db,
        actor=user,
        library=shipped_library(),
        case_id=case_id,
        data=data,
        today=date.today(),
    )
    db.commit()


def _worker(db: Session) -> User:
    user = db.scalar(select(User).where(User.username == "worker"))
    assert user
    return user


def _due(db: Session, case_id: int, today: date) -> dict[str, records.Due]:
    case_status = {case_id: "section_20"}
    found = records.due_for_cases(
        session=db, library=shipped_library(), legal_statuses=case_status, today=today
    )
    return {d.what: d for d in found[case_id]}


def _review(worker: Worker, case_id: int, held: date) -> None:
    record = worker.start(case_id, "review")
    worker.save(record, {"review_type": value("lac"), "review_date": value(held.isoformat())})


def _visit(worker: Worker, case_id: int, on: date) -> None:
    note = worker.start(case_id, "case_note")
    answers = {
        "event_date": value(on.isoformat()),
        "note_type": value("placement_visit"),
        "child_seen": value("yes"),
    }
    worker.save(note, answers)


def test_the_review_cycle_20_working_days_then_3_months_then_6_months(
    db: Session, client: TestClient, factory: Factory
) -> None:
    became = date(2026, 4, 1)  # the Wednesday before Easter
    worker, case_id = _looked_after(db, client, factory, became)
    first = _due(db, case_id, date(2026, 4, 20))[REVIEW]
    # 20 working days, Good Friday and Easter Monday skipped, day 0 the day care began.
    assert first.on == date(2026, 5, 1) == add_working_days(became, 20)
    assert [day for day, _ in first.skipped] == [date(2026, 4, 3), date(2026, 4, 6)]
    assert first.rule_id == "lac_first_review_20wd" and "20 working days" in first.rule
    assert (first.clock_start, first.clock_label) == (became, "Became looked after")
    assert first.source_record_id is None  # the looked-after history, not a record
    assert first.status(date(2026, 5, 2)) == "overdue"

    _review(worker, case_id, date(2026, 4, 28))
    second = _due(db, case_id, date(2026, 5, 5))[REVIEW]
    assert (second.on, second.rule_id) == (date(2026, 7, 28), "lac_second_review_3m")
    _review(worker, case_id, date(2026, 7, 20))
    later = _due(db, case_id, date(2026, 7, 21))[REVIEW]
    assert (later.on, later.rule_id) == (date(2027, 1, 20), "lac_review_6m")


def test_visits_a_week_after_each_placement_then_6_weekly(
    db: Session, client: TestClient, factory: Factory
) -> None:
    placed = date(2026, 6, 1)
    worker, case_id = _looked_after(db, client, factory, placed)
    first = _due(db, case_id, date(2026, 6, 3))[VISIT]
    assert (first.on, first.rule_id) == (date(2026, 6, 8), "lac_visit_1w_after_placement")
    assert first.clock_label == "Placement started"

    _visit(worker, case_id, date(2026, 6, 5))
    after_seen = _due(db, case_id, date(2026, 6, 10))[VISIT]
    assert (after_seen.on, after_seen.rule_id) == (date(2026, 7, 17), "lac_visit_6w_after_seen")

    moved = date(2026, 7, 1)
    _event(
        db,
        _worker(db),
        case_id,
        kind="placement",
        on=moved,
        placement_type="U4",
        reason_place_change="CARPL",
    )
    again = _due(db, case_id, date(2026, 7, 2))[VISIT]
    assert (again.on, again.rule_id) == (moved + timedelta(weeks=1), "lac_visit_1w_after_placement")


def test_visits_become_3_monthly_after_a_year_of_a_long_term_placement(
    db: Session, client: TestClient, factory: Factory
) -> None:
    placed = date(2025, 6, 2)
    worker, case_id = _looked_after(db, client, factory, placed)
    _event(
        db,
        _worker(db),
        case_id,
        kind="placement",
        on=date(2025, 7, 1),
        placement_type="U4",
        reason_place_change="PLACE",
    )
    _visit(worker, case_id, date(2026, 6, 15))
    in_year_one = _due(db, case_id, date(2026, 6, 20))[VISIT]
    assert (in_year_one.on, in_year_one.rule_id) == (date(2026, 7, 27), "lac_visit_6w_after_seen")
    settled = _due(db, case_id, date(2026, 7, 2))[VISIT]
    assert (settled.on, settled.rule_id) == (date(2026, 9, 15), "lac_visit_3m_long_term")
    assert "3 months" in settled.rule


def test_review_and_visit_dates_show_with_why_on_the_caseload_child_page_and_team_view(
    db: Session, client: TestClient, factory: Factory
) -> None:
    became = date.today() - timedelta(days=35)  # both overdue: listed with why at the top
    _, case_id = _looked_after(db, client, factory, became)
    review_on = add_working_days(became, 20).strftime("%-d %B %Y")
    visit_on = (became + timedelta(weeks=1)).strftime("%-d %B %Y")
    page = TestClient(client.app)
    page_sign_in(page, "worker")
    for url in ("/caseload", f"/children/{case_id}"):
        shown = page.get(url).text
        assert re.search(
            rf"Overdue</strong>\s*<strong>{REVIEW}</strong>.*?due {review_on}", shown, re.S
        )
        assert re.search(
            rf"Overdue</strong>\s*<strong>{VISIT}</strong>.*?due {visit_on}", shown, re.S
        )
        assert "lac_first_review_20wd" in shown and "lac_visit_1w_after_placement" in shown
        assert f'href="/children/{case_id}/looked-after">looked-after history' in shown
    manager = TestClient(client.app)
    page_sign_in(manager, "manager")
    team = manager.get("/team").text
    assert f"due {review_on}" in team and f"due {visit_on}" in team
    assert "lac_first_review_20wd" in team
