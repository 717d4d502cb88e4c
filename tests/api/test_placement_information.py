"""Jade comes into care: from her finalised core assessment and a care plan to a Placement
Information Record through the form pages, counting the values the worker types for it (as the
two-sibling journey counts them); then the carer's copy and a parent's copy read back as PDFs."""

from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo
from app.auth.models import User
from app.cases import care
from app.cases.models import Case
from app.cases.schemas import CareEventIn
from app.people import service as people
from app.people.models import Person
from app.people.schemas import FamilyIn, MemberIn, PersonIn, RelationshipIn
from app.records.models import Record
from tests.api.test_two_sibling_journey import Journey, ago
from tests.factories import shipped_library
from tests.pdf.test_printouts import pdf_text

CARER_ADDRESS = "7 Larch Road, Riverside, RV2 8QT"
CARE_PLAN: dict[str, dict[str, Any]] = {
    "plan_details": {"plan_type": "lac", "plan_start_date": ago(4), "next_review_date": ago(-20)},
    "care_plan": {
        "looked_after_since": ago(3),
        "legal_status": "section_20",
        "aim_of_care": "Jade is cared for while Kerry is in hospital; about three months.",
    },
    "care_plan_arrangements": {
        "health_plan": "Epilepsy: melatonin at bedtime; health assessment within 20 working days.",
        "personal_education_plan": "Riverside Primary; PEP meeting within 20 school days.",
        "identity": "White British; Jade likes to go to church with her Nan.",
        "self_care": "Needs help to dress; bath every other night; bed at 7.30pm.",
        "emotional_behavioural": "Upset by loud voices; her blanket helps her settle.",
        "family_time": [
            {"person": "@kerry", "arrangement": "Tuesdays 4-6pm at the family centre"},
        ],
    },
}
# What the worker types for the Placement Information Record, section by section: only what is
# new (medicines, diet, what the carer may agree to, signatures).
# The carer, the start and the carer's address come from the placement episode recorded first.
PIR: dict[str, dict[str, Any]] = {
    "health": {"medication": "Melatonin 2mg at 7pm, given by the carer."},
    "daily_life": {"diet": "Loves pasta and apples; no nuts (allergy)."},
    "authority": {
        "carer_may_agree": ["haircuts", "school_trips", "routine_health"],
        "consents": ["emergency_treatment", "medical_examination"],
    },
    "signatures": {
        "worker_signed_on": ago(2),
        "worker_signed_how": "in_person",
        "carer_signed_on": ago(2),
        "carer_signed_how": "in_person",
        "pr_signatory": "@kerry",
        "pr_signed_on": ago(2),
        "pr_signed_how": "on_paper",
    },
}


class OneChild(Journey):
    """The two-sibling journey's worker, for Jade alone: no sibling's record to count from."""

    def __init__(self, db: Session, client: TestClient, carer: Person) -> None:
        super().__init__(db, client, shipped_library())
        jade = next(c for c in db.scalars(select(Case)) if c.child.given_names == "Jade")
        self.cases = {"Jade": jade}
        self.handles["carer"] = ("person", carer.id)

    def start(self, stage: str) -> dict[str, int]:
        data = {"exemplar_id": stage, "csrf_token": self.csrf}
        response = self.post(self.client, f"/children/{self.cases['Jade'].id}/records", data)
        return {"Jade": int(response.headers["location"].rsplit("/", 1)[-1])}

    def fill(self, stage: str, sections: dict[str, dict[str, Any]]) -> int:
        record_id = self.start(stage)["Jade"]
        for section_id, wanted in sections.items():
            self.section("Jade", record_id, section_id, wanted)
        self.submit_and_approve(record_id)
        return record_id


def foster_carer(db: Session) -> Person:
    """Jade's foster carer, in her network, with an address her parents must not know."""
    actor = db.scalars(select(User).where(User.username == "worker")).one()
    jade = db.scalars(select(Person).where(Person.given_names == "Jade")).one()
    data = PersonIn(
        given_names="Maureen",
        family_name="Okonkwo",
        address=CARER_ADDRESS,
        address_confidential=True,
    )
    carer, _ = people.create_person(session=db, actor=actor, data=data)
    link = RelationshipIn(person_id=carer.id, other_person_id=jade.id, type_code="foster_carer")
    people.add_relationship(session=db, actor=actor, data=link)
    # The foster home: Jade lives there now, so her carer is among the people around her.
    home = FamilyIn(
        name="Okonkwo foster home",
        address=CARER_ADDRESS,
        address_confidential=True,
        members=[MemberIn(person_id=carer.id, role="foster carer"), MemberIn(person_id=jade.id)],
    )
    people.create_family(session=db, actor=actor, data=home)
    db.commit()
    return carer


