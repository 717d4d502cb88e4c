"""Due dates from the declared rules, as the worker and the manager meet them: reviews from the
conference or the last review, visits from the last note where the child was seen, bank holidays
skipped, and "why is this due?" on every one. "Today" is passed to the service, never mocked."""

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, true
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.auth.models import Role, Team, User
from app.cases import service as cases
from app.records import service as records
from app.timescales.calendar import add_months
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value
from tests.factories import shipped_library


def _cp_child(db: Session, client: TestClient) -> tuple[Worker, int]:
    """The demo worker, and Tyler on a child protection plan."""
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    tyler = worker.children()["Tyler"]
    manager = db.scalar(select(User).where(User.username == "manager"))
    assert manager
    cases.set_legal_status(session=db, actor=manager, case_id=tyler, legal_status="cp_plan")
    db.commit()
    return worker, tyler


def _conference(worker: Worker, case_id: int, held: date) -> dict[str, Any]:
    record = worker.start(case_id, "initial_child_protection_conference")
    answers = {"conference_date": value(held.isoformat()), "decision": value("cp_plan")}
    return worker.save(record, answers)


def _note(worker: Worker, case_id: int, on: date, seen: str) -> None:
    note = worker.start(case_id, "case_note")
    answers = {
        "event_date": value(on.isoformat()),
        "note_type": value("home_visit"),
        "child_seen": value(seen),
    }
    worker.save(note, answers)


def _due(db: Session, case_id: int, today: date) -> dict[str, records.Due]:
    found = records.due_for_cases(
        session=db,
        library=shipped_library(),
        legal_statuses={case_id: cases.get_case(session=db, case_id=case_id).legal_status},
        today=today,
    )
    return {d.what: d for d in found[case_id]}


REVIEW = "Child protection review conference"
VISIT = "Visit to see the child"


def test_the_first_review_is_due_three_months_after_the_conference_and_overdue_the_day_after(
    db: Session, client: TestClient
) -> None:
    worker, tyler = _cp_child(db, client)
    _conference(worker, tyler, date(2026, 3, 2))
    review = _due(db, tyler, date(2026, 6, 2))[REVIEW]
    assert review.on == date(2026, 6, 2)
    assert review.status(date(2026, 6, 2)) == "due"
    assert review.status(date(2026, 6, 3)) == "overdue"
    assert review.status(date(2026, 5, 20)) == "later"
    # Why is this due: the rule and its clock start, from the conference record.
    assert review.rule_id == "cp_first_review_3m"
    assert "within 3 months of the initial conference" in review.rule
    assert review.clock_start == date(2026, 3, 2)
    assert review.source_title == "Initial child protection conference report"
    assert review.counted == "3 months after"


def test_a_review_held_restarts_the_clock_at_six_months(db: Session, client: TestClient) -> None:
    worker, tyler = _cp_child(db, client)
    _conference(worker, tyler, date(2026, 3, 2))
    review = worker.start(tyler, "review")
    worker.save(review, {"review_type": value("cp"), "review_date": value("2026-05-28")})
    due = _due(db, tyler, date(2026, 6, 3))[REVIEW]
    assert (due.on, due.rule_id, due.clock_start) == (
        date(2026, 11, 28),
        "cp_review_6m",
        date(2026, 5, 28),
    )
    # A meeting not yet held starts nothing: the day before it, the first review is still due.
    assert _due(db, tyler, date(2026, 5, 27))[REVIEW].rule_id == "cp_first_review_3m"


def test_a_visit_is_overdue_ten_working_days_on_unless_the_child_is_seen_holidays_skipped(
    db: Session, client: TestClient
) -> None:
    worker, tyler = _cp_child(db, client)
    _conference(worker, tyler, date(2026, 12, 18))  # a Friday before Christmas
    visit = _due(db, tyler, date(2027, 1, 6))[VISIT]
    # 10 working days: Christmas Day, Boxing Day (observed, Monday 28th) and New Year's Day skipped.
    assert visit.on == date(2027, 1, 6)
    assert [day for day, _ in visit.skipped] == [
        date(2026, 12, 25),
        date(2026, 12, 28),
        date(2027, 1, 1),
    ]
    assert "Christmas Day" in dict(visit.skipped).values()
    assert visit.day_zero and "day 0" in visit.day_zero
    _note(worker, tyler, date(2027, 1, 4), seen="no")  # a visit where the child was not seen
    assert _due(db, tyler, date(2027, 1, 7))[VISIT].status(date(2027, 1, 7)) == "overdue"
    _note(worker, tyler, date(2027, 1, 5), seen="yes")
    seen = _due(db, tyler, date(2027, 1, 7))[VISIT]
    assert (seen.on, seen.rule_id, seen.source_title) == (
        date(2027, 1, 19),
        "cp_visit_10wd_after_seen",
        "Case note",
    )
    assert seen.status(date(2027, 1, 7)) == "later"


