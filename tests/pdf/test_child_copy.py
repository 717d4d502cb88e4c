"""The child's copy written to the child, and Welsh copies, read back from the PDFs."""

import io
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import textstat
from fastapi.testclient import TestClient
from pypdf import PdfReader
from ruamel.yaml import YAML
from sqlalchemy.orm import Session

from app.auth.models import User
from app.engine.fieldtypes import MONTHS_CY
from app.engine.readers import reader
from app.people.models import Person
from app.printing import pdf, service
from app.records.models import Record
from tests.api.test_records import Worker, value
from tests.factories import shipped_library
from tests.pdf.test_family_copies import KNOWN, flat, jade, named
from tests.pdf.test_printouts import pdf_text

__all__ = ["jade"]  # the fixture: Jade's five finalised demo records
CHILD_WORDS = Path(pdf.PRINTOUTS) / "child" / "words.yaml"
WORD = re.compile(r"[^\W\d_][\w'’-]*")


def printed(
    db: Session, record_id: int, audience: str = "child", lang: str = "en", **kw: Any
) -> service.Printed:
    return service.print_record(
        session=db,
        library=shipped_library(),
        actor=db.query(User).filter_by(username="worker").one(),
        record_id=record_id,
        audience=audience,  # type: ignore[arg-type]
        lang=lang,
        **kw,
    )


def test_jades_copies_are_written_to_her_in_four_pages_at_most(
    db: Session, jade: list[Record]
) -> None:
    for record in jade:
        copy = printed(db, record.id)
        text, pages = pdf_text(copy.pdf)
        text = flat(text)
        assert len(pages.pages) <= 4, (record.exemplar_id, len(pages.pages))
        assert text.startswith("Hello Jade.")
        assert "This is about you. Sam Okafor wrote it. Sam Okafor is your social worker." in text
        # Not the parents' letter: no one's copy, no parent's signature, nobody else's life.
        assert "'s copy" not in text and "Parent or carer" not in text
        for adult, details in KNOWN.items():
            for detail in details:
                assert detail.lower() not in text.lower(), (record.exemplar_id, adult, detail)


def test_jade_reads_a_young_childs_words_and_her_brother_a_teenagers(
    db: Session, jade: list[Record], client: TestClient
) -> None:
    plan = next(r for r in jade if r.exemplar_id == "childs_plan")
    jades = flat(pdf_text(printed(db, plan.id).pdf)[0])
    assert "Who helps you" in jades and "You need" in jades
    assert "What grown-ups are doing to help you" not in jades

    worker = Worker(client)
    tyler = worker.start(worker.children()["Tyler"], "childs_plan")
    tyler = worker.complete(tyler, {
        "plan_type": value("cin"),
        "plan_start_date": value("2026-11-01"),
        "plan_lines": value([{"need": "A quiet place for homework", "action": "Homework club",
                              "who": "School"}]),
    })  # fmt: skip
    teens = flat(pdf_text(printed(db, tyler["id"]).pdf)[0])
    assert teens.startswith("Tyler, this was written for you")
    assert "What grown-ups are doing to help you" in teens and "What you need" in teens
    assert "Who helps you" not in teens and "Hello Tyler" not in teens
    assert "A quiet place for homework" in teens


def _child_sentences(band: str) -> list[str]:
    """Every fixed sentence the child of one band reads: the printout's words and the
    exemplars' labels in that band's voice, names filled in as they print."""
    words = YAML(typ="safe").load(CHILD_WORDS.read_text())["en"][band]
    found = [w.format(name="Jade", author="Sam Okafor") for w in words.values()]
    forms = next(b.labels_from for b in reader("child").age_bands if b.name == band)
    for exemplar in shipped_library().exemplars.values():
        for section in exemplar.definition.sections:
            for item in section.fields:
                for text in (item.label, *(c.label for c in item.fields or [])):
                    if isinstance(text, str) or not (text.child or text.young_child):
                        continue
                    chosen = next(getattr(text, f) for f in forms if getattr(text, f))
                    found.append(chosen.replace("{child}", "Jade"))
    return found


