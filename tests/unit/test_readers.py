"""The readers table: exemplars/readers.yaml loads with the library, a mistake in it is refused at
its line, and what it says is what each reader gets."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import ROOT
from app.engine import readers
from app.engine.definitions import AUDIENCES, TextForms, text_for
from app.engine.display import describe
from app.engine.loader import ExemplarErrors, load_library
from app.engine.readers import load as load_readers

READERS = ROOT / "exemplars" / "readers.yaml"
ONE_FIELD = """
id: one_field
version: 1
title: One field
purpose: A field to describe.
sections:
  - id: s
    title: S
    fields:
      - {id: note, type: text, label: Note}
"""


@pytest.fixture(autouse=True)
def keep_the_table() -> Iterator[None]:
    """A test that installs another table puts the real one back."""
    before = readers.installed()
    yield
    readers.install(before)


def test_the_table_loads_with_the_library_with_a_row_per_reader() -> None:
    load_library(ROOT / "exemplars")
    assert set(readers.installed().readers) == set(AUDIENCES)
    assert readers.installed() == load_readers(READERS)
    assert readers.reader("child").reads_fields_for == ["child", "family"]


def test_labels_fall_back_in_the_order_the_table_gives() -> None:
    text = TextForms(worker="Worker words", family="Family words")
    assert text_for(text, "child") == "Family words"
    assert text_for(text, "court") == "Worker words"
    assert text_for(TextForms(worker="W", child="C"), "family") == "W"


@pytest.mark.parametrize(
    ("wrong", "right", "at", "message"),
    [
        ("    glossary: true\n    chronology: false", "    glosary: true\n    chronology: false",
         "    glosary: true", "'glosary' is not a key here"),
        ("    labels_from: [family, worker]\n    plain_words: family",
         "    labels_from: [family, worker]\n    plain_words: fmaily",
         "    plain_words: fmaily", "readers.family.plain_words"),
        ("labels_from: [child, family, worker]", "labels_from: [child, family]",
         "  child:", "labels_from must end with worker"),
        ("  court:\n", "  court:\n    extra: 1\n", "    extra: 1", "'extra' is not a key here"),
        ("readers:\n", "readers:\n  worker: [\n", "labels_from: [worker]", "YAML syntax"),
    ],
)  # fmt: skip
def test_a_broken_readers_file_names_its_line(
    tmp_path: Path, wrong: str, right: str, at: str, message: str
) -> None:
    text = READERS.read_text()
    assert wrong in text
    broken = text.replace(wrong, right, 1)
    (tmp_path / "readers.yaml").write_text(broken)
    (tmp_path / "one_field.yaml").write_text(ONE_FIELD)
    good = readers.installed()
    with pytest.raises(ExemplarErrors) as caught:
        load_library(tmp_path)
    line = next(n for n, row in enumerate(broken.splitlines(), start=1) if at in row)
    found = [(p.file, p.line) for p in caught.value.problems if message in p.message]
    assert found == [(str(tmp_path / "readers.yaml"), line)], caught.value.problems
    assert readers.installed() is good  # a broken table is never used


def test_a_missing_row_is_named(tmp_path: Path) -> None:
    text = READERS.read_text()
    (tmp_path / "readers.yaml").write_text(text[: text.index("  court:")])
    with pytest.raises(ExemplarErrors) as caught:
        load_library(tmp_path)
    assert "missing: court" in str(caught.value)
    assert caught.value.problems[0].line == text.splitlines().index("readers:") + 1


def test_what_the_table_says_is_what_the_reader_gets(tmp_path: Path) -> None:
    text = READERS.read_text()
    family_row = text.index("  family:")
    changed = text[:family_row] + text[family_row:].replace(
        "sees_where_recorded: false", "sees_where_recorded: true", 1
    )
    (tmp_path / "readers.yaml").write_text(changed)
    (tmp_path / "one_field.yaml").write_text(ONE_FIELD)
    exemplar = load_library(tmp_path).latest("one_field")
    answer = {"absent": "recorded_elsewhere", "link": "the school's file"}
    shown = describe(exemplar, exemplar.fields["note"], answer, audience="family")
    assert shown.text == "Written down somewhere else: the school's file"
    readers.install(load_readers(READERS))
    shown = describe(exemplar, exemplar.fields["note"], answer, audience="family")
    assert shown.text == "Written down somewhere else"
