"""person and professional answers become typed references

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 18:00:00.000000

A person or professional answer held a bare id, and person and professional ids overlap, so
person 3 and professional 3 were read as each other. Each such answer (in records and in the
changes revisions keep) becomes {"kind": <the field's type>, "id": n}. The old picker offered both
kinds under the same number, so an id that names nobody of its kind around the child, or names
both a person and a professional there, is kept flagged ("unresolved") for the worker to choose
again; nothing is guessed. Snapshots are frozen and left as they were: their bare ids still read
with the people frozen beside them.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import app.db
from app.config import get_settings
from app.engine.definitions import FieldDef
from app.engine.library import Exemplar, Library, UnknownExemplar
from app.engine.loader import load_library

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("person", "professional")
Allowed = dict[str, set[int]]

RECORDS = sa.table(
    "records",
    sa.column("id", sa.Integer()),
    sa.column("case_id", sa.Integer()),
    sa.column("exemplar_id", sa.String()),
    sa.column("exemplar_version", sa.Integer()),
    sa.column("answers", app.db.JSONType),
)
REVISIONS = sa.table(
    "record_revisions",
    sa.column("id", sa.Integer()),
    sa.column("record_id", sa.Integer()),
    sa.column("answers", app.db.JSONType),
    sa.column("changed", app.db.JSONType),
)
CASES = sa.table("cases", sa.column("id", sa.Integer()), sa.column("child_id", sa.Integer()))
MEMBERS = sa.table(
    "family_members", sa.column("family_id", sa.Integer()), sa.column("person_id", sa.Integer())
)
LINKS = sa.table(
    "relationships",
    sa.column("person_id", sa.Integer()),
    sa.column("other_person_id", sa.Integer()),
)
INVOLVEMENTS = sa.table(
    "involvements", sa.column("person_id", sa.Integer()), sa.column("professional_id", sa.Integer())
)


def upgrade() -> None:
    _rewrite(_typed)


def downgrade() -> None:
    _rewrite(lambda kind, value, allowed: _bare(value))


def _rewrite(convert: Any) -> None:
    bind = op.get_bind()
    library = load_library(get_settings().exemplars_dir)
    worlds: dict[int, Allowed] = {}
    for record_id, case_id, exemplar_id, version, answers in bind.execute(
        sa.select(
            RECORDS.c.id,
            RECORDS.c.case_id,
            RECORDS.c.exemplar_id,
            RECORDS.c.exemplar_version,
            RECORDS.c.answers,
        )
    ).all():
        exemplar = _exemplar(library, exemplar_id, version)
        if exemplar is None:  # a definition no longer on disk: its answers stay as they are
            continue
        if case_id not in worlds:
            worlds[case_id] = _world(bind, case_id)

        def change(found: Any, allowed: Allowed = worlds[case_id], ex: Exemplar = exemplar) -> Any:
            return _answers(ex, found, lambda kind, v: convert(kind, v, allowed))

        bind.execute(
            RECORDS.update().where(RECORDS.c.id == record_id).values(answers=change(answers))
        )
        for row_id, delta, changed in bind.execute(
            sa.select(REVISIONS.c.id, REVISIONS.c.answers, REVISIONS.c.changed).where(
                REVISIONS.c.record_id == record_id
            )
        ).all():
            bind.execute(
                REVISIONS.update()
                .where(REVISIONS.c.id == row_id)
                .values(answers=change(delta), changed=change(changed))
            )


def _exemplar(library: Library, exemplar_id: str, version: int) -> Exemplar | None:
    try:
        return library.get(exemplar_id, version)
    except UnknownExemplar:
        return None


def _world(bind: sa.Connection, case_id: int) -> Allowed:
    """Everyone who was ever around the child: households, relationships, their professionals."""
    child = bind.execute(sa.select(CASES.c.child_id).where(CASES.c.id == case_id)).scalar()
    homes = sa.select(MEMBERS.c.family_id).where(MEMBERS.c.person_id == child)
    people = {
        child,
        *bind.execute(
            sa.select(MEMBERS.c.person_id).where(MEMBERS.c.family_id.in_(homes))
        ).scalars(),
    }
    for near, far in (
        (LINKS.c.person_id, LINKS.c.other_person_id),
        (LINKS.c.other_person_id, LINKS.c.person_id),
    ):
        people.update(bind.execute(sa.select(far).where(near == child)).scalars())
    pros = bind.execute(
        sa.select(INVOLVEMENTS.c.professional_id).where(INVOLVEMENTS.c.person_id.in_(people))
    ).scalars()
    return {"person": {p for p in people if p is not None}, "professional": set(pros)}


def _answers(exemplar: Exemplar, answers: Any, convert: Any) -> Any:
    if not isinstance(answers, Mapping):
        return answers
    result = dict(answers)
    for field_id, answer in answers.items():
        item = exemplar.fields.get(field_id)
        if item is None or not isinstance(answer, Mapping) or "value" not in answer:
            continue
        result[field_id] = {**answer, "value": _value(item, answer["value"], convert)}
    return result


def _value(item: FieldDef, value: Any, convert: Any) -> Any:
    if item.type in KINDS:
        return convert(item.type, value)
    if item.type != "group" or not isinstance(value, list):
        return value
    columns = {c.id: c for c in item.fields or [] if c.type in KINDS}
    return [
        {k: convert(columns[k].type, v) if k in columns else v for k, v in row.items()}
        if isinstance(row, Mapping)
        else row
        for row in value
    ]


def _typed(kind: str, value: Any, allowed: Allowed) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        return value  # already typed, or not an id at all: left for the worker to see
    other = "professional" if kind == "person" else "person"
    ref: dict[str, Any] = {"kind": kind, "id": value}
    if value in allowed[kind] and value not in allowed[other]:
        return ref
    return {**ref, "unresolved": True}


def _bare(value: Any) -> Any:
    if isinstance(value, Mapping) and isinstance(value.get("id"), int):
        return value["id"]
    return value
