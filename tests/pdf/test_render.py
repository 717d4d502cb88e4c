"""PrintDocuments rendered to real PDFs and read back as a reader would: no database involved."""

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from app.printing.document import (
    Answer,
    CourtDetails,
    GlossaryTerm,
    PenPicture,
    PrintDocument,
    Section,
)
from app.printing.pdf import PRINTOUTS, render_html, render_pdf

SCRIPT = "<script>alert(1)</script>"


def pages_of(data: bytes) -> list[str]:
    """The text of each page, whitespace collapsed so line wrapping cannot split a phrase."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def text_of(data: bytes) -> str:
    return " ".join(pages_of(data))


def sections() -> tuple[Section, ...]:
    return (
        Section(
            title="Why are we worried?",
            answers=(
                Answer(
                    label="What happened",
                    text="Jade came to school hungry.\n\nHer teacher called us the same day.",
                    kind="narrative",
                ),
                Answer(
                    label="Who told us",
                    text="Northgate Primary School",
                    source="from Referral, 3 Nov 2026",
                ),
                Answer(label="Has a doctor seen Jade?", kind="blank"),
                Answer(label="Jade's father's views", text="Not known yet", kind="absent"),
            ),
        ),
        Section(
            title="What needs to happen?",
            answers=(
                Answer(
                    label="The plan",
                    kind="rows",
                    rows=(
                        (("Need", "Breakfast every day"), ("Who", "Breakfast club")),
                        (("Need", "Getting to school on time"), ("Who", "Kerry Walsh")),
                    ),
                ),
            ),
        ),
    )


def document(audience: str = "worker", **changes: object) -> PrintDocument:
    doc = PrintDocument(
        audience="worker",
        title="Child in need plan",
        child_name="Jade Walsh",
        child_dob="4 March 2017",
        case_number="CN-0042",
        record_status="Finalised 3 November 2026, version 2",
        author="Sam Okafor",
        sections=sections(),
        pen_pictures=(
            PenPicture(
                name="Kerry Walsh", relationship="Mother", text="Kerry loves drawing with Jade."
            ),
        ),
        glossary=(
            GlossaryTerm(
                term="Core group",
                explanation="The small group who meet to check the plan is working.",
            ),
        ),
        reference="PR-000123",
    )
    court = CourtDetails(
        court="In the Family Court sitting at Leeds",
        case_number="LS26C00123",
        party="Applicant local authority",
        witness_name="Sam Okafor",
        witness_role="Social worker",
        statement_number=2,
        statement_date=date(2026, 11, 5),
        exhibits=("SO1", "SO2"),
    )
    doc = replace(doc, audience=audience, court=court if audience == "court" else None)
    return replace(doc, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("audience", ["worker", "family", "child", "court"])
def test_every_printout_shows_the_record(audience: str) -> None:
    text = text_of(render_pdf(document(audience)))
    assert "Child in need plan" in text
    # The child's copy is written to Jade: "Jade, this was written for you".
    assert ("Jade, this was written for you" if audience == "child" else "Jade Walsh") in text
    for section in sections():
        assert section.title in text
        for answer in section.answers:
            blank_for_court = audience == "court" and answer.kind == "blank"
            assert (answer.label in text) != blank_for_court  # the court reads no blanks
    assert "Jade came to school hungry." in text
    assert "Her teacher called us the same day." in text
    assert "Northgate Primary School" in text
    assert "Not known yet" in text
    assert "Breakfast every day" in text and "Kerry Walsh" in text
    assert "Page 1 of" in text


@pytest.mark.parametrize("audience", ["worker", "family", "child"])
def test_a_blank_answer_reads_not_answered_never_no(audience: str) -> None:
    text = text_of(render_pdf(document(audience)))
    after = text.split("Has a doctor seen Jade?", 1)[1]
    assert after.lstrip(" 0123456789.").startswith("Not answered")
    assert "None" not in text


def test_an_answer_with_no_text_is_not_printed_as_none() -> None:
    empty = Section(title="Health", answers=(Answer(label="Dentist", text=None),))
    text = text_of(render_pdf(document("family", sections=(empty,))))
    assert "Dentist Not answered" in text
    assert "None" not in text


def test_an_absence_is_in_plain_words_and_italic() -> None:
    html = render_html(document("family"))
    assert re.search(r'class="text absent">\s*Not known yet', html)


def test_narrative_keeps_the_writers_paragraphs() -> None:
    written = Answer(label="Story", text="First part.\r\n  \r\n\r\nSecond part.", kind="narrative")
    html = render_html(document("worker", sections=(Section("Notes", (written,)),)))
    assert "<p>First part.</p>" in html and "<p>Second part.</p>" in html


@pytest.mark.parametrize("audience", ["worker", "family", "child", "court"])
def test_a_hostile_narrative_prints_literally(audience: str) -> None:
    hostile = Answer(
        label="What Jade said", text=f"She typed {SCRIPT} in the chat.", kind="narrative"
    )
    doc = document(audience, sections=(Section("Jade's words", (hostile,)),))
    html = render_html(doc)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f"She typed {SCRIPT} in the chat." in text_of(render_pdf(doc))


def test_the_worker_copy_is_marked_and_shows_where_answers_came_from() -> None:
    pages = pages_of(render_pdf(document("worker")))
    assert "from Referral, 3 Nov 2026" in pages[0]
    assert "OFFICIAL-SENSITIVE" in pages[0] and "PR-000123" in pages[0]
    assert "Finalised 3 November 2026, version 2" in pages[0]


@pytest.mark.parametrize("audience", ["family", "child"])
def test_the_family_and_child_copies_are_plain_and_unmarked(audience: str) -> None:
    text = text_of(render_pdf(document(audience)))
    if audience == "family":
        assert "The people in Jade's life" in text
        assert "Kerry loves drawing with Jade." in text
    else:  # the child reads who is who, not what adults wrote about them
        assert "The people in your life" in text and "Kerry Walsh" in text
        assert "Kerry loves drawing with Jade." not in text
    assert "Words we have used" in text
    assert "The small group who meet to check the plan is working." in text
    assert text.index("Words we have used") > text.index("What needs to happen?")
    assert "OFFICIAL" not in text
    assert "PR-000123" in text  # the reference still lets the family quote it back to us


def test_the_family_copy_has_room_for_comments_and_signatures() -> None:
    text = text_of(render_pdf(document("family")))
    assert "What do you think?" in text
    assert "finalised 3 November 2026, version 2" in text
    assert "Parent or carer" in text and "Sam Okafor" in text


def test_the_child_copy_is_larger_than_the_family_copy() -> None:
    assert 'href="child/child.css"' in render_html(document("child"))
    css = (PRINTOUTS / "child" / "child.css").read_text()
    assert "html { font-size: 16pt;" in css
    text = text_of(render_pdf(document("child")))
    assert "Parent or carer" not in text and "Signed" not in text


def test_the_court_statement_has_its_front_matter_and_statement_of_truth() -> None:
    text = text_of(render_pdf(document("court")))
    for field in (
        "In the Family Court sitting at Leeds",
        "LS26C00123",
        "Applicant local authority",
        "Sam Okafor, Social worker",
        "Statement number 2",
        "5 November 2026",
        "SO1, SO2",
    ):
        assert field in text, field
    assert "Statement of truth" in text
    assert "I believe that the facts stated in this witness statement are true." in text
    assert "proceedings for contempt of court" in text
    assert "OFFICIAL-SENSITIVE" in text


def test_the_court_statement_numbers_its_paragraphs() -> None:
    text = text_of(render_pdf(document("court")))
    numbered = [
        "1. Kerry Walsh (Mother): Kerry loves drawing with Jade.",
        "2. Jade came to school hungry.",
        "3. Her teacher called us the same day.",
    ]
    positions = [text.find(paragraph) for paragraph in numbered]
    assert -1 not in positions and positions == sorted(positions), positions
    assert not re.search(r"\d+\. Northgate", text)  # a short answer is a fact in a table
    assert "Northgate Primary School" in text and "Not answered" not in text  # a fact; no blank


def test_a_court_statement_needs_court_details() -> None:
    with pytest.raises(ValueError, match="court details"):
        render_html(replace(document("court"), court=None))


@pytest.mark.parametrize("audience", ["worker", "family", "court"])
def test_a_long_record_runs_over_pages_each_with_a_footer(audience: str) -> None:
    long = tuple(
        Answer(
            label=f"Visit {n}",
            text=f"Visit number {n}.\n\n" + "Jade was well. " * 40,
            kind="narrative",
        )
        for n in range(1, 51)
    )
    pages = pages_of(render_pdf(document(audience, sections=(Section("Visits", long),))))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "PR-000123" in page
    assert "Visit number 50." in " ".join(pages)


def test_the_same_document_renders_the_same_text_twice() -> None:
    doc = document("court")
    assert pages_of(render_pdf(doc)) == pages_of(render_pdf(doc))
    assert render_html(doc) == render_html(doc)
