"""The child page's story (a timeline of notes, visits, meetings, due dates and the chronology)
and business support's view of a record (no Submit; the worker's judgement read-only, and a
dictated section saving what support may write and keeping the rest in view)."""

import html
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.config import ROOT
from app.engine.library import Library
from app.engine.loader import ExemplarErrors, load_library
from app.records import chronology
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value

REFLECTION = "Ruby seemed more settled than last month; Kerry's mood is better."


def _demo(db: Session, client: TestClient, with_records: bool = False) -> Worker:
    demo.load(session=db, with_records=with_records)
    db.commit()
    return Worker(client)


def _visit(worker: Worker, case_id: int, on: str, **answers: str) -> int:
    note = worker.start(case_id, "case_note")
    given = {"event_date": on, "note_type": "home_visit", "note": "Visited.", **answers}
    worker.save(note, {k: value(v) for k, v in given.items()})
    return int(note["id"])


def _items(text: str) -> list[str]:
    """The timeline's entries in page order, each as its text on one line."""
    part = text.split('id="timeline"', 1)[1].split('<h2 class="govuk-heading-m">Records', 1)[0]
    found = re.findall(r'<li class="app-timeline__item[^"]*">(.*?)</li>', part, flags=re.S)
    return [html.unescape(" ".join(re.sub(r"<[^>]+>", " ", item).split())) for item in found]


def test_the_child_page_tells_the_story_newest_first_by_month(
    db: Session, client: TestClient
) -> None:
    worker = _demo(db, client)
    kids = worker.children()
    today = date.today()
    alone = _visit(worker, kids["Ruby"], (today - timedelta(days=40)).isoformat(),
                   child_seen="yes", child_seen_alone="yes", purpose="Check on Ruby.")  # fmt: skip
    seen = _visit(worker, kids["Ruby"], (today - timedelta(days=5)).isoformat(), child_seen="yes")
    unseen = _visit(worker, kids["Ruby"], (today - timedelta(days=3)).isoformat())
    support = Worker(TestClient(client.app), "support")
    starts = (today + timedelta(days=2)).isoformat() + "T10:00:00"
    meeting = support.post("/api/meetings", 201, kind="cin_review", starts_at=starts,
                           venue="Riverside Family Centre", case_ids=[kids["Ruby"], kids["Jade"]],
                           invitees=[])  # fmt: skip
    page = client.get(f"/children/{kids['Ruby']}")
    assert page.status_code == 200
    items = _items(page.text)
    notes = [i for i in items if "Case notes and visits" in i]
    assert len(notes) == 3
    assert "Not seen" in notes[0] and "Seen" in notes[1] and "Seen alone" in notes[2]
    assert "Seen alone" not in notes[1]
    assert "Home visit (planned): Check on Ruby" in notes[2]
    for record_id in (alone, seen, unseen):
        assert f'href="/records/{record_id}"' in page.text
    dates = [re.match(r"(\d+ \w+ \d{4})", i) for i in items]
    days = [date.fromisoformat(_iso(m[1])) for m in dates if m]
    assert days == sorted(days, reverse=True) and len(days) == len(items)
    months = re.findall(
        r'<h3 class="govuk-heading-s[^>]*id="timeline-[^"]+">([^<]+)</h3>', page.text
    )
    assert months == sorted(set(months), key=months.index)  # each month once
    assert f'href="/meetings/{meeting["id"]}"' in page.text
    assert any("Child in need review meeting" in i for i in items)
    # the same meeting is on Jade's timeline too
    jade = client.get(f"/children/{kids['Jade']}")
    assert f'href="/meetings/{meeting["id"]}"' in jade.text
    # a referral's own timescale is due on the timeline, with why
    referral = worker.start(kids["Ruby"], "referral_and_information")
    worker.save(referral, {"referral_date": value(today.isoformat())})
    due = [i for i in _items(client.get(f"/children/{kids['Ruby']}").text) if "Due dates" in i]
    assert len(due) == 1 and "Complete the referral" in due[0] and "Why is this due?" in due[0]


def _iso(words: str) -> str:
    return datetime.strptime(words, "%d %B %Y").date().isoformat()


def test_the_timeline_is_filtered_by_kind_without_javascript(
    db: Session, client: TestClient
) -> None:
    worker = _demo(db, client)
    ruby = worker.children()["Ruby"]
    _visit(worker, ruby, date.today().isoformat(), child_seen="no")
    only_notes = client.get(f"/children/{ruby}?show=note")
    items = _items(only_notes.text)
    assert items and all("Case notes and visits" in i for i in items)
    assert 'id="show-note" name="show" type="radio" value="note" checked' in only_notes.text
    only_meetings = client.get(f"/children/{ruby}?show=meeting")
    assert _items(only_meetings.text) == [] and "Nothing of this kind yet." in only_meetings.text
    wrong = client.get(f"/children/{ruby}?show=everything")
    assert (
        wrong.status_code == 422 and "show is one of note, meeting, due, chronology" in wrong.text
    )


