"""The people around a child in a real browser: add someone from the child's page (warned of a
person already recorded), relate them to the household, write their pen-picture — each page with
no axe violations."""

from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, expect

from tests.web.conftest import LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import check, child_case_id


def test_a_worker_adds_a_person_around_jade_relates_her_and_writes_her_pen_picture(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True)  # so axe-core can be injected
    found: dict[str, Any] = {}
    sign_in(page)
    jade = child_case_id(page, 1)
    view = page.request.get(f"/api/children/{jade}").json()
    kerry = next(p["person"] for p in view["people"] if p["person"]["given_names"] == "Kerry")
    born = date.fromisoformat(kerry["date_of_birth"])
    page.goto(f"/children/{jade}")
    page.get_by_role("link", name="Add a person around Jade").click()
    expect(page.get_by_role("heading", name="Who are they?")).to_be_visible()
    check(page, "add-person-names", None, found, artifacts_dir)
    # Kerry's twin sister: the same birthday and a name one letter away.
    page.get_by_label("Given names").fill("Kerri")
    page.get_by_label("Family name").fill("Walsh")
    page.get_by_label("Day").fill(str(born.day))
    page.get_by_label("Month").fill(str(born.month))
    page.get_by_label("Year").fill(str(born.year))
    page.get_by_label("Female").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Is this the same person?")).to_be_visible()
    expect(page.get_by_label("Use this person: Kerry Walsh")).to_be_visible()
    check(page, "add-person-same-person", None, found, artifacts_dir)
    page.get_by_label("No, add a new person").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Kerri Walsh and Jade")).to_be_visible()
    page.get_by_label("What is Kerri Walsh to Jade Hughes?").select_option(label="aunt")
    page.get_by_label("No, they live elsewhere").check()
    check(page, "add-person-details", None, found, artifacts_dir)
    page.get_by_role("button", name="Add Kerri Walsh").click()
    page.wait_for_url(f"**/children/{jade}")
    expect(page.locator(".app-pen-picture", has_text="Kerri Walsh")).to_contain_text(
        "aunt, lives elsewhere"
    )
    shoot(page, artifacts_dir, "people-child-with-kerri")

    page.get_by_role("link", name="Walsh and Marshall household").click()
    page.get_by_role("link", name="Add or change a relationship in this household").click()
    page.get_by_label("Person", exact=True).select_option(label="Kerri Walsh")
    page.get_by_label("is the").select_option(label="brother or sister")
    page.get_by_label("of", exact=True).select_option(label="Kerry Walsh")
    page.get_by_role("button", name="Save relationship").click()
    expect(page.get_by_role("cell", name="Kerri Walsh is Kerry Walsh's sister")).to_be_visible()
    check(page, "relationships", None, found, artifacts_dir)

    page.goto(f"/children/{jade}")
    page.get_by_role("link", name="Kerri Walsh").click()
    page.get_by_role("link", name="Write a new pen-picture").click()
    page.get_by_role("button", name="Save this version").click()  # nothing written yet
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write at least one part")
    check(page, "pen-picture-with-errors", None, found, artifacts_dir)
    page.get_by_label("Who they are to the child").fill("Kerry's twin sister; Jade's aunt.")
    page.get_by_label("How best to talk with them").fill("Text first; she works nights.")
    page.get_by_role("button", name="Save this version").click()
    expect(page.get_by_role("heading", name="Version 1, written by Sam Okafor")).to_be_visible()
    shoot(page, artifacts_dir, "people-person-pen-picture")
    context.close()
    assert found == {}, found
