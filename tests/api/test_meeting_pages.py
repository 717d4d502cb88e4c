"""Business support arranges a review for two siblings on the web, sends each invitee their own
letter (dated, signed by the chair with a way to reach them), records the minutes, and the
review starts from the meeting already knowing its date, chair and who came."""

import io
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo
from app.auth.models import User
from app.cases.models import Case
from app.meetings import service as meetings
from app.meetings.models import Meeting, MeetingMinutes
from app.people.models import Person
from app.printing.models import Printout, PrintoutDelivery
from tests.api.test_pages import page_sign_in

PHONE, EMAIL = "01632 960 123", "helen.brooks@riverside.example"
# A phrase only each kind of letter has (printouts/meeting/words.yaml).
ONLY = {
    "parent": "You can bring someone with you for support",
    "child": "Come and have your say",
    "professional": "Please send a written report",
}


def _case(db: Session, given: str) -> int:
    query = select(Case.id).join(Person, Case.child_id == Person.id)
    return int(db.scalar(query.where(Person.given_names == given)) or 0)


def _user(db: Session, username: str) -> User:
    found = db.scalar(select(User).where(User.username == username))
    assert found is not None
    return found


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def _offered(page: str) -> dict[str, str]:
    """Each person the arrange page offers to invite: name → their source in the network."""
    found = re.findall(
        r'name="invite" type="checkbox" value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]+)</label>', page
    )
    return {name: source for source, name in found}


def _signed_in(client: TestClient, username: str) -> tuple[TestClient, str]:
    other = TestClient(client.app)
    return other, page_sign_in(other, username)


