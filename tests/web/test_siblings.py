"""Brothers and sisters in a real browser: start a referral for Ruby and Tyler together from
Ruby's page, type the referrer once, and find them in Tyler's record too; the new pages pass axe."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, text

from tests.web.conftest import LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import check, child_case_id, record_answers


def _start_together(page: Page, ruby: int, tyler: int) -> int:
    page.goto(f"/children/{ruby}")
    form = page.locator("#start-together")
    form.get_by_label("Record").select_option("referral_and_information")
    expect(form.locator(f"#together-{ruby}")).to_be_checked()  # the child whose page it is
    form.locator(f"#together-{tyler}").check()
    form.get_by_role("button", name="Start together").click()
    page.wait_for_url("**/records/*")
    return int(page.url.rstrip("/").split("/")[-1])


def _group_of(engine: Engine, record_id: int) -> dict[int, int]:
    """Case id → record id of every record in this record's group."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT case_id, id FROM records WHERE group_id ="
                " (SELECT group_id FROM records WHERE id = :id)"
            ),
            {"id": record_id},
        ).all()
    return {case_id: rid for case_id, rid in rows}


def test_a_referral_for_two_siblings_shares_the_referrer_typed_once(
    browser: Browser, server: LiveServer, db_engine: Engine, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, java_script_enabled=False)  # works without it
    sign_in(page)
    ruby, tyler = child_case_id(page, 0), child_case_id(page, 2)
    ruby_record = _start_together(page, ruby, tyler)
    group = _group_of(db_engine, ruby_record)
    assert set(group) == {ruby, tyler} and group[ruby] == ruby_record
    expect(page.get_by_role("heading", name="For Ruby and Tyler")).to_be_visible()
    shoot(page, artifacts_dir, "siblings-task-list")

    page.locator("#shared-sections + p + ul").get_by_role("link", name="Referrer").click()
    page.wait_for_url("**/sections/referrer")
    page.locator("#referrer_name").fill("Mrs Okafor, head teacher")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/sections/referrer?saved=1")

    page.goto(f"/records/{ruby_record}")
    page.get_by_role("link", name="Tyler Hughes's record", exact=True).click()
    page.wait_for_url(f"**/records/{group[tyler]}")
    expect(page.get_by_role("heading", name="For Ruby and Tyler")).to_be_visible()
    page.locator("#shared-sections + p + ul").get_by_role("link", name="Referrer").click()
    expect(page.locator("#referrer_name")).to_have_value("Mrs Okafor, head teacher")
    shoot(page, artifacts_dir, "siblings-referrer-in-tyler")
    tyler_answer: Any = record_answers(db_engine, group[tyler])["referrer_name"]
    assert tyler_answer["value"] == "Mrs Okafor, head teacher"
    assert record_answers(db_engine, ruby_record)["referrer_name"] == tyler_answer
    context.close()


def test_the_sibling_pages_have_no_axe_violations(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True)  # so the test can inject axe-core
    sign_in(page)
    ruby, jade, tyler = (child_case_id(page, i) for i in range(3))
    found: dict[str, Any] = {}
    check(page, "siblings-child-start-together", f"/children/{ruby}", found, artifacts_dir)
    family = page.request.get(f"/api/children/{ruby}").json()["families"][0]["id"]
    check(page, "siblings-family-start-together", f"/families/{family}", found, artifacts_dir)
    grouped = _start_together(page, ruby, tyler)
    check(page, "siblings-group-task-list", None, found, artifacts_dir)
    # Jade's referral, started later, is offered the group's referrer (drafts: the newest).
    page.goto(f"/records/{grouped}/sections/referrer")
    page.locator("#referrer_name").fill("Mrs Okafor, head teacher")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/sections/referrer?saved=1")
    page.goto(f"/children/{jade}")
    page.select_option("#exemplar_id", "referral_and_information")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url("**/records/*")
    jade_record = int(page.url.rstrip("/").split("/")[-1])
    expect(page.locator("#sibling-offer")).to_contain_text("has answers for")
    check(page, "siblings-offer-panel", None, found, artifacts_dir)
    check(
        page, "siblings-from-sibling", f"/records/{jade_record}/from-sibling", found, artifacts_dir
    )
    page.get_by_label("Referrer's name").check()
    page.get_by_role("button", name="Keep the ones ticked").click()
    page.wait_for_url(f"**/records/{jade_record}")
    page.goto(f"/records/{jade_record}/sections/referrer")
    # The newest of the brothers' and sisters' records is offered: Tyler's, started after Ruby's.
    expect(page.locator("main")).to_contain_text("from Tyler's referral and information record")
    shoot(page, artifacts_dir, "siblings-kept-with-source")
    context.close()
    assert found == {}, found
