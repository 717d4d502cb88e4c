"""The print page for a family copy: who it is for, what is withheld, releasing with a note."""

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app import demo
from app.people.models import Person
from app.printing.models import Printout
from app.records.models import Record
from tests.api.test_records import Worker
from tests.factories import shipped_library


def _setup(db: Session, client: TestClient) -> tuple[Worker, int, dict[str, int]]:
    demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    plan = db.query(Record).filter_by(exemplar_id="childs_plan").one()
    ids = {p.full_name: p.id for p in db.query(Person)}
    return Worker(client), plan.id, ids


def test_the_page_asks_who_the_copy_is_for(db: Session, client: TestClient) -> None:
    _, plan, ids = _setup(db, client)
    page = client.get(f"/records/{plan}/print?audience=family&recipient=person-{ids['Pat Walsh']}")
    assert page.status_code == 200
    assert "Who is this copy for?" in page.text
    assert "Kerry Walsh (mother)" in page.text and "Lee Hughes (father)" in page.text
    assert "A reduced copy: Pat Walsh is not Jade&#39;s parent or carer" in page.text
    assert "Pat Walsh&#39;s copy" in page.text
    assert "Ruby Marshall (" not in page.text  # a sister is not offered Jade's copy
    kerry = client.get(
        f"/records/{plan}/print?audience=family&recipient=person-{ids['Kerry Walsh']}"
    )
    assert "Check before you print" in kerry.text
    assert "Release Dean Marshall&#39;s pen-picture: worries" in kerry.text
    assert f'name="recipient" value="person-{ids["Kerry Walsh"]}"' in kerry.text


def test_a_release_needs_a_note_and_is_kept_with_the_printout(
    db: Session, client: TestClient
) -> None:
    worker, plan, ids = _setup(db, client)
    key = f"pen:{ids['Dean Marshall']}:worries"
    form = {"audience": "family", "recipient": f"person-{ids['Kerry Walsh']}", "release": key}
    refused = client.post(f"/records/{plan}/print", data=form, headers=worker.headers)
    assert refused.status_code == 422 and f"note-{key}" in refused.text
    assert db.query(Printout).count() == 0  # nothing half-made
    form[f"note-{key}"] = "Dean asked for Kerry to see it."
    made = client.post(f"/records/{plan}/print", data=form, headers=worker.headers)
    assert made.status_code == 200, made.text
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(made.content)).pages).split()
    )
    assert "Can be short-tempered when tired" in text and "COPD" not in text
    printout = db.query(Printout).one()
    assert printout.recipient == "Kerry Walsh"
    assert printout.released[0]["note"] == "Dean asked for Kerry to see it."
    sent = {"recipient": "Kerry Walsh", "method": "post"}
    client.post(f"/printouts/{printout.id}/deliveries", data=sent, headers=worker.headers)
    page = client.get(f"/records/{plan}/print?audience=family")
    assert "Kerry Walsh's copy, version" in page.text and "Sent to Kerry Walsh by post" in page.text
    assert "Note: Dean asked for Kerry to see it." in page.text