@pytest.mark.parametrize("band", ["young", "older"])
def test_the_childs_fixed_wording_reads_at_eight_or_under(band: str) -> None:
    sentences = _child_sentences(band)
    text = " ".join(s if s.rstrip().endswith((".", "?", "!")) else s + "." for s in sentences)
    grade = textstat.flesch_kincaid_grade(text)
    # A UK reading age is the US grade plus five.
    assert grade + 5 <= 8, (band, grade)
    assert len(sentences) > 20


# Welsh words spelt as English ones: "at" (to, "Ysgrifennwch at"), "person" ("Y person a
# ofynnodd"). Found in a Welsh copy, they are Welsh.
WELSH_TOO = {"at", "person"}


def _words(text: str) -> set[str]:
    return {w.lower().strip("'’-") for w in WORD.findall(text) if len(w) > 1}


def _untranslated(db: Session, record_id: int, audience: str, **kw: Any) -> tuple[set[str], int]:
    """The words of a Welsh copy's fixed wording that are English, and how many fixed words it
    has, from the two PDFs: the English copy's words, less the answers and names that print
    the same in both, are its fixed wording; any of them in the Welsh copy is untranslated."""
    english = printed(db, record_id, audience, "en", **kw)
    welsh = printed(db, record_id, audience, "cy", **kw)
    document = service.prepare(
        session=db, library=shipped_library(), record_id=record_id, audience=audience,  # type: ignore[arg-type]
        lang="cy", **kw,
    ).document  # fmt: skip
    typed = set().union(*(_words(t) for t in _own_words(document)))
    names = set().union(*(_words(p.full_name) for p in db.query(Person)), _words("Sam Okafor"))
    typed |= names | _words(document.reference)  # CN-000002/4/v1
    typed |= set().union(*(_words(t) for t in _settings_words(document)))
    fixed_en = _words(pdf_text(english.pdf)[0]) - typed
    fixed_cy = _words(pdf_text(welsh.pdf)[0]) - typed
    return (fixed_cy & fixed_en) - WELSH_TOO, len(fixed_cy)


def _settings_words(document: Any) -> list[str]:
    """What the council's settings and the worker's profile give (names, numbers, addresses, the
    reply link): data in the council's own words, not the printout's fixed wording."""
    found = [document.reply_link]
    if document.summary is not None:
        contact, complaints = document.summary.contact, document.summary.complaints
        found += [contact.job_title, contact.phone, contact.email, contact.office, contact.council]
        found += [complaints.phone, complaints.email, complaints.address, complaints.web]
    return found


def _own_words(document: Any) -> list[str]:
    """What prints as typed (tagged lang="en" in a Welsh copy): answers, pen-pictures, files."""
    found = [p.text for p in document.pen_pictures]
    summary = document.summary.parts if document.summary is not None else ()
    found += [a.text or "" for part in summary for a in part.answers if a.own_words]
    found += [f"{a.title} {a.description}" for a in document.attachments]
    found += [f"{g.term} {g.explanation}" for g in document.glossary if g.english]
    for section in document.sections:
        for answer in section.answers:
            if answer.own_words:
                found.append(answer.text or "")
            for row in answer.rows:
                own = answer.own_words_columns
                found += [text for i, (_, text) in enumerate(row) if i < len(own) and own[i]]
    return found


def test_welsh_copies_of_jades_records_have_all_their_fixed_wording_in_welsh(
    db: Session, jade: list[Record]
) -> None:
    kerry = f"person-{named(db, 'Kerry Walsh').id}"
    untranslated = {}
    for record in jade:
        for audience, kw in (("child", {}), ("family", {"recipient": kerry})):
            english, fixed = _untranslated(db, record.id, audience, **kw)
            assert fixed > 40, (record.exemplar_id, audience)
            if english:
                untranslated[f"{record.exemplar_id} {audience}"] = sorted(english)
        # The child's Welsh copy speaks to the child ("ti"), never to a parent ("chi", "eich").
        child_text = _words(pdf_text(printed(db, record.id, "child", "cy").pdf)[0])
        assert not child_text & {"chi", "eich", "ydych", "rydych"}, record.exemplar_id
    assert untranslated == {}


