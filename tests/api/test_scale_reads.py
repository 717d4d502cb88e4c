"""What a section save reads as the council grows: the child's household, relationships and
professionals are read for the facts only when a condition or pre-fill names them."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.facts import child_facts
from app.cases.models import Case
from app.engine.library import Library
from app.people.models import Person
from app.records import forms
from app.records import service as records
from tests.factories import Factory

AROUND_THE_CHILD = re.compile(r"\b(family_members|families|relationships|involvements)\b")


@contextmanager
def statements(db: Session) -> Iterator[list[str]]:
    """Every SQL statement the session sends while the block runs."""
    seen: list[str] = []

    def keep(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        seen.append(sql)

    connection = db.connection()
    event.listen(connection, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", keep)


def _child_in_a_household(factory: Factory, worker: User) -> tuple[Person, int]:
    child = factory.person(given_names="Jade", family_name="Walsh")
    mother = factory.person(given_names="Kerry", family_name="Walsh", date_of_birth=None)
    factory.family([(mother, "mother"), (child, "child")], name="Walsh household")
    factory.relationship(mother, child, "mother")
    case = factory.child_case(child, worker=worker)
    return child, case.id


def test_a_section_save_reads_nothing_around_the_child_its_form_does_not_name(
    db: Session, factory: Factory, library: Library
) -> None:
    worker = factory.actor
    _, case_id = _child_in_a_household(factory, worker)
    note = records.start(
        session=db, library=library, actor=worker, case_id=case_id, exemplar_id="case_note"
    )
    db.commit()
    context = records.load(session=db, library=library, record_id=note.id)
    section = context.exemplar.sections["what_happened"]
    posted = {"note": ["Visited Jade at home."], "note__absent": [""], "note__link": [""]}
    answers, _ = forms.parse(context.exemplar, section, posted, current=note.answers)
    with statements(db) as seen:
        saved = records.save(
            session=db,
            library=library,
            actor=worker,
            context=context,
            base_revision=note.revision,
            answers=answers,
            section_id="what_happened",
        )
        db.flush()
    assert saved.errors == {}
    assert saved.record.answers["note"]["value"] == "Visited Jade at home."
    assert seen, "the save wrote nothing"
    assert not [sql for sql in seen if AROUND_THE_CHILD.search(sql)], seen


def test_the_household_is_read_when_first_named_and_only_then(
    db: Session, factory: Factory
) -> None:
    _, case_id = _child_in_a_household(factory, factory.actor)
    case = db.get_one(Case, case_id)
    facts = child_facts(session=db, case=case)
    with statements(db) as seen:
        assert "family.household" in facts and facts["child.first_name"] == "Jade"
    assert not [sql for sql in seen if AROUND_THE_CHILD.search(sql)], seen
    with statements(db) as seen:
        household = facts["family.household"]
        assert facts.get("family.name") == "Walsh household"
    assert [row["relationship"] for row in household] == ["mother"]
    assert len([sql for sql in seen if "family_members" in sql]) == 1  # read once, for both
