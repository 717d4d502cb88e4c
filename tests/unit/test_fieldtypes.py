"""Field types as a registry: every type has an entry and a partial, and each one round-trips
from a posted form to a stored value, back to the form and into words for a reader."""

from typing import Any, get_args

import pytest

from app.config import ROOT
from app.engine.answers import shape_errors
from app.engine.display import describe
from app.engine.fieldtypes import KINDS, FieldType
from app.engine.library import Exemplar
from app.engine.loader import load_library
from app.records import forms
from app.templating import make_templates

PARTIALS = ROOT / "templates" / "records" / "fields"
EVERY_TYPE = """
id: every_type
version: 1
title: Every type
purpose: One field of each type, for the registry's tests.
sections:
  - id: all
    title: All
    fields:
      - {id: a_text, type: text, label: A text}
      - {id: a_narrative, type: narrative, label: A narrative}
      - {id: a_date, type: date, label: A date}
      - {id: a_yes_no, type: yes_no, label: Seen, qualifier: true}
      - id: a_choice
        type: choice
        label: A colour
        options:
          - {code: red, label: Red}
          - {code: blue, label: {worker: Blue, family: Sky blue}}
      - id: a_multi_choice
        type: multi_choice
        label: Colours
        options:
          - {code: red, label: Red}
          - {code: blue, label: {worker: Blue, family: Sky blue}}
      - {id: a_number, type: number, label: A number}
      - {id: a_person, type: person, label: A person}
      - {id: a_professional, type: professional, label: A professional}
      - id: a_group
        type: group
        label: Visits
        fields:
          - {id: on, type: date, label: On}
          - {id: what, type: text, label: What}
      - {id: an_attachment, type: attachment, label: Files}
"""
# Person 7 and professional 7 are different rows: every reference carries its kind.
NAMES = {("person", 7): "Ann Smith", ("professional", 7): "Dr Jones — GP, Riverside Surgery"}
PEOPLE = [(("person", 7), "Ann Smith — Mother"), (("professional", 7), "Dr Jones — GP")]


@pytest.fixture(scope="module")
def exemplar(tmp_path_factory: pytest.TempPathFactory) -> Exemplar:
    folder = tmp_path_factory.mktemp("every_type")
    (folder / "every_type.yaml").write_text(EVERY_TYPE)
    return load_library(folder).latest("every_type")


def test_every_field_type_has_one_entry_and_one_partial() -> None:
    names = set(get_args(FieldType))
    assert set(KINDS) == names
    assert all(kind.name == name for name, kind in KINDS.items())
    for kind in KINDS.values():
        assert (ROOT / "templates" / kind.partial).is_file(), kind.partial
    assert {path.stem.removeprefix("_") for path in PARTIALS.glob("_*.html")} == names


# (field, posted form, stored value, form value, worker's words, family's words)
ROUND_TRIPS: list[tuple[str, dict[str, list[str]], Any, Any, str, str]] = [
    ("a_text", {"a_text": ["  Jade  "]}, "Jade", "Jade", "Jade", "Jade"),
    ("a_narrative", {"a_narrative": ["One.\n\nTwo.\n"]}, "One.\n\nTwo.\n", "One.\n\nTwo.\n",
     "One.\n\nTwo.\n", "One.\n\nTwo.\n"),
    ("a_date", {"a_date-day": ["3"], "a_date-month": ["11"], "a_date-year": ["2026"]},
     "2026-11-03", {"day": "3", "month": "11", "year": "2026"},
     "3 November 2026", "3 November 2026"),
    ("a_yes_no", {"a_yes_no": ["yes"], "a_yes_no__when": ["past"]},
     {"answer": "yes", "when": "past"}, "yes", "Yes (in the past)", "Yes (in the past)"),
    ("a_choice", {"a_choice": ["blue"]}, "blue", "blue", "Blue", "Sky blue"),
    ("a_multi_choice", {"a_multi_choice": ["red", "blue"]}, ["red", "blue"], ["red", "blue"],
     "Red, Blue", "Red, Sky blue"),
    ("a_number", {"a_number": ["1,234.50"]}, 1234.5, "1234.5", "1234.5", "1234.5"),
    ("a_person", {"a_person": ["person:7"]}, {"kind": "person", "id": 7}, "person:7",
     "Ann Smith", "Ann Smith"),
    ("a_professional", {"a_professional": ["professional:7"]},
     {"kind": "professional", "id": 7}, "professional:7",
     "Dr Jones — GP, Riverside Surgery", "Dr Jones — GP, Riverside Surgery"),
]  # fmt: skip


