"""The child's Court statement page in a real browser: ticked records become one PDF, a page
with nothing ticked says what is wrong, and both pages pass axe-core."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from app.config import ROOT
from tests.web.conftest import LiveServer, new_page, sign_in
from tests.web.test_browser import check, child_case_id


@pytest.fixture(scope="module")
def server(web_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The demo with Jade's finalised records."""
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


def test_a_worker_makes_a_statement_from_the_records_they_tick(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True)  # so the test can inject axe-core
    found: dict[str, Any] = {}
    sign_in(page)
    page.goto(f"/children/{child_case_id(page, 1)}")  # Jade
    page.get_by_role("link", name="Court statement").click()
    expect(page.get_by_role("heading", name="Court statement for Jade Hughes")).to_be_visible()
    boxes = page.locator('input[name="records"]')
    expect(boxes).to_have_count(5)
    check(page, "court-statement-choose", None, found, artifacts_dir)
    page.get_by_role("button", name="Make the statement").click()  # nothing ticked
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one")
    check(page, "court-statement-error", None, found, artifacts_dir)
    page.get_by_label("Core assessment", exact=False).check()
    page.get_by_label("Child's plan", exact=False).check()
    with page.expect_download() as made:
        page.get_by_role("button", name="Make the statement").click()
    data = Path(made.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    page.reload()
    expect(page.get_by_role("button", name="Print statement 1 again")).to_be_visible()
    check(page, "court-statement-made", None, found, artifacts_dir)
    context.close()
    assert found == {}, found
