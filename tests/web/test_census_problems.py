"""The census problem on a section goes as the worker answers it, without a reload (autosave)."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.web.conftest import LiveServer, shoot, sign_in
from tests.web.test_browser import start_record


def test_the_census_problem_goes_as_the_primary_need_is_chosen(
    page: Page, server: LiveServer, artifacts_dir: Path
) -> None:
    sign_in(page)
    record_id = start_record(page, server, 1, "single_assessment")
    page.goto(f"/records/{record_id}/sections/analysis")
    page.evaluate("() => { window.samePage = true; }")  # gone if the page reloads
    panel = page.locator("#census-problems")
    expect(panel).to_contain_text("Census: this referral has no primary need")
    shoot(page, artifacts_dir, "census-problem-shown")
    need = page.locator('[name="primary_need"]').first
    if need.evaluate("e => e.tagName") == "SELECT":
        need.select_option("N2")
    else:
        page.check('[name="primary_need"][value="N2"]')
    page.locator("body").click()  # leaving the field saves at once
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    expect(panel).to_be_hidden()
    assert page.evaluate("() => window.samePage === true")
