"""The demo child's court statements read back as a family court would read them (SWET, PD22A):
headings in order with the evidence under them, prose not a form dump, one paragraph numbering,
the chronology dated by its events."""

import io
import re
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.auth.models import User
from app.cases import service as cases
from app.engine.display import long_date
from app.engine.library import Library
from app.printing import service
from app.printing.pdf import court_settings, render_html
from app.records import service as records
from app.records.models import Record
from tests.api.test_records import Worker, value
from tests.pdf.test_court_front import assert_accessible

PARAGRAPH = re.compile(r"^(\d+)\. (.*)")


def _statements(db: Session, library: Library) -> list[tuple[Record, str, bytes]]:
    numbers = demo.load(session=db, with_records=True, library=library)
    db.commit()
    case = cases.get_case_by_number(session=db, case_number=numbers[1])
    assert case is not None
    actor = db.scalars(select(User).where(User.username == "worker")).one()
    made = []
    for record in db.scalars(select(Record).where(Record.case_id == case.id).order_by(Record.id)):
        printed = service.print_record(
            session=db, library=library, actor=actor, record_id=record.id, audience="court"
        )
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(printed.pdf)).pages]
        # The contents page lists the headings with page numbers: the body is everything else.
        text = "\n".join(page for page in pages if "\nContents\n" not in f"\n{page}")
        made.append((record, text, printed.pdf))
    return made


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def _heading(number: int, code: str) -> str:
    return f"{number}. {court_settings()['headings'][code]}"


def _headings() -> list[str]:
    return [_heading(n, code) for n, code in enumerate(court_settings()["headings"], start=1)]


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """Numbered paragraphs (joined across wrapped lines) after the last heading line matched."""
    found: list[tuple[int, str]] = []
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        match = PARAGRAPH.match(line)
        if match and line not in _headings():
            body = [match.group(2)]
            for following in lines[index + 1 :]:
                if PARAGRAPH.match(following) or not following:
                    break
                body.append(following)
            found.append((int(match.group(1)), " ".join(body)))
    return found


def test_the_demo_statements_follow_swet_as_evidence(
    db: Session, library: Library, artifacts_dir: Path
) -> None:
    statements = _statements(db, library)
    assert [r.exemplar_id for r, _, _ in statements] == demo.record_exemplars()
    for record, text, data in statements:
        (artifacts_dir / f"court-{record.exemplar_id}.pdf").write_bytes(data)  # to look at
        flat = " ".join(text.split())
        positions = [flat.find(h) for h in _headings()]
        assert -1 not in positions and positions == sorted(positions), record.exemplar_id
        assert "Not answered" not in flat, record.exemplar_id
        written = _html_paragraphs(db, library, record)
        numbers = [number for number, _ in _paragraphs(text)]
        assert numbers == list(range(1, len(written) + 1)), record.exemplar_id  # one sequence
        short = [p for p in written if len(p.split()) < 5]
        assert short == [], (record.exemplar_id, short)  # tables aside, nothing under five words
    by_exemplar = {r.exemplar_id: " ".join(t.split()) for r, t, _ in statements}
    plan = by_exemplar["childs_plan"]
    care_plan = _between(plan, _heading(9, "care_plan"), _heading(10, "views"))
    assert "This record holds nothing under this heading" not in care_plan
    assert "Breakfast" in care_plan or len(care_plan.split()) > 50  # the plan under its heading
    for exemplar_id in ("initial_assessment", "core_assessment"):
        flat = by_exemplar[exemplar_id]
        wishes = _between(flat, _heading(5, "child_wishes"), _heading(6, "parenting"))
        words = records.get(session=db, record_id=_record_id(statements, exemplar_id)).answers
        said = str(words["child_words"]["value"][0]["what_they_said"]).split()[:4]
        assert " ".join(said) in wishes, exemplar_id  # the child's own words under theirs


def test_every_demo_statement_is_accessible(db: Session, library: Library, tmp_path: Path) -> None:
    """The demo's five court PDFs: no PDF/UA errors or warnings, margins as artifacts."""
    for record, _, data in _statements(db, library):
        assert_accessible(data, tmp_path / f"{record.exemplar_id}.pdf")


def _html_paragraphs(db: Session, library: Library, record: Record) -> list[str]:
    """Every numbered paragraph exactly as rendered (the PDF's text runs headings into them)."""
    prepared = service.prepare(session=db, library=library, record_id=record.id, audience="court")
    html = render_html(prepared.document)
    found = re.findall(r'<p class="para">(.*?)</p>', html, flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", "", p)) for p in found]


def _record_id(statements: list[tuple[Record, str, bytes]], exemplar_id: str) -> int:
    return next(r.id for r, _, _ in statements if r.exemplar_id == exemplar_id)


def test_the_chronology_is_dated_by_its_events(db: Session, library: Library) -> None:
    statements = _statements(db, library)
    review, text, _ = statements[-1]
    chronology = _between(" ".join(text.split()), _heading(2, "chronology"), _heading(3, "harm"))
    for record, _, _ in statements:
        declared = records.definition_of(library=library, record=record).definition.chronology
        assert declared is not None
        event_day = long_date(str(record.answers[declared.date]["value"]))
        assert event_day in chronology, (record.exemplar_id, event_day)
        assert f"record {record.id} version {record.version}" in chronology
    assert "Significance" in chronology and re.search(r"\b(High|Medium|Low)\b", chronology)
    assert review.exemplar_id == "review"


def test_the_print_page_warns_before_a_statement_passes_the_page_limit(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    note = worker.start(worker.children()["Ruby"], "case_note")
    sentence = "Kerry told me about the morning routine and what had changed since the visit. "
    long = "\n\n".join(sentence * 5 for _ in range(150))  # about 9,000 words
    worker.save(note, {"note": value(long), "parent_words": value("Kerry said it was hard.")})
    page = " ".join(client.get(f"/records/{note['id']}/print?audience=court").text.split())
    limit = court_settings()["page_limit"]
    pages = re.search(r"This statement runs to (\d+) pages: the court's limit is (\d+) pages", page)
    assert pages and int(pages[1]) > limit == int(pages[2]), page[-3000:]
    longest = re.findall(r"<li>([^<]+): about ([\d.]+) pages</li>", page)
    assert longest and "What happened" in longest[0][0]  # the longest part, named
    assert float(longest[0][1]) > limit / 2
    family = client.get(f"/records/{note['id']}/print?audience=family").text
    assert "court's limit" not in family  # only a court statement has a page budget


def test_a_statement_within_the_limit_says_so(db: Session, client: TestClient) -> None:
    demo.load(session=db)
    db.commit()
    worker = Worker(client)
    note = worker.start(worker.children()["Ruby"], "case_note")
    worker.save(note, {"note": value("Ruby was asleep when I arrived and Kerry was coping well.")})
    page = " ".join(client.get(f"/records/{note['id']}/print?audience=court").text.split())
    limit = court_settings()["page_limit"]
    assert re.search(rf"runs to \d+ pages, within the court's limit of {limit}", page)