def test_a_welsh_copy_marks_what_was_typed_and_dates_in_welsh(
    db: Session, jade: list[Record]
) -> None:
    plan = next(r for r in jade if r.exemplar_id == "childs_plan")
    kerry = f"person-{named(db, 'Kerry Walsh').id}"
    document = service.prepare(
        session=db, library=shipped_library(), record_id=plan.id, audience="family",
        lang="cy", recipient=kerry,
    ).document  # fmt: skip
    html = pdf.render_html(document)
    assert html.startswith('<!DOCTYPE html>\n<html lang="cy"')
    # What was typed prints as typed, marked as English; a date is fixed wording, in Welsh.
    # A plan line is one block of "label: text" lines in the family copy.
    assert '</span> <article lang="en" class="en inline">Jade needs to know why' in html
    months = "|".join(MONTHS_CY)
    assert re.search(rf"Erbyn pryd:</span> \d+ ({months}) 20\d\d</p>", html)  # fixed wording
    welsh_pdf = flat(pdf_text(pdf.render_pdf(document))[0])
    assert "Copi Kerry Walsh: Cynllun Jade" in welsh_pdf and "Tudalen 1 o" in welsh_pdf
    assert "Fe'i hysgrifennwyd gan Sam Okafor, a'i gwblhau ar" in welsh_pdf


def _tagged_english(data: bytes) -> tuple[str, str]:
    """A tagged PDF's text in two parts, read back from its structure tree and page contents:
    what the tree says is English (/Lang en), and the rest."""
    english: set[tuple[int, int]] = set()  # (page, marked-content id)
    with pikepdf.open(io.BytesIO(data)) as document:
        pages = {page.obj.objgen: number for number, page in enumerate(document.pages)}
        stack = [(document.Root.StructTreeRoot, False, None)]
        while stack:
            node, is_english, page = stack.pop()
            page = node.get("/Pg", page)
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append((kid, is_english or str(kid.get("/Lang", "")) == "en", page))
                elif isinstance(kid, int) and is_english and page is not None:
                    english.add((pages[page.objgen], kid))
    parts: dict[bool, list[str]] = {True: [], False: []}
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        marks: list[int | None] = []

        def operator(op: bytes, args: Any, *_: Any, marks: list[int | None] = marks) -> None:
            if op in (b"BDC", b"BMC"):
                mcid = args[1].get("/MCID") if op == b"BDC" and len(args) > 1 else None
                marks.append(mcid if isinstance(mcid, int) else None)
            elif op == b"EMC" and marks:
                marks.pop()

        def text(
            chunk: str, *_: Any, marks: list[int | None] = marks, number: int = number
        ) -> None:
            mcid = next((m for m in reversed(marks) if m is not None), None)
            parts[(number, mcid) in english].append(chunk)

        page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return flat(" ".join(parts[True])), flat(" ".join(parts[False]))


def test_the_tagged_pdf_says_which_words_are_english(db: Session, jade: list[Record]) -> None:
    plan = next(r for r in jade if r.exemplar_id == "childs_plan")
    kerry = f"person-{named(db, 'Kerry Walsh').id}"
    for audience, kw in (("child", {}), ("family", {"recipient": kerry})):
        english, welsh = _tagged_english(printed(db, plan.id, audience, "cy", **kw).pdf)
        assert "Jade needs to know why her speech" in english  # a plan line, as typed
        assert "Shown pictures of the plan" in english  # Jade's own words
        assert "Jade needs to know" not in welsh
        assert "Beth sydd angen digwydd nesaf" not in english
        assert ("Pwy sy'n dy helpu di" if audience == "child" else "Sut byddwn yn gwybod") in welsh
    # An English copy has nothing to mark: its language is the document's.
    assert _tagged_english(printed(db, plan.id, "child", "en").pdf)[0] == ""
