"""Sign-off, case lifecycle, section status and amending, as the worker and manager meet them:
the pages and the API on a real database, printouts read back from the PDF."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.people import service as people
from app.people.schemas import PersonIn
from app.printing import service as printing
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value
from tests.factories import shipped_library
from tests.pdf.test_printouts import pdf_text

INITIAL = {
    "referral_date": value("2026-11-02"),
    "reason_for_assessment": value("School saw bruising on Tyler's arm."),
    "analysis": value("Needs a fuller look."),
    "decision": value("core_assessment"),
}


class FormValues(HTMLParser):
    """What a browser would post from a page's one editing form, as the page filled it in."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        ticked = a.get("type") not in ("radio", "checkbox") or "checked" in a
        if tag == "input" and name and ticked:
            self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][-1] += data


def form_of(html: str) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(html)
    return parser.values


@pytest.fixture()
def worker(db: Session, client: TestClient) -> Worker:
    demo.load(session=db)
    db.commit()
    return Worker(client)


def submitted_initial(worker: Worker) -> dict[str, Any]:
    record = worker.start(worker.children()["Tyler"], "initial_assessment")
    saved = worker.save(record, INITIAL)
    assert saved["errors"] == {}
    worker.post(f"/api/records/{record['id']}/submit")  # no manager field asked for
    return record


def manager_page(client: TestClient) -> tuple[TestClient, str]:
    manager = TestClient(client.app)
    return manager, page_sign_in(manager, "manager")


def test_the_author_is_never_asked_for_the_managers_fields(worker: Worker) -> None:
    record = worker.start(worker.children()["Tyler"], "initial_assessment")
    form = worker.client.get(f"/records/{record['id']}/sections/sign_off").text
    assert 'name="worker_signed_on-day"' in form  # the worker's own sign-off is theirs
    assert 'name="manager_decision"' not in form and 'name="manager_name"' not in form
    assert "Filled in by the manager when they approve or return the record." in form
    refused = worker.save(record, {"manager_decision": value("authorised")}, status=422)
    assert refused["detail"][0]["field"] == "manager_decision"
    # The section form posted without them leaves them alone, and submitting never asks.
    worker.save(record, INITIAL)
    submitted = worker.post(f"/api/records/{record['id']}/submit")
    assert submitted["status"] == "submitted"
    assert not any(key.startswith("manager_") for key in submitted["answers"])


def test_approving_fills_the_sign_off_and_the_finalised_pdf_shows_it(
    db: Session, worker: Worker, client: TestClient
) -> None:
    record = submitted_initial(worker)
    manager, csrf = manager_page(client)
    comment = "Agree a core assessment; see Lee this week."
    manager.post(f"/records/{record['id']}/approve", data={"csrf_token": csrf, "comment": comment})
    answers = worker.get(f"/api/records/{record['id']}")["answers"]
    me = db.query(User).filter_by(username="manager").one()
    assert answers["manager_name"]["value"] == me.full_name
    assert answers["manager_decision"]["value"] == "authorised"
    assert answers["manager_comments"]["value"] == comment
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", answers["manager_signed_on"]["value"])
    assert answers["manager_name"]["provenance"]["signed_off_by"] == me.full_name
    assert answers["manager_name"]["provenance"]["role"] == "Team manager"
    printed = printing.print_record(
        session=db,
        library=shipped_library(),
        actor=db.query(User).filter_by(username="worker").one(),
        record_id=record["id"],
        audience="worker",
    )
    text = " ".join(pdf_text(printed.pdf)[0].split())
    assert f"Team manager {me.full_name}" in text
    assert "Manager's decision Authorised" in text
    assert comment in text


def test_a_returned_comment_is_on_the_task_list_and_caseload_until_resubmitted(
    worker: Worker, client: TestClient
) -> None:
    record = submitted_initial(worker)
    manager, csrf = manager_page(client)
    comment = "Say who was at the home visit."
    manager.post(f"/records/{record['id']}/return", data={"csrf_token": csrf, "comment": comment})
    answers = worker.get(f"/api/records/{record['id']}")["answers"]
    assert answers["manager_decision"]["value"] == "returned"
    assert answers["manager_comments"]["value"] == comment
    task_list = worker.client.get(f"/records/{record['id']}").text
    assert "Returned by" in task_list and comment in task_list
    assert comment in worker.client.get("/caseload").text
    worker.save(worker.get(f"/api/records/{record['id']}"), {"analysis": value("Kerry, Dean.")})
    worker.post(f"/api/records/{record['id']}/submit")
    assert comment not in worker.client.get("/caseload").text
    assert "Returned by" not in worker.client.get(f"/records/{record['id']}").text


