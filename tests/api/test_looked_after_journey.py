"""The issue's acceptance journey for a looked-after child, end to end on the real pages and API.

Kayla Walsh, 16, is new to the demo's Walsh family. After a finalised core assessment and a care
plan, she becomes looked after (the care event `start`, placed with a foster carer), her worker
writes the Placement Information Record through the form pages (each value typed and each
pre-fill kept counted as in tests/api/test_two_sibling_journey.py), her first looked-after review
is held within 20 working days (Part One by the worker, Part Two by the chair, the independent
reviewing officer), the due dates show on the caseload and the manager's team view before it and
after it, she moves to another carer, and her personal adviser writes her pathway plan. Last, the
SSDA903 for the year holds both episodes and the review.
"""

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.auth.models import User
from app.cases import service as cases
from app.cases.models import CareEvent, Case
from app.cases.schemas import CaseIn
from app.people import service as people
from app.people.models import Person
from app.people.schemas import MemberIn, PersonIn, RelationshipIn
from app.records import service as records
from app.returns import ssda903
from app.timescales.calendar import add_working_days
from tests.api.test_pages import page_sign_in
from tests.api.test_pathway_plan import PLAN
from tests.api.test_records import Worker, value
from tests.api.test_two_sibling_journey import Journey, ago
from tests.factories import shipped_library

TODAY = date.today()
BORN = date(TODAY.year - 16, TODAY.month, 1) - timedelta(days=60)  # 16 when she comes into care
# The decision to accommodate (and the first placement): the earliest day whose first review
# falls due today or later, so the review is "due this week" on the caseload when it is held.
BECAME = next(
    TODAY - timedelta(days=n)
    for n in range(40, 0, -1)
    if add_working_days(TODAY - timedelta(days=n), 20) >= TODAY
)
HELD = TODAY - timedelta(days=2)  # the first review: within 20 working days of BECAME
MOVED = TODAY - timedelta(days=1)
SIGNED = (BECAME + timedelta(days=1)).isoformat()  # the placement plan, signed the day after
FIRST_CARER = ("Maureen", "Okonkwo", "7 Larch Road, Riverside, RV2 8QT")
SECOND_CARER = ("Priya", "Shah", "22 Alder Close, Riverside, RV3 1PL")
UPN = "P318200118002"  # made up, with a valid check letter

CORE = {
    "reason_for_assessment": value("Kerry is in hospital for some months; Kayla is alone at home."),
    "commenced_date": value(ago(60)),
    "analysis": value(
        "Kayla cannot live at home while Kerry is in hospital; no family can step in."
    ),
    "decision": value("cin_plan"),
}
CARE_PLAN: dict[str, dict[str, Any]] = {
    "plan_details": {
        "plan_type": "lac",
        "plan_start_date": BECAME.isoformat(),
        "next_review_date": ago(-2),
    },
    "care_plan": {
        "looked_after_since": BECAME.isoformat(),
        "legal_status": "section_20",
        "aim_of_care": "Kayla is looked after while Kerry is in hospital; about six months.",
    },
    "care_plan_arrangements": {
        "health_plan": "Asthma: brown inhaler morning and night; health assessment in 20 days.",
        "personal_education_plan": "Riverside Academy, Year 12; PEP meeting within 20 days.",
        "identity": "White British; Kayla wants to keep going to youth club on Fridays.",
        "self_care": "Cooks simple meals; home by 9pm on school nights.",
        "emotional_behavioural": "Worried about her mum; talks to her form tutor.",
        "family_time": [
            {"person": "@kerry", "arrangement": "Saturdays 2-5pm on the ward, with the worker"},
        ],
    },
}
# What the worker types for the Placement Information Record: only what is new.
PIR: dict[str, dict[str, Any]] = {
    "health": {"medication": "Salbutamol inhaler as needed; brown inhaler twice a day."},
    "daily_life": {"diet": "Vegetarian; no nuts."},
    "authority": {
        "carer_may_agree": ["haircuts", "school_trips", "routine_health", "overnight_stays"],
        "consents": ["emergency_treatment", "medical_examination"],
    },
    "signatures": {
        "worker_signed_on": SIGNED,
        "worker_signed_how": "in_person",
        "carer_signed_on": SIGNED,
        "carer_signed_how": "in_person",
        "pr_signatory": "@kerry",
        "pr_signed_on": SIGNED,
        "pr_signed_how": "on_paper",
    },
}
PART_ONE = {
    "review_type": value("lac"),
    "review_date": value(HELD.isoformat()),
    "progress_summary": value("Kayla has settled with Maureen and is at school every day."),
    "placement_meets_needs": value("yes"),
}
PART_TWO = {
    "child_participation": value("PN1"),
    "decision": value("continue"),
    "decision_reasons": value("The plan meets Kayla's needs while her mum recovers."),
    "iro_recommendations": value(
        [{"recommendation": "Health assessment by the end of the month."}]
    ),
}


