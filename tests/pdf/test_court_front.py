"""The court statement's front sheet, contents, witness and signature, read back from the PDF,
and the PDF/UA check on every court statement of the demo."""

from pathlib import Path
from typing import Any

import pdfua
import pikepdf
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.auth.models import User
from app.config import get_settings
from app.printing.pdf import court_settings
from tests.pdf.test_printouts import jade, printed  # noqa: F401  (the fixture and the printer)

PROFILE = {
    "job_title": "Senior social worker",
    "employer": "Riverside Borough Council Children's Services",
    "work_address": "Civic Centre\nRiver Street\nRiverside RV1 1AA",
    "qualifications": "BA (Hons) Social Work; Post-qualifying award in child protection",
    "registration_number": "SW123456",
}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _worker(db: Session) -> User:
    return db.query(User).filter_by(username="worker").one()


def _with_profile(db: Session) -> None:
    user = _worker(db)
    for name, value in PROFILE.items():
        setattr(user, name, value)
    db.commit()


def test_the_front_sheet_names_the_court_parties_and_witness(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
    artifacts_dir: Path,
) -> None:
    _with_profile(db)
    text, _, result = printed(db, jade["core"], "court")
    (artifacts_dir / "court-front.pdf").write_bytes(result.pdf)  # to look at
    front = _flat(text.split("Contents")[0])
    assert str(court_settings()["court_name"]) in front  # from court.yaml
    assert f"Applicant {get_settings().council_name}" in front
    # Respondents from relationships: Jade's parents, both with parental responsibility; not
    # Dean (mother's partner, no PR) nor Pat (grandmother).
    respondents = front.split("Respondents")[1].split("Child")[0]
    assert "Kerry Walsh (mother)" in respondents and "Lee Hughes (father)" in respondents
    assert "Dean" not in respondents and "Pat" not in respondents
    for value in PROFILE.values():
        assert _flat(value) in front, value
    assert "Statement number 1" in front
    assert "Before filing" not in front  # nothing missing from the profile
    signature = _flat(text.split("Statement of truth")[-1])
    assert "Senior social worker, Riverside Borough Council Children's Services" in signature
    assert "SW123456" in signature


def test_the_front_sheet_says_what_the_profile_lacks(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
) -> None:
    text, _, _ = printed(db, jade["core"], "court")
    front = _flat(text.split("Contents")[0])
    assert "Before filing" in front
    assert "Social Work England registration number" in front.split("Before filing")[1]


def test_a_second_statement_by_the_same_witness_is_number_two(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
) -> None:
    first, _, _ = printed(db, jade["core"], "court")
    again, _, _ = printed(db, jade["core"], "court")  # a reprint keeps its number
    second, _, _ = printed(db, jade["plan"], "court")
    assert "Statement number 1" in _flat(first) and "Statement number 1" in _flat(again)
    assert "Statement number 2" in _flat(second)


def test_the_contents_page_gives_each_heading_its_page(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
) -> None:
    _, reader, _ = printed(db, jade["core"], "court")
    contents = _flat(reader.pages[1].extract_text())
    assert contents.startswith("Contents") or "Contents" in contents
    pages = {}
    for index, heading in enumerate(court_settings()["headings"].values(), start=1):
        line = contents.split(f"{index}. {heading}")[1].split(f"{index + 1}. ")[0]
        pages[heading] = int(line.strip(" .").split()[0])
    for heading, page in pages.items():
        assert heading in reader.pages[page - 1].extract_text(), heading
    outline = _titles(reader.outline)
    assert "1. Case details" in outline and "Contents" not in outline  # bookmarks from headings
    assert "Page 1 of" in reader.pages[0].extract_text()


