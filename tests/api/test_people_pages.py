"""The people around a child, on the pages, as a browser without JavaScript posts them: add a
person (with the duplicate check), change their details, a new pen-picture version, relate two
people, add a professional — and the roles that may not."""

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo
from app.audit.models import AuditEvent
from app.cases.models import Case
from app.people.models import (
    FamilyMember,
    Involvement,
    PenPicture,
    Person,
    Professional,
    Relationship,
)
from tests.api.test_pages import page_sign_in


def _signed_in(db: Session, client: TestClient, username: str = "worker") -> str:
    demo.load(session=db)
    db.commit()
    return page_sign_in(client, username)


def _case(client: TestClient, name: str) -> int:
    rows = client.get("/api/caseload").json()
    return int(next(r["case_id"] for r in rows if r["child_name"].startswith(name)))


def _person(db: Session, given: str, family: str) -> Person:
    return db.scalars(
        select(Person).where(Person.given_names == given, Person.family_name == family)
    ).one()


def _count(db: Session, model: Any) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _born(person: Person) -> dict[str, str]:
    born = person.date_of_birth
    assert born is not None
    return {
        "date_of_birth-day": str(born.day),
        "date_of_birth-month": str(born.month),
        "date_of_birth-year": str(born.year),
    }


def test_adding_someone_already_recorded_asks_if_they_are_the_same_and_uses_them(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    ruby = _case(client, "Ruby")
    lee = _person(db, "Lee", "Hughes")
    people_before = _count(db, Person)
    url = f"/children/{ruby}/people/new"
    names = {"csrf_token": csrf, "given_names": "Lee", "family_name": "Hughes", **_born(lee)}
    asked = client.post(url, data={**names, "step": "names", "sex": "male"})
    assert asked.status_code == 200
    assert "Is this the same person?" in asked.text
    assert f'value="{lee.id}"' in asked.text and "Use this person: Lee Hughes" in asked.text
    assert "No, add a new person" in asked.text
    unchosen = client.post(url, data={**names, "step": "match", "sex": "male"})
    assert unchosen.status_code == 400 and 'href="#same_person"' in unchosen.text
    chosen = {**names, "sex": "male", "same_person": str(lee.id)}
    details = client.post(url, data={**chosen, "step": "match"})
    assert details.status_code == 200 and "who is already recorded" in details.text
    assert ">half-brother</option>" in details.text  # the words follow his recorded sex
    added = client.post(
        url,
        data={**chosen, "step": "details", "type_code": "friend", "family_id": "none"},
        follow_redirects=False,
    )
    assert added.status_code == 303 and added.headers["location"] == f"/children/{ruby}"
    assert _count(db, Person) == people_before  # the same person, not a second one
    link = db.scalars(select(Relationship).where(Relationship.person_id == lee.id)).all()
    assert [r.type_code for r in link if r.other_person.given_names == "Ruby"] == ["friend"]


def test_a_new_person_joins_the_household_related_to_the_child_in_words_that_fit_them(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    jade = _case(client, "Jade")
    url = f"/children/{jade}/people/new"
    names = {"csrf_token": csrf, "given_names": "Sandra", "family_name": "Okoye", "sex": "female"}
    names |= {"date_of_birth-day": "4", "date_of_birth-month": "3", "date_of_birth-year": "1990"}
    details = client.post(url, data={**names, "step": "names"})
    assert details.status_code == 200 and "Is this the same person?" not in details.text
    assert '<option value="aunt_uncle">aunt</option>' in details.text
    family_id = re.search(r'name="family_id" type="radio" value="(\d+)"', details.text)
    assert family_id, details.text
    form = {**names, "step": "details", "type_code": "aunt_uncle", "family_id": family_id[1]}
    form |= {"lives_here": "no", "parental_responsibility": "no", "address": "9 Elm Row"}
    added = client.post(url, data=form, follow_redirects=False)
    assert added.status_code == 303
    sandra = _person(db, "Sandra", "Okoye")
    assert sandra.date_of_birth == date(1990, 3, 4) and sandra.address == "9 Elm Row"
    member = db.scalars(select(FamilyMember).where(FamilyMember.person_id == sandra.id)).one()
    assert member.family_id == int(family_id[1]) and member.lives_here is False
    page = client.get(f"/children/{jade}").text
    assert "Sandra Okoye" in page and "(aunt, lives elsewhere)" in page


def test_a_refused_step_names_each_field_and_writes_nothing(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    jade = _case(client, "Jade")
    url = f"/children/{jade}/people/new"
    before = (_count(db, Person), _count(db, Relationship), _count(db, FamilyMember))
    bad = {"csrf_token": csrf, "step": "names", "given_names": " ", "family_name": "Okoye"}
    bad |= {"date_of_birth-day": "31", "date_of_birth-month": "2", "date_of_birth-year": "1990"}
    refused = client.post(url, data=bad)
    assert refused.status_code == 400 and "There is a problem" in refused.text
    assert 'href="#date_of_birth-day"' in refused.text and "must be a real date" in refused.text
    later = {**bad, "given_names": "Sandra", "date_of_birth-day": "1", "date_of_birth-year": "2999"}
    future = client.post(url, data=later)
    assert future.status_code == 400 and 'href="#date_of_birth-day"' in future.text
    assert "cannot be in the future" in future.text
    ok = {**bad, "given_names": "Sandra", "date_of_birth-day": "1"}
    no_link = client.post(url, data={**ok, "step": "details", "type_code": "", "family_id": "x"})
    assert no_link.status_code == 400
    assert 'href="#type_code"' in no_link.text and 'href="#family_id"' in no_link.text
    assert 'value="Sandra"' in no_link.text  # what was typed comes back
    assert (_count(db, Person), _count(db, Relationship), _count(db, FamilyMember)) == before


def test_changing_a_persons_details_keeps_the_before_and_after_on_each_childs_trail(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    kerry = _person(db, "Kerry", "Walsh")
    url = f"/people/{kerry.id}/edit"
    form = {"csrf_token": csrf, "given_names": "Kerry", "family_name": "Walsh", "sex": "female"}
    form |= {**_born(kerry), "address": "22 Birch Road, Riverside", "phone": "07700 900123"}
    blank = client.post(url, data={**form, "family_name": ""})
    assert blank.status_code == 400 and "Enter the person&#39;s family name" in blank.text
    saved = client.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/people/{kerry.id}"
    db.refresh(kerry)
    assert kerry.phone == "07700 900123" and kerry.address == "22 Birch Road, Riverside"
    changes = db.scalars(
        select(AuditEvent).where(
            AuditEvent.target_type == "person",
            AuditEvent.target_id == kerry.id,
            AuditEvent.action == "change",
        )
    ).all()
    changes = [event for event in changes if "before" in event.detail]  # not a pen-picture's
    trails = {event.case_id for event in changes}
    cases = {_case(client, name) for name in ("Ruby", "Jade", "Tyler")}
    assert trails == cases  # one event on each of her three children's trails
    assert changes[0].detail["before"] == {
        "address": "14 Alder Close, Riverside, RV4 2PL",
        "phone": None,
    }
    assert set(changes[0].detail["after"]) == {"address", "phone"}  # only what changed
    page = client.get(url).text
    assert (
        "Earlier changes" in page and "14 Alder Close, Riverside, RV4 2PL → 22 Birch Road" in page
    )
    assert "Sam Okafor" in page


def test_a_new_pen_picture_is_a_new_version_and_the_earlier_ones_stay(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    dean = _person(db, "Dean", "Marshall")
    url = f"/people/{dean.id}/pen-picture"
    page = client.get(url).text
    assert "Quiet, practical" in page and "This will be version 2" in page  # starts from now
    empty = client.post(url, data={"csrf_token": csrf})
    assert empty.status_code == 400 and 'href="#who_they_are"' in empty.text
    written = {"csrf_token": csrf, "who_they_are": "Ruby's dad.", "strengths": "Calm with Ruby."}
    saved = client.post(url, data=written, follow_redirects=False)
    assert saved.status_code == 303
    versions = db.scalars(
        select(PenPicture).where(PenPicture.person_id == dean.id).order_by(PenPicture.version)
    ).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].strengths == "Takes Jade to school when he is not on shift."
    person = client.get(f"/people/{dean.id}").text
    assert "Version 2, written by Sam Okafor" in person and "(current)" in person
    assert "Version 1, written by" in person


def test_a_relationship_changed_in_the_household_ends_the_old_one_and_keeps_it(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    kerry, dean = _person(db, "Kerry", "Walsh"), _person(db, "Dean", "Marshall")
    home = db.scalars(select(FamilyMember).where(FamilyMember.person_id == dean.id)).first()
    assert home is not None
    url = f"/families/{home.family_id}/relationships"
    assert "Kerry Walsh is Dean Marshall's partner" in client.get(url).text
    form = {"csrf_token": csrf, "person_id": str(kerry.id), "other_person_id": str(dean.id)}
    refused = client.post(url, data={**form, "type_code": "nonsense"})
    assert refused.status_code == 400 and 'href="#type_code"' in refused.text
    saved = client.post(url, data={**form, "type_code": "former_partner"}, follow_redirects=False)
    assert saved.status_code == 303
    links = db.scalars(
        select(Relationship).where(
            Relationship.person_id == kerry.id, Relationship.other_person_id == dean.id
        )
    ).all()
    assert {(r.type_code, r.ended_on) for r in links} == {
        ("partner", date.today()),
        ("former_partner", None),
    }
    assert "ended " in client.get(url).text
    hiding = client.post(url, data={**form, "type_code": "unknown"})  # would hide a known link
    assert hiding.status_code == 400 and "known relationship" in hiding.text
    assert 'href="#type_code"' in hiding.text


def test_a_professional_is_added_working_with_the_child_from_a_date(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    tyler = _case(client, "Tyler")
    url = f"/children/{tyler}/professionals/new"
    assert '<option value="school">School</option>' in client.get(url).text
    form = {
        "csrf_token": csrf,
        "name": "Ms Jo Patel",
        "role": "Head of year",
        "agency_type": "school",
    }
    form |= {"organisation": "Riverside Academy", "email": "jo.patel@example.org"}
    form |= {"started_on-day": "1", "started_on-month": "9", "started_on-year": "2025"}
    tomorrow = date.today() + timedelta(days=1)
    later = {"ended_on-day": str(tomorrow.day), "ended_on-month": str(tomorrow.month)}
    refused = client.post(url, data={**form, **later, "ended_on-year": str(tomorrow.year)})
    assert refused.status_code == 400 and 'href="#ended_on-day"' in refused.text
    no_agency = client.post(url, data={**form, "agency_type": "ministry", "email": "nope"})
    assert 'href="#agency_type"' in no_agency.text and 'href="#email"' in no_agency.text
    involvements = _count(db, Involvement)
    saved = client.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303 and _count(db, Involvement) == involvements + 1
    row = db.scalars(select(Involvement).order_by(Involvement.id.desc())).first()
    assert row is not None and row.started_on == date(2025, 9, 1) and row.ended_on is None
    assert row.professional.email == "jo.patel@example.org"
    assert "Ms Jo Patel, Riverside Academy (School)" in client.get(f"/children/{tyler}").text


def test_business_support_may_look_but_not_add_or_change_anyone(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client, "support")
    jade = db.scalars(
        select(Case.id).where(Case.child_id == _person(db, "Jade", "Hughes").id)
    ).one()
    kerry = _person(db, "Kerry", "Walsh")
    assert client.get(f"/people/{kerry.id}").status_code == 200
    assert client.get(f"/children/{jade}/people/new").status_code == 403
    posted = {"csrf_token": csrf, "given_names": "Kez", "family_name": "Walsh"}
    assert client.post(f"/people/{kerry.id}/edit", data=posted).status_code == 403
    picture = {"csrf_token": csrf, "who_they_are": "Someone else"}
    assert client.post(f"/people/{kerry.id}/pen-picture", data=picture).status_code == 403
    pro = {"csrf_token": csrf, "name": "Dr X", "agency_type": "gp"}
    assert client.post(f"/children/{jade}/professionals/new", data=pro).status_code == 403
    db.refresh(kerry)
    assert kerry.given_names == "Kerry"
    assert not db.scalars(select(Professional).where(Professional.name == "Dr X")).first()
    assert not db.scalars(
        select(PenPicture).where(PenPicture.who_they_are == "Someone else")
    ).first()
    refusals = db.scalars(select(AuditEvent).where(AuditEvent.allowed.is_(False))).all()
    assert len(refusals) >= 4


def test_a_date_of_birth_for_an_expected_baby_records_the_birth_and_keeps_the_expected_date(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    due = date.today() + timedelta(days=30)
    unborn = {"given_names": "Baby", "family_name": "Walsh", "expected_date": due.isoformat()}
    made = client.post("/api/people", json=unborn, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text
    baby_id = made.json()["person"]["id"]
    today = date.today()
    form = {"csrf_token": csrf, "given_names": "Ivy", "family_name": "Walsh"}
    form |= {"date_of_birth-day": str(today.day), "date_of_birth-month": str(today.month)}
    saved = client.post(
        f"/people/{baby_id}/edit",
        data={**form, "date_of_birth-year": str(today.year)},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    baby = db.get(Person, baby_id)
    assert baby is not None
    db.refresh(baby)
    assert (baby.given_names, baby.date_of_birth, baby.expected_date) == ("Ivy", today, None)
    page = client.get(f"/people/{baby_id}/edit").text
    assert f"Expected date: {due.isoformat()} → (blank)" in page  # the expected date is kept