class Kayla(Journey):
    """The two-sibling journey's worker, for one child: counts what is typed for her."""

    def __init__(self, db: Session, client: TestClient, case: Case) -> None:
        super().__init__(db, client, shipped_library())
        self.cases = {"Kayla": case}
        self.url = f"/children/{case.id}"

    def start(self, stage: str) -> dict[str, int]:
        data = {"exemplar_id": stage, "csrf_token": self.csrf}
        response = self.post(self.client, f"{self.url}/records", data)
        return {"Kayla": int(response.headers["location"].rsplit("/", 1)[-1])}

    def fill(self, stage: str, sections: dict[str, dict[str, Any]]) -> int:
        record_id = self.start(stage)["Kayla"]
        for section_id, wanted in sections.items():
            self.section("Kayla", record_id, section_id, wanted)
        self.submit_and_approve(record_id)
        return record_id

    def care_event(self, form: str, on: date, fields: dict[str, str]) -> None:
        """A care event through its page, as a browser posts it."""
        data = {"on-day": str(on.day), "on-month": str(on.month), "on-year": str(on.year)}
        data |= {"csrf_token": self.csrf, **fields}
        self.post(self.client, f"{self.url}/looked-after/{form}", data)


def new_child(db: Session) -> tuple[Case, Person, Person]:
    """Kayla, 16, in the Walsh household with Kerry (her mother, with parental responsibility),
    her case allocated to the demo worker; two foster carers in her network whose addresses her
    parents must not know."""
    actor = db.scalars(select(User).where(User.username == "worker")).one()
    kerry = db.scalars(select(Person).where(Person.given_names == "Kerry")).one()
    child = PersonIn(
        given_names="Kayla", family_name="Walsh", date_of_birth=BORN, sex="female", ethnicity="WBRI"
    )
    kayla, _ = people.create_person(session=db, actor=actor, data=child)
    walsh = next(f for f in people.families_of(session=db, person_id=kerry.id))
    people.add_member(
        session=db, actor=actor, family_id=walsh.id, data=MemberIn(person_id=kayla.id)
    )
    mother = RelationshipIn(
        person_id=kerry.id,
        other_person_id=kayla.id,
        type_code="mother",
        has_parental_responsibility=True,
    )
    people.add_relationship(session=db, actor=actor, data=mother)
    carers = []
    for given, family, address in (FIRST_CARER, SECOND_CARER):
        data = PersonIn(
            given_names=given, family_name=family, address=address, address_confidential=True
        )
        carer, _ = people.create_person(session=db, actor=actor, data=data)
        link = RelationshipIn(
            person_id=carer.id, other_person_id=kayla.id, type_code="foster_carer"
        )
        people.add_relationship(session=db, actor=actor, data=link)
        carers.append(carer)
    case = cases.open_case(
        session=db,
        actor=actor,
        data=CaseIn(child_id=kayla.id, allocated_worker_id=actor.id, team_id=actor.team_id),
    )
    db.commit()
    return case, carers[0], carers[1]