def test_no_child_protection_dates_once_the_plan_has_ended(db: Session, client: TestClient) -> None:
    worker, tyler = _cp_child(db, client)
    _conference(worker, tyler, date(2026, 3, 2))
    manager = db.scalar(select(User).where(User.username == "manager"))
    assert manager
    cases.set_legal_status(session=db, actor=manager, case_id=tyler, legal_status="cin")
    db.commit()
    assert REVIEW not in _due(db, tyler, date(2026, 6, 3))


def _overdue_conference(worker: Worker, tyler: int) -> date:
    """A conference held so that the first review was due yesterday; returns that day."""
    yesterday = date.today() - timedelta(days=1)
    held = add_months(yesterday, -3)
    _conference(worker, tyler, held)
    return add_months(held, 3)


def test_the_overdue_review_shows_on_the_caseload_the_child_page_and_the_team_view(
    db: Session, client: TestClient
) -> None:
    worker, tyler = _cp_child(db, client)
    due_on = _overdue_conference(worker, tyler)
    shown = due_on.strftime("%-d %B %Y")
    landing = client.get("/caseload").text
    overdue = re.search(
        r"Overdue</strong>\s*<strong>Child protection review conference</strong> for", landing
    )
    assert overdue and f"due {shown}" in landing and "Why is this due?" in landing
    assert "cp_first_review_3m" in landing and "Date of the conference: " in landing
    child = client.get(f"/children/{tyler}").text
    assert "What is due" in child and f"due {shown}" in child and "Why is this due?" in child
    manager = TestClient(client.app)
    page_sign_in(manager, "manager")
    team = manager.get("/team").text
    assert "Child protection review conference" in team and f"due {shown}" in team
    assert "Overdue" in team


def test_a_manager_lands_on_the_team_view_and_reallocates_a_child_in_one_action(
    db: Session, client: TestClient, make_user: Any
) -> None:
    demo.load(session=db, with_records=True)
    db.commit()
    manager = TestClient(client.app)
    csrf = page_sign_in(manager, "manager")
    landed = manager.get("/")
    assert landed.url.path == "/team" and "Your team" in landed.text
    for child in ("Ruby", "Jade", "Tyler"):
        assert child in landed.text
    assert "Child in need review" in landed.text  # Jade's, from the date her review set
    team = db.scalar(select(User.team_id).where(User.username == "manager"))
    newcomer = make_user(Role.SOCIAL_WORKER, username="newcomer", team=_team_name(db, team))
    tyler = next(
        c
        for c in cases.team_cases(session=db, team_id=team, visible=_everything())
        if c.child.given_names == "Tyler"
    )
    moved = manager.post(
        f"/children/{tyler.id}/allocate",
        data={"csrf_token": csrf, "worker_id": str(newcomer.id)},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and moved.headers["location"] == f"/team#case-{tyler.id}"
    db.expire_all()
    assert cases.get_case(session=db, case_id=tyler.id).allocated_worker_id == newcomer.id
    trail = db.scalars(select(AuditEvent).where(AuditEvent.action == "case.allocate")).all()
    assert [e.detail["to"] for e in trail] == ["Newcomer"]
    page = manager.get("/team").text
    assert re.search(r"Newcomer</th>\s*<td[^>]*>1</td>", page)
    # Someone outside the team is refused, naming the field; a worker may not allocate at all.
    stranger = make_user(Role.SOCIAL_WORKER, team="Another team")
    refused = manager.post(
        f"/children/{tyler.id}/allocate", data={"csrf_token": csrf, "worker_id": str(stranger.id)}
    )
    assert refused.status_code == 422 and "worker_id" in refused.text
    worker_csrf = page_sign_in(client, "worker")
    denied = client.post(
        f"/children/{tyler.id}/allocate",
        data={"csrf_token": worker_csrf, "worker_id": str(newcomer.id)},
    )
    assert denied.status_code == 403


def test_my_work_names_answers_typed_for_the_worker_and_who_typed_them(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    ruby = worker.children()["Ruby"]
    typist = TestClient(client.app)
    csrf = page_sign_in(typist, "support")
    started = typist.post(
        f"/children/{ruby}/records", data={"csrf_token": csrf, "exemplar_id": "case_note"}
    )
    record_id = int(started.url.path.split("/")[-1])
    form = {"csrf_token": csrf, "base_revision": "1", "note": "Dictated.", "action": "draft"}
    typist.post(f"/records/{record_id}/sections/what_happened", data=form)
    page = client.get("/caseload").text
    checking = page.split('id="to-check"')[1].split('id="drafts"')[0]
    assert "Case note</a> for Ruby" in checking and "typed by" in checking
    assert "Your drafts" in page and f"/records/{record_id}" in page.split('id="drafts"')[1]


def _team_name(db: Session, team_id: int | None) -> str:
    team = db.get(Team, team_id)
    assert team
    return team.name


def _everything() -> Any:
    return true()
