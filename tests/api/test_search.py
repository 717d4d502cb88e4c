"""Search as a worker meets it, among a few thousand people in two teams.

Another team holds 2,000 children called Smith; the worker's own team holds three. The worker's
search for "Smith" gives exactly their three; an adult is found and leads to the children's cases;
misspelt names are found, first letters changed included; dates are found as people type them.
"""

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.cases.models import Case
from app.people.models import Family, FamilyMember, Person
from app.people.search import NARROW
from tests.conftest import PASSWORD
from tests.factories import Factory

CROWD = 2_000


def _child(session: Session, given: str, family: str, worker: User, born: date) -> Case:
    child = Person(given_names=given, family_name=family, date_of_birth=born)
    session.add(child)
    session.flush()
    case = Case(
        case_number=f"SRCH-{child.id}",
        child_id=child.id,
        allocated_worker_id=worker.id,
        team_id=worker.team_id,
        opened_on=date(2026, 6, 1),
    )
    session.add(case)
    return case


@pytest.fixture()
def town(db: Session, factory: Factory) -> dict[str, Any]:
    """Two teams: the other holds a crowd of Smiths and their mothers; ours a family of three."""
    ours = factory.user(team="Team North", password=PASSWORD)
    theirs = factory.user(team="Team South")
    crowd = [
        Person(given_names=f"Child{n}", family_name="Smith", date_of_birth=date(2015, 1, 1))
        for n in range(CROWD)
    ]
    db.add_all(crowd)
    db.flush()
    db.add_all(
        Case(
            case_number=f"CROWD-{p.id}",
            child_id=p.id,
            allocated_worker_id=theirs.id,
            team_id=theirs.team_id,
            opened_on=date(2026, 1, 1),
        )
        for p in crowd
    )
    their_mother = Person(given_names="Kerry", family_name="Walsh", date_of_birth=date(1990, 2, 2))
    db.add(their_mother)
    kids = [
        _child(db, "Jade", "Smith", ours, date(2019, 3, 14)),
        _child(db, "Ruby", "Smith", ours, date(2025, 10, 1)),
        _child(db, "Tyler", "Smith", ours, date(2013, 7, 9)),
    ]
    mother = Person(given_names="Kerry", family_name="Walsh", date_of_birth=date(1992, 4, 5))
    db.add(mother)
    db.flush()
    home = Family(name="Walsh and Smith household")
    db.add(home)
    db.flush()
    members = [mother, *(case.child for case in kids)]
    db.add_all(FamilyMember(family_id=home.id, person_id=p.id, role="member") for p in members)
    other_home = Family(name="Other Walsh household")
    db.add(other_home)
    db.flush()
    db.add_all(
        FamilyMember(family_id=other_home.id, person_id=p.id, role="member")
        for p in (their_mother, crowd[0])
    )
    db.commit()
    return {"worker": ours, "kids": kids, "mother": mother, "their_mother": their_mother}


def _sign_in(client: TestClient, user: User) -> None:
    if client.cookies.get("ics_session"):
        return  # signed in already (a second sign-in would need the CSRF token)
    signed_in = client.post("/api/session", json={"username": user.username, "password": PASSWORD})
    assert signed_in.status_code == 201


def _found(client: TestClient, user: User, q: str) -> list[str]:
    """The names on the search page, in order (each result's first link)."""
    _sign_in(client, user)
    page = client.get("/search", params={"q": q})
    assert page.status_code == 200
    items = re.findall(r"<li><a class=\"govuk-link\" href=\"([^\"]+)\">([^<]+)</a>", page.text)
    return [f"{name} {href}" for href, name in items]


def test_a_common_family_name_gives_the_workers_own_children(
    client: TestClient, town: dict[str, Any]
) -> None:
    found = _found(client, town["worker"], "Smith")
    ours = {f"{c.child.full_name} /children/{c.id}" for c in town["kids"]}
    assert set(found) == ours, found


