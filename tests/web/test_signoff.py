"""After sign-off, in a real browser: a plan line changed in three clicks from the child's page,
with the reason asked and the changes shown against the finalised version."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from app.config import ROOT
from tests.web.conftest import LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import child_case_id


@pytest.fixture(scope="module")
def server(web_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo with Jade's finalised records (her child in need plan among them)."""
    live = LiveServer(web_database, tmp_path_factory.mktemp("server"))
    live.prepare()
    subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "load", "--with-records"],
        env=live.env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    live.start()
    yield live
    live.kill()


class Clicks:
    """Every click the worker makes, counted."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, target: Locator) -> None:
        self.count += 1
        target.click()


def test_a_plan_line_is_updated_after_sign_off_in_three_clicks(
    page: Page, server: LiveServer, artifacts_dir: Path
) -> None:
    sign_in(page)
    page.goto(f"/children/{child_case_id(page, 1)}")  # Jade's page: the count starts here
    click = Clicks()

    click(page.get_by_role("link", name="Child's plan", exact=True))
    expect(page.get_by_role("heading", name="Child's plan")).to_be_visible()
    statuses = page.locator(".govuk-task-list__status").all_inner_texts()
    assert statuses and all(s.startswith(("Completed", "Not applicable")) for s in statuses)
    shoot(page, artifacts_dir, "signoff-task-list-finalised")

    click(page.get_by_role("link", name="Plan lines"))  # a finalised section's row: amend it
    expect(page.get_by_label("Why are you amending it?")).to_be_visible()
    page.get_by_label("Why are you amending it?").fill("Sam has left; the GP leads this line.")
    who = page.locator('[name="plan_lines__1__who"]')
    expect(who).to_have_value("Dr Rao (GP), Sam Okafor and Kerry")
    who.fill("Dr Rao (GP) and Kerry")
    shoot(page, artifacts_dir, "signoff-amend-page")

    click(page.get_by_role("button", name="Save the amendment"))
    expect(page.get_by_role("heading", name="Changes since version 1")).to_be_visible()
    assert click.count <= 3
    change = page.locator('[id="change-plan_lines"]')
    expect(change).to_contain_text("Sam Okafor and Kerry")  # the finalised version
    expect(change).to_contain_text("Dr Rao (GP) and Kerry")  # now
    expect(page.get_by_text("Version 2 is open for amendment.")).to_be_visible()
    expect(page.get_by_role("link", name="Print version 1 (finalised)")).to_be_visible()
    shoot(page, artifacts_dir, "signoff-amended-with-diff")


def test_the_managers_return_reaches_the_workers_task_list_and_caseload(
    browser: Browser, page: Page, server: LiveServer, artifacts_dir: Path
) -> None:
    sign_in(page)
    ruby = child_case_id(page, 0)
    signed = httpx.post(
        f"{server.url}/api/session", json={"username": "worker", "password": "demo-password"}
    ).json()
    headers = {"Authorization": f"Bearer {signed['token']}"}
    with httpx.Client(base_url=server.url, headers=headers) as api:
        note = api.post(f"/api/cases/{ruby}/records", json={"exemplar_id": "case_note"}).json()
        answers = {
            "event_date": {"value": "2026-11-20"},
            "note_type": {"value": "home_visit"},
            "note": {"value": "Seen at home."},
        }
        body = {"base_revision": note["revision"], "answers": answers}
        assert api.patch(f"/api/records/{note['id']}/answers", json=body).status_code == 200
        assert api.post(f"/api/records/{note['id']}/submit").status_code == 200

    context, manager = new_page(browser, server)
    sign_in(manager, "manager")
    manager.goto("/sign-off")
    manager.get_by_label("Comment for the worker").fill("Say who else was in the house.")
    manager.get_by_role("button", name="Return").click()
    context.close()

    page.goto("/caseload")
    expect(page.get_by_text("Say who else was in the house.")).to_be_visible()
    page.get_by_role("link", name="Case note").click()
    banner = page.locator("#returned")
    expect(banner).to_contain_text("Returned by Priya Shah")
    expect(banner).to_contain_text("Say who else was in the house.")
    shoot(page, artifacts_dir, "signoff-returned-task-list")
