"""The court statement's family diagram, drawn from the recorded relationships of the demo family
and read back from the PDF: who is parent of whom, who are partners, who lives elsewhere."""

import re
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from sqlalchemy.orm import Session

from app import demo
from app.cases import service as cases
from app.people.models import Relationship
from app.printing import genogram
from tests.pdf.test_printouts import jade, printed  # noqa: F401  (the fixture and the printer)

JADE_IN_WORDS = (
    "Jade lives with her mother Kerry Walsh, her mother's partner Dean Marshall, her half-sister "
    "Ruby Marshall and her brother Tyler Hughes. Her father Lee Hughes and her maternal "
    "grandmother Pat Walsh live elsewhere. Kerry Walsh and Dean Marshall are partners. Kerry Walsh "
    "and Lee Hughes were partners."
)


def _jades_people(db: Session) -> list[dict[str, Any]]:
    demo.load(session=db)
    db.commit()
    case = next(
        c
        for c in (
            cases.get_case_by_number(session=db, case_number=n) for n in demo.load(session=db)
        )
        if c and c.child.given_names == "Jade"
    )
    return cases.snapshot_people(session=db, case_id=case.id)


def _named(g: genogram.Graph) -> dict[int, str]:
    return {p.id: p.name.split()[0] for p in g.people}


def test_the_demo_genogram_is_drawn_from_the_relationships(db: Session) -> None:
    g = genogram.graph(_jades_people(db))
    name = _named(g)
    parents = {(name[p], name[c]) for p, c in g.parents}
    assert parents == {
        ("Kerry", "Jade"), ("Kerry", "Tyler"), ("Kerry", "Ruby"),
        ("Lee", "Jade"), ("Lee", "Tyler"),
        ("Dean", "Ruby"),
        ("Pat", "Kerry"),  # maternal grandmother: the mother's mother
    }  # fmt: skip
    couples = {frozenset((name[a], name[b])): now for (a, b), now in g.couples.items()}
    assert couples == {frozenset(("Kerry", "Dean")): True, frozenset(("Kerry", "Lee")): False}
    elsewhere = {p.name for p in g.people if not p.at_home}
    assert elsewhere == {"Lee Hughes", "Pat Walsh"}
    rows = {name[pid]: row for pid, row in g.row.items()}
    assert rows == {"Pat": 0, "Kerry": 1, "Dean": 1, "Lee": 1, "Jade": 2, "Tyler": 2, "Ruby": 2}
    svg = genogram.draw(_jades_people(db))
    assert svg.count('stroke-dasharray="4 3"') == 2  # Lee and Pat, dashed
    assert genogram.describe(_jades_people(db)) == JADE_IN_WORDS
    assert f"<desc>{escape(JADE_IN_WORDS)}</desc>" in svg


def test_every_parent_is_drawn_above_their_children_and_partners_side_by_side(
    db: Session,
) -> None:
    g = genogram.graph(_jades_people(db))
    at = genogram.layout(g)
    assert all(at[p][1] < at[c][1] for p, c in g.parents)
    assert all(at[a][1] == at[b][1] for a, b in g.couples)
    name = _named(g)
    by_x = {name[pid]: x for pid, (x, _) in at.items()}
    assert by_x["Lee"] < by_x["Kerry"] < by_x["Dean"]  # the former partner on the left
    # Half-siblings under their own parents: Jade and Tyler under Lee and Kerry, Ruby under
    # Kerry and Dean.
    assert max(by_x["Jade"], by_x["Tyler"]) < by_x["Ruby"]
    assert by_x["Lee"] <= min(by_x["Jade"], by_x["Tyler"]) and by_x["Ruby"] <= by_x["Dean"]
    spots = [(round(x), row) for x, row in at.values()]
    assert len(spots) == len(set(spots))  # nobody drawn over anybody


