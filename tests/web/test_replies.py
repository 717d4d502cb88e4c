"""A family's reply in Chromium, without JavaScript's help: from the copy's entry on the print
page, record a returned slip, see it on the child's page, record the disagreement; every page
passes axe-core."""

from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.web.conftest import AXE, LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import start_record

SAID = "Jade goes to Brook School now, not Riverside Primary."


def _no_violations(page: Page, artifacts: Path, name: str) -> None:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    shoot(page, artifacts, name)
    assert violations == [], violations


def test_a_returned_slip_is_recorded_shown_and_kept_as_a_disagreement(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True, java_script_enabled=False)
    sign_in(page)
    record_id = start_record(page, server, 1, "childs_plan")
    page.goto(f"/records/{record_id}/print?audience=family")
    page.get_by_label("Kerry Walsh (mother)").check()
    page.get_by_role("button", name="Check this printout").click()
    with page.expect_download():
        page.get_by_role("button", name="Make the PDF").click()
    page.goto(f"/records/{record_id}/print?audience=family")
    page.get_by_role("link", name="Replies to this copy (0)").click()
    expect(page.get_by_role("heading", name="Replies to this printout")).to_be_visible()
    page.get_by_role("button", name="Record the reply").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what the reply is")
    page.get_by_label("What is wrong and should be corrected").check()
    page.get_by_label("Reply slip sent back").check()
    today = date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("What did they say?").fill(SAID)
    page.get_by_role("button", name="Record the reply").click()
    expect(page.get_by_text("To act on")).to_be_visible()
    replies_url = page.url
    _axe_walk(browser, server, artifacts_dir, replies_url)  # before the correction is acted on
    page.get_by_role("button", name="Record the disagreement").click()
    expect(page.get_by_text("Disagreement recorded")).to_be_visible()
    page.get_by_role("link", name="Jade Hughes").first.click()
    expect(page.locator("#replies")).to_be_visible()
    expect(page.get_by_text(SAID)).to_be_visible()
    shoot(page, artifacts_dir, "page-child-replies")
    context.close()


def _axe_walk(browser: Browser, server: LiveServer, artifacts: Path, replies_url: str) -> None:
    """The replies page (with its error summary, and with a correction to act on) and the
    child's page listing it, with axe-core injected."""
    context, page = new_page(browser, server, bypass_csp=True)  # so the test can inject axe-core
    sign_in(page)
    page.goto(replies_url)
    _no_violations(page, artifacts, "page-replies")
    page.get_by_role("button", name="Record the reply").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what the reply is")
    _no_violations(page, artifacts, "page-replies-error")
    page.get_by_role("link", name="Jade Hughes").first.click()
    expect(page.locator("#replies")).to_be_visible()
    _no_violations(page, artifacts, "page-child-with-replies")
    context.close()