def placed_with(db: Session, carer: Person, on: str) -> None:
    """Jade becomes looked after (s20) in her foster carer's home: the care event `start`."""
    actor = db.scalars(select(User).where(User.username == "worker")).one()
    jade = next(c for c in db.scalars(select(Case)) if c.child.given_names == "Jade")
    start = CareEventIn(
        kind="start",
        on=date.fromisoformat(on),
        legal_status="V2",
        category_of_need="N1",
        placement_type="U6",
        provider="PR1",
        carer_id=carer.id,
    )
    care.record_event(
        session=db,
        actor=actor,
        library=shipped_library(),
        case_id=jade.id,
        data=start,
        today=date.today(),
    )
    db.commit()


def test_a_placement_information_record_after_a_care_plan_takes_at_most_15_typed_values(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db, with_records=True, library=shipped_library())
    carer = foster_carer(db)
    worker = OneChild(db, client, carer)
    worker.fill("childs_plan", CARE_PLAN)
    placed_with(db, carer, CARE_PLAN["care_plan"]["looked_after_since"])
    typed_before, kept_before = worker.tally.typed, worker.tally.kept
    record_id = worker.fill("placement_information_record", PIR)
    typed, kept = worker.tally.typed - typed_before, worker.tally.kept - kept_before
    print(f"\nplacement information record: {typed} values typed, {kept} pre-fills kept")
    for key in sorted(worker.tally.retyped):
        print("  re-typed:", *key)
    assert typed <= 11  # 13 before the carer and their address came from the placement
    # Nothing the system held is typed again: the carer's address is the placement's.
    retyped = {k[2] for k in worker.tally.retyped if k[1] == "placement_information_record"}
    assert retyped == set()
    answers = worker.record(record_id).answers
    assert answers["carer"]["value"] == {"kind": "person", "id": carer.id}
    assert answers["carer"]["prefilled"]["source"] == "the current placement"
    assert answers["placement_address"]["value"] == CARER_ADDRESS
    # What the worker did not type came from the care plan and the child's record.
    assert answers["health_needs"]["value"] == CARE_PLAN["care_plan_arrangements"]["health_plan"]
    assert answers["routines"]["value"].startswith("Needs help to dress")
    assert answers["family_time"]["value"][0]["arrangement"].startswith("Tuesdays")
    assert answers["legal_status"]["value"] == "section_20"
    assert answers["placement_start"]["value"] == CARE_PLAN["care_plan"]["looked_after_since"]
    assert answers["worker_name"]["value"] == "Sam Okafor"

    carers, parents = copies(client, worker, record_id, carer)
    assert CARER_ADDRESS in carers and "Larch Road" not in parents
    assert "Maureen Okonkwo's copy: Looking after Jade: what you need to know" in carers
    for words in ("Decisions you may take for Jade without asking", "Haircuts", "School trips"):
        assert words in carers, words
    # Consents and delegated authority with who signed and when.
    assert "Emergency medical treatment" in carers and "Kerry Walsh" in carers
    assert "You signed on" in carers and "On paper" in carers
    assert "Getting to school" not in parents and "Placement address" not in parents
    assert "Melatonin 2mg" in parents  # the parent's copy still tells them how Jade is cared for


def copies(client: TestClient, worker: OneChild, record_id: int, carer: Person) -> tuple[str, str]:
    """The carer's copy and Kerry's, as a browser asks for them, read back from the PDFs."""
    kerry = worker.handles["kerry"][1]
    texts = []
    for audience, recipient in (("carer", carer.id), ("family", kerry)):
        form = {"audience": audience, "recipient": f"person-{recipient}", "csrf_token": worker.csrf}
        response = client.post(f"/records/{record_id}/print", data=form)
        assert response.status_code == 200, response.text[:2000]
        assert response.headers["content-type"] == "application/pdf"
        texts.append(" ".join(pdf_text(response.content)[0].split()))
    return texts[0], texts[1]


def test_the_pir_is_started_for_one_child_and_lists_its_pre_fill(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db, with_records=True, library=shipped_library())
    carer = foster_carer(db)
    worker = OneChild(db, client, carer)
    record_id = worker.start("placement_information_record")["Jade"]
    record = db.get(Record, record_id)
    assert record is not None
    # From the child's record before any care plan: the school and the GP.
    assert record.answers["school"]["value"] and record.answers["gp"]["value"]
