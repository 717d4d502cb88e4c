"""What a section save reads as the council grows: the child's household, relationships and
professionals are read for the facts only when a condition or pre-fill names them."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases import care
from app.cases.facts import child_facts
from app.cases.models import Case
from app.cases.schemas import CareEventIn
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


def test_the_placement_is_read_when_first_named_once_for_its_facts_and_the_visits(
    db: Session, factory: Factory, library: Library
) -> None:
    child, case_id = _child_in_a_household(factory, factory.actor)
    carer = factory.person(given_names="Maureen", family_name="Okonkwo", date_of_birth=None)
    factory.relationship(carer, child, "foster_carer")
    start = {"kind": "start", "on": date.today(), "legal_status": "V2", "category_of_need": "N1"}
    placed = {"placement_type": "U6", "provider": "PR1", "carer_id": carer.id}
    care.record_event(
        session=db,
        actor=factory.actor,
        library=library,
        case_id=case_id,
        data=CareEventIn.model_validate({**start, **placed}),
        today=date.today(),
    )
    facts = child_facts(session=db, case=db.get_one(Case, case_id))
    with statements(db) as seen:
        assert "placement.carer" in facts and facts["child.first_name"] == "Jade"
    assert not [sql for sql in seen if "care_events" in sql], seen
    with statements(db) as seen:
        assert facts["placement.carer"] == {"kind": "person", "id": carer.id}
        assert facts["placement.start"] == date.today().isoformat()
        assert facts["case.visits"] == "6_weekly"
    assert len([sql for sql in seen if "care_events" in sql]) == 1  # read once, for all three
