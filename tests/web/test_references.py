"""In a real browser: a worker picks a person and a professional by name and role, and the record
keeps each as a typed reference that reads back as that person and that professional."""

from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from tests.web.conftest import LiveServer, sign_in
from tests.web.test_browser import record_answers, start_record


def test_a_worker_picks_people_and_professionals_by_name_and_role(
    page: Page, server: LiveServer, db_engine: Engine
) -> None:
    sign_in(page)
    record_id = start_record(page, server, 1, "referral_and_information")
    page.goto(f"/records/{record_id}/sections/household")
    person = page.locator('select[name="household_members__1__person"]')
    expect(person.locator("option", has_text="Kerry Walsh — Mother")).to_have_count(1)
    expect(person.locator("option", has_text="Riverside Surgery")).to_have_count(0)
    person.select_option(label="Kerry Walsh — Mother")
    page.fill('[name="household_members__1__relationship"]', "Mother")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**saved=1")
    stored = record_answers(db_engine, record_id)["household_members"]["value"][0]["person"]
    assert stored["kind"] == "person"
    expect(person.locator("option:checked")).to_have_text("Kerry Walsh — Mother")
    page.goto(f"/records/{record_id}/check")
    expect(page.locator("main")).to_contain_text("Kerry Walsh")
