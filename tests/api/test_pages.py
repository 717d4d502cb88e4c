"""The manager's and the typist's pages, through HTTP as a browser without JavaScript uses them."""

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import demo
from tests.api.test_records import Worker, value


def page_sign_in(client: TestClient, username: str) -> str:
    """Sign in through the form; returns the CSRF token of the new session."""
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    form = {"username": username, "password": "demo-password", "csrf_token": token[1]}
    landed = client.post("/sign-in", data=form)
    found = re.search(r'name="csrf_token" value="([^"]+)"', landed.text)
    assert found, landed.text[:500]
    return found[1]


def test_a_typist_types_a_note_and_the_worker_confirms_it_in_the_pages(
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
    form = {
        "csrf_token": csrf,
        "base_revision": "1",
        "note": "Dictated: Ruby well.",
        "action": "draft",
    }
    saved = typist.post(f"/records/{record_id}/sections/what_happened", data=form)
    assert saved.status_code == 200 and "Draft saved" in saved.text
    answers = worker.get(f"/api/records/{record_id}")["answers"]
    assert answers["note"]["awaiting_check"]["for"]
    task_list = client.get(f"/records/{record_id}")
    assert "Typed for you" in task_list.text
    worker_csrf = re.search(r'name="csrf_token" value="([^"]+)"', task_list.text)
    assert worker_csrf
    client.post(f"/records/{record_id}/confirm", data={"csrf_token": worker_csrf[1]})
    assert "provenance" in worker.get(f"/api/records/{record_id}")["answers"]["note"]


def test_a_manager_approves_and_returns_from_the_queue_page(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    kids = worker.children()
    submitted = []
    for child in ("Ruby", "Jade"):
        note = worker.start(kids[child], "case_note")
        worker.save(
            note,
            {
                "event_date": value("2026-11-20"),
                "note_type": value("home_visit"),
                "note": value("Seen."),
            },
        )
        worker.post(f"/api/records/{note['id']}/submit")
        submitted.append(note["id"])
    manager = TestClient(client.app)
    csrf = page_sign_in(manager, "manager")
    queue = manager.get("/sign-off")
    assert queue.status_code == 200 and queue.text.count("Approve<span") == 2
    manager.post(f"/records/{submitted[0]}/approve", data={"csrf_token": csrf})
    manager.post(
        f"/records/{submitted[1]}/return",
        data={"csrf_token": csrf, "comment": "Add who was there."},
    )
    assert worker.get(f"/api/records/{submitted[0]}")["status"] == "finalised"
    assert worker.get(f"/api/records/{submitted[1]}")["status"] == "returned"
    assert "Nothing is waiting" in manager.get("/sign-off").text
    seen = manager.get(f"/children/{kids['Ruby']}/audit")
    assert seen.status_code == 200 and "record finalise" in seen.text
    assert client.get("/sign-off", follow_redirects=False).status_code == 403  # not for workers


def test_the_caseload_shows_drafts_and_what_is_due_next(db: Session, client: TestClient) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    initial = worker.start(worker.children()["Tyler"], "initial_assessment")
    worker.save(initial, {"referral_date": value("2026-11-02")})
    page = client.get("/caseload").text
    assert "Complete the initial assessment, 16 Nov 2026" in page  # ten working days on
    assert page.count("Nothing due") == 2  # Ruby and Jade


def test_a_refused_page_is_a_page_not_json(db: Session, client: TestClient) -> None:
    demo.load(session=db)
    db.commit()
    Worker(client)  # signed in as the demo worker
    browser = {"Accept": "text/html"}
    refused = client.get("/sign-off", headers=browser)
    assert refused.status_code == 403
    assert "You do not have access to this" in refused.text and "<html" in refused.text
    missing = client.get("/records/999999", headers=browser)
    assert missing.status_code == 404 and "Page not found" in missing.text


def test_printing_from_the_page_and_logging_where_it_went(db: Session, client: TestClient) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    note = worker.start(worker.children()["Ruby"], "case_note")
    worker.save(note, {"note": value("Ruby asleep; Kerry coping.")})
    choose = client.get(f"/records/{note['id']}/print?audience=family")
    assert choose.status_code == 200 and "Reading age about" in choose.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', choose.text)
    assert csrf
    pdf = client.post(
        f"/records/{note['id']}/print", data={"csrf_token": csrf[1], "audience": "family"}
    )
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    printout_id = re.search(
        r"/printouts/(\d+)/deliveries", client.get(f"/records/{note['id']}/print").text
    )
    assert printout_id
    form = {"csrf_token": csrf[1], "recipient": "Kerry Walsh", "method": "post"}
    client.post(f"/printouts/{printout_id[1]}/deliveries", data=form)
    assert "Sent to Kerry Walsh by post" in client.get(f"/records/{note['id']}/print").text