def test_every_court_statement_passes_the_pdfua_check(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    """Every court PDF: no errors and no warnings from the PDF/UA checker, the running header
    and footer as artifacts outside the structure tree."""
    for name in ("core", "plan"):
        _, reader, result = printed(db, jade[name], "court")
        assert_accessible(result.pdf, tmp_path / f"{name}.pdf")
        assert _figure_alt(reader), "the family diagram lands without its words"


def assert_accessible(data: bytes, path: Path) -> None:
    """pdfua finds nothing to fault (errors or warnings); on every page the case line and the
    page number are pagination artifacts, and no structure element holds them."""
    path.write_bytes(data)
    report = pdfua.validate(str(path))
    faults = [f for f in report.findings if f.severity != pdfua.Severity.INFO]
    assert faults == [], [(f.rule_id, f.message) for f in faults]
    reader = PdfReader(path)
    for number, page in enumerate(reader.pages, start=1):
        artifacts, tagged = _marked_text(page)
        assert f"Page {number} of {len(reader.pages)}" in artifacts, number
        assert "Applicant:" in artifacts and "Statement" in artifacts, number
        assert f"Page {number} of" not in tagged, number
        assert "Applicant:" not in tagged, number  # the front sheet says "Applicant", no colon
    with pikepdf.open(path) as document:
        root = document.Root.StructTreeRoot
        reached = _reached(root)
        mapped = [e for e in _parent_tree(root) if isinstance(e, pikepdf.Dictionary)]
        assert mapped and all(e.objgen in reached for e in mapped)  # no element outside the tree
        headers = [e for e in _all(root) if e.get("/S") == "/TH"]
        assert headers and all("/Scope" in e.A for e in headers)


def _marked_text(page: Any) -> tuple[str, str]:
    """The page's text inside /Artifact sequences, and the rest (tagged content)."""
    stack: list[str] = []
    artifacts: list[str] = []
    tagged: list[str] = []

    def before(operator: bytes, args: Any, *_: Any) -> None:
        if operator in (b"BDC", b"BMC"):
            stack.append(str(args[0]))
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(found: str, *_: Any) -> None:
        (artifacts if "/Artifact" in stack else tagged).append(found)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return "".join(artifacts), "".join(tagged)


def _all(root: Any) -> list[Any]:
    found, stack = [], [root]
    while stack:
        kids = stack.pop().get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


def _reached(root: Any) -> set[tuple[int, int]]:
    return {element.objgen for element in _all(root)}


def _parent_tree(root: Any) -> list[Any]:
    numbers = list(root.ParentTree.Nums)
    found: list[Any] = []
    for value in numbers[1::2]:
        found.extend(value if isinstance(value, pikepdf.Array) else [value])
    return found


def _titles(outline: Any) -> list[str]:
    found: list[str] = []
    for item in outline:
        found.extend(_titles(item) if isinstance(item, list) else [item.title])
    return found


def _figure_alt(reader: PdfReader) -> list[str]:
    """The /Alt of every /Figure in the structure tree."""
    found: list[str] = []
    stack = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if node.get("/S") == "/Figure" and "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                stack.append(kid)
    return found


def test_a_reprint_keeps_the_witness_it_was_signed_by(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
) -> None:
    """Printed, the profile changed, printed again: the same bytes; a new statement reads the
    new profile."""
    _with_profile(db)
    _, _, first = printed(db, jade["core"], "court")
    user = _worker(db)
    user.job_title, user.employer = "Team manager", "Northshire County Council"
    user.work_address, user.registration_number = "County Hall\nNorthshire NS1 1AA", "SW999999"
    db.commit()
    _, _, again = printed(db, jade["core"], "court")
    assert again.pdf == first.pdf  # byte-identical
    assert again.printout.frozen == first.printout.frozen
    assert first.printout.frozen and first.printout.frozen["witness"]["registration_number"] == (
        "SW123456"
    )
    text, _, _ = printed(db, jade["plan"], "court")  # never printed: signed today
    assert "SW999999" in _flat(text) and "Northshire County Council" in _flat(text)


def test_an_incomplete_profile_is_not_kept(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
) -> None:
    """ "Before filing … print again": until the profile is complete, nothing is frozen."""
    before, _, first = printed(db, jade["core"], "court")
    assert "Before filing" in _flat(before) and first.printout.frozen is None
    _with_profile(db)
    after, _, second = printed(db, jade["core"], "court")
    assert "Before filing" not in _flat(after) and "SW123456" in _flat(after)
    assert second.printout.frozen is not None
