"""A family replies to their copy: the slip and link it carries, the reply recorded against the
printout and shown to the worker and the manager, and a correction that leads to an amendment or
to a disagreement kept beside the original — nothing overwritten."""

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.cases.models import Case
from app.people.models import Person
from app.printing.models import Printout, PrintoutReply, ReplyOutcome
from app.records.models import Record, RecordSnapshot, RecordStatus
from tests.api.test_records import Worker
from tests.factories import shipped_library

KERRY_SAYS = "Jade does not go to Riverside Primary any more: she started at Brook School in May."


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _setup(db: Session, client: TestClient) -> tuple[Worker, Record, dict[str, int]]:
    demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    plan = db.query(Record).filter_by(exemplar_id="childs_plan").one()
    ids = {p.full_name: p.id for p in db.query(Person)}
    return Worker(client), plan, ids


def plan_number(db: Session, plan: Record) -> str:
    case = db.get(Case, plan.case_id)
    assert case is not None
    return case.case_number


def _print(worker: Worker, record_id: int, recipient: str, audience: str = "family") -> bytes:
    form = {"audience": audience, "recipient": recipient}
    made = worker.client.post(f"/records/{record_id}/print", data=form, headers=worker.headers)
    assert made.status_code == 200, made.text
    return made.content


def _reply(kind: str = "correction", **changed: str) -> dict[str, str]:
    today = date.today()
    form = {
        "kind": kind,
        "from_whom": "Kerry Walsh",
        "received_by": "slip",
        "received_on-day": str(today.day),
        "received_on-month": str(today.month),
        "received_on-year": str(today.year),
        "text": KERRY_SAYS,
    }
    return form | changed


def _kerrys_copy(db: Session, worker: Worker, plan: Record, ids: dict[str, int]) -> Printout:
    _print(worker, plan.id, f"person-{ids['Kerry Walsh']}")
    return db.scalars(select(Printout).order_by(Printout.id.desc())).first()  # type: ignore[return-value]


def test_each_family_copy_carries_a_reply_slip_with_its_reference_and_link(
    db: Session, client: TestClient
) -> None:
    worker, plan, ids = _setup(db, client)
    text = _text(_print(worker, plan.id, f"person-{ids['Kerry Walsh']}"))
    reference = f"{plan.id}/v{plan.version}"
    assert "Tell us what you think" in text
    assert "What I think" in text and "What is wrong and should be corrected" in text
    assert "Your reference: " in text and reference in text and "(Kerry Walsh)" in text
    link = (
        "https://riverside-council.example/children/reply?ref="
        + f"{plan_number(db, plan)}/{reference}"
    )
    assert link in text.replace(" ", "")  # the link may break across lines on the page
    child = _text(_print(worker, plan.id, "child", audience="child"))
    assert "Tell us what you think" in child and reference in child
    worker_copy = _text(_print(worker, plan.id, "nobody", audience="worker"))
    assert "Tell us what you think" not in worker_copy  # the worker's copy is not sent out


def test_a_reply_is_recorded_and_shown_to_the_worker_and_the_manager(
    db: Session, client: TestClient
) -> None:
    worker, plan, ids = _setup(db, client)
    printout = _kerrys_copy(db, worker, plan, ids)
    support = Worker(TestClient(client.app), "support")  # business support types the slip in
    sent = support.client.post(
        f"/printouts/{printout.id}/replies",
        data=_reply(),
        headers=support.headers,
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    reply = db.scalars(select(PrintoutReply)).one()
    assert (reply.printout_id, reply.record_id, reply.text) == (printout.id, plan.id, KERRY_SAYS)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "printout.reply")).one()
    assert event.case_id == plan.case_id and event.target_id == reply.id

    page = client.get(f"/printouts/{printout.id}/replies")
    assert "What is wrong and should be corrected" in page.text and KERRY_SAYS in page.text
    assert "To act on" in page.text and "Amend the record" in page.text
    assert "Record the disagreement" in page.text
    child_page = client.get(f"/children/{plan.case_id}")
    assert (
        "Replies from the family" in child_page.text and "Correction to act on" in child_page.text
    )
    assert f"/printouts/{printout.id}/replies#reply-{reply.id}" in child_page.text
    assert "Correction to act on" in client.get("/caseload").text  # My work
    on_record = client.get(f"/records/{plan.id}")
    assert "Replies from the family" in on_record.text and KERRY_SAYS[:40] in on_record.text
    team = worker.manager.client.get("/team")
    assert "Correction to act on" in team.text and "Jade" in team.text
    printing = client.get(f"/records/{plan.id}/print?audience=family")
    assert "Replies to this copy (1)" in printing.text


