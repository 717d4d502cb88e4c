"""Ofsted Annex A: the demo case's lists as CSV and XLSX with the published headings, built by
`ics returns annex-a` and by the data manager's page, read back; every export audited; nobody else
may export."""

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from app import cli, demo
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.cases import service as cases
from app.engine.yamlfile import ExemplarErrors
from app.returns import annex_a
from tests.factories import shipped_library

# The published headings of each list (Annex A; see the mapping's header for the source).
CHILD = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
REFERRALS = [
    *CHILD,
    "Date of referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
]
CHILDREN_IN_NEED = [
    *CHILD,
    "Does the Child have a Disability",
    "CIN Start Date",
    "Primary Need Code",
    "Date Child Was Last Seen",
    "CIN Closure Date",
    "Reason for Closure",
    "Case Status",
    "Allocated Team",
    "Allocated Worker",
]


@pytest.fixture()
def jade(db: Session) -> str:
    """The demo family with Jade's records; her case number."""
    numbers = demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    return numbers[1]


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _exports(db: Session) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "returns.export").order_by(AuditEvent.id)
    return list(db.scalars(query))


def test_the_cli_writes_the_demo_lists_with_the_published_headings(
    jade: str,
    db: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    session_factory: sessionmaker[Session],
    make_user: Any,
) -> None:
    monkeypatch.setattr(cli, "make_engine", lambda url: None)
    monkeypatch.setattr(cli, "make_session_factory", lambda engine: session_factory)
    nadia = make_user(Role.DATA_MANAGER, team="Performance")
    result = CliRunner().invoke(
        cli.main, ["returns", "annex-a", "--out", str(tmp_path), "--as", nadia.username]
    )
    assert result.exit_code == 0, result.output
    assert "List 3 (Referrals): 1 rows" in result.output
    referrals = _csv((tmp_path / "annex_a_list_3_referrals.csv").read_bytes())
    assert referrals[0] == REFERRALS
    assert referrals[1] == [
        jade,
        "b) Female",
        "a) WBRI",
        "07/09/2020",
        str(demo_age(db, jade)),
        referrals[1][5],  # the demo's dates move with today: checked below
        "e) 2A: Schools",
        "b) No",
        "1",
        "Riverside Children in Need Team",
        "Sam Okafor",
    ]
    assert datetime.strptime(referrals[1][5], "%d/%m/%Y").date() < date.today()
    assessments = _csv((tmp_path / "annex_a_list_4_assessments.csv").read_bytes())
    assert [row[0] for row in assessments[1:]] == [jade, jade]  # the initial and the core
    assert {row[5] for row in assessments[1:]} == {"a) Yes"}  # Jade is disabled
    book = load_workbook(tmp_path / "annex_a.xlsx", read_only=True)
    assert book.sheetnames == ["List 1", "List 3", "List 4", "List 5", "List 6", "List 7"]
    cin = [list(row) for row in book["List 6"].iter_rows(values_only=True)]
    assert cin[0] == CHILDREN_IN_NEED
    assert len(cin) == 2 and cin[1][0] == jade
    assert cin[1][7] == "N2 - Child's disability" and cin[1][11] == "c) Child in need plan"
    assert [list(r) for r in book["List 7"].iter_rows(values_only=True)][1:] == []  # no CP plan
    (export,) = _exports(db)
    assert export.actor_id == nadia.id
    assert export.detail is not None and export.detail["rows"]["List 3"] == 1
    assert jade not in str(export.detail)  # who exported what: never a child's row


def demo_age(db: Session, case_number: str) -> int:
    case = cases.get_case_by_number(session=db, case_number=case_number)
    assert case is not None and case.child.date_of_birth is not None
    born, today = case.child.date_of_birth, date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def test_only_the_data_manager_may_export(
    jade: str,
    db: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    session_factory: sessionmaker[Session],
) -> None:
    monkeypatch.setattr(cli, "make_engine", lambda url: None)
    monkeypatch.setattr(cli, "make_session_factory", lambda engine: session_factory)
    result = CliRunner().invoke(
        cli.main, ["returns", "annex-a", "--out", str(tmp_path), "--as", "worker"]
    )
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == [] and _exports(db) == []
    refused = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "denied").order_by(AuditEvent.id.desc())
    ).first()
    assert refused is not None and refused.detail == {"action": "export_returns"}


def test_the_data_managers_page_counts_and_downloads(
    jade: str, db: Session, client: TestClient, sign_in: Any
) -> None:
    nadia, _ = sign_in(Role.DATA_MANAGER)
    page = client.get("/returns/annex-a")
    assert page.status_code == 200, page.text
    assert "List 6" in page.text and "Children in need" in page.text
    listed = client.get("/returns/annex-a/list-3.csv")
    assert listed.status_code == 200
    assert _csv(listed.content)[0] == REFERRALS and _csv(listed.content)[1][0] == jade
    book = client.get("/returns/annex-a/annex_a.xlsx")
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content), read_only=True)["List 3"]
    assert next(list(r) for r in sheet.iter_rows(values_only=True)) == REFERRALS
    assert client.get("/returns/annex-a/list-2.csv").status_code == 404  # no early help list
    assert [e.detail["form"] for e in _exports(db) if e.detail] == ["counts", "csv", "xlsx"]
    assert {e.actor_id for e in _exports(db)} == {nadia.id}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DATA_MANAGER])
def test_every_other_role_is_refused_the_page(role: Role, client: TestClient, sign_in: Any) -> None:
    sign_in(role)
    for url in ("/returns/annex-a", "/returns/annex-a/annex_a.xlsx", "/returns/annex-a/list-3.csv"):
        assert client.get(url).status_code == 403, (role, url)


def test_a_mistake_in_the_mapping_names_its_line(tmp_path: Path) -> None:
    shipped = (annex_a.MAPPINGS / "england" / "annex_a.yaml").read_text()
    broken = shipped.replace(
        "      - {heading: Date of Contact, answer: contact_date, date: true}",
        "      - {heading: Date of Contact, answer: contact_date, fact: child.sex}",
    ).replace("when: 'plan_type == \"cin\"'", "when: 'plan_type ==== \"cin\"'")
    (tmp_path / "annex_a.yaml").write_text(broken)
    with pytest.raises(ExemplarErrors) as refused:
        annex_a.load_mapping(path=tmp_path / "annex_a.yaml")
    lines = shipped.splitlines()
    contact = lines.index("      - {heading: Date of Contact, answer: contact_date, date: true}")
    problems = {(p.line, p.message.split(":")[0]) for p in refused.value.problems}
    assert any(line == contact + 1 for line, _ in problems), problems


def test_the_mapping_names_only_what_the_exemplars_hold() -> None:
    mapping = annex_a.load_mapping()
    assert annex_a.problems(mapping, shipped_library()) == []
    renamed = mapping.model_copy(
        update={
            "lists": [
                listed.model_copy(
                    update={
                        "rows": listed.rows.model_copy(
                            update={"exemplars": ["contact", "nonesuch"]}
                        )
                    }
                )
                if listed.number == 1
                else listed
                for listed in mapping.lists
            ]
        }
    )
    found = annex_a.problems(renamed, shipped_library())
    assert "list 1: no exemplar nonesuch" in found
    assert (
        "list 1: 'Date of Contact' names no field of nonesuch" not in found
    )  # one field, all rows
