"""The data manager's census: the page lists the census problems by child and item, the XML
downloads, each is on the trail of the children it reads, and only the data manager may; the
command line does the same as the user it names."""

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from app import cli, demo
from app.audit.models import AuditEvent
from app.auth.models import Role
from app.engine.library import Library
from app.records.models import Record
from app.returns import cin
from tests.api.test_pages import page_sign_in
from tests.conftest import PASSWORD
from tests.factories import Factory
from tests.returns.generated_year import generate
from tests.returns.test_cin_census import demo_year


def _events(db: Session, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture()
def year(db: Session, factory: Factory, library: Library) -> int:
    """The demo (with Jade's records) and 20 generated children, one with no primary need."""
    demo.load(session=db, with_records=True)
    chosen = demo_year(db)
    cases = generate(
        session=db,
        library=library,
        actor=factory.actor,
        period=cin.Period.of(chosen),
        children=20,
        seed=7,
    )
    assessed = db.scalars(
        select(Record).where(
            Record.case_id.in_([c.id for c in cases]), Record.exemplar_id == "single_assessment"
        )
    ).first()
    assert assessed is not None
    assessed.answers = {k: v for k, v in assessed.answers.items() if k != "primary_need"}
    db.commit()
    return chosen


def test_the_data_manager_sees_the_problems_by_child_and_downloads_the_census(
    db: Session, client: TestClient, year: int
) -> None:
    page_sign_in(client, "data")
    page = client.get("/returns", params={"year": year})
    assert page.status_code == 200
    assert f"Children in Need census {year - 1} to {year}" in page.text
    assert "Census: this referral has no primary need" in page.text
    assert '<th scope="row" class="govuk-table__header" rowspan="' in page.text
    assert 'href="/returns"' in page.text  # "Returns" in the navigation, for the data manager
    viewed = _events(db, "returns.view")
    assert len(viewed) == 1 and viewed[0].detail == {"return": "cin", "year": year, "children": 21}
    got = client.get("/returns/cin.xml", params={"year": year})
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/xml")
    assert f"cin-census-{year - 1}-{year % 100:02d}.xml" in got.headers["content-disposition"]
    assert cin.structure_errors(got.content) == []
    assert got.content.count(b"<Child>") == 21
    exported = _events(db, "returns.export")
    assert len({e.case_id for e in exported}) == 21  # on the trail of every child in the file


@pytest.mark.parametrize("typed", ["20x6", "1999", "3000"])
def test_a_year_that_is_not_a_collection_year_is_refused_naming_the_field(
    db: Session, client: TestClient, year: int, typed: str
) -> None:
    page_sign_in(client, "data")
    for url in ("/returns", "/returns/cin.xml"):
        refused = client.get(url, params={"year": typed}, headers={"accept": "application/json"})
        assert refused.status_code == 422, (url, refused.text)
        assert refused.json()["detail"][0]["field"] == "year"
    assert _events(db, "returns.export") == []


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DATA_MANAGER])
def test_only_the_data_manager_makes_returns(
    db: Session, client: TestClient, make_user: Any, year: int, role: Role
) -> None:
    user = make_user(role)
    signed = client.post("/api/session", json={"username": user.username, "password": PASSWORD})
    assert signed.status_code == 201
    assert client.get("/returns").status_code == 403
    assert client.get("/returns/cin.xml").status_code == 403
    assert 'href="/returns"' not in client.get("/profile").text
    assert _events(db, "returns.export") == [] and _events(db, "returns.view") == []
    refused = select(AuditEvent).where(
        AuditEvent.actor_id == user.id, AuditEvent.allowed.is_(False)
    )
    assert len(db.scalars(refused).all()) == 2  # each refusal kept


@pytest.fixture()
def cli_uses_test_database(
    monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> None:
    monkeypatch.setattr(cli, "make_engine", lambda url: None)
    monkeypatch.setattr(cli, "make_session_factory", lambda engine: session_factory)


@pytest.mark.usefixtures("cli_uses_test_database")
def test_the_command_line_writes_the_census_as_the_user_it_names(
    db: Session, year: int, tmp_path: Path
) -> None:
    out = tmp_path / "cin.xml"
    args = ["returns", "cin", "--year", str(year), "--out", str(out)]
    refused = CliRunner().invoke(cli.main, [*args, "--as", "worker"])
    assert refused.exit_code == 1 and not out.exists()
    made = CliRunner().invoke(cli.main, [*args, "--as", "data"])
    assert made.exit_code == 0, made.output
    assert "21 children, 1 census problem(s), 0 structure error(s)" in made.output
    assert "PrimaryNeedCode: Census: this referral has no primary need" in made.output
    assert cin.structure_errors(out.read_bytes()) == []
    count = (
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "returns.export")
    )
    assert db.scalar(count) == 21
    assert "Jade" not in made.output  # nothing personal on a terminal's log