def _person(pid: int, name: str, sex: str, relation: str, **more: Any) -> dict[str, Any]:
    person = {"id": pid, "full_name": name, "given_names": name.split()[0], "sex": sex}
    return {
        "person": {**person, "died_on": more.get("died_on")},
        "relationship_to_child": relation,
        "lives_with_child": more.get("home", True),
        "links": more.get("links", []),
    }


def test_the_deceased_are_crossed_with_their_date_and_names_are_escaped() -> None:
    people = [
        _person(1, "Amy <b>Stone</b>", "female", "the child"),
        _person(2, "Ann Stone", "female", "mother",
                links=[{"to": 1, "type": "mother", "ended_on": None}]),
        _person(3, "Bob Stone", "male", "father", died_on="2024-03-05", home=False,
                links=[{"to": 1, "type": "father", "ended_on": None},
                       {"to": 2, "type": "partner", "ended_on": "2024-03-05"}]),
    ]  # fmt: skip
    svg = genogram.draw(people)
    assert "<b>" not in svg and "Amy &lt;b&gt;Stone&lt;/b&gt;" in svg
    assert "died 5 March 2024" in svg
    words = genogram.describe(people)
    assert "Her father Bob Stone died on 5 March 2024." in words
    assert "lives elsewhere" not in words  # the dead are not said to live elsewhere
    assert "Ann Stone and Bob Stone were partners." in words


def test_a_snapshot_frozen_before_relationships_still_draws() -> None:
    """Older snapshots have each person's relation to the child in words, and no links."""
    people = [_person(1, "Jo Ray", "", "the child"), _person(2, "Sue Ray", "female", "mother"),
              _person(3, "Kim Ray", "male", "brother or sister"),
              _person(4, "Max Ray", "male", "maternal grandfather", home=False)]  # fmt: skip
    for entry in people:
        del entry["links"]
    g = genogram.graph(people)
    assert {(p, c) for p, c in g.parents} == {(2, 1), (2, 3), (4, 2)}
    assert genogram.describe(people).startswith(
        "Jo lives with their mother Sue Ray and their brother Kim Ray."
    )


def test_the_court_statement_carries_the_diagram_in_words(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
    artifacts_dir: Path,
) -> None:
    _, reader, result = printed(db, jade["core"], "court")
    (artifacts_dir / "court-statement-genogram.pdf").write_bytes(result.pdf)  # to look at
    alts = _alternative_texts(reader)
    assert JADE_IN_WORDS in alts
    partners = db.query(Relationship).filter_by(type_code="partner").one()
    partners.ended_on = date.today()  # Kerry and Dean separate after the record was finalised
    db.commit()
    _, _, again = printed(db, jade["core"], "court")
    assert again.printout.checksum == result.printout.checksum  # drawn as it was when finalised
    live = cases.snapshot_people(session=db, case_id=jade["case_id"])
    assert "Kerry Walsh and Dean Marshall were partners." in genogram.describe(live)


def _alternative_texts(reader: PdfReader) -> list[str]:
    found: list[str] = []
    stack: list[Any] = [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if "/Alt" in node:
                found.append(re.sub(r"\s+", " ", str(node["/Alt"])))
            if "/K" in node:
                stack.append(node["/K"])
    return found


def test_a_date_of_death_is_recorded_checked_and_drawn(
    db: Session,
    jade: dict[str, Any],  # noqa: F811
) -> None:
    worker = jade["worker"]
    pat = next(p for p in _jades_people(db) if p["person"]["given_names"] == "Patricia")
    url, headers = f"/api/people/{pat['person']['id']}", worker.headers
    future = worker.client.patch(url, json={"died_on": "2999-01-01"}, headers=headers)
    assert future.status_code == 422 and "died_on" in future.text
    assert worker.client.patch(url, json={"died_on": "2026-01-20"}, headers=headers).is_success
    live = cases.snapshot_people(session=db, case_id=jade["case_id"])
    assert "Her maternal grandmother Pat Walsh died on 20 January 2026." in genogram.describe(live)
    assert "died 20 January 2026" in genogram.draw(live)
