"""A looked-after child's history in a real browser: from the demo's Liam, read the history, record
a change of legal status (first refused, naming the field), then correct it — each page with no
axe violations."""

from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

from tests.web.conftest import LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import check


def test_a_worker_records_a_full_care_order_for_liam_and_corrects_it(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True)  # so axe-core can be injected
    found: dict[str, Any] = {}
    sign_in(page)
    caseload = page.request.get("/api/caseload").json()
    liam = next(row["case_id"] for row in caseload if row["child_name"].startswith("Liam"))
    page.goto(f"/children/{liam}")
    expect(page.locator("#looked-after")).to_contain_text("with Julie Bennett")
    check(page, "looked-after-child", None, found, artifacts_dir)
    page.get_by_role("link", name="Looked after", exact=True).click()
    expect(page.get_by_role("heading", name="Looked after", exact=True)).to_be_visible()
    expect(page.locator("#episodes")).to_contain_text("Change of placement and carer only (P)")
    check(page, "looked-after-history", None, found, artifacts_dir)

    page.get_by_role("link", name="Record a change of legal status").click()
    page.get_by_role("button", name="Record the legal status").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date")
    check(page, "looked-after-legal-status-errors", None, found, artifacts_dir)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2020")  # before the last event: refused, naming the date
    page.get_by_label("Legal status").select_option("C2")
    page.get_by_role("button", name="Record the legal status").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("the last event recorded")
    today = date.today()
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_role("button", name="Record the legal status").click()
    expect(page.locator("#care-now")).to_contain_text("Full care order (C2)")

    page.locator(".govuk-summary-card", has_text="Full care order (C2)").get_by_role(
        "link", name="Correct"
    ).click()
    expect(page.get_by_role("heading", name="Correct: a change of legal status")).to_be_visible()
    check(page, "looked-after-correct", None, found, artifacts_dir)
    page.get_by_label("Legal status").select_option("E1")
    page.get_by_label("Why is this corrected?").fill("The court made a placement order.")
    page.get_by_role("button", name="Record the correction").click()
    expect(page.locator("#care-now")).to_contain_text("Placement order (E1)")
    expect(page.get_by_text("No longer counted")).to_be_visible()
    shoot(page, artifacts_dir, "looked-after-corrected")
    context.close()
    assert found == {}, found
