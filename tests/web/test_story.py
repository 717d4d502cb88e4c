"""Business support types a dictated case note in a real browser, with and without JavaScript:
nothing is lost, Submit is never offered, and the worker finds it on My work and confirms it.
The child page's timeline holds a note where the child was seen alone, a meeting, a due date and
a chronology entry."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from tests.web.conftest import LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import check, child_case_id, record_answers

NOTE = "Dictated: Ruby was playing with bricks; Kerry made lunch."
SEEN = "The flat was warm and tidy."


def _start_as(page: Page, case_id: int, exemplar_id: str) -> int:
    page.goto(f"/children/{case_id}")
    page.select_option("#exemplar_id", exemplar_id)
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url("**/records/*")
    return int(page.url.rstrip("/").split("/")[-1])


def _ruby(browser: Browser, server: LiveServer) -> int:
    context, page = new_page(browser, server)
    sign_in(page)
    case_id = child_case_id(page, 0)
    context.close()
    return case_id


def _support_types_the_note(page: Page, case_id: int, javascript: bool) -> int:
    sign_in(page, "support")
    record_id = _start_as(page, case_id, "case_note")
    expect(page.get_by_role("link", name="Check answers and submit")).to_have_count(0)
    page.goto(f"/records/{record_id}/sections/what_happened")
    judgement = page.locator("#group-worker_reflection")
    expect(judgement).to_contain_text("Written by the allocated worker (")
    expect(page.locator('[name="worker_reflection"]')).to_have_count(0)  # nothing to type into
    page.locator("#note").fill(NOTE)
    page.locator("#observations").fill(SEEN)
    if javascript:
        page.locator("body").click()  # leaving the field saves at once
        expect(page.locator("#autosave-status")).to_contain_text("Saved")
        page.reload()
    else:
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_url("**saved=1")
    expect(page.locator("#note")).to_have_value(NOTE)
    expect(page.locator("#observations")).to_have_value(SEEN)
    page.goto(f"/records/{record_id}/check")
    expect(page.get_by_role("button", name="Submit")).to_have_count(0)
    expect(page.locator("#typed-for")).to_contain_text("waits for")
    return record_id


def _worker_confirms(browser: Browser, server: LiveServer, record_id: int) -> None:
    context, page = new_page(browser, server)
    sign_in(page)
    page.goto("/caseload")
    typed = page.locator("#to-check + ul li.app-typed", has_text="Case note")
    expect(typed.filter(has=page.locator(f'a[href="/records/{record_id}"]'))).to_contain_text(
        "What happened (What happened, Observations (the home"
    )
    expect(typed.filter(has=page.locator(f'a[href="/records/{record_id}"]'))).to_contain_text(
        "typed by"
    )
    page.locator(f'#to-check + ul a[href="/records/{record_id}"]').click()
    page.get_by_role("button", name="I have checked them: confirm").click()
    expect(page.get_by_role("heading", name="Typed for you")).to_have_count(0)
    context.close()


def test_support_types_a_dictated_note_with_javascript_and_the_worker_confirms_it(
    browser: Browser, server: LiveServer, db_engine: Engine, artifacts_dir: Path
) -> None:
    case_id = _ruby(browser, server)
    context, page = new_page(browser, server)
    record_id = _support_types_the_note(page, case_id, javascript=True)
    shoot(page, artifacts_dir, "support-check-js")
    context.close()
    answers = record_answers(db_engine, record_id)
    assert answers["note"]["value"] == NOTE and "awaiting_check" in answers["note"]
    _worker_confirms(browser, server, record_id)
    answers = record_answers(db_engine, record_id)
    assert answers["note"]["provenance"]["confirmed_by"]
    assert answers["observations"]["value"] == SEEN


def test_support_types_a_dictated_note_without_javascript_and_keeps_every_word(
    browser: Browser, server: LiveServer, db_engine: Engine, artifacts_dir: Path
) -> None:
    case_id = _ruby(browser, server)
    context, page = new_page(browser, server, java_script_enabled=False)
    record_id = _support_types_the_note(page, case_id, javascript=False)
    # A page from before the field was read-only still posts the reflection: the rest is saved
    # and the reflection is shown back, never lost.
    page.goto(f"/records/{record_id}/sections/what_happened")
    page.locator("#note").fill(NOTE + " Lunch was pasta.")
    form = page.locator("form[data-autosave]")
    form.evaluate(
        """(form) => { const t = document.createElement('textarea');
        t.name = 'worker_reflection'; t.value = 'Kerry seems to be coping better.';
        form.appendChild(t); }"""
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("was not saved")
    expect(page.locator("#worker_reflection-kept")).to_contain_text("Kerry seems to be coping")
    expect(page.locator("#note")).to_have_value(NOTE + " Lunch was pasta.")
    shoot(page, artifacts_dir, "support-withheld-no-js")
    context.close()
    answers = record_answers(db_engine, record_id)
    assert answers["note"]["value"] == NOTE + " Lunch was pasta."
    assert "worker_reflection" not in answers
    _worker_confirms(browser, server, record_id)


def _fill_date(page: Page, field_id: str, on: date) -> None:
    for part, number in (("day", on.day), ("month", on.month), ("year", on.year)):
        page.fill(f"#{field_id}-{part}", str(number))


def _save(page: Page) -> None:
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**saved=1")


def _seen_alone_note(page: Page, case_id: int, on: date) -> int:
    """A home visit where Ruby was seen alone, marked significant for the chronology."""
    record_id = _start_as(page, case_id, "case_note")
    section = f"/records/{record_id}/sections"
    page.goto(f"{section}/event")
    _fill_date(page, "event_date", on)
    page.select_option("#note_type", "home_visit")
    _save(page)
    page.goto(f"{section}/the_child")
    page.check("#child_seen-yes")
    _save(page)  # without JavaScript, "seen alone" is asked once "seen" is saved
    page.check("#child_seen_alone-yes")
    _save(page)
    page.goto(f"{section}/what_happened")
    page.fill("#note", "Ruby showed me her new shoes.")
    _save(page)
    page.goto(f"{section}/chronology")
    page.check("#significant_event-yes")
    _save(page)
    page.fill("#chronology_entry", "Ruby seen alone at home; new shoes")
    _save(page)
    page.goto(f"/records/{record_id}/check")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/view?submitted=1")
    return record_id


def _meeting(server: LiveServer, case_ids: list[int], on: date) -> int:
    with httpx.Client(base_url=server.url) as api:
        session = api.post(
            "/api/session", json={"username": "support", "password": "demo-password"}
        )
        headers = {"X-CSRF-Token": session.json()["csrf_token"]}
        body: dict[str, Any] = {
            "kind": "core_group",
            "starts_at": f"{on.isoformat()}T14:00:00",
            "venue": "Riverside Family Centre",
            "case_ids": case_ids,
            "invitees": [],
        }
        made = api.post("/api/meetings", json=body, headers=headers)
        assert made.status_code == 201, made.text
        return int(made.json()["id"])


def test_the_child_page_shows_a_visit_seen_alone_a_meeting_a_due_date_and_the_chronology(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    today = date.today()
    context, page = new_page(browser, server, java_script_enabled=False)
    sign_in(page)
    ruby, jade = child_case_id(page, 0), child_case_id(page, 1)
    note = _seen_alone_note(page, ruby, today - timedelta(days=1))
    referral = _start_as(page, ruby, "referral_and_information")
    page.goto(f"/records/{referral}/sections/case")
    _fill_date(page, "referral_date", today)
    _save(page)
    context.close()
    context, page = new_page(browser, server, java_script_enabled=False)
    sign_in(page, "manager")
    page.goto("/sign-off")
    page.locator("tr", has=page.locator(f'a[href="/records/{note}/view"]')).get_by_role(
        "button", name="Approve"
    ).click()
    page.wait_for_url("**/sign-off")
    context.close()
    meeting = _meeting(server, [ruby, jade], today + timedelta(days=3))

    context, page = new_page(browser, server, java_script_enabled=False)
    sign_in(page)
    page.goto(f"/children/{ruby}")
    timeline = page.locator(".app-timeline__item")
    visit = timeline.filter(has=page.locator(f'a[href="/records/{note}"]')).filter(
        has_text="Case notes and visits"
    )
    expect(visit.locator(".app-seen")).to_have_text("Seen alone")
    expect(timeline.filter(has_text="Chronology")).to_contain_text(
        "Ruby seen alone at home; new shoes"
    )
    expect(timeline.filter(has=page.locator(f'a[href="/meetings/{meeting}"]'))).to_contain_text(
        "Core group meeting"
    )
    due = timeline.filter(has_text="Complete the referral")
    expect(due).to_contain_text("Due dates")
    due.get_by_text("Why is this due?").click()  # a <details>: opens without JavaScript
    expect(due.locator(".govuk-details__text")).to_contain_text("Clock start")
    shoot(page, artifacts_dir, "child-timeline")
    page.get_by_label("Meetings").check()
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url("**show=meeting*")
    expect(timeline).to_have_count(1)
    expect(timeline).to_contain_text("Core group meeting")
    page.goto(f"/children/{jade}")  # one meeting, on both children's timelines
    expect(page.locator(f'.app-timeline a[href="/meetings/{meeting}"]')).to_have_count(1)
    context.close()


def test_the_timeline_and_the_support_section_have_no_axe_violations(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    case_id = _ruby(browser, server)
    context, page = new_page(browser, server, bypass_csp=True)
    sign_in(page, "support")
    record_id = _start_as(page, case_id, "case_note")
    found: dict[str, Any] = {}
    for name, url in {
        "child-timeline": f"/children/{case_id}",
        "child-timeline-notes": f"/children/{case_id}?show=note",
        "support-section": f"/records/{record_id}/sections/what_happened",
        "support-check": f"/records/{record_id}/check",
        "support-task-list": f"/records/{record_id}",
    }.items():
        check(page, name, url, found, artifacts_dir)
    context.close()
    assert found == {}, found