def test_a_child_from_a_decision_to_accommodate_to_a_pathway_plan_at_16(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db, with_records=True, library=shipped_library())
    db.commit()
    case, first, second = new_child(db)
    api = Worker(TestClient(client.app))
    api.complete(api.start(case.id, "core_assessment"), CORE)
    worker = Kayla(db, client, case)
    worker.fill("childs_plan", CARE_PLAN)

    # The decision to accommodate: s20, in foster care with Maureen.
    placed = {"legal_status": "V2", "category_of_need": "N2", "placement_type": "U6"}
    placed |= {"provider": "PR1", "carer_id": str(first.id), "postcode": "RV2 8QT", "upn": UPN}
    worker.care_event("start", BECAME, placed)
    # Her UPN is hers: written on her details (which the CIN census reads), not on the event.
    db.expire_all()
    assert db.get_one(Person, case.child_id).upn == UPN
    assert {e.upn for e in db.scalars(select(CareEvent))} == {None}  # no copy on any event

    # The Placement Information Record through the form pages, counted.
    typed_before, kept_before = worker.tally.typed, worker.tally.kept
    pir = worker.fill("placement_information_record", PIR)
    typed, kept = worker.tally.typed - typed_before, worker.tally.kept - kept_before
    print(f"\nplacement information record: {typed} values typed, {kept} pre-fills kept")
    assert typed <= 15
    retyped = {k[2] for k in worker.tally.retyped if k[1] == "placement_information_record"}
    assert retyped == set(), retyped  # nothing the system held is typed again
    answers = worker.record(pir).answers
    assert answers["carer"]["value"] == {"kind": "person", "id": first.id}
    assert answers["placement_start"]["value"] == BECAME.isoformat()
    assert answers["placement_address"]["value"] == FIRST_CARER[2]

    # Before the review: its due date, 20 working days from becoming looked after.
    first_due = add_working_days(BECAME, 20)
    assert first_due >= HELD
    shown_on_pages(client, case.id, first_due, "lac_first_review_20wd")

    # The first review: Part One by the worker, Part Two by the chair (the IRO).
    chair = Worker(TestClient(client.app), "chair")
    review = api.start(case.id, "review")
    assert api.save(review, PART_ONE)["errors"] == {}
    review = api.get(f"/api/records/{review['id']}")
    api.save(review, {"decision": PART_TWO["decision"]}, status=403)  # not the worker's to write
    assert chair.save(review, PART_TWO)["errors"] == {}
    api.post(f"/api/records/{review['id']}/submit")
    api.manager.post(f"/api/records/{review['id']}/finalise")
    assert api.get(f"/api/records/{review['id']}")["status"] == "finalised"
    # After it: the next review, 3 months from the meeting, on the child's page with every due
    # date (the caseload and team view list only what is due this week, and each child's first).
    after = due_now(db, case.id)
    assert after.rule_id == "lac_second_review_3m" and after.clock_start == HELD
    child_page = TestClient(client.app)
    page_sign_in(child_page, "worker")
    shown = child_page.get(f"/children/{case.id}").text
    assert review_due_in(shown, None, after.on, "lac_second_review_3m"), shown

    # A move to Priya, another foster carer: a new episode (P: placement and carer change).
    moved = {"placement_type": "U4", "provider": "PR1", "carer_id": str(second.id)}
    moved |= {"postcode": "RV3 1PL", "reason_place_change": "CARPL"}
    worker.care_event("move", MOVED, moved)

    # The pathway plan, written by her personal adviser: Kayla is 16.
    adviser = Worker(TestClient(client.app), "adviser")
    plan = adviser.start(case.id, "pathway_plan")
    assert (
        plan["answers"]["health_plan"]["value"]
        == CARE_PLAN["care_plan_arrangements"]["health_plan"]
    )
    assert adviser.save(plan, PLAN)["errors"] == {}
    adviser.post(f"/api/records/{plan['id']}/submit")
    api.manager.post(f"/api/records/{plan['id']}/finalise")
    assert adviser.get(f"/api/records/{plan['id']}")["status"] == "finalised"

    # The SSDA903 for the year (or years, near 1 April) holds both episodes and the review.
    rows = exported(db, case.case_number)
    assert [(e["DECOM"], e["RNE"], e["PLACE"], e["DEC"]) for e in rows["episodes.csv"]] == [
        (f"{BECAME:%d/%m/%Y}", "S", "U6", f"{MOVED:%d/%m/%Y}"),
        (f"{MOVED:%d/%m/%Y}", "P", "U4", ""),
    ]
    assert [e["REASON_PLACE_CHANGE"] for e in rows["episodes.csv"]] == ["CARPL", ""]
    assert [(r["REVIEW"], r["REVIEW_CODE"]) for r in rows["reviews.csv"]] == [
        (f"{HELD:%d/%m/%Y}", "PN1")
    ]
    assert [h["UPN"] for h in rows["header.csv"]] == [UPN]


def due_now(db: Session, case_id: int) -> records.Due:
    db.expire_all()
    found = records.due_for_cases(
        session=db, library=shipped_library(), legal_statuses={case_id: "section_20"}, today=TODAY
    )
    return next(d for d in found[case_id] if d.what == "Looked-after review")


def shown_on_pages(client: TestClient, case_id: int, on: date, rule_id: str) -> None:
    """The review due this week, with its date and the rule behind it, on the worker's caseload
    and the manager's team view."""
    for username, url in (("worker", "/caseload"), ("manager", "/team")):
        browser = TestClient(client.app)
        page_sign_in(browser, username)
        assert review_due_in(browser.get(url).text, case_id, on, rule_id), (username, url)


def review_due_in(page: str, case_id: int | None, on: date, rule_id: str) -> bool:
    """Whether one due line of the page is the child's looked-after review, due `on` (on a list
    of several children's, the line names the child: case_id; on the child's own page, None)."""
    lines = re.findall(r'<li class="app-due.*?</details>', page, re.S)
    child = f'href="/children/{case_id}"' if case_id else ""
    when = f"due {on:%-d %B %Y}"
    return any(
        "<strong>Looked-after review</strong>" in line
        and child in line
        and when in line
        and f"({rule_id})" in line
        for line in lines
    )


def exported(db: Session, case_number: str) -> dict[str, list[dict[str, str]]]:
    """Kayla's rows of each SSDA903 file over the collection years the journey falls in (two,
    near 1 April): a row returned in both years is the later year's, which knows its end."""
    starts = ssda903.mapping().year_starts
    years = sorted(
        {d.year + ((d.month, d.day) >= (starts.month, starts.day)) for d in (BECAME, TODAY)}
    )
    found: dict[str, dict[str, dict[str, str]]] = {}
    for year in years:
        for name, rows in ssda903.build(session=db, year=year).items():
            for row in rows:
                if row["CHILD"] == case_number:  # one episode, review or child: its own start
                    key = row.get("DECOM") or row.get("REVIEW") or row.get("MIS_START") or ""
                    found.setdefault(name, {})[key] = row
    return {name: [rows[key] for key in sorted(rows, key=_day)] for name, rows in found.items()}


def _day(text: str) -> date:
    return date(int(text[6:]), int(text[3:5]), int(text[:2])) if text else date.min