def test_an_adult_is_found_and_leads_to_the_childrens_cases_the_worker_may_see(
    client: TestClient, town: dict[str, Any]
) -> None:
    _sign_in(client, town["worker"])
    page = client.get("/search", params={"q": "Kerry Walsh"}).text
    mother, other = town["mother"], town["their_mother"]
    assert f'href="/people/{mother.id}"' in page
    assert f'href="/people/{other.id}"' not in page  # the other team's mother is not theirs
    for case in town["kids"]:
        assert f'href="/children/{case.id}"' in page
    assert "1 result" in page


@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("Kery Walsh", "Kerry Walsh"),  # a letter missing
        ("Carrie Walsh", "Kerry Walsh"),  # the first letter changed, the same sound
        ("Ryler Smith", "Tyler Smith"),  # the first letter changed, another sound
        ("jayde smyth", "Jade Smith"),  # both words respelt
        ("Welsh", "Kerry Walsh"),
    ],
)
def test_misspelt_names_are_found(
    client: TestClient, town: dict[str, Any], typed: str, wanted: str
) -> None:
    found = _found(client, town["worker"], typed)
    assert found and found[0].startswith(wanted), found


@pytest.mark.parametrize("typed", ["1 October 2025", "1/10/25", "01/10/2025", "1st Oct 2025"])
def test_a_date_of_birth_is_found_as_people_type_it(
    client: TestClient, town: dict[str, Any], typed: str
) -> None:
    ruby = town["kids"][1]
    assert _found(client, town["worker"], typed) == [f"Ruby Smith /children/{ruby.id}"]


def test_a_case_number_is_found(client: TestClient, town: dict[str, Any]) -> None:
    jade = town["kids"][0]
    assert _found(client, town["worker"], jade.case_number.lower()) == [
        f"Jade Smith /children/{jade.id}"
    ]


def test_the_index_keeps_up_with_new_and_renamed_people(
    client: TestClient, db: Session, town: dict[str, Any]
) -> None:
    tyler = town["kids"][2].child
    tyler.given_names = "Tyrone"
    db.commit()
    assert _found(client, town["worker"], "Tyrone Smith")[0].startswith("Tyrone Smith")
    assert not [n for n in _found(client, town["worker"], "Tyler Smith") if "Tyler" in n]


@pytest.mark.parametrize(
    ("typed", "wanted"), [("Carrie Walsh", "Kerry Walsh"), ("Ryler Smith", "Tyler Smith")]
)
def test_a_view_over_the_whole_council_is_searched_through_the_text_index(
    client: TestClient, factory: Factory, town: dict[str, Any], typed: str, wanted: str
) -> None:
    """An auditor sees more children than a team holds (2,003 > NARROW): the index path."""
    assert CROWD + len(town["kids"]) > NARROW
    auditor = factory.user(Role.AUDITOR, team="Audit", password=PASSWORD)
    found = _found(client, auditor, typed)
    assert found and found[0].startswith(wanted), found
    assert len([name for name in found if name.startswith("Kerry Walsh")]) in (0, 2)


def test_the_whole_councils_view_still_shows_only_what_the_user_may_see(
    client: TestClient, db: Session, factory: Factory, town: dict[str, Any]
) -> None:
    """On the index path the access filter is asked of each candidate: a restricted child the
    auditor is not named on, and an adult in no child's network, are never shown."""
    stranger = Person(given_names="Kerry", family_name="Walsh", date_of_birth=date(1970, 1, 1))
    db.add(stranger)
    hidden = _child(db, "Tyler", "Walsh", town["worker"], date(2014, 5, 5))
    hidden.restricted = True
    db.commit()
    auditor = factory.user(Role.AUDITOR, team="Audit", password=PASSWORD)
    _sign_in(client, auditor)
    page = client.get("/search", params={"q": "Kerry Walsh"}).text
    for mother in (town["mother"], town["their_mother"]):
        assert f'href="/people/{mother.id}"' in page
    assert f'href="/people/{stranger.id}"' not in page
    assert f'href="/children/{hidden.id}"' not in page
    assert f"/people/{hidden.child_id}" not in page
    jade = town["kids"][0]
    assert _found(client, auditor, "Jayde Smyth")[0] == f"Jade Smith /children/{jade.id}"
