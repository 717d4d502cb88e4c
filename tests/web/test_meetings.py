"""Meetings in a real browser: business support arranges a review for two sisters, sends the
letters, records the minutes and starts the review, all without JavaScript; every meeting page
passes axe-core."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, text

from tests.web.conftest import LiveServer, new_page, sign_in
from tests.web.test_browser import check


def _case(engine: Engine, given: str) -> int:
    query = text(
        "SELECT cases.id FROM cases JOIN people ON people.id = cases.child_id"
        " WHERE people.given_names = :given"
    )
    with engine.connect() as conn:
        return int(conn.execute(query, {"given": given}).scalar_one())


def _arrange(page: Page, ruby: int, jade: int) -> int:
    """Fill "Arrange a meeting" as business support would, and land on the meeting's page."""
    page.goto(f"/children/{ruby}/meetings/new")
    page.locator(f"#case-{jade}").check()
    page.get_by_label("Child in need review meeting").check()
    day = date.today() + timedelta(days=14)
    page.fill("#date-day", str(day.day))
    page.fill("#date-month", str(day.month))
    page.fill("#date-year", str(day.year))
    page.fill("#time", "2:30pm")
    page.fill("#venue", "Riverside Family Centre, Room 2")
    page.select_option("#chair_id", label="Helen Brooks (Conference chair)")
    for name in ("Kerry Walsh", "Jade Hughes", "Mrs Joanne Price"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Arrange the meeting").click()
    page.wait_for_url("**/meetings/*?arranged=1")
    return int(page.url.split("/meetings/")[1].split("?")[0])


def test_support_arranges_sends_minutes_and_starts_the_review_without_javascript(
    browser: Browser, server: LiveServer, db_engine: Engine
) -> None:
    context, page = new_page(browser, server, java_script_enabled=False)
    sign_in(page, "support")
    ruby, jade = _case(db_engine, "Ruby"), _case(db_engine, "Jade")
    page.goto(f"/children/{ruby}")
    page.get_by_role("link", name="Arrange a meeting").click()
    page.wait_for_url(f"**/children/{ruby}/meetings/new")
    meeting_id = _arrange(page, ruby, jade)
    expect(page.get_by_text("The meeting is arranged")).to_be_visible()
    page.get_by_role("button", name="Send letters").click()
    page.wait_for_url("**?sent=3#letters")
    expect(page.get_by_text("3 letters sent and logged")).to_be_visible()
    log = page.get_by_role("table", name="Letters sent: to whom, how and when")
    expect(log.locator("tbody tr")).to_have_count(3)
    # Kerry's letter is posted to her address; the teacher, with none recorded, gets hers by hand.
    expect(log.get_by_role("row", name="Kerry Walsh Post")).to_be_visible()
    expect(log.get_by_role("row", name="Mrs Joanne Price In person")).to_be_visible()
    letter = page.request.get(f"/meetings/{meeting_id}/letters/1")
    assert letter.status == 200 and letter.body().startswith(b"%PDF")
    page.select_option("#attendance-1", label="Attended")
    page.select_option("#attendance-3", label="Apologies")
    page.fill("#minutes", "Plan continues; Jade's speech and language referral chased.")
    page.get_by_role("button", name="Save the minutes").click()
    page.wait_for_url(f"**/meetings/{meeting_id}#minutes")
    expect(page.locator(".app-minutes")).to_contain_text("speech and language")
    page.get_by_role("button", name="Start Jade Hughes's review").click()
    page.wait_for_url("**/records/*")
    page.goto("/meetings")
    expect(page.get_by_role("link", name="Child in need review meeting")).to_have_count(1)
    context.close()


def test_every_meeting_page_has_no_axe_violations(
    browser: Browser, server: LiveServer, db_engine: Engine, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True)  # so the test can inject axe-core
    sign_in(page, "support")
    ruby, jade = _case(db_engine, "Ruby"), _case(db_engine, "Jade")
    found: dict[str, Any] = {}
    check(page, "meetings-arrange", f"/children/{ruby}/meetings/new", found, artifacts_dir)
    page.get_by_role("button", name="Arrange the meeting").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, "meetings-arrange-errors", None, found, artifacts_dir)
    meeting_id = _arrange(page, ruby, jade)
    check(page, "meeting", None, found, artifacts_dir)
    page.get_by_role("button", name="Send letters").click()
    page.wait_for_url("**?sent=3#letters")
    page.fill("#minutes", "Plan continues.")
    page.get_by_role("button", name="Save the minutes").click()
    page.wait_for_url(f"**/meetings/{meeting_id}#minutes")
    check(page, "meeting-sent-minuted", None, found, artifacts_dir)
    check(page, "meetings", "/meetings", found, artifacts_dir)
    check(page, "profile", "/profile", found, artifacts_dir)
    assert found == {}
    context.close()
