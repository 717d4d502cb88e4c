"""A care leaver's pathway plan, written by their personal adviser from what the care plan holds,
signed off by a manager, and the copy written to the young person read back from the PDF."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import Role, User
from app.cases.models import Case
from tests.api.test_records import Worker, value
from tests.conftest import PASSWORD
from tests.factories import Factory
from tests.pdf.test_printouts import pdf_text

SIXTEEN_AND_A_BIT = date(date.today().year - 16, 1, 1)
CARE_PLAN = {
    "plan_type": value("lac"),
    "plan_start_date": value("2026-01-05"),
    "health_plan": value("Asthma: brown inhaler morning and night; sees the nurse each term."),
    "identity": value("Mixed White and Black Caribbean; wants to learn to cook his nan's food."),
}
PLAN = {
    "status": value("eligible"),
    "plan_date": value(date.today().isoformat()),
    "personal_adviser": value("Jordan Ellis"),
    "assessment_date": value(date.today().isoformat()),
    "personal_support": value("Jordan visits you every 4 weeks and texts you in between."),
    "young_persons_views": value("I want my own flat near college, not too far from my sister."),
    "education_plan": value("Level 2 plumbing at Riverside College from September."),
    "accommodation_plan": value(
        "You stay with your foster carers until 18; supported lodgings next."
    ),
    "financial_support": value("A bursary of 30 pounds a week; your bank account opened in June."),
    "contingency_plan": value("If college ends, you and Jordan look for an apprenticeship."),
    "young_person_agrees": value("agrees"),
}


@pytest.fixture()
def leaver(factory: Factory, make_user: Any) -> tuple[Case, User]:
    worker = make_user(Role.SOCIAL_WORKER, username="sw")
    make_user(Role.TEAM_MANAGER, username="manager")
    adviser = make_user(Role.PERSONAL_ADVISER, username="adviser")
    child = factory.person(given_names="Marcus", date_of_birth=SIXTEEN_AND_A_BIT)
    return factory.child_case(child=child, worker=worker, legal_status="care_order"), adviser


def signed_in(client: TestClient, username: str) -> Worker:
    return Worker(TestClient(client.app), username, PASSWORD)


def test_the_personal_adviser_writes_the_pathway_plan_and_the_young_person_gets_it_as_you(
    leaver: tuple[Case, User], client: TestClient, tmp_path: Path
) -> None:
    case, _ = leaver
    social_worker = signed_in(client, "sw")
    social_worker._manager = signed_in(client, "manager")
    social_worker.complete(social_worker.start(case.id, "childs_plan"), CARE_PLAN)

    adviser = signed_in(client, "adviser")
    record = adviser.start(case.id, "pathway_plan")
    # What the care plan says about health and identity is offered, not typed again.
    assert record["answers"]["health_plan"]["value"] == CARE_PLAN["health_plan"]["value"]
    assert record["answers"]["identity_plan"]["value"] == CARE_PLAN["identity"]["value"]
    assert adviser.save(record, PLAN)["errors"] == {}
    adviser.post(f"/api/records/{record['id']}/submit")
    signed_in(client, "manager").post(f"/api/records/{record['id']}/finalise")
    assert adviser.get(f"/api/records/{record['id']}")["status"] == "finalised"

    form = {"audience": "child", "recipient": "child"}
    url = f"/records/{record['id']}/print"
    printed = adviser.client.post(url, data=form, headers=adviser.headers)
    assert printed.status_code == 200, printed.text[:1000]
    (tmp_path / "pathway-plan-young-person.pdf").write_bytes(printed.content)
    text = " ".join(pdf_text(printed.content)[0].split())
    for words in (
        "Your pathway plan",
        "Who will help you",
        "What you told us",
        "I want my own flat near college",
        "Where you will live, and why it is right for you",
        "The money you will get and how you will get it",
        "Your health and feelings, and who will help",
        "Do you agree with your plan?",
        "I agree",
    ):
        assert words in text, words
    # The worker's wording never reaches the young person.
    for words in ("Contingency plans if the pathway plan breaks down", "Leaving care status"):
        assert words not in text, words


def test_only_those_the_table_allows_write_a_pathway_plan(
    leaver: tuple[Case, User], client: TestClient, make_user: Any
) -> None:
    case, _ = leaver
    make_user(Role.PERSONAL_ADVISER, username="elsewhere", team="Team B")
    make_user(Role.AUDITOR, username="auditor")
    for username in ("elsewhere", "auditor"):
        who = signed_in(client, username)
        url = f"/api/cases/{case.id}/records"
        refused = who.client.post(url, json={"exemplar_id": "pathway_plan"}, headers=who.headers)
        assert refused.status_code in (403, 404), (username, refused.text)
    # An adviser never signs off, not even what someone else wrote.
    adviser = signed_in(client, "adviser")
    record = adviser.start(case.id, "pathway_plan")
    adviser.save(record, PLAN)
    adviser.post(f"/api/records/{record['id']}/submit")
    adviser.post(f"/api/records/{record['id']}/finalise", status=403)
