"""Attachments in printouts, read back from real PDFs: the worker's copy has every drawing the
record names, the family's and the child's only those marked for them, with what each shows as
the image's alternative text in the tagged PDF."""

import io
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject
from sqlalchemy.orm import Session

from app import demo
from app.printing import service
from tests.api.test_records import Worker, value
from tests.factories import tiny_pdf, tiny_png

RED, BLUE = (220, 20, 20), (20, 20, 220)


def _add(worker: Worker, case_id: int, data: bytes, title: str, **marks: str) -> int:
    form = {"title": title, "description": f"{title}, in crayon"} | marks
    added = worker.client.post(
        f"/children/{case_id}/attachments",
        data=form,
        files={"file": ("x.png", data, "image/png")},
        headers=worker.headers,
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    return int(added.headers["location"].split("attached=")[1].split("#")[0])


def _colours(data: bytes) -> set[tuple[int, int, int]]:
    """The colours of the images in the PDF (each drawing here is one flat colour; WeasyPrint
    may list one image on every page, so a set)."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        for image in page.images:
            rgb = image.image.convert("RGB") if image.image else Image.new("RGB", (1, 1))
            found.append(rgb.getpixel((rgb.width // 2, rgb.height // 2)))
    return {tuple(c) for c in found}  # type: ignore[misc]


def _near(colour: tuple[int, int, int], wanted: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 30 for a, b in zip(colour, wanted, strict=True))


def _alts(data: bytes) -> list[str]:
    """Every /Alt in the PDF's structure tree: what a screen reader says for each figure."""
    reader = PdfReader(io.BytesIO(data))
    found: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, DictionaryObject):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, ArrayObject):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_family_copy_has_the_marked_drawing_and_not_the_unmarked_one(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    case_id = worker.children()["Jade"]
    marked = _add(worker, case_id, tiny_png(RED, (120, 90)), "Jade's house", for_family="true")
    unmarked = _add(worker, case_id, tiny_png(BLUE, (120, 90)), "Jade's bad dream")
    letter = _add(worker, case_id, tiny_pdf(), "Letter from Jade's school", for_family="true")
    note = worker.start(case_id, "case_note")
    answers = {
        "note_type": value("home_visit"),
        "child_seen": value("yes"),
        "child_drawing": value([marked, unmarked, letter]),
        "note": value("Jade drew her house and a bad dream."),
    }
    worker.save(note, answers)
    library = client.app.state.library  # type: ignore[attr-defined]
    printed = {
        audience: service.print_record(
            session=db, library=library, actor=demo_worker(db), record_id=note["id"],
            audience=audience,
        )
        for audience in ("worker", "family", "child")
    }  # fmt: skip

    family = printed["family"]
    colours = _colours(family.pdf)
    assert len(colours) == 1 and _near(colours.pop(), RED)
    assert "Jade's house, in crayon" in _alts(family.pdf)
    assert "Jade's bad dream, in crayon" not in _alts(family.pdf)
    assert ("Jade's bad dream", "not marked for the family") in {
        (w.what, w.why) for w in family.withheld
    }
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(family.pdf)).pages)
    assert "Letter from Jade's school" in text and "Drawings, letters and photos" in text

    worker_copy = _colours(printed["worker"].pdf)
    assert len(worker_copy) == 2
    assert any(_near(c, RED) for c in worker_copy) and any(_near(c, BLUE) for c in worker_copy)
    assert _colours(printed["child"].pdf) == set()  # nothing was marked for the child


def demo_worker(db: Session) -> Any:
    from app.auth.models import User

    return db.query(User).filter_by(username="worker").one()
