"""Person and professional pickers offer only the child's world, with each one's role, and a save
naming anyone else is refused naming the field."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.people.models import Person
from tests.api.test_records import Worker, value
from tests.factories import Factory

BROWSER = {"Accept": "text/html"}


@pytest.fixture(name="worker")
def demo_worker(db: Session, client: TestClient) -> Worker:
    demo.load(session=db)
    db.commit()
    return Worker(client)


def _options(html: str, name: str) -> dict[str, str]:
    """The options of the first select whose name ends with `name`, value → words."""
    select = re.search(
        rf'<select[^>]*name="[^"]*{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S
    )
    assert select, name
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def test_a_picker_offers_only_the_childs_people_and_professionals_with_their_role(
    worker: Worker, client: TestClient, factory: Factory, db: Session
) -> None:
    stranger = factory.person(given_names="Zara", family_name="Stranger")
    factory.family([(stranger, "mother")], name="Another household")
    elsewhere = factory.professional(name="Dr Other", role="GP", organisation="Far Surgery")
    kerry_row = db.scalars(select(Person).where(Person.given_names == "Kerry")).one()
    her_worker = factory.professional(
        name="Ms Adult", role="Mental health nurse", organisation="CMHT"
    )
    worker.post(f"/api/people/{kerry_row.id}/involvements", 201, professional_id=her_worker.id)
    jade = worker.children()["Jade"]
    record = worker.start(jade, "initial_assessment")
    page = client.get(f"/records/{record['id']}/sections/sources_of_information", headers=BROWSER)
    assert page.status_code == 200, page.text
    people = _options(page.text, "__person")
    professionals = _options(page.text, "__professional")
    assert "Kerry Walsh — Mother" in people.values()
    assert "Lee Hughes — Father" in people.values()  # lives elsewhere; related to Jade
    assert all(code.startswith("person:") for code in people if code)
    assert f"person:{stranger.id}" not in people and "Zara Stranger" not in page.text
    assert "Dr Anita Rao — GP, Riverside Surgery" in professionals.values()
    # working with Jade's mother, not with Jade herself: involved with the family
    assert "Ms Adult — Mental health nurse, CMHT" in professionals.values()
    assert all(code.startswith("professional:") for code in professionals if code)
    assert f"professional:{elsewhere.id}" not in professionals and "Dr Other" not in page.text

    stranger_row = [{"person": {"kind": "person", "id": stranger.id}, "where": "Home"}]
    refused = worker.client.patch(
        f"/api/records/{record['id']}/answers",
        json={"base_revision": record["revision"], "answers": {"people_seen": value(stranger_row)}},
        headers=worker.headers,
    )
    assert refused.status_code == 422, refused.text
    assert [d["field"] for d in refused.json()["detail"]] == ["answers.people_seen"]
    kerry_code = next(code for code, words in people.items() if words.startswith("Kerry Walsh"))
    kerry = {"kind": "person", "id": int(kerry_code.split(":")[1])}
    gp_code = next(code for code, words in professionals.items() if "Anita Rao" in words)
    gp = {"kind": "professional", "id": int(gp_code.split(":")[1])}
    saved = worker.save(record, {
        "people_seen": value([{"person": kerry, "where": "Home"}]),
        "agencies_contacted": value([{"professional": gp, "information": "Healthy."}]),
    })  # fmt: skip
    assert saved["errors"] == {}
    check = " ".join(client.get(f"/records/{record['id']}/check", headers=BROWSER).text.split())
    assert "Kerry Walsh" in check and "Dr Anita Rao — GP, Riverside Surgery" in check


def test_a_section_form_naming_someone_from_another_family_is_a_422_naming_the_field(
    worker: Worker, client: TestClient, factory: Factory
) -> None:
    stranger = factory.person(given_names="Zara", family_name="Stranger")
    jade = worker.children()["Jade"]
    record = worker.start(jade, "initial_assessment")
    form = {
        "csrf_token": worker.headers["X-CSRF-Token"],
        "base_revision": str(record["revision"]),
        "people_seen__1__person": f"person:{stranger.id}",
        "people_seen__1__where": "Home",
        "action": "draft",
    }
    section = f"/records/{record['id']}/sections/sources_of_information"
    page = client.post(section, data=form, headers=BROWSER)
    assert page.status_code == 422
    assert "people_seen" in page.text or "person from the list" in page.text
