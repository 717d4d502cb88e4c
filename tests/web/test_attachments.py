"""A worker adds a child's drawing in a real browser and sees it on the child's page; the pages
with attachments pass axe-core; a record's section uploads without JavaScript and comes back."""

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.factories import tiny_png
from tests.web.conftest import LiveServer, new_page, sign_in
from tests.web.test_browser import check, child_case_id, start_record

ALT = "Jade, her mum and Ruby holding hands outside a yellow house"


def _add_drawing(page: Page, drawing: Path, title: str) -> None:
    page.set_input_files("#attachment-file", str(drawing))
    page.fill("#attachment-title", title)
    page.fill("#attachment-description", ALT)
    page.check("#attachment-for-family")
    page.get_by_role("button", name="Add file").click()


def _seen_at_home(page: Page, record_id: int) -> None:
    """A home visit where the child was seen, so the section asks for their drawing."""
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value") or ""
    revision = page.request.get(f"/api/records/{record_id}").json()["revision"]
    answers = {"note_type": {"value": "home_visit"}, "child_seen": {"value": "yes"}}
    saved = page.request.patch(
        f"/api/records/{record_id}/answers",
        data={"base_revision": revision, "answers": answers},
        headers={"X-CSRF-Token": token},
    )
    assert saved.ok, saved.text()


def test_a_drawing_uploaded_from_the_child_page_is_seen_there(
    page: Page, server: LiveServer, tmp_path: Path
) -> None:
    drawing = tmp_path / "drawing.png"
    drawing.write_bytes(tiny_png((240, 200, 40), (300, 200)))
    sign_in(page)
    case_id = child_case_id(page, 1)
    page.goto(f"/children/{case_id}")
    _add_drawing(page, drawing, "Jade's drawing of her family")
    page.wait_for_url(f"**/children/{case_id}?attached=*")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Jade's drawing of her family was added."
    )
    thumbnail = page.get_by_role("img", name=ALT)
    expect(thumbnail).to_be_visible()
    expect(thumbnail).to_have_js_property("complete", True)
    assert thumbnail.evaluate("img => img.naturalWidth") == 300  # the image itself, served back
    expect(page.locator(".app-attachment")).to_contain_text("shown in the family's copy")


def test_a_section_uploads_without_javascript_and_comes_back_with_the_file_ticked(
    browser: Browser, server: LiveServer, tmp_path: Path
) -> None:
    drawing = tmp_path / "note.png"
    drawing.write_bytes(tiny_png((40, 160, 60)))
    context, page = new_page(browser, server, java_script_enabled=False)
    sign_in(page)
    record_id = start_record(page, server, 1, "case_note")
    _seen_at_home(page, record_id)
    page.goto(f"/records/{record_id}/sections/the_child")
    page.get_by_role("link", name="Add a drawing, letter or photo").click()
    page.wait_for_url(lambda url: "/attachments/new?back=" in url)
    _add_drawing(page, drawing, "Jade's note to her teacher")
    page.wait_for_url(f"**/records/{record_id}/sections/the_child?attached=*")
    expect(page.get_by_label("Jade's note to her teacher")).to_be_checked()
    context.close()


def test_the_attachment_pages_have_no_axe_violations(
    browser: Browser, server: LiveServer, tmp_path: Path, artifacts_dir: Path
) -> None:
    drawing = tmp_path / "drawing.png"
    drawing.write_bytes(tiny_png())
    context, page = new_page(browser, server, bypass_csp=True)  # so the test can inject axe-core
    sign_in(page)
    case_id = child_case_id(page, 1)
    page.goto(f"/children/{case_id}")
    _add_drawing(page, drawing, "A drawing for axe")
    page.wait_for_url("**?attached=*")
    record_id = start_record(page, server, 1, "case_note")
    found: dict[str, object] = {}
    check(page, "child-with-attachments", f"/children/{case_id}", found, artifacts_dir)
    back = f"/records/{record_id}/sections/the_child"
    check(page, "attachment-new", f"/children/{case_id}/attachments/new?back={back}", found,
          artifacts_dir)  # fmt: skip
    check(page, "section-attachments", back, found, artifacts_dir)
    context.close()
    assert found == {}, found