def _chair_profile(client: TestClient) -> int:
    chair, csrf = _signed_in(client, "chair")
    saved = chair.post(
        "/profile",
        data={
            "csrf_token": csrf,
            "full_name": "Helen Brooks",
            "job_title": "Independent reviewing officer",
            "work_address": "Riverside Civic Centre, RV1 1AA",
            "work_phone": PHONE,
            "work_email": EMAIL,
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    bad = chair.post(
        "/profile", data={"csrf_token": csrf, "full_name": "Helen Brooks", "work_email": "no"}
    )
    assert bad.status_code == 400 and "Enter an email address" in bad.text
    return saved.status_code


def _arrange(db: Session, support: TestClient, csrf: str, ruby: int, jade: int) -> int:
    form = support.get(f"/children/{ruby}/meetings/new")
    assert form.status_code == 200
    assert f'value="{jade}"' in form.text  # her sister is offered, to be discussed together
    offered = _offered(form.text)
    assert {"Kerry Walsh", "Jade Hughes", "Mrs Joanne Price"} <= set(offered)
    day = date.today() + timedelta(days=10)
    posted = {
        "csrf_token": csrf,
        "case_ids": [str(ruby), str(jade)],
        "kind": "cin_review",
        "date-day": str(day.day),
        "date-month": str(day.month),
        "date-year": str(day.year),
        "time": "10am",
        "venue": "Riverside Family Centre, Room 2",
        "chair_id": str(_user(db, "chair").id),
        "invite": [offered["Kerry Walsh"], offered["Jade Hughes"], offered["Mrs Joanne Price"]],
    }
    before = db.scalar(select(func.count(Meeting.id)))
    wrong = support.post(
        f"/children/{ruby}/meetings", data=posted | {"date-day": "31", "date-month": "2"}
    )
    assert wrong.status_code == 400 and "Enter the date of the meeting" in wrong.text
    assert 'href="#date-day"' in wrong.text and "Riverside Family Centre" in wrong.text  # kept
    assert db.scalar(select(func.count(Meeting.id))) == before  # nothing half-written
    made = support.post(f"/children/{ruby}/meetings", data=posted, follow_redirects=False)
    assert made.status_code == 303, made.text[:500]
    return int(made.headers["location"].split("/")[2].split("?")[0])


def test_business_support_arranges_sends_letters_minutes_and_the_review_starts_from_it(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db)
    db.commit()
    _chair_profile(client)
    support, csrf = _signed_in(client, "support")
    ruby, jade = _case(db, "Ruby"), _case(db, "Jade")
    assert 'href="/meetings"' in support.get("/caseload").text  # the Meetings link
    assert f'href="/children/{ruby}/meetings/new"' in support.get(f"/children/{ruby}").text
    meeting_id = _arrange(db, support, csrf, ruby, jade)
    page = support.get(f"/meetings/{meeting_id}").text
    assert "Kerry Walsh" in page and "Child&#39;s letter" in page and "Helen Brooks" in page

    methods = {"method-1": "post", "method-2": "in person", "method-3": "email"}
    sent = support.post(
        f"/meetings/{meeting_id}/letters",
        data={"csrf_token": csrf} | methods,
        follow_redirects=False,
    )
    assert sent.status_code == 303
    log = db.execute(
        select(PrintoutDelivery.recipient, PrintoutDelivery.method, Printout.audience)
        .join(Printout, Printout.id == PrintoutDelivery.printout_id)
        .where(Printout.meeting_id == meeting_id)
        .order_by(PrintoutDelivery.id)
    ).all()
    assert [tuple(row) for row in log] == [
        ("Kerry Walsh", "post", "parent"),
        ("Jade Hughes", "in person", "child"),
        ("Mrs Joanne Price", "email", "professional"),
    ]
    assert "Distribution log" in support.get(f"/meetings/{meeting_id}").text

    today = date.today()
    dated = f"Date: {today.day} {today:%B %Y}"
    letters = {}
    for number, kind in enumerate(("parent", "child", "professional"), start=1):
        answer = support.get(f"/meetings/{meeting_id}/letters/{number}")
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
        letters[kind] = _text(answer.content)
    for kind, text in letters.items():
        assert dated in text, kind
        assert "Helen Brooks" in text and PHONE in text and EMAIL in text
        assert "Riverside Borough Council" in text and "Riverside Civic Centre" in text
        assert "Ruby Marshall and Jade Hughes" in text
        for other, phrase in ONLY.items():
            assert (phrase in text) == (other == kind), (kind, other)
    assert "14 Alder Close" in letters["parent"]  # the parent's address, from her record
    both = _text(support.get(f"/meetings/{meeting_id}/letters").content)
    assert all(f"Dear {n}" in both for n in ("Kerry Walsh", "Jade Hughes", "Mrs Joanne Price"))

    for text in ("Plan continues.", "Plan continues; Jade's SALT referral chased."):
        minuted = support.post(
            f"/meetings/{meeting_id}/minutes",
            data={
                "csrf_token": csrf,
                "minutes": text,
                "attendance-1": "attended",
                "attendance-2": "remote",
                "attendance-3": "apologies",
            },
            follow_redirects=False,
        )
        assert minuted.status_code == 303
    versions = db.scalars(select(MeetingMinutes).where(MeetingMinutes.meeting_id == meeting_id))
    assert [v.minutes for v in versions] == [
        "Plan continues.",
        "Plan continues; Jade's SALT referral chased.",
    ]
    empty = support.post(
        f"/meetings/{meeting_id}/minutes", data={"csrf_token": csrf, "minutes": " "}
    )
    assert empty.status_code == 400 and "Enter the minutes" in empty.text

    for case_id in (ruby, jade):  # what the child's timeline reads
        found = meetings.for_cases(session=db, case_ids=[case_id])
        assert [(m.id, m.kind, set(m.case_ids)) for m in found] == [
            (meeting_id, "cin_review", {ruby, jade})
        ]
    assert f'href="/meetings/{meeting_id}"' in support.get("/meetings").text

    chair, chair_csrf = _signed_in(client, "chair")
    started = chair.post(
        f"/meetings/{meeting_id}/records",
        data={"csrf_token": chair_csrf, "case_id": str(jade)},
        follow_redirects=False,
    )
    assert started.status_code == 303
    record_id = started.headers["location"].rsplit("/", 1)[-1]
    answers = chair.get(f"/api/records/{record_id}").json()["answers"]
    held = meetings.get(session=db, meeting_id=meeting_id).starts_at.astimezone(meetings.LOCAL)
    assert answers["review_date"]["value"] == held.date().isoformat()
    assert answers["review_date"]["prefilled"]["source"] == "the meeting"
    assert answers["chair_name"]["value"] == "Helen Brooks"
    assert answers["attendance"]["value"] == [
        {"name": "Kerry Walsh", "role": "Mother", "attendance": "attended"},
        {"name": "Jade Hughes", "role": "Child", "attendance": "remote"},
        {
            "name": "Mrs Joanne Price",
            "role": "Class teacher and SENCO, Oakfield Primary School",
            "attendance": "apologies",
        },
    ]
    typed = support.post(
        f"/meetings/{meeting_id}/records",
        data={"csrf_token": csrf, "case_id": str(ruby)},
        follow_redirects=False,
    )
    assert typed.status_code == 303  # typed for Ruby's allocated worker, who stays the author
    not_discussed = chair.post(
        f"/meetings/{meeting_id}/records",
        data={"csrf_token": chair_csrf, "case_id": str(_case(db, "Tyler"))},
    )
    assert not_discussed.status_code == 422


def test_a_worker_reads_the_meeting_but_business_support_arranges_it(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db)
    db.commit()
    support, csrf = _signed_in(client, "support")
    ruby, jade = _case(db, "Ruby"), _case(db, "Jade")
    meeting_id = _arrange(db, support, csrf, ruby, jade)
    worker, worker_csrf = _signed_in(client, "worker")
    assert 'href="/meetings"' not in worker.get("/caseload").text
    assert worker.get(f"/children/{ruby}/meetings/new").status_code == 403
    page = worker.get(f"/meetings/{meeting_id}")
    assert page.status_code == 200 and "Send letters" not in page.text
    refused = worker.post(
        f"/meetings/{meeting_id}/letters", data={"csrf_token": worker_csrf, "method-1": "post"}
    )
    assert refused.status_code == 403
    assert db.scalar(select(func.count(Printout.id)).where(Printout.meeting_id == meeting_id)) == 0
