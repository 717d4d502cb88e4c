"""A child's identifiers as a worker meets them: NHS number and UPN refused with a message naming
the field when a check digit is wrong, each change kept on the person's history, the child found
by NHS number (with or without spaces, only among children the user may see), and the
duplicate-person check led by the NHS number."""

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.auth.models import Role
from app.people.models import Person
from tests.api.test_pages import page_sign_in
from tests.conftest import PASSWORD

JADE_NHS = "9991590838"  # app/demo/family.yaml
KERRY_NHS = "9991860916"


def _person(db: Session, given: str, family: str) -> Person:
    return db.scalars(
        select(Person).where(Person.given_names == given, Person.family_name == family)
    ).one()


def _signed_in(db: Session, client: TestClient) -> str:
    demo.load(session=db)
    db.commit()
    return page_sign_in(client, "worker")


def _details(person: Person, csrf: str, **changes: str) -> dict[str, str]:
    """The change-details form as the page shows it for `person`, with `changes` typed in."""
    fields = {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "sex": person.sex or "",
        "nhs_number": person.nhs_number or "",  # compact: the same number as shown spaced
        "upn": person.upn or "",
        "former_upn": person.former_upn or "",
        "upn_unknown_reason": person.upn_unknown_reason or "",
        "local_child_id": person.local_child_id or "",
    }
    return {"csrf_token": csrf, **fields, **changes}


def test_a_wrong_check_digit_is_refused_naming_the_field_and_nothing_is_saved(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    tyler = _person(db, "Tyler", "Hughes")
    url = f"/people/{tyler.id}/edit"
    assert 'value="999 016 6137"' in client.get(url).text  # shown as people read it
    wrong = {"nhs_number": "999 016 6138", "upn": "C873400114001"}
    refused = client.post(url, data=_details(tyler, csrf, **wrong))
    assert refused.status_code == 400
    assert "Enter a valid NHS number: the check digit does not match" in refused.text
    assert "Enter a valid UPN: the check letter does not match" in refused.text
    assert 'href="#nhs_number"' in refused.text and 'href="#upn"' in refused.text
    assert 'value="999 016 6138"' in refused.text  # what was typed is shown again
    short = client.post(url, data=_details(tyler, csrf, former_upn="B87340011400"))
    assert short.status_code == 400 and "Enter a valid former UPN" in short.text
    db.expire_all()
    assert (tyler.nhs_number, tyler.upn) == ("9990166137", "B873400114001")


def test_identifiers_change_on_the_page_and_each_change_is_on_the_history(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    ruby = _person(db, "Ruby", "Marshall")
    url = f"/people/{ruby.id}/edit"
    typed = {"upn": "m873 4001 2001 5", "upn_unknown_reason": "", "local_child_id": "RIV9"}
    saved = client.post(url, data=_details(ruby, csrf, **typed), follow_redirects=False)
    assert saved.status_code == 303, saved.text
    db.expire_all()
    assert (ruby.upn, ruby.upn_unknown_reason, ruby.local_child_id) == (
        "M873400120015",
        None,
        "RIV9",
    )
    history = client.get(url).text
    assert "UPN: (blank) → M873400120015" in history
    assert "Why the UPN is not known: UN1 → (blank)" in history
    bad_reason = client.post(url, data=_details(ruby, csrf, upn_unknown_reason="UN9"))
    assert bad_reason.status_code == 400 and 'href="#upn_unknown_reason"' in bad_reason.text


def test_the_api_refuses_a_bad_nhs_number_by_field_and_keeps_a_good_one_compact(
    db: Session, client: TestClient, sign_in: object
) -> None:
    demo.load(session=db)
    db.commit()
    _, headers = sign_in(Role.SOCIAL_WORKER)  # type: ignore[operator]
    body = {"given_names": "Ann", "family_name": "Other", "nhs_number": "943 476 5910"}
    refused = client.post("/api/people", json=body, headers=headers)
    assert refused.status_code == 422
    detail = refused.json()["detail"][0]
    assert detail["field"] == "nhs_number" and "check digit" in detail["message"]
    made = client.post("/api/people", json={**body, "nhs_number": "943 476 5919"}, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["person"]["nhs_number"] == "9434765919"


def test_search_finds_a_child_by_nhs_number_typed_with_or_without_spaces(
    db: Session, client: TestClient
) -> None:
    _signed_in(db, client)
    jade = _person(db, "Jade", "Hughes")
    for typed in (JADE_NHS, "999 159 0838", "999-159-0838"):
        page = client.get("/search", params={"q": typed}).text
        assert "1 result" in page, typed
        assert "Jade Hughes" in page and 'href="/children/' in page
    near = client.get("/search", params={"q": "999 159 0839"}).text  # one digit out: no one
    assert "Jade Hughes" not in near
    assert jade.nhs_number == JADE_NHS


def test_search_by_nhs_number_stays_inside_the_access_filter(
    db: Session, client: TestClient, make_user: object
) -> None:
    demo.load(session=db)
    db.commit()
    stranger = make_user(Role.SOCIAL_WORKER, team="Another team")  # type: ignore[operator]
    signed = client.post("/api/session", json={"username": stranger.username, "password": PASSWORD})
    assert signed.status_code == 201
    page = client.get("/search", params={"q": JADE_NHS}).text
    assert "Jade Hughes" not in page


def test_the_same_nhs_number_is_the_same_person_and_a_different_one_is_not(
    db: Session, client: TestClient
) -> None:
    csrf = _signed_in(db, client)
    ruby = client.get("/api/caseload").json()
    case_id = next(r["case_id"] for r in ruby if r["child_name"].startswith("Ruby"))
    kerry = _person(db, "Kerry", "Walsh")
    url = f"/children/{case_id}/people/new"
    renamed = {"csrf_token": csrf, "step": "names", "given_names": "Karen", "family_name": "Smith"}
    asked = client.post(url, data={**renamed, "nhs_number": "999 186 0916"})
    assert "Is this the same person?" in asked.text
    assert "Use this person: Kerry Walsh" in asked.text and "the same NHS number" in asked.text
    assert kerry.date_of_birth is not None
    same_name = {
        "csrf_token": csrf,
        "step": "names",
        "given_names": "Kerry",
        "family_name": "Walsh",
        "date_of_birth-day": str(kerry.date_of_birth.day),
        "date_of_birth-month": str(kerry.date_of_birth.month),
        "date_of_birth-year": str(kerry.date_of_birth.year),
    }
    alike = client.post(url, data=same_name)
    assert "Use this person: Kerry Walsh" in alike.text  # no number: the name and birthday lead
    different = client.post(url, data={**same_name, "nhs_number": "943 476 5919"})
    assert different.status_code == 200
    assert "Is this the same person?" not in different.text
    assert 'name="nhs_number" value="943 476 5919"' in different.text  # carried to the next step
