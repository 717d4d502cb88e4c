"""Pre-fill sources and column maps: rows of one group feed a group with other columns, a
household's rows come from the family's facts, and a wrong column is an error at its line."""

from datetime import date
from pathlib import Path

import pytest

from app.engine.answers import EarlierRecord, prefill
from app.engine.library import Library
from app.engine.loader import ExemplarErrors, load_library

SOURCE = """\
id: assessment
version: 1
title: Assessment
purpose: Where needs are found
sections:
  - id: needs
    title: Needs
    fields:
      - id: needs
        type: group
        label: Needs
        fields:
          - {id: worry, type: narrative, label: Worry}
          - {id: dimension, type: text, label: Dimension}
          - {id: progress, type: text, label: Progress}
"""
TARGET = """\
id: plan
version: 1
title: Plan
purpose: What will be done
sections:
  - id: lines
    title: Lines
    fields:
      - id: lines
        type: group
        label: Lines
        prefill:
          from: record
          exemplar: assessment
          field: needs
          columns:
            need: worry
            dimension: dimension
        fields:
          - {id: need, type: narrative, label: Need}
          - {id: dimension, type: text, label: Dimension}
          - {id: progress, type: text, label: Progress}
      - id: household
        type: group
        label: Household
        prefill:
          from: family
          attribute: household
          columns:
            who: person
            lives_with_child: lives_here
            responsible: parental_responsibility
        fields:
          - {id: who, type: person, label: Who}
          - {id: lives_with_child, type: yes_no, label: Lives with the child}
          - {id: responsible, type: yes_no, label: Parental responsibility}
      - id: referrer
        type: professional
        label: Referrer
        prefill: {from: child, attribute: health_visitor_professional}
"""


def _library(tmp_path: Path, target: str = TARGET) -> Library:
    (tmp_path / "assessment.yaml").write_text(SOURCE)
    (tmp_path / "plan.yaml").write_text(target)
    return load_library(tmp_path)


def test_a_column_map_carries_the_named_columns_and_leaves_the_rest_empty(
    tmp_path: Path,
) -> None:
    plan = _library(tmp_path).latest("plan")
    needs = [
        {"worry": "Ruby's weight is falling.", "dimension": "health", "progress": "met"},
        {"progress": "met"},  # nothing this plan takes: no empty row
    ]
    earlier = EarlierRecord({"needs": {"value": needs}}, "Assessment", 7, date(2026, 11, 2))
    filled = prefill(plan, facts={}, answers={}, earlier=lambda e: earlier, today=date(2026, 12, 1))
    assert filled["lines"]["value"] == [
        {"need": "Ruby's weight is falling.", "dimension": "health"}
    ]
    assert filled["lines"]["prefilled"] == {
        "source": "Assessment",
        "on": "2026-11-02",
        "record_id": 7,
    }


