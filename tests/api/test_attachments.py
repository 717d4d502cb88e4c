"""Drawings, letters and photos: type from the bytes, size-limited, polyglots refused, every
download audited and served so no browser guesses at it, other teams refused, nothing deleted."""

import io
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.auth.models import Role
from tests.api.test_signoff import form_of
from tests.factories import Factory, tiny_pdf, tiny_png

PDF = tiny_pdf()


def _case(factory: Factory, sign_in: Any, team: str = "Team A") -> tuple[int, dict[str, str]]:
    user, headers = sign_in(Role.SOCIAL_WORKER, team=team)
    factory._actor = user
    return factory.child_case(worker=user).id, headers


def _upload(
    client: TestClient,
    case_id: int,
    headers: dict[str, str],
    data: bytes,
    name: str = "drawing.png",
    **fields: str,
) -> Any:
    form = {"title": "Jade's drawing", "description": "Jade and her mum by a house"} | fields
    return client.post(
        f"/children/{case_id}/attachments",
        data=form,
        files={"file": (name, data, "image/png")},
        headers=headers,
        follow_redirects=False,
    )


def _field_of(answer: Any) -> str:
    return str(answer.json()["detail"][0]["field"])


def test_a_drawing_is_added_listed_and_downloaded_with_the_download_audited(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "Taken at 12 Acacia Avenue"  # what a phone writes: never kept
    Image.new("RGB", (60, 40), (10, 120, 200)).save(photo, format="JPEG", exif=exif)
    added = _upload(client, case_id, headers, photo.getvalue(), name="IMG_0001.JPG")
    assert added.status_code == 303, added.text
    assert added.headers["location"].startswith(f"/children/{case_id}?attached=")
    row = db.scalars(select(Attachment).where(Attachment.case_id == case_id)).one()
    assert (row.content_type, row.original_name, row.title) == (
        "image/jpeg",
        "IMG_0001.JPG",
        "Jade's drawing",
    )
    page = client.get(f"/children/{case_id}", headers=headers | {"accept": "text/html"}).text
    href = f"/children/{case_id}/attachments/{row.id}/file"
    assert f'<img src="{href}" alt="Jade and her mum by a house"' in page

    got = client.get(href, headers=headers)
    assert got.status_code == 200
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"].startswith(f'inline; filename="attachment-{row.id}')
    assert b"Acacia" not in got.content  # re-encoded from its pixels: the EXIF is gone
    assert Image.open(io.BytesIO(got.content)).size == (60, 40)
    seen = db.scalars(
        select(AuditEvent).where(
            AuditEvent.case_id == case_id, AuditEvent.action == "attachment.view"
        )
    ).all()
    assert [e.detail["via"] for e in seen] == [href]


def test_a_file_that_is_not_a_png_jpeg_or_pdf_is_refused_naming_the_file_field(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    for data in (b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\0" * 20, b""):
        refused = _upload(client, case_id, headers, data, name="drawing.png")
        assert refused.status_code == 422, refused.text
        assert _field_of(refused) == "file"
    assert db.scalars(select(Attachment).where(Attachment.case_id == case_id)).all() == []


def test_a_png_named_file_that_is_a_pdf_is_kept_as_a_pdf_and_only_ever_downloaded(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    assert _upload(client, case_id, headers, PDF, name="drawing.png").status_code == 303
    row = db.scalars(select(Attachment).where(Attachment.case_id == case_id)).one()
    assert row.content_type == "application/pdf"
    got = client.get(f"/children/{case_id}/attachments/{row.id}/file", headers=headers)
    assert got.headers["content-type"] == "application/pdf"
    name = f"attachment-{row.id}.pdf"
    assert got.headers["content-disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    )
    assert got.content == PDF


def test_polyglots_and_scripted_pdfs_are_refused(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    hostile = {
        "a PDF after the PNG": tiny_png() + PDF,
        "a zip after the PNG": tiny_png() + b"PK\x03\x04" + b"\0" * 30,
        "markup inside a JPEG": b"\xff\xd8\xff\xe0<svg onload=alert(1)>" + b"\0" * 20,
        "a PDF that runs a script": PDF.replace(
            b"/Type /Catalog", b"/Type /Catalog /OpenAction 4 0 R"
        ),
    }
    for what, data in hostile.items():
        refused = _upload(client, case_id, headers, data)
        assert refused.status_code == 422, what
        assert _field_of(refused) == "file", what
    assert db.scalars(select(Attachment).where(Attachment.case_id == case_id)).all() == []


def test_a_file_over_the_limit_is_refused_and_the_larger_limit_is_for_uploads_only(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    over = tiny_png() + b"\0" * 10_000_001  # just over 10 MB: under the route's body limit
    refused = _upload(client, case_id, headers, over)
    assert refused.status_code == 422
    assert refused.json()["detail"][0] == refused.json()["detail"][0] | {
        "field": "file",
        "message": "The file must be smaller than 10 MB.",
    }
    far_over = _upload(client, case_id, headers, b"\0" * 10_200_000)
    assert far_over.status_code == 413
    elsewhere = client.post(
        f"/children/{case_id}/records",
        files={"file": ("big.png", b"\0" * 3_000_000, "image/png")},
        headers=headers,
    )
    assert elsewhere.status_code == 413  # every other route keeps the 2 MB limit
    client.cookies.clear()
    anonymous = client.post(
        f"/children/{case_id}/attachments", files={"file": ("a.png", b"\0" * 3_000_000)}
    )
    assert anonymous.status_code == 413  # and so does anyone not signed in


def test_the_title_and_what_it_shows_are_needed(
    client: TestClient, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    for missing in ("title", "description"):
        refused = _upload(client, case_id, headers, tiny_png(), **{missing: "  "})
        assert refused.status_code == 422
        assert _field_of(refused) == missing


def test_another_teams_worker_can_neither_add_nor_download_and_is_kept_in_the_trail(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    assert _upload(client, case_id, headers, tiny_png()).status_code == 303
    row = db.scalars(select(Attachment).where(Attachment.case_id == case_id)).one()
    client.cookies.clear()
    stranger, theirs = sign_in(Role.SOCIAL_WORKER, team="Team B")
    got = client.get(f"/children/{case_id}/attachments/{row.id}/file", headers=theirs)
    assert got.status_code in (403, 404) and got.content != tiny_png()
    assert _upload(client, case_id, theirs, tiny_png()).status_code in (403, 404)
    refusals = db.scalars(
        select(AuditEvent).where(AuditEvent.actor_id == stranger.id, AuditEvent.allowed.is_(False))
    ).all()
    assert len(refusals) == 2


def test_a_childs_attachment_is_not_found_through_another_childs_page(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    other_case = factory.child_case().id  # the same worker's other child
    assert _upload(client, case_id, headers, tiny_png()).status_code == 303
    row = db.scalars(select(Attachment).where(Attachment.case_id == case_id)).one()
    got = client.get(f"/children/{other_case}/attachments/{row.id}/file", headers=headers)
    assert got.status_code == 404
    assert _field_of(got) == "attachment_id"


def test_a_withdrawn_attachment_is_kept_but_no_longer_listed(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    assert _upload(client, case_id, headers, tiny_png()).status_code == 303
    row = db.scalars(select(Attachment).where(Attachment.case_id == case_id)).one()
    url = f"/children/{case_id}/attachments/{row.id}/withdraw"
    no_reason = client.post(url, data={"reason": " "}, headers=headers)
    assert no_reason.status_code == 422 and _field_of(no_reason) == "reason"
    done = client.post(
        url, data={"reason": "Tyler's, not Jade's"}, headers=headers, follow_redirects=False
    )
    assert done.status_code == 303
    db.expire_all()
    kept = db.get(Attachment, row.id)
    assert kept is not None and kept.withdrawn_reason == "Tyler's, not Jade's"
    page = client.get(f"/children/{case_id}", headers=headers | {"accept": "text/html"}).text
    assert f"/attachments/{row.id}/file" not in page
    again = client.post(url, data={"reason": "again"}, headers=headers)
    assert again.status_code == 409


def test_a_section_offers_the_childs_files_and_an_upload_that_comes_back_to_it(
    client: TestClient, db: Session, factory: Factory, sign_in: Any
) -> None:
    case_id, headers = _case(factory, sign_in)
    started = client.post(
        f"/api/cases/{case_id}/records", json={"exemplar_id": "case_note"}, headers=headers
    )
    record_id = started.json()["id"]
    body = {
        "base_revision": started.json()["revision"],
        "answers": {"note_type": {"value": "home_visit"}},
    }
    visit = client.patch(f"/api/records/{record_id}/answers", json=body, headers=headers)
    assert visit.status_code == 200, visit.text
    section = f"/records/{record_id}/sections/the_child"
    new = client.get(f"/children/{case_id}/attachments/new?back={section}", headers=headers)
    assert new.status_code == 200 and f'name="back" value="{section}"' in new.text
    added = _upload(client, case_id, headers, tiny_png(), back=section)
    assert added.status_code == 303
    row = db.scalars(select(Attachment).where(Attachment.case_id == case_id)).one()
    assert added.headers["location"] == f"{section}?attached={row.id}#attachments"
    page = client.get(added.headers["location"], headers=headers).text
    assert f'name="child_drawing" type="checkbox" value="{row.id}" checked' in page
    assert "Jade&#39;s drawing" in page
    elsewhere = _upload(client, case_id, headers, tiny_png(), back="https://example.org/x")
    assert elsewhere.headers["location"].startswith(f"/children/{case_id}?")  # never off-site

    form = form_of(page) | {"child_seen": ["yes"], "child_drawing": [str(row.id)]}
    form |= {"csrf_token": [headers["X-CSRF-Token"]], "action": ["draft"]}
    saved = client.post(section, data=form, headers=headers, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:300]
    answers = client.get(f"/api/records/{record_id}", headers=headers).json()["answers"]
    assert answers["child_drawing"] == {"value": [row.id]}
    view = client.get(f"/records/{record_id}/view", headers=headers).text
    assert "Jade&#39;s drawing" in view  # the worker's view names the file by its title
