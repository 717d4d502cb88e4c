"""Business support schedules a review for siblings, invites, and the minutes reach both."""

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from tests.api.test_records import Worker


def test_a_review_for_siblings_is_scheduled_invited_and_minuted(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    kids = worker.children()
    support = Worker(TestClient(client.app), "support")
    body = {
        "kind": "cin_review",
        "starts_at": "2026-12-03T10:00:00",
        "venue": "Riverside Family Centre, Room 2",
        "case_ids": [kids["Ruby"], kids["Jade"]],
        "invitees": [
            {
                "name": "Kerry Walsh",
                "role": "Mother",
                "wording": "parent",
                "address": "Confidential: hand delivered",
            },
            {"name": "Ms Patel", "role": "Class teacher", "wording": "professional"},
        ],
    }
    meeting = support.post("/api/meetings", 201, **body)
    letter = support.client.get(f"/api/meetings/{meeting['id']}/invitations/1")
    assert letter.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages)
    flat = " ".join(text.split())
    assert "Dear Kerry Walsh" in flat and "Ruby Marshall and Jade Hughes" in flat
    assert "Riverside Family Centre" in flat and "child in need review meeting" in flat
    assert "Thursday 3 December 2026 at 10:00am" in flat  # the time as typed, in England
    support.post(
        f"/api/meetings/{meeting['id']}/minutes",
        200,
        minutes="Plan continues; Jade's SALT referral chased.",
    )
    for child in ("Ruby", "Jade"):
        events = db.scalars(select(AuditEvent).where(AuditEvent.case_id == kids[child])).all()
        actions = {e.action for e in events}
        assert {"meeting.schedule", "meeting.invitation", "meeting.minutes"} <= actions
    assert worker.get(f"/api/meetings/{meeting['id']}")["minutes"].startswith("Plan continues")
    refused = worker.client.post("/api/meetings", json=body, headers=worker.headers)
    assert refused.status_code == 403  # workers ask business support to arrange meetings
    missing = support.client.get(f"/api/meetings/{meeting['id']}/invitations/9")
    assert missing.status_code == 404 and missing.json()["detail"][0]["field"] == "number"