def test_household_rows_and_a_professional_come_from_the_facts(tmp_path: Path) -> None:
    plan = _library(tmp_path).latest("plan")
    facts = {
        "family.household": [
            {
                "person": {"kind": "person", "id": 3},
                "relationship": "mother",
                "lives_here": True,
                "parental_responsibility": True,
            },
            {
                "person": {"kind": "person", "id": 5},
                "relationship": "maternal grandmother",
                "lives_here": False,
                "parental_responsibility": None,  # not recorded: left for the worker
            },
        ],
        "child.health_visitor_professional": {"kind": "professional", "id": 2},
    }
    filled = prefill(plan, facts=facts, answers={}, earlier=lambda e: None, today=date(2026, 12, 1))
    assert filled["household"]["value"] == [
        {"who": {"kind": "person", "id": 3}, "lives_with_child": "yes", "responsible": "yes"},
        {"who": {"kind": "person", "id": 5}, "lives_with_child": "no"},
    ]
    assert filled["household"]["prefilled"]["source"] == "the family's details"
    assert filled["referrer"]["value"] == {"kind": "professional", "id": 2}
    assert "lines" not in filled  # no earlier assessment: nothing to carry


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "            need: worry\n",
            "            needs: worry\n",
            17,
            "lines has no column 'needs'",
        ),
        (
            "            need: worry\n",
            "            need: wory\n",
            17,
            "the source has no column 'wory' (did you mean 'worry'?)",
        ),
        (
            "            need: worry\n",
            "            progress: worry\n",
            17,
            "type mismatch: column progress is text, the source's worry is narrative",
        ),
        (
            "            who: person\n",
            "            who: relationship\n",
            30,
            "type mismatch: column who is person, the source's relationship is text",
        ),
        (
            "        prefill: {from: child, attribute: health_visitor_professional}\n",
            "        prefill: {from: child, attribute: health_visitor}\n",
            40,
            "type mismatch: child.health_visitor is text, the field is professional",
        ),
    ],
)
def test_a_wrong_column_map_is_an_error_at_its_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in TARGET
    with pytest.raises(ExemplarErrors) as caught:
        _library(tmp_path, TARGET.replace(old, new))
    problems = [p for p in caught.value.problems if p.severity == "error"]
    assert [(p.file.endswith("plan.yaml"), p.line) for p in problems] == [(True, line)], problems
    assert message in problems[0].message


def test_rows_from_the_family_must_say_which_column_takes_which(tmp_path: Path) -> None:
    start = TARGET.index("          columns:\n            who: person")
    end = TARGET.index("        fields:\n          - {id: who")
    with pytest.raises(ExemplarErrors) as caught:
        _library(tmp_path, TARGET[:start] + TARGET[end:])
    (problem,) = [p for p in caught.value.problems if p.severity == "error"]
    assert problem.line == 26
    assert "say which takes which" in problem.message and "<column>: lives_here" in problem.message


def test_columns_belong_to_a_group(tmp_path: Path) -> None:
    target = TARGET.replace(
        "        prefill: {from: child, attribute: health_visitor_professional}\n",
        "        prefill:\n          from: child\n"
        "          attribute: health_visitor_professional\n"
        "          columns: {who: person}\n",
    )
    with pytest.raises(ExemplarErrors) as caught:
        _library(tmp_path, target)
    (problem,) = [p for p in caught.value.problems if p.severity == "error"]
    assert problem.line == 43 and "'columns' maps rows: referrer is not a group" in problem.message


PLACEMENT = """\
id: placement
version: 1
title: Placement
purpose: Where the child lives
audiences: [worker, family, carer]
sections:
  - id: placement
    title: Placement
    fields:
      - id: carer
        type: person
        label: Carer
        prefill: {from: placement, attribute: carer}
      - id: address
        type: text
        audiences: [worker, carer]
        label: Address
        prefill: {from: placement, attribute: address}
"""


def test_the_placement_fills_the_carer_and_their_address_for_the_worker_and_carer_only(
    tmp_path: Path,
) -> None:
    (tmp_path / "placement.yaml").write_text(PLACEMENT)
    placement = load_library(tmp_path).latest("placement")
    facts = {"placement.carer": {"kind": "person", "id": 9}, "placement.address": "7 Larch Road"}
    filled = prefill(placement, facts=facts, answers={}, earlier=lambda e: None, today=date.today())
    assert filled["carer"]["value"] == {"kind": "person", "id": 9}
    assert filled["address"]["value"] == "7 Larch Road"
    assert filled["address"]["prefilled"]["source"] == "the current placement"
    # A parent's copy would carry the carer's confidential address: refused at its line.
    (tmp_path / "placement.yaml").write_text(
        PLACEMENT.replace("        audiences: [worker, carer]\n", "")
    )
    with pytest.raises(ExemplarErrors) as caught:
        load_library(tmp_path)
    (problem,) = [p for p in caught.value.problems if p.severity == "error"]
    assert (
        problem.line == 17 and "placement.address is for worker and carer only" in problem.message
    )