def test_the_chronology_is_on_the_timeline(
    db: Session, client: TestClient, library: Library
) -> None:
    worker = _demo(db, client, with_records=True)
    jade = worker.children()["Jade"]
    entries = chronology.of_case(session=db, library=library, case_id=jade)
    page = client.get(f"/children/{jade}?show=chronology")
    items = _items(page.text)
    assert entries and len(items) == len(entries)  # Jade's finalised demo records
    for entry in entries:
        assert f'href="/records/{entry.record_id}"' in page.text
        assert any(entry.what in i for i in items)


def _support(client: TestClient) -> tuple[TestClient, str]:
    typist = TestClient(client.app)
    return typist, page_sign_in(typist, "support")


def test_support_is_never_offered_submit_and_sees_the_judgement_read_only(
    db: Session, client: TestClient
) -> None:
    worker = _demo(db, client)
    ruby = worker.children()["Ruby"]
    typist, csrf = _support(client)
    started = typist.post(
        f"/children/{ruby}/records", data={"csrf_token": csrf, "exemplar_id": "case_note"}
    )
    record_id = int(started.url.path.split("/")[-1])
    assert "Check answers and submit" not in started.text and "Check answers" in started.text
    check = typist.get(f"/records/{record_id}/check")
    assert "/submit" not in check.text and ">Submit<" not in check.text
    assert "waits for Sam" in check.text or "waits for" in check.text
    section = typist.get(f"/records/{record_id}/sections/what_happened").text
    assert 'name="worker_reflection"' not in section
    assert "Written by the allocated worker (" in section
    assert worker.client.get(f"/records/{record_id}/check").text.count(">Submit<") == 1


def test_a_dictated_section_with_the_judgement_saves_the_rest_and_shows_it_back(
    db: Session, client: TestClient
) -> None:
    worker = _demo(db, client)
    ruby = worker.children()["Ruby"]
    typist, csrf = _support(client)
    started = typist.post(
        f"/children/{ruby}/records", data={"csrf_token": csrf, "exemplar_id": "case_note"}
    )
    record_id = int(started.url.path.split("/")[-1])
    form = {
        "csrf_token": csrf,
        "base_revision": "1",
        "note": "Dictated: Ruby well.",
        "observations": "The flat was warm.",
        "worker_reflection": REFLECTION,  # a page from before, or a hand-made post
        "action": "continue",
    }
    saved = typist.post(f"/records/{record_id}/sections/what_happened", data=form)
    assert saved.status_code == 200
    assert "was not saved: it is written by the allocated worker" in saved.text
    assert REFLECTION.replace("'", "&#39;") in saved.text  # shown back, not lost
    answers = worker.get(f"/api/records/{record_id}")["answers"]
    assert answers["note"]["value"] == "Dictated: Ruby well."
    assert answers["observations"]["value"] == "The flat was warm."
    assert "worker_reflection" not in answers
    refused = db.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "denied.author_only", AuditEvent.target_id == record_id
        )
    ).all()
    assert refused and refused[0].detail == {"fields": ["worker_reflection"]}


def test_my_work_names_each_section_typed_for_the_worker_and_who_typed_it(
    db: Session, client: TestClient
) -> None:
    worker = _demo(db, client)
    ruby = worker.children()["Ruby"]
    typist, csrf = _support(client)
    started = typist.post(
        f"/children/{ruby}/records", data={"csrf_token": csrf, "exemplar_id": "case_note"}
    )
    record_id = int(started.url.path.split("/")[-1])
    typed = (("event", "purpose", "Planned visit."), ("what_happened", "note", "Ruby well."))
    for section, field, words in typed:
        revision = str(worker.get(f"/api/records/{record_id}")["revision"])
        form = {"csrf_token": csrf, "base_revision": revision, field: words, "action": "draft"}
        typist.post(f"/records/{record_id}/sections/{section}", data=form)
    mine = client.get("/caseload").text
    listed = mine.split('id="to-check"', 1)[1].split('id="drafts"', 1)[0]
    flat = " ".join(re.sub(r"<[^>]+>", " ", listed).split())
    assert "The event (Purpose), typed by" in flat
    assert "What happened (What happened), typed by" in flat
    table = mine.split('id="children"', 1)[1]
    assert "typed for you by" in table and f'href="/records/{record_id}"' in table


def test_a_timeline_naming_a_field_that_is_not_a_yes_no_is_an_error_at_its_line(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "exemplars"
    shutil.copytree(ROOT / "exemplars", folder)
    path = folder / "case_note.yaml"
    text = path.read_text()
    path.write_text(text.replace("    seen: child_seen\n", "    seen: child_words\n"))
    line = next(
        n for n, row in enumerate(path.read_text().splitlines(), 1) if "seen: child_words" in row
    )
    with pytest.raises(ExemplarErrors) as raised:
        load_library(folder)
    assert f"case_note.yaml:{line}:" in str(raised.value)
    assert "seen 'child_words' must be a yes_no field of case_note" in str(raised.value)
    path.write_text(text.replace('line: "{note_type}: {purpose}"', 'line: "{note_kind}"'))
    with pytest.raises(ExemplarErrors) as raised:
        load_library(folder)
    assert "'{note_kind}' in the timeline line is not a field of case_note" in str(raised.value)