def test_a_returned_note_without_sign_off_fields_still_shows_the_comment(
    worker: Worker, client: TestClient
) -> None:
    note = worker.start(worker.children()["Ruby"], "case_note")
    fields = {"event_date": value("2026-11-20"), "note_type": value("home_visit")}
    worker.save(note, {**fields, "note": value("Seen.")})
    worker.post(f"/api/records/{note['id']}/submit")
    worker.manager.post(f"/api/records/{note['id']}/return", comment="Who else was there?")
    assert "Who else was there?" in worker.client.get(f"/records/{note['id']}").text


def test_a_finalised_closure_closes_the_case_and_a_new_referral_reopens_it(
    worker: Worker,
) -> None:
    ruby = worker.children()["Ruby"]
    closure = worker.start(ruby, "closure")
    worker.complete(closure, {
        "progress_summary": value("Needs met."),
        "closure_reason": value("RC8"),
        "closure_date": value("2026-11-30"),
    })  # fmt: skip
    assert "Ruby" not in worker.children()  # off the caseload
    case = worker.get(f"/api/children/{ruby}")["case"]
    assert case["status"] == "closed" and case["closed_on"] == "2026-11-30"
    history = worker.get(f"/api/children/{ruby}")["history"]
    assert history[-1]["kind"] == "closed" and history[-1]["detail"].startswith("RC8: ")
    worker.manager.post(f"/api/cases/{ruby}/reopen", reason="New referral from the health visitor.")
    referral = worker.start(ruby, "referral_and_information")
    kinds = [event["kind"] for event in worker.get(f"/api/children/{ruby}")["history"]]
    assert kinds[-2:] == ["closed", "reopened"]
    records = {r["id"] for r in worker.get(f"/api/cases/{ruby}/records")}
    assert {closure["id"], referral["id"]} <= records  # the same case, its history kept
    assert "Ruby" in worker.children()


def test_a_finalised_plan_sets_the_legal_status_from_the_code_list(worker: Worker) -> None:
    tyler = worker.children()["Tyler"]
    plan = worker.start(tyler, "childs_plan")
    worker.complete(plan, {
        "plan_type": value("cin"),
        "plan_start_date": value("2026-12-01"),
        "legal_status": value("cp_plan"),
    })  # fmt: skip
    assert worker.get(f"/api/children/{tyler}")["case"]["legal_status"] == "cp_plan"


def test_sections_move_from_not_started_to_completed(worker: Worker) -> None:
    record = worker.start(worker.children()["Tyler"], "initial_assessment")
    status = {s["id"]: s["status"] for s in record["sections"]}
    assert status["analysis"] == "not_started"
    worker.save(record, {"analysis": value("Needs a fuller look.")})
    record = worker.get(f"/api/records/{record['id']}")
    status = {s["id"]: s["status"] for s in record["sections"]}
    assert status["analysis"] == "completed"  # its one required answer is given
    page = worker.client.get(f"/records/{record['id']}").text
    assert "Completed" in page and "Not started" in page


def test_the_worker_marks_a_section_complete_on_its_page(
    worker: Worker, client: TestClient
) -> None:
    record = worker.start(worker.children()["Tyler"], "initial_assessment")
    pages = TestClient(client.app)
    csrf = page_sign_in(pages, "worker")
    url = f"/records/{record['id']}/sections/sign_off"
    assert "Have you completed this section?" in pages.get(url).text

    def post(complete: str) -> str:
        revision = worker.get(f"/api/records/{record['id']}")["revision"]
        form = {"csrf_token": csrf, "base_revision": str(revision), "action": "draft"}
        pages.post(url, data=form | {"section_complete": complete})
        sections = worker.get(f"/api/records/{record['id']}")["sections"]
        return next(s["status"] for s in sections if s["id"] == "sign_off")

    assert post("yes") == "completed"  # no requirement of its own: the worker's word
    assert 'value="yes" checked' in pages.get(url).text
    assert post("no") == "not_started"  # nothing answered yet: no longer Completed


