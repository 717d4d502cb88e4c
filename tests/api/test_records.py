"""Records through the API: the whole journey for the demo children, each fact typed once."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from app import demo
from app.config import ROOT, Settings
from app.main import create_app


def value(v: Any) -> dict[str, Any]:
    return {"value": v}


class Worker:
    """The demo social worker driving the API, with the CSRF header every write needs."""

    def __init__(
        self, client: TestClient, username: str = "worker", password: str = "demo-password"
    ) -> None:
        response = client.post("/api/session", json={"username": username, "password": password})
        assert response.status_code == 201, response.text
        self.client = client
        self.headers = {"X-CSRF-Token": response.json()["csrf_token"]}
        self._manager: Worker | None = None

    @property
    def manager(self) -> "Worker":
        """The demo team manager, in a browser of their own: sign-off is theirs."""
        if self._manager is None:
            self._manager = Worker(TestClient(self.client.app), "manager")
        return self._manager

    def children(self) -> dict[str, int]:
        rows = self.client.get("/api/caseload").json()
        return {row["child_name"].split()[0]: row["case_id"] for row in rows}

    def start(self, case_id: int, exemplar_id: str) -> dict[str, Any]:
        url = f"/api/cases/{case_id}/records"
        response = self.client.post(url, json={"exemplar_id": exemplar_id}, headers=self.headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def save(
        self, record: dict[str, Any], answers: dict[str, Any], status: int = 200
    ) -> dict[str, Any]:
        body = {"base_revision": record["revision"], "answers": answers}
        url = f"/api/records/{record['id']}/answers"
        response = self.client.patch(url, json=body, headers=self.headers)
        assert response.status_code == status, response.text
        return dict(response.json())

    def post(self, url: str, status: int = 200, **body: Any) -> Any:
        response = self.client.post(url, json=body or None, headers=self.headers)
        assert response.status_code == status, response.text
        return response.json()

    def get(self, url: str) -> Any:
        response = self.client.get(url)
        assert response.status_code == 200, response.text
        return response.json()

    def complete(self, record: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
        """Save, submit and finalise; returns the record as it then is."""
        saved = self.save(record, answers)
        assert saved["errors"] == {}
        self.post(f"/api/records/{record['id']}/submit")
        self.manager.post(f"/api/records/{record['id']}/finalise")
        return dict(self.get(f"/api/records/{record['id']}"))

    def next(self, record: dict[str, Any], exemplar_id: str) -> dict[str, Any]:
        assert exemplar_id in record["next_steps"]
        url = f"/api/records/{record['id']}/next"
        return dict(self.post(url, 201, exemplar_id=exemplar_id))


@pytest.fixture()
def worker(db: Session, client: TestClient) -> Worker:
    demo.load(session=db)
    db.commit()
    return Worker(client)


def test_referral_to_closure_types_each_fact_once(worker: Worker) -> None:
    tyler = worker.children()["Tyler"]
    referral = worker.start(tyler, "referral_and_information")
    assert referral["answers"]["family_name"]["value"] == "Hughes"  # from the child's details
    referral = worker.complete(referral, {
        "referral_date": value("2026-11-02"),
        "referral_source": value("2A"),
        "reason_for_referral": value("School saw bruising on Tyler's arm."),
        "decision": value("initial_assessment"),
    })  # fmt: skip
    initial = worker.next(referral, "initial_assessment")
    prefilled = initial["answers"]["reason_for_assessment"]
    assert prefilled["value"] == "School saw bruising on Tyler's arm."
    assert prefilled["prefilled"]["record_id"] == referral["id"]
    assert initial["answers"]["referral_date"]["value"] == "2026-11-02"
    assert initial["due"] == "2026-11-16"  # 10 working days, no bank holiday between
    initial = worker.complete(
        initial, {"analysis": value("Needs a fuller look."), "decision": value("core_assessment")}
    )

    core = worker.next(initial, "core_assessment")
    assert (
        core["answers"]["reason_for_assessment"]["value"] == "School saw bruising on Tyler's arm."
    )
    assert core["answers"]["age_band"]["value"] == "11_to_15"
    core = worker.complete(core, {
        "commenced_date": value("2026-11-17"),
        "analysis": value("Tyler is safe at home with support."),
        "decision": value("cin_plan"),
    })  # fmt: skip

    plan = worker.next(core, "childs_plan")
    plan = worker.complete(
        plan, {"plan_type": value("cin"), "plan_start_date": value("2026-12-01")}
    )
    review = worker.start(tyler, "review")
    assert review["answers"]["review_type"]["value"] == "cin"  # from the plan
    review = worker.complete(
        review, {"review_date": value("2027-02-01"), "decision": value("close")}
    )
    closure = worker.next(review, "closure")
    closure = worker.complete(closure, {
        "progress_summary": value("Plan met."),
        "closure_reason": value("RC8"),
        "closure_date": value("2027-02-10"),
    })  # fmt: skip
    assert closure["status"] == "finalised"
    assert len(worker.get(f"/api/cases/{tyler}/records")) == 6


@pytest.mark.parametrize(
    ("child", "band"), [("Ruby", "1_to_2"), ("Jade", "5_to_10"), ("Tyler", "11_to_15")]
)
def test_core_assessment_chooses_the_age_band_from_date_of_birth(
    worker: Worker, child: str, band: str
) -> None:
    record = worker.start(worker.children()[child], "core_assessment")
    assert record["answers"]["age_band"]["value"] == band
    applies = {s["id"] for s in record["sections"] if s["status"] != "not_applicable"}
    hidden = {s["id"] for s in record["sections"] if s["status"] == "not_applicable"}
    assert applies and hidden  # the other bands' sections are not shown


def test_overriding_the_age_band_needs_a_reason_on_submit(worker: Worker) -> None:
    record = worker.start(worker.children()["Jade"], "core_assessment")
    worker.save(record, {
        "age_band": value("3_to_4"),
        "reason_for_assessment": value("Jade's needs are not understood."),
        "commenced_date": value("2026-11-17"),
        "analysis": value("Jade's development fits a younger band."),
        "decision": value("cin_plan"),
    })  # fmt: skip
    refused = worker.client.post(f"/api/records/{record['id']}/submit", headers=worker.headers)
    assert refused.status_code == 422
    assert {d["field"] for d in refused.json()["detail"]} == {"age_band_override_reason"}


def test_a_finalised_record_keeps_the_school_it_was_written_with(
    worker: Worker, client: TestClient
) -> None:
    jade = worker.children()["Jade"]
    record = worker.start(jade, "core_assessment")
    school_then = record["answers"]["nursery_or_school"]["value"]
    record = worker.complete(record, {
        "commenced_date": value("2026-11-17"),
        "reason_for_assessment": value("Jade's needs are not understood."),
        "analysis": value("Settled at school."),
        "decision": value("cin_plan"),
    })  # fmt: skip
    person_id = worker.get(f"/api/children/{jade}")["child"]["id"]
    school = worker.post(
        "/api/professionals",
        201,
        name="Head teacher",
        agency_type="school",
        organisation="Hillside Academy",
    )
    worker.post(
        f"/api/people/{person_id}/involvements",
        201,
        professional_id=school["id"],
        started_on="2026-11-20",
    )
    assert (
        worker.start(jade, "core_assessment")["answers"]["nursery_or_school"]["value"]
        == "Hillside Academy"
    )
    frozen = worker.get(f"/api/records/{record['id']}/snapshots")[0]
    assert (
        frozen["content"]["answers"]["nursery_or_school"]["value"]
        == school_then
        != "Hillside Academy"
    )
    assert frozen["content"]["facts"]["child.school"] == school_then
    assert worker.get(f"/api/records/{record['id']}")["answers"] == frozen["content"]["answers"]


def test_amending_a_finalised_record_keeps_the_old_version_and_shows_the_diff(
    worker: Worker,
) -> None:
    record = worker.start(worker.children()["Ruby"], "case_note")
    record = worker.complete(record, {
        "event_date": value("2026-11-20"),
        "note_type": value("home_visit"),
        "note": value("Ruby asleep."),
    })  # fmt: skip
    amended = worker.post(f"/api/records/{record['id']}/amend", reason="A date was wrong.")
    assert amended["version"] == 2 and amended["status"] == "amending"
    worker.save(amended, {"note": value("Ruby asleep; Kerry tired but coping.")})
    diff = worker.get(f"/api/records/{record['id']}/diff?from_version=1")
    assert diff["changes"]["note"] == {
        "before": value("Ruby asleep."), "after": value("Ruby asleep; Kerry tired but coping."),
    }  # fmt: skip
    snapshots = worker.get(f"/api/records/{record['id']}/snapshots")
    assert [s["content"]["answers"]["note"]["value"] for s in snapshots] == ["Ruby asleep."]


def test_a_bad_answer_is_named_and_the_rest_of_the_save_is_kept(worker: Worker) -> None:
    record = worker.start(worker.children()["Ruby"], "case_note")
    saved = worker.save(record, {
        "event_date": value("31/02/2026"),
        "note_type": value("teleport"),
        "note": value("Visited; Ruby well."),
        "child_seen": {"absent": "not_known"},
        "no_such_field": value("x"),
    })  # fmt: skip
    assert set(saved["errors"]) == {"event_date", "note_type", "no_such_field"}
    assert "real date" in saved["errors"]["event_date"]
    kept = worker.get(f"/api/records/{record['id']}")["answers"]
    assert kept["note"] == value("Visited; Ruby well.")
    assert kept["child_seen"] == {"absent": "not_known"}  # an absence code, distinct from blank
    assert "event_date" not in kept


def test_a_stale_save_over_someone_elses_answer_is_refused_and_other_answers_merge(
    worker: Worker,
) -> None:
    record = worker.start(worker.children()["Ruby"], "case_note")
    worker.manager.save(record, {"note": value("First words.")})  # another person, same base
    merged = worker.save(record, {"event_date": value("2026-11-20")})  # same base: other field
    assert merged["revision"] == record["revision"] + 2
    conflict = worker.save(record, {"note": value("Someone else's words.")}, status=409)
    assert conflict["detail"][0]["field"] == "note"
    assert conflict["detail"][0]["theirs"] == value("First words.")
    assert worker.get(f"/api/records/{record['id']}")["answers"]["note"] == value("First words.")


def test_a_worker_never_conflicts_with_their_own_saves(worker: Worker) -> None:
    """Quick saves from one page, all from the revision it loaded (or one that landed just before
    a dropped connection): each is kept, the newest last, and none is "someone else"."""
    record = worker.start(worker.children()["Ruby"], "case_note")
    for words in ("Visited.", "Visited; Ruby", "Visited; Ruby well."):
        saved = worker.save(record, {"note": value(words)})  # the same base every time
    assert saved["revision"] == record["revision"] + 3
    assert worker.get(f"/api/records/{record['id']}")["answers"]["note"] == value(
        "Visited; Ruby well."
    )


def test_the_server_says_which_fields_apply_as_answers_change(worker: Worker) -> None:
    record = worker.start(worker.children()["Ruby"], "initial_child_protection_conference")
    url = f"/api/records/{record['id']}/visibility"
    before = worker.post(url, answers={})
    after = worker.post(url, answers={"decision": value("cp_plan")})
    assert before["fields"]["category_of_abuse"] is False
    assert after["fields"]["category_of_abuse"] is True


def test_a_sibling_group_shares_sections_and_keeps_one_record_per_child(worker: Worker) -> None:
    kids = worker.children()
    records = worker.post(
        "/api/record-groups",
        201,
        exemplar_id="referral_and_information",
        case_ids=[kids["Ruby"], kids["Jade"]],
    )
    ruby, jade = records
    assert ruby["id"] != jade["id"]
    worker.save(
        ruby,
        {"referral_source": value("3A"), "reason_for_referral": value("Ruby only")},
    )
    jade_now = worker.get(f"/api/records/{jade['id']}")["answers"]
    assert jade_now["referral_source"] == value("3A")  # shared: one referrer, typed once
    assert "reason_for_referral" not in jade_now  # per child
    # Each child's household comes from their own relationships: Dean is Ruby's father and
    # Jade's mother's partner, so the household is not a shared section.
    ruby_rows = worker.get(f"/api/records/{ruby['id']}")["answers"]["household_members"]["value"]
    jade_rows = jade_now["household_members"]["value"]
    assert "father" in {row["relationship"] for row in ruby_rows}
    assert "mother's partner" in {row["relationship"] for row in jade_rows}


def test_submitting_without_the_few_required_answers_names_them(worker: Worker) -> None:
    record = worker.start(worker.children()["Ruby"], "closure")
    response = worker.client.post(f"/api/records/{record['id']}/submit", headers=worker.headers)
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["detail"]} == {
        "progress_summary",
        "closure_reason",
        "closure_date",
    }


def test_unknown_exemplar_and_record_are_404s(worker: Worker) -> None:
    ruby = worker.children()["Ruby"]
    response = worker.client.post(
        f"/api/cases/{ruby}/records", json={"exemplar_id": "nope"}, headers=worker.headers
    )
    assert response.status_code == 404
    assert response.json()["detail"][0]["field"] == "exemplar_id"
    assert worker.client.get("/api/records/999999").status_code == 404


def test_a_field_added_to_yaml_appears_after_a_restart(
    tmp_path: Path, db: Session, settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    folder = tmp_path / "exemplars"
    shutil.copytree(ROOT / "exemplars", folder)
    note = folder / "case_note.yaml"
    text = note.read_text()
    marker = "      - id: note\n"
    assert marker in text
    added = "      - id: weather\n        type: text\n        label: What the weather was like\n"
    note.write_text(text.replace(marker, added + marker, 1))
    app: FastAPI = create_app(settings.model_copy(update={"exemplars_dir": folder}))
    app.state.session_factory = session_factory
    demo.load(session=db)
    db.commit()
    with TestClient(app) as client:
        worker = Worker(client)
        fields = [
            f["id"] for s in worker.get("/api/exemplars/case_note")["sections"] for f in s["fields"]
        ]
        assert "weather" in fields
        record = worker.start(worker.children()["Ruby"], "case_note")
        assert worker.save(record, {"weather": value("Raining")})["errors"] == {}


def test_a_new_version_never_changes_a_record_started_on_the_old_one(
    tmp_path: Path, db: Session, settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    folder = tmp_path / "exemplars"
    shutil.copytree(ROOT / "exemplars", folder)
    demo.load(session=db)
    db.commit()

    def app_on(path: Path) -> FastAPI:
        app = create_app(settings.model_copy(update={"exemplars_dir": path}))
        app.state.session_factory = session_factory
        return app

    with TestClient(app_on(folder)) as client:
        worker = Worker(client)
        old = worker.start(worker.children()["Ruby"], "case_note")
        worker.save(old, {"note": value("Written on version 1.")})
    text = (folder / "case_note.yaml").read_text()
    (folder / "case_note.v1.yaml").write_text(
        text.replace("version: 1", "version: 1\nretired: true", 1)
    )
    newer = text.replace("version: 1", "version: 2", 1).replace(
        "      - id: note\n",
        "      - id: mood\n        type: text\n        label: Mood\n      - id: note\n",
        1,
    )
    (folder / "case_note.yaml").write_text(newer)
    with TestClient(app_on(folder)) as client:
        worker = Worker(client)
        again = worker.get(f"/api/records/{old['id']}")
        assert again["exemplar_version"] == 1  # pinned to the version it was started on
        assert again["answers"]["note"] == value("Written on version 1.")
        assert "mood" in worker.save(again, {"mood": value("calm")})["errors"]  # not in version 1
        fresh = worker.start(worker.children()["Ruby"], "case_note")
        assert fresh["exemplar_version"] == 2
        assert worker.save(fresh, {"mood": value("calm")})["errors"] == {}
        assert client.get(f"/records/{old['id']}/view").status_code == 200  # retired still renders
