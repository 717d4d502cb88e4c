"""A print made in the background, in Chromium: with JavaScript the job's page polls and shows the
PDF when ready; without it the page refreshes itself. The page passes axe-core."""

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.web.conftest import AXE, LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import start_record


def _background_print(browser: Browser, server: LiveServer, *, script: bool) -> tuple:  # type: ignore[type-arg]
    context, page = new_page(browser, server, bypass_csp=True, java_script_enabled=script)
    sign_in(page)
    record_id = start_record(page, server, 1, "case_note")
    page.goto(f"/records/{record_id}/print?audience=worker")
    page.get_by_role("button", name="Make it in the background").click()
    page.wait_for_url("**/print/jobs/*")
    # The page comes back by itself (polling, or a meta refresh): wait on what it says.
    expect(page.get_by_text("Your printout is ready")).to_be_visible(timeout=120_000)
    return context, page


def test_the_job_page_shows_the_pdf_when_ready_with_javascript(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = _background_print(browser, server, script=True)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    shoot(page, artifacts_dir, "page-print-job-ready")
    assert violations == [], violations
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    context.close()


def test_the_job_page_refreshes_itself_without_javascript(
    browser: Browser, server: LiveServer
) -> None:
    context, page = _background_print(browser, server, script=False)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    context.close()
