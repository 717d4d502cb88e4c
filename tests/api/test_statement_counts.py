"""The pages a worker opens most issue a fixed number of SQL statements, however long the case.

Counted on the real database connection the app uses, for a case with few records and the same
case with many: the count must not grow (no query per record, per person or per field).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from app import demo
from app.cases import service as cases
from app.records import service as records
from tests.api.test_records import Worker
from tests.factories import shipped_library

SECTION_PAGE_MOST = 12
# One statement for each thing the child page shows, never one per record: the session, the case,
# the families, relationships, pen-pictures, involvements, case events, care events (looked
# after), records, meetings, snapshots and chronology marks (the timeline), the family's replies
# with their outcomes and who recorded them, the brothers' and sisters' cases (start together),
# attachments, and the audit event of the read. Each is read once: the care events serve the
# looked-after box and the due dates, the records the list, the timeline and the census problems.
CHILD_PAGE_MOST = 18


@contextmanager
def counted(connection: Connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", count)


def _more_records(db: Session, case_id: int, how_many: int) -> None:
    library = shipped_library()
    worker = cases.get_case(session=db, case_id=case_id).allocated_worker
    assert worker is not None
    for _ in range(how_many):
        records.start(
            session=db, library=library, actor=worker, case_id=case_id, exemplar_id="case_note"
        )
    db.commit()


def _page_counts(client: TestClient, connection: Connection, paths: list[str]) -> list[int]:
    found = []
    for path in paths:
        with counted(connection) as statements:
            response = client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        found.append(len(statements))
    return found


def test_section_page_and_child_page_issue_few_statements_whatever_the_case_holds(
    db: Session, client: TestClient, connection: Connection
) -> None:
    demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    worker = Worker(client)
    jade = worker.children()["Jade"]
    draft = worker.start(jade, "core_assessment")  # live facts, people to pick, pre-fills
    sections = _every_section(db, jade) + [
        f"/records/{draft['id']}/sections/{s['id']}" for s in draft["sections"]
    ]
    child = f"/children/{jade}"
    before = _page_counts(client, connection, [*sections, child])
    _more_records(db, jade, 30)
    after = _page_counts(client, connection, [*sections, child])
    most = max(before[:-1]), max(after[:-1])
    print(f"section pages: most {most[0]} → {most[1]}; child page: {before[-1]} → {after[-1]}")
    assert after == before, "the count grew with the records on the case"
    assert max(after[:-1]) <= SECTION_PAGE_MOST
    assert after[-1] <= CHILD_PAGE_MOST


def _every_section(db: Session, case_id: int) -> list[str]:
    """Every section page of every finalised record of the case."""
    library = shipped_library()
    return [
        f"/records/{record.id}/sections/{section.id}"
        for record in records.records_for_case(session=db, case_id=case_id)
        for section in records.definition_of(library=library, record=record).definition.sections
    ]
