"""The pre-fill map on the demo family: household rows from each child's own relationships,
the health visitor offered as referrer, plan lines reaching the review without their progress,
and the review's summary reaching the closure."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.people.models import Person, Professional
from tests.api.test_records import Worker


@pytest.fixture()
def worker(db: Session, client: TestClient) -> Worker:
    demo.load(session=db, with_records=True)
    db.commit()
    return Worker(client)


def _people(db: Session) -> dict[str, dict[str, Any]]:
    return {
        p.known_as or p.given_names: {"kind": "person", "id": p.id}
        for p in db.scalars(select(Person))
    }


def test_each_childs_household_comes_from_their_own_relationships(
    worker: Worker, db: Session
) -> None:
    people = _people(db)
    record = worker.start(worker.children()["Tyler"], "referral_and_information")
    answer = record["answers"]["household_members"]
    assert answer["prefilled"]["source"] == "the family's details"
    rows = {row["person"]["id"]: row for row in answer["value"]}
    assert rows[people["Lee"]["id"]] == {
        "person": people["Lee"],
        "relationship": "father",
        "lives_with_child": "no",  # Tyler stays with him every other weekend
        "has_parental_responsibility": "yes",
    }
    assert rows[people["Dean"]["id"]]["relationship"] == "mother's partner"
    assert rows[people["Dean"]["id"]]["has_parental_responsibility"] == "no"
    assert rows[people["Pat"]["id"]]["lives_with_child"] == "no"
    assert rows[people["Ruby"]["id"]]["relationship"] == "half-sister"
    assert "has_parental_responsibility" not in rows[people["Ruby"]["id"]]  # not recorded
    assert people["Tyler"]["id"] not in rows  # the child is not in their own household list
    ruby = worker.start(worker.children()["Ruby"], "referral_and_information")
    ruby_rows = {row["person"]["id"]: row for row in ruby["answers"]["household_members"]["value"]}
    assert ruby_rows[people["Dean"]["id"]]["relationship"] == "father"
    assert people["Lee"]["id"] not in ruby_rows  # not Ruby's father, nor in her households


def test_the_health_visitor_is_offered_as_the_referrer(worker: Worker, db: Session) -> None:
    visitor = db.scalar(select(Professional).where(Professional.agency_type == "health_visitor"))
    assert visitor is not None
    ruby = worker.start(worker.children()["Ruby"], "referral_and_information")
    assert ruby["answers"]["referrer_professional"]["value"] == {
        "kind": "professional",
        "id": visitor.id,
    }
    tyler = worker.start(worker.children()["Tyler"], "referral_and_information")
    assert "referrer_professional" not in tyler["answers"]  # no health visitor at 13
    form = worker.client.get(f"/records/{ruby['id']}/sections/referrer").text
    assert f'value="professional:{visitor.id}" selected' in form


def test_plan_lines_reach_the_review_with_their_progress_to_fill(worker: Worker) -> None:
    jade = worker.children()["Jade"]
    plan = next(
        r for r in worker.get(f"/api/cases/{jade}/records") if r["exemplar_id"] == "childs_plan"
    )
    lines = plan["answers"]["plan_lines"]["value"]
    assert any("status" in line or "actual_outcome" in line for line in lines)
    review = worker.start(jade, "review")
    rows = review["answers"]["plan_line_review"]["value"]
    assert [row["need"] for row in rows] == [line["need"] for line in lines]
    progress = {"progress", "actual_outcome", "end_date", "status", "reason_not_met"}
    assert all(not progress & set(row) for row in rows)
    assert review["answers"]["review_date"]["value"] == plan["answers"]["next_review_date"]["value"]
    assert review["answers"]["worries"]["value"] == plan["answers"]["worries"]["value"]


def test_the_closure_carries_the_reviews_summary(worker: Worker) -> None:
    jade = worker.children()["Jade"]
    review = next(
        r for r in worker.get(f"/api/cases/{jade}/records") if r["exemplar_id"] == "review"
    )
    closure = worker.start(jade, "closure")["answers"]
    summary = review["answers"]["progress_summary"]["value"]
    assert closure["progress_summary"]["value"] == summary
    assert closure["progress_summary"]["prefilled"]["record_id"] == review["id"]