@pytest.mark.parametrize(("field_id", "posted", "stored", "shown", "worker", "family"), ROUND_TRIPS)
def test_a_value_round_trips_from_the_form_to_words(
    exemplar: Exemplar,
    field_id: str,
    posted: dict[str, list[str]],
    stored: Any,
    shown: Any,
    worker: str,
    family: str,
) -> None:
    section = exemplar.sections["all"]
    answers, problems = forms.parse(exemplar, section, posted, current={})
    assert problems == {}
    assert answers == {field_id: {"value": stored}}
    assert shape_errors(exemplar, answers) == {}
    view = _view(exemplar, answers, field_id)
    assert view.value == shown
    item = exemplar.fields[field_id]
    answer = answers[field_id]
    assert describe(exemplar, item, answer, names=NAMES).text == worker
    assert describe(exemplar, item, answer, audience="family", names=NAMES).text == family


def test_a_qualified_yes_no_shows_its_when_on_the_form(exemplar: Exemplar) -> None:
    answers = {"a_yes_no": {"value": {"answer": "no", "when": "never"}}}
    view = _view(exemplar, answers, "a_yes_no")
    assert (view.value, view.when) == ("no", "never")


def test_group_rows_round_trip_with_one_box_dates_and_a_spare_row(exemplar: Exemplar) -> None:
    posted = {
        "a_group__1__on": ["23/11/2026"],
        "a_group__1__what": [" Home visit "],
        "a_group__2__on": [""],
        "a_group__2__what": [""],
    }
    answers, problems = forms.parse(exemplar, exemplar.sections["all"], posted, current={})
    assert problems == {}
    assert answers == {"a_group": {"value": [{"on": "2026-11-23", "what": "Home visit"}]}}
    assert shape_errors(exemplar, answers) == {}
    rows = _view(exemplar, answers, "a_group").value
    assert [[cell.value for cell in row] for row in rows] == [
        ["23/11/2026", "Home visit"],
        [{"day": "", "month": "", "year": ""}, ""],
    ]
    shown = describe(exemplar, exemplar.fields["a_group"], answers["a_group"])
    assert shown.kind == "rows"
    assert shown.rows == ((("On", "23 November 2026"), ("What", "Home visit")),)


def test_attachments_come_from_the_childs_page_and_read_as_a_count(exemplar: Exemplar) -> None:
    answers, _ = forms.parse(exemplar, exemplar.sections["all"], {}, current={})
    assert "an_attachment" not in answers
    stored = {"an_attachment": {"value": [4, 5]}}
    assert shape_errors(exemplar, stored) == {}
    assert describe(exemplar, exemplar.fields["an_attachment"], stored["an_attachment"]).text == (
        "2 attached"
    )


def test_a_failed_post_shows_the_workers_own_typing(exemplar: Exemplar) -> None:
    posted = {"a_date-day": ["31"], "a_date-month": ["2"], "a_date-year": ["2026"]}
    _, problems = forms.parse(exemplar, exemplar.sections["all"], posted, current={})
    assert problems == {"a_date": "Enter a real date, for example 23 11 2026."}
    views = forms.views(
        exemplar,
        exemplar.sections["all"],
        answers={"a_date": {"value": "2026-01-01"}},
        shown={},
        people=PEOPLE,
        errors=problems,
        posted=posted,
    )
    view = next(v for v in views if v.item.id == "a_date")
    assert view.value == {"day": "31", "month": "2", "year": "2026"}
    assert view.error == problems["a_date"]