def test_a_correction_kept_beside_the_original_as_a_disagreement(
    db: Session, client: TestClient, artifacts_dir: Path
) -> None:
    worker, plan, ids = _setup(db, client)
    printout = _kerrys_copy(db, worker, plan, ids)
    worker.client.post(f"/printouts/{printout.id}/replies", data=_reply(), headers=worker.headers)
    reply = db.scalars(select(PrintoutReply)).one()
    snapshots = db.scalars(
        select(RecordSnapshot.checksum).where(RecordSnapshot.record_id == plan.id)
    ).all()
    url = f"/printouts/{printout.id}/replies/{reply.id}/disagreement"
    note = {"note": "Her school records say Riverside Primary; checking with the school."}
    done = client.post(url, data=note, headers=worker.headers, follow_redirects=False)
    assert done.status_code == 303, done.text
    outcome = db.scalars(select(ReplyOutcome)).one()
    assert (outcome.outcome, outcome.record_version) == ("disagreement", plan.version)

    db.refresh(plan)
    assert plan.status == RecordStatus.FINALISED  # the record is not changed
    kept = db.scalars(
        select(RecordSnapshot.checksum).where(RecordSnapshot.record_id == plan.id)
    ).all()
    assert kept == snapshots
    # Later copies print her words beside the record: hers, the worker's; not another adult's.
    pdf = _print(worker, plan.id, f"person-{ids['Kerry Walsh']}")
    (artifacts_dir / "family-copy-with-disagreement.pdf").write_bytes(pdf)
    again = _text(pdf)
    assert "What the family told us is wrong" in again and KERRY_SAYS in again
    assert "From Kerry Walsh" in again and "checking with the school" not in again
    worker_copy = _text(_print(worker, plan.id, "nobody", audience="worker"))
    assert KERRY_SAYS in worker_copy and "checking with the school" in worker_copy
    assert KERRY_SAYS not in _text(_print(worker, plan.id, f"person-{ids['Lee Hughes']}"))
    # One outcome per correction: a second is refused, the first stays as it was.
    twice = client.post(
        url.replace("disagreement", "amend"), data={"reason": "x"}, headers=worker.headers
    )
    assert twice.status_code == 409
    assert db.scalars(select(ReplyOutcome)).one().outcome == "disagreement"
    page = client.get(f"/printouts/{printout.id}/replies")
    assert "Disagreement recorded" in page.text and KERRY_SAYS in page.text


def test_a_correction_leads_to_an_amendment_naming_the_new_version(
    db: Session, client: TestClient
) -> None:
    worker, plan, ids = _setup(db, client)
    printout = _kerrys_copy(db, worker, plan, ids)
    first = plan.version
    worker.client.post(f"/printouts/{printout.id}/replies", data=_reply(), headers=worker.headers)
    reply = db.scalars(select(PrintoutReply)).one()
    url = f"/printouts/{printout.id}/replies/{reply.id}/amend"
    refused = client.post(url, data={"reason": ""}, headers=worker.headers)
    assert refused.status_code == 422 and "Say what will be corrected." in refused.text
    assert db.scalars(select(ReplyOutcome)).all() == []
    done = client.post(
        url, data={"reason": "Jade's school"}, headers=worker.headers, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == f"/records/{plan.id}?amended=1"
    db.refresh(plan)
    assert plan.version == first + 1 and plan.status != RecordStatus.FINALISED
    outcome = db.scalars(select(ReplyOutcome)).one()
    assert (outcome.outcome, outcome.record_version) == ("amended", first + 1)
    # The version Kerry replied about stays printable as it was, and her reply as she said it.
    old = client.post(
        f"/records/{plan.id}/print",
        data={"audience": "worker", "version": str(first)},
        headers=worker.headers,
    )
    assert old.status_code == 200
    assert db.get(PrintoutReply, reply.id).text == KERRY_SAYS  # type: ignore[union-attr]
    page = client.get(f"/printouts/{printout.id}/replies")
    assert f"amended as version {first + 1}" in page.text


def test_a_bad_reply_names_its_field_and_writes_nothing(db: Session, client: TestClient) -> None:
    worker, plan, ids = _setup(db, client)
    printout = _kerrys_copy(db, worker, plan, ids)
    url = f"/printouts/{printout.id}/replies"
    tomorrow = date.today() + timedelta(days=1)
    cases: list[tuple[dict[str, Any], str]] = [
        (_reply(text="  "), 'id="text-error"'),
        (_reply(kind="praise"), 'id="kind-error"'),
        (_reply(received_by="pigeon"), 'id="received_by-error"'),
        (_reply(from_whom=""), 'id="from_whom-error"'),
        (_reply(**{"received_on-month": "13"}), 'id="received_on-error"'),
        (
            _reply(
                **{
                    "received_on-day": str(tomorrow.day),
                    "received_on-month": str(tomorrow.month),
                    "received_on-year": str(tomorrow.year),
                }
            ),
            'id="received_on-error"',
        ),
        (_reply(text="a\x00b"), '"field":"text"'),  # refused before the route, named too
    ]
    for form, error in cases:
        answer = client.post(url, data=form, headers=worker.headers)
        assert answer.status_code == 422, (form, answer.status_code)
        assert error in answer.text, form
    assert db.scalars(select(PrintoutReply)).all() == []


def test_an_auditor_reads_replies_but_records_none(
    db: Session, client: TestClient, sign_in: Any
) -> None:
    worker, plan, ids = _setup(db, client)
    printout = _kerrys_copy(db, worker, plan, ids)
    auditor = TestClient(client.app)
    answer = auditor.post("/api/session", json={"username": "auditor", "password": "demo-password"})
    headers = {"X-CSRF-Token": answer.json()["csrf_token"]}
    page = auditor.get(f"/printouts/{printout.id}/replies")
    assert page.status_code == 200 and "Record a reply" not in page.text
    refused = auditor.post(f"/printouts/{printout.id}/replies", data=_reply(), headers=headers)
    assert refused.status_code == 403
    assert db.scalars(select(PrintoutReply)).all() == []


def test_a_welsh_copy_carries_the_slip_in_welsh(db: Session, client: TestClient) -> None:
    worker, plan, ids = _setup(db, client)
    form = {"audience": "family", "recipient": f"person-{ids['Kerry Walsh']}", "lang": "cy"}
    made = client.post(f"/records/{plan.id}/print", data=form, headers=worker.headers)
    assert made.status_code == 200, made.text
    text = _text(made.content)
    assert "Beth rwy'n ei feddwl" in text and "Eich cyfeirnod" in text
    assert "What I think" not in text and "Tell us what you think" not in text