def test_finalised_records_show_every_applicable_section_completed(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    worker = Worker(client)
    jade = worker.children()["Jade"]
    finalised = worker.get(f"/api/cases/{jade}/records")
    assert len(finalised) == 5
    for record in finalised:
        statuses = {s["status"] for s in record["sections"]}
        assert statuses <= {"completed", "not_applicable"}, record["exemplar_id"]
        assert "completed" in statuses
        page = worker.client.get(f"/records/{record['id']}").text
        assert "In progress" not in page and "Not started" not in page


def test_amend_on_the_web_asks_why_shows_the_diff_and_keeps_the_old_print(
    db: Session, client: TestClient
) -> None:
    library = shipped_library()
    demo.load(session=db, with_records=True, library=library)
    db.commit()
    worker = Worker(client)
    pages = TestClient(client.app)
    csrf = page_sign_in(pages, "worker")
    plan = next(
        r
        for r in worker.get(f"/api/cases/{worker.children()['Jade']}/records")
        if r["exemplar_id"] == "childs_plan"
    )
    actor = db.query(User).filter_by(username="worker").one()

    def print_v1() -> printing.Printed:
        return printing.print_record(
            session=db,
            library=library,
            actor=actor,
            record_id=plan["id"],
            audience="family",
            version=1,
        )

    before = print_v1()
    task_list = pages.get(f"/records/{plan['id']}").text
    assert f'href="/records/{plan["id"]}/amend?section=plan"' in task_list
    page = pages.get(f"/records/{plan['id']}/amend?section=plan")
    assert page.status_code == 200 and "Why are you amending it?" in page.text
    posted = form_of(page.text)
    assert posted["plan_lines__1__who"] == ["Dr Rao (GP), Sam Okafor and Kerry"]
    posted["plan_lines__1__who"] = ["Dr Rao (GP) and Kerry"]
    posted["csrf_token"] = [csrf]
    refused = pages.post(f"/records/{plan['id']}/amend", data=posted)
    assert refused.status_code == 422 and "Say why the record is being amended." in refused.text
    assert worker.get(f"/api/records/{plan['id']}")["status"] == "finalised"
    posted["reason"] = ["Sam has left the team; the GP leads the health line."]
    done = pages.post(f"/records/{plan['id']}/amend", data=posted, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].endswith("?amended=1")
    amended = worker.get(f"/api/records/{plan['id']}")
    assert amended["status"] == "amending" and amended["version"] == 2
    statuses = {s["id"]: s["status"] for s in amended["sections"]}
    assert statuses.pop("plan") == "in_progress"  # changed since it was finalised
    assert set(statuses.values()) == {"completed", "not_applicable"}
    task_list = pages.get(f"/records/{plan['id']}").text
    assert "Changes since version 1" in task_list
    assert "Dr Rao (GP), Sam Okafor and Kerry" in task_list and "Dr Rao (GP) and Kerry" in task_list
    assert task_list.count('id="change-') == 1  # only the cell that changed
    assert "Plan lines, row 1: Person responsible" in task_list
    assert f"/records/{plan['id']}/print?version=1" in task_list
    after = print_v1()
    assert after.printout.checksum == before.printout.checksum
    assert after.pdf == before.pdf  # byte for byte
    assert "Sam Okafor and Kerry" in " ".join(pdf_text(after.pdf)[0].split())


def test_amend_reason_is_kept_with_the_amendment(worker: Worker, db: Session) -> None:
    note = worker.start(worker.children()["Ruby"], "case_note")
    worker.complete(note, {
        "event_date": value("2026-11-20"),
        "note_type": value("home_visit"),
        "note": value("Ruby asleep."),
    })  # fmt: skip
    worker.post(f"/api/records/{note['id']}/amend", 422, reason="")
    worker.post(f"/api/records/{note['id']}/amend", reason="The visit was on the 21st.")
    amend = db.query(AuditEvent).filter_by(action="record.amend", target_id=note["id"]).one()
    assert amend.detail == {"version": 2, "reason": "The visit was on the 21st."}


@pytest.mark.parametrize("status", ["police_protection", "care_order", "made_up", "CIN"])
def test_a_case_takes_its_legal_status_from_the_code_list_alone(
    client: TestClient, sign_in: Any, db: Session, status: str
) -> None:
    """Every code of the legal_status list (15, not the 7 the schema once named), nothing else."""
    me, headers = sign_in(Role.SOCIAL_WORKER)
    child, _ = people.create_person(
        session=db, actor=me, data=PersonIn(given_names="Ada", family_name="Lane")
    )
    db.commit()
    body = {"child_id": child.id, "allocated_worker_id": me.id, "legal_status": status}
    answer = client.post("/api/cases", json=body, headers=headers)
    listed = {o.code for o in shipped_library().codelists["legal_status"].options}
    if status in listed:
        assert answer.status_code == 201, answer.text
        assert answer.json()["legal_status"] == status
    else:
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["field"] == "legal_status"
