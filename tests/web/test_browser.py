"""What a worker feels in a real browser: the keyboard, crashes, expiry, conflicts, pathways."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, text

from tests.web.conftest import AXE, LiveServer, new_page, shoot, sign_in, tab_to

NOTE = 'Visited at 10am. Ruby was asleep in her cot; Kerry said "she\'s been up since five".'


def record_answers(engine: Engine, record_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        raw = conn.execute(
            text("SELECT answers FROM records WHERE id = :id"), {"id": record_id}
        ).scalar_one()
    return raw if isinstance(raw, dict) else dict(json.loads(raw))


def start_record(page: Page, server: LiveServer, child: int, exemplar_id: str) -> int:
    """From the child's page, start a record; returns its id."""
    case_id = child_case_id(page, child)
    page.goto(f"/children/{case_id}")
    page.select_option("#exemplar_id", exemplar_id)
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_url("**/records/*")
    return int(page.url.rstrip("/").split("/")[-1])


def child_case_id(page: Page, index: int) -> int:
    """Case id of the demo child at `index` (0 Ruby, 1 Jade, 2 Tyler) from the caseload API."""
    caseload = page.request.get("/api/caseload").json()
    return int(caseload[index]["case_id"])


def test_a_referral_is_completed_with_the_keyboard_alone(
    page: Page, server: LiveServer, db_engine: Engine, artifacts_dir: Path
) -> None:
    sign_in(page)
    tab_to(page, f'a[href="/children/{child_case_id(page, 1)}"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/children/*")
    tab_to(page, "#exemplar_id")
    page.keyboard.type("Referral")
    tab_to(page, ".app-start-form button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/records/*")
    record_id = int(page.url.split("/")[-1])
    shoot(page, artifacts_dir, "task-list")

    def open_section(section_id: str) -> None:
        tab_to(page, f'a[href="/records/{record_id}/sections/{section_id}"]')
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/sections/{section_id}")

    open_section("case")
    tab_to(page, "#referral_date-day")
    for part in ("2", "11", "2026"):
        page.keyboard.type(part)
        page.keyboard.press("Tab")
    tab_to(page, 'button[value="draft"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**saved=1")
    open_section("referrer")
    tab_to(page, "#referral_source")
    page.keyboard.press("ArrowDown")
    tab_to(page, 'button[value="draft"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**saved=1")
    open_section("reason")
    tab_to(page, "#reason_for_referral")
    page.keyboard.type("Jade's school saw a bruise on her arm and she was very quiet.")
    tab_to(page, 'button[value="draft"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**saved=1")
    open_section("decision")
    tab_to(page, "#decision-1")
    page.keyboard.press("ArrowDown")  # the second option: initial assessment
    tab_to(page, 'button[value="continue"]')
    page.keyboard.press("Enter")
    page.wait_for_url("**/check")
    shoot(page, artifacts_dir, "check-answers")
    tab_to(page, 'form[action$="/submit"] button')
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/check" not in url)
    assert "/view?submitted=1" in page.url, page.content()[-3000:]
    # what happened, at the top, and the next step first (in view without scrolling)
    expect(page.locator(".govuk-panel--confirmation")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Start initial assessment")).to_be_in_viewport()
    shoot(page, artifacts_dir, "submitted")
    answers = record_answers(db_engine, record_id)
    assert answers["referral_date"]["value"] == "2026-11-02"
    assert answers["decision"]["value"] == "initial_assessment"
    assert answers["reason_for_referral"]["value"].startswith("Jade's school")
    with db_engine.connect() as conn:
        status = conn.execute(
            text("SELECT status FROM records WHERE id = :id"), {"id": record_id}
        ).scalar_one()
    assert status == "submitted"


def test_nothing_typed_is_lost_when_the_server_crashes(
    page: Page, server: LiveServer, db_engine: Engine
) -> None:
    sign_in(page)
    record_id = start_record(page, server, 0, "case_note")
    page.goto(f"/records/{record_id}/sections/what_happened")
    page.locator("#note").focus()
    page.keyboard.type(NOTE)
    server.kill()  # before the autosave's 2 seconds are up
    backup = page.evaluate(
        "() => Object.entries(localStorage).filter(([k]) => k.startsWith('ics-draft:'))"
    )
    assert backup and json.loads(backup[0][1])["values"]["note"] == [NOTE]
    server.start()
    page.reload()
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=15000)
    expect(page.locator("#note")).to_have_value(NOTE)
    assert record_answers(db_engine, record_id)["note"]["value"] == NOTE


def test_nothing_typed_is_lost_when_the_session_expires(
    page: Page, server: LiveServer, db_engine: Engine
) -> None:
    sign_in(page)
    record_id = start_record(page, server, 0, "case_note")
    page.goto(f"/records/{record_id}/sections/what_happened")
    with db_engine.begin() as conn:  # the session ends while the worker is on the phone
        conn.execute(text("UPDATE user_sessions SET revoked_at = CURRENT_TIMESTAMP"))
    page.locator("#note").focus()
    page.keyboard.type(NOTE)
    page.keyboard.press("Tab")  # leaving the field saves at once
    expect(page.locator("#autosave-signed-out")).to_be_visible()
    page.locator("#autosave-signed-out a").click()
    sign_in(page)
    page.wait_for_url(f"**/records/{record_id}/sections/what_happened")
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=15000)
    assert record_answers(db_engine, record_id)["note"]["value"] == NOTE


def test_a_second_browser_cannot_overwrite_the_first(
    browser: Browser, server: LiveServer, db_engine: Engine, artifacts_dir: Path
) -> None:
    first_context, first = new_page(browser, server)
    second_context, second = new_page(browser, server)
    sign_in(first)
    sign_in(second, "manager")  # another person: a worker's own saves never conflict
    record_id = start_record(first, server, 0, "case_note")
    for page in (first, second):
        page.goto(f"/records/{record_id}/sections/what_happened")
    first.locator("#note").fill("Kerry's account of the morning.")
    first.get_by_role("button", name="Save draft").click()
    first.wait_for_url("**saved=1")
    second.locator("#note").fill("My different account.")
    second.get_by_role("button", name="Save draft").click()
    expect(second.locator("#autosave-conflict")).to_contain_text("Someone else saved")
    expect(second.locator("#autosave-conflict")).to_contain_text("Kerry's account of the morning.")
    expect(second.locator("#autosave-conflict")).to_contain_text("My different account.")
    expect(second.locator("#note")).to_have_value("My different account.")
    shoot(second, artifacts_dir, "conflict")
    assert (
        record_answers(db_engine, record_id)["note"]["value"] == "Kerry's account of the morning."
    )
    first_context.close()
    second_context.close()


def test_pathways_show_and_hide_sections_and_fields_live(page: Page, server: LiveServer) -> None:
    sign_in(page)
    record_id = start_record(page, server, 1, "core_assessment")  # Jade, 6, disabled
    page.goto(f"/records/{record_id}/sections/cover")
    outside = page.locator('[data-section-nav="risks_outside_home"]')
    disability = page.locator('[data-section-nav="disability"]')
    expect(outside).to_be_hidden()
    expect(disability).to_be_visible()  # from the child's record: disabled
    page.locator('input[name="age_band"][value="11_to_15"]').check()
    expect(outside).to_be_visible()
    page.locator('input[name="age_band"][value="5_to_10"]').check()
    expect(outside).to_be_hidden()

    referral = start_record(page, server, 1, "referral_and_information")
    page.goto(f"/records/{referral}/sections/history_and_status")
    codes = page.locator('[data-field-id="disability_codes"]')
    expect(page.locator("#disabled-yes")).to_be_checked()  # pre-filled from Jade's record
    expect(codes).to_be_visible()
    page.locator("#disabled-no").check()
    expect(codes).to_be_hidden()
    page.locator("#disabled-yes").check()
    expect(codes).to_be_visible()


def test_every_page_type_has_no_axe_violations(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True)  # so the test can inject axe-core
    pages = {"sign-in": "/sign-in"}
    found: dict[str, Any] = {}
    missing: list[str] = []  # every file a page asks for is there (no font, icon or image 404s)
    page.on(
        "response", lambda r: missing.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )
    check(page, "sign-in", "/sign-in", found, artifacts_dir)
    sign_in(page)
    case_id = child_case_id(page, 1)
    record_id = start_record(page, server, 1, "referral_and_information")
    plan_id = start_record(page, server, 1, "childs_plan")
    closure_id = start_record(page, server, 1, "closure")
    pre_proceedings_id = start_record(page, server, 1, "pre_proceedings")
    view = page.request.get(f"/api/children/{case_id}").json()
    pages = {
        "family": f"/families/{view['families'][0]['id']}",
        "person": f"/people/{view['people'][0]['person']['id']}",
        "caseload": "/caseload",
        "child": f"/children/{case_id}",
        "child-timeline-filtered": f"/children/{case_id}?show=note",
        "chronology": f"/children/{case_id}/chronology",
        "court-statement": f"/children/{case_id}/statement",
        "attachment-new": f"/children/{case_id}/attachments/new",
        "search": "/search?q=jade",
        "task-list": f"/records/{record_id}",
        "section-fields": f"/records/{record_id}/sections/history_and_status",
        "section-group": f"/records/{record_id}/sections/household",
        "section-dates": f"/records/{record_id}/sections/case",
        # the long selects: ethnicity, referral source, plan dimension (in rows), closure reason
        "section-ethnicity": f"/records/{record_id}/sections/child_details",
        "section-referral-source": f"/records/{record_id}/sections/referrer",
        "section-plan-lines": f"/records/{plan_id}/sections/plan",
        "section-closure-reason": f"/records/{closure_id}/sections/closure",
        "section-plan-outcomes": f"/records/{closure_id}/sections/progress",
        "section-fgdm": f"/records/{pre_proceedings_id}/sections/fgdm",
        # not writable yet: the page names the first question to answer
        "letters-before-proceedings": f"/records/{pre_proceedings_id}/letters/before_proceedings",
        "print-page": f"/records/{pre_proceedings_id}/print",
        "check-answers": f"/records/{record_id}/check",
        "record-view": f"/records/{record_id}/view",
        "add-person": f"/children/{case_id}/people/new",
        "add-professional": f"/children/{case_id}/professionals/new",
        "edit-person": f"/people/{view['people'][0]['person']['id']}/edit",
        "pen-picture": f"/people/{view['people'][0]['person']['id']}/pen-picture",
        "relationships": f"/families/{view['families'][0]['id']}/relationships",
    }
    for name, url in pages.items():
        check(page, name, url, found, artifacts_dir)
    page.goto(f"/records/{record_id}/sections/case")
    page.fill("#referral_date-day", "31")
    page.fill("#referral_date-month", "2")
    page.fill("#referral_date-year", "2026")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("real date")
    check(page, "section-with-errors", None, found, artifacts_dir)
    today = date.today()  # a referral received today: Jade is in this year's census, with problems
    page.fill("#referral_date-day", str(today.day))
    page.fill("#referral_date-month", str(today.month))
    page.fill("#referral_date-year", str(today.year))
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    context.close()
    context, page = new_page(browser, server, bypass_csp=True)
    sign_in(page, "manager")  # the manager lands on the team view
    assert page.url.endswith("/team")
    check(page, "team", None, found, artifacts_dir)
    context.close()
    context, page = new_page(browser, server, bypass_csp=True)
    sign_in(page, "data")  # the data manager: the returns, no child's record
    check(page, "annex-a", "/returns/annex-a", found, artifacts_dir)
    check(page, "returns", "/returns", found, artifacts_dir)  # the CIN census and its problems
    expect(page.locator("table")).to_contain_text("this referral has no referral source")
    context.close()
    assert found == {}, json.dumps(found, indent=2)[:4000]
    assert [m for m in missing if "/records/" not in m] == [], missing  # the bad date is a 422


def test_the_team_view_allocates_without_javascript(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, java_script_enabled=False)
    sign_in(page, "manager")
    expect(page.get_by_role("heading", name="Your team")).to_be_visible()
    row = page.locator("tr", has_text="Tyler")
    row.get_by_role("button", name="Reallocate").click()  # to the worker they have: no change
    page.wait_for_url("**/team#case-*")
    expect(page.locator("tr", has_text="Tyler")).to_contain_text("Sam")
    shoot(page, artifacts_dir, "team-no-js")
    context.close()


def check(page: Page, name: str, url: str | None, found: dict[str, Any], artifacts: Path) -> None:
    if url:
        page.goto(url)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    shoot(page, artifacts, f"page-{name}")
    # A council's service: its own name in the header, never GOV.UK's crown, logotype or Arms.
    violations += [
        {"id": "gov-uk-identity", "nodes": [{"html": selector}]}
        for selector in (".govuk-header__logotype", ".govuk-logo", ".govuk-footer__copyright-logo")
        if page.locator(selector).count()
    ]
    if page.locator(".app-council-header__name").inner_text() != "Riverside Borough Council":
        violations.append({"id": "council-name", "nodes": [{"html": "header"}]})
    if violations:
        found[name] = [
            {"id": v["id"], "nodes": [n["html"][:200] for n in v["nodes"][:3]]} for v in violations
        ]


def test_a_draft_left_in_the_browser_never_reaches_the_next_user(
    page: Page, server: LiveServer, db_engine: Engine
) -> None:
    """The worker's unsaved typing stays theirs: the manager who signs in next on this browser
    never sees it, and nothing is saved under the manager's name."""
    sign_in(page)
    record_id = start_record(page, server, 0, "case_note")
    page.goto(f"/records/{record_id}/sections/what_happened")
    server.kill()  # nothing reaches the server: the typing lives only in this browser
    page.locator("#note").focus()
    page.keyboard.type(NOTE)
    drafts = "() => Object.keys(localStorage).filter((k) => k.startsWith('ics-draft:'))"
    assert len(page.evaluate(drafts)) == 1
    # The worker walked away; their session is gone before the server is back, so the page's
    # retries of the autosave cannot land under the worker's name in between (a race on a
    # loaded machine: the retry after the restart saved it, and the manager then saw it saved).
    page.context.clear_cookies()
    server.start()
    sign_in(page, "manager")
    page.goto(f"/records/{record_id}/sections/what_happened")
    expect(page.locator("#note")).to_have_value("")
    assert page.evaluate(drafts) == []  # the worker's draft is forgotten, not restored
    assert "note" not in record_answers(db_engine, record_id)
