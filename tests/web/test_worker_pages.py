"""The section pages under a worker's hands: rows added in the page, Enter, the Tab key."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from tests.web.conftest import LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import record_answers, start_record

NEEDS = [
    "Ruby's weight is checked by the health visitor every month.",
    "Kerry is supported with her low mood by her GP.",
    "Dean comes to every review meeting.",
]
# What may take the focus in a form: the questions' own inputs.
FIELD = "form[data-autosave] :is(input:not([type=hidden]), select, textarea)"


def test_three_plan_lines_are_added_without_a_reload(
    page: Page, server: LiveServer, db_engine: Engine, artifacts_dir: Path
) -> None:
    sign_in(page)
    record_id = start_record(page, server, 0, "childs_plan")
    page.goto(f"/records/{record_id}/sections/plan")
    page.evaluate("() => { window.samePage = true; }")  # gone if the page reloads
    add = page.get_by_role("button", name="Add another row to Plan lines")
    for number, need in enumerate(NEEDS, start=1):
        if number > 1:
            add.focus()
            page.keyboard.press("Enter")
            # the focus moves to the new row's first input
            focused = page.evaluate("() => document.activeElement.name")
            assert focused == f"plan_lines__{number}__domain", focused
        page.fill(f'[name="plan_lines__{number}__need"]', need)
    page.fill('[name="plan_lines__3__start_date"]', "7/12/2026")
    rows = page.locator(".app-group-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(2).locator(".app-group-row__legend")).to_have_text("Plan lines, row 3")
    page.locator("body").click()  # leaving the field saves at once
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    assert page.evaluate("() => window.samePage === true")
    shoot(page, artifacts_dir, "plan-three-lines")
    saved = record_answers(db_engine, record_id)["plan_lines"]["value"]
    assert [row["need"] for row in saved] == NEEDS
    assert saved[2]["start_date"] == "2026-12-07"

    page.evaluate("() => { document.getElementById('autosave-status').textContent = ''; }")
    page.get_by_role("button", name="Remove Plan lines, row 2").click()
    expect(rows).to_have_count(2)
    assert page.evaluate("() => document.activeElement.name") == "plan_lines__1__domain"
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    assert page.evaluate("() => window.samePage === true")
    saved = record_answers(db_engine, record_id)["plan_lines"]["value"]
    assert [row["need"] for row in saved] == [NEEDS[0], NEEDS[2]]


def test_a_failed_save_without_javascript_keeps_typed_rows(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, java_script_enabled=False)
    sign_in(page)
    record_id = start_record(page, server, 2, "childs_plan")
    page.goto(f"/records/{record_id}/sections/plan")
    page.fill('[name="plan_lines__1__need"]', NEEDS[0])
    page.get_by_role("button", name="Add another row to Plan lines").click()
    page.wait_for_url("**?add=plan_lines*")
    page.fill('[name="plan_lines__2__need"]', NEEDS[1])
    page.fill('[name="plan_lines__2__start_date"]', "31/02/2026")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator('[name="plan_lines__1__need"]')).to_have_value(NEEDS[0])
    expect(page.locator('[name="plan_lines__2__need"]')).to_have_value(NEEDS[1])
    expect(page.locator('[name="plan_lines__2__start_date"]')).to_have_value("31/02/2026")
    shoot(page, artifacts_dir, "plan-refused-no-js")
    context.close()


def test_enter_in_a_text_box_saves_and_continues(
    page: Page, server: LiveServer, db_engine: Engine
) -> None:
    sign_in(page)
    record_id = start_record(page, server, 1, "referral_and_information")
    page.goto(f"/records/{record_id}/sections/child_details")
    # pre-filled from Jade's record, so "Keep this" buttons come before the text box
    expect(page.get_by_role("button", name="Keep this answer: Religion")).to_be_visible()
    page.locator("#nationality").focus()
    page.keyboard.type("British")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/records/{record_id}/sections/household")
    answers = record_answers(db_engine, record_id)
    assert answers["nationality"]["value"] == "British"
    assert answers["religion"]["value"] == "No religion"
    assert not answers["religion"].get("confirmed")  # Enter kept nothing it was not asked to


def test_the_first_question_is_five_tabs_from_the_top(page: Page, server: LiveServer) -> None:
    sign_in(page)
    referral = start_record(page, server, 1, "referral_and_information")
    plan = start_record(page, server, 1, "childs_plan")
    counted = {}
    for url in (
        f"/records/{referral}/sections/case",
        f"/records/{referral}/sections/child_details",
        f"/records/{referral}/sections/history_and_status",
        f"/records/{plan}/sections/plan",
    ):
        page.goto(url)
        presses = 1
        page.keyboard.press("Tab")  # the skip link
        assert page.evaluate("() => document.activeElement.className").startswith("govuk-skip-link")
        page.keyboard.press("Enter")
        while not page.evaluate("(s) => document.activeElement.matches(s)", FIELD):
            page.keyboard.press("Tab")
            presses += 1
            assert presses <= 5, (url, presses)
        counted[url.rsplit("/", 1)[-1]] = presses
    print("Tab presses to the first question:", counted)


def test_rows_added_in_the_page_come_back_after_a_crash(
    page: Page, server: LiveServer, db_engine: Engine
) -> None:
    sign_in(page)
    record_id = start_record(page, server, 0, "childs_plan")
    page.goto(f"/records/{record_id}/sections/plan")
    add = page.get_by_role("button", name="Add another row to Plan lines")
    add.click()
    add.click()
    expect(page.locator("#autosave-status")).to_contain_text("Saved")
    server.kill()  # the typing below reaches only this browser
    page.locator('[name="plan_lines__3__need"]').focus()
    page.keyboard.type(NEEDS[2])
    server.start()
    page.reload()  # the server knows of no rows: the page comes back with one empty row
    expect(page.locator('[name="plan_lines__3__need"]')).to_have_value(NEEDS[2])
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=15000)
    saved = record_answers(db_engine, record_id)["plan_lines"]["value"]
    assert [row.get("need") for row in saved] == [NEEDS[2]]
