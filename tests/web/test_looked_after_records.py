"""The looked-after pages in Chromium: a Placement Information Record's delegated authority and
signatures, and a looked-after review's Part Two shown read-only to the worker, with no axe-core
violations (screenshots kept with the test artifacts)."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

from tests.web.conftest import LiveServer, new_page, sign_in
from tests.web.test_browser import check, start_record


def test_the_pir_and_a_looked_after_reviews_part_two_have_no_axe_violations(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True)  # so the test can inject axe-core
    sign_in(page)
    found: dict[str, Any] = {}
    pir = start_record(page, server, 1, "placement_information_record")
    for section in ("placement", "authority", "signatures"):
        check(page, f"pir-{section}", f"/records/{pir}/sections/{section}", found, artifacts_dir)
    expect(page.get_by_role("group", name="How the parent signed")).to_be_visible()

    review = start_record(page, server, 1, "review")
    page.goto(f"/records/{review}/sections/review_details")
    page.locator('input[name="review_type"][value="lac"]').check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/sections/review_details?saved=1")
    page.goto(f"/records/{review}/sections/decisions")
    expect(page.get_by_text("Written by the conference chair.").first).to_be_visible()
    check(page, "lac-review-part-two-read-only", None, found, artifacts_dir)
    context.close()
    assert found == {}, found