def test_unhashable_values_for_choices_are_refused_in_words(exemplar: Exemplar) -> None:
    answers = {"a_choice": {"value": ["red"]}, "a_multi_choice": {"value": [{"code": "red"}]}}
    assert shape_errors(exemplar, answers) == {
        "a_choice": "Choose one of the options.",
        "a_multi_choice": "Choose from the options, each once.",
    }


def test_each_partial_keeps_the_names_the_browser_and_autosave_use(exemplar: Exemplar) -> None:
    section = exemplar.sections["all"]
    views = forms.views(exemplar, section, answers={}, shown={}, people=PEOPLE)
    template = make_templates().env.from_string(
        '{% from "records/_field.html" import field %}'
        "{% for f in fields %}{{ field(f) }}{% endfor %}"
    )
    html = template.render(fields=views)
    for name in (
        "a_text", "a_narrative", "a_date-day", "a_date-month", "a_date-year", "a_yes_no",
        "a_yes_no__when", "a_choice", "a_multi_choice", "a_number", "a_person",
        "a_professional", "a_group__1__on", "a_group__1__what", "a_text__absent",
        "a_text__link", "a_date__absent",
    ):  # fmt: skip
        assert f'name="{name}"' in html, name
    assert 'name="a_group__absent"' not in html  # a group's rows take no absence code
    assert 'name="a_group__1__on__absent"' not in html


def _view(exemplar: Exemplar, answers: dict[str, Any], field_id: str) -> forms.FieldView:
    views = forms.views(
        exemplar, exemplar.sections["all"], answers=answers, shown={}, people=PEOPLE
    )
    return next(view for view in views if view.item.id == field_id)


def test_a_picker_offers_only_its_own_kind_with_the_role_shown(exemplar: Exemplar) -> None:
    person = _view(exemplar, {}, "a_person")
    professional = _view(exemplar, {}, "a_professional")
    assert person.options == [("person:7", "Ann Smith — Mother")]
    assert professional.options == [("professional:7", "Dr Jones — GP")]


def test_a_reference_of_the_other_kind_is_refused_naming_the_field(exemplar: Exemplar) -> None:
    section = exemplar.sections["all"]
    _, problems = forms.parse(exemplar, section, {"a_person": ["professional:7"]}, current={})
    assert problems == {"a_person": "Choose a person from the list."}
    wrong = {"a_person": {"value": {"kind": "professional", "id": 7}}}
    assert set(shape_errors(exemplar, wrong)) == {"a_person"}
    bare = {"a_professional": {"value": 7}}  # the old untyped form is no longer taken
    assert set(shape_errors(exemplar, bare)) == {"a_professional"}


def test_a_frozen_bare_id_reads_as_it_did_and_an_unknown_one_is_flagged(
    exemplar: Exemplar,
) -> None:
    item = exemplar.fields["a_person"]
    assert describe(exemplar, item, {"value": 7}, names=NAMES).text == "Ann Smith"
    unknown = {"value": {"kind": "person", "id": 9}}
    assert describe(exemplar, item, unknown, names=NAMES).text == (
        "Unknown person (id 9) — choose again"
    )
    flagged = {"value": {"kind": "person", "id": 7, "unresolved": True}}
    assert describe(exemplar, item, flagged, names=NAMES).text == (
        "Unknown person (id 7) — choose again"
    )
    view = _view(exemplar, {"a_person": flagged}, "a_person")
    assert view.options[0] == ("person:7:unresolved", "Unknown person (id 7) — choose again")
    assert view.value == "person:7:unresolved"  # posting the page back keeps it, flagged
    assert shape_errors(exemplar, {"a_person": flagged}) == {
        "a_person": "Unknown person (id 7) — choose again."
    }
