"""The family copy's preview in Chromium: choose the reader, release one item with a note, read
the PDF back; the preview has no axe-core violations."""

import io
from pathlib import Path

from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from tests.web.conftest import AXE, LiveServer, new_page, shoot, sign_in
from tests.web.test_browser import start_record


def test_a_released_item_prints_in_that_readers_copy(
    browser: Browser, server: LiveServer, artifacts_dir: Path
) -> None:
    context, page = new_page(browser, server, bypass_csp=True)  # so the test can inject axe-core
    sign_in(page)
    record_id = start_record(page, server, 1, "childs_plan")  # Jade's plan, a draft
    page.goto(f"/records/{record_id}/print?audience=family")
    page.get_by_label("Kerry Walsh (mother)").check()
    page.get_by_role("button", name="Check this printout").click()
    page.wait_for_url("**recipient=person-*")
    expect(page.get_by_text("This copy is titled")).to_contain_text("Kerry Walsh's copy")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    shoot(page, artifacts_dir, "page-print-preview")
    assert violations == [], violations
    page.get_by_label("Release Dean Marshall's pen-picture: worries").check()
    released = page.locator(".app-release", has_text="Dean Marshall's pen-picture: worries")
    released.get_by_label("Why you are releasing it").fill("Dean asked for Kerry to see it.")
    with page.expect_download() as download:
        page.get_by_role("button", name="Make the PDF").click()
    data = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Kerry Walsh's copy" in text
    assert "Can be short-tempered when tired" in text  # released, with a note
    assert "COPD" not in text and "Past alcohol use" not in text  # still withheld
    (artifacts_dir / "family-copy-kerry.pdf").write_bytes(data)
    page.goto(f"/records/{record_id}/print?audience=family")
    expect(page.get_by_text("Note: Dean asked for Kerry to see it.")).to_be_visible()
    context.close()
