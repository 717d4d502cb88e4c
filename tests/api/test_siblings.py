"""Brothers and sisters on the web: "Start for: ☑ Ruby ☐ Jade ☑ Tyler" makes one record per child,
linked; the family's sections are typed once and land in every child's record, each child's own
stay apart; a refusal for one child makes nothing; a sibling's record is offered as a source."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo
from app.cases.models import Case
from app.records.models import Record, RecordGroup
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value

HOUSEHOLD = value([{"relationship": "Mother", "lives_with_child": "yes"}])


@pytest.fixture()
def pages(db: Session, client: TestClient) -> tuple[Worker, str]:
    """The demo worker, signed in to the pages (CSRF token returned) and to the API."""
    demo.load(session=db)
    db.commit()
    csrf = page_sign_in(client, "worker")
    return Worker(TestClient(client.app)), csrf


def _family_of(client: TestClient, case_id: int) -> int:
    page = client.get(f"/children/{case_id}").text
    found = re.search(r'action="/families/(\d+)/records"', page)
    assert found, "the child page offers no start for brothers and sisters"
    return int(found[1])


def _start_together(
    client: TestClient, csrf: str, family_id: int, case_ids: list[int], exemplar_id: str
) -> Any:
    return client.post(
        f"/families/{family_id}/records",
        data={
            "exemplar_id": exemplar_id,
            "case_ids": [str(c) for c in case_ids],
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )


def _records(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Record)) or 0


def test_the_child_page_offers_the_children_of_the_household_with_the_child_ticked(
    pages: tuple[Worker, str], client: TestClient
) -> None:
    worker, _ = pages
    kids = worker.children()
    page = client.get(f"/children/{kids['Ruby']}").text
    form = page[page.index('id="start-together"') :]
    boxes = re.findall(r'name="case_ids" type="checkbox" value="(\d+)"( checked)?', form)
    assert {int(case_id): bool(ticked) for case_id, ticked in boxes} == {
        kids["Ruby"]: True,
        kids["Jade"]: False,
        kids["Tyler"]: False,
    }
    offered = re.findall(r'<option value="([a-z_]+)"', form[: form.index("</select>")])
    assert set(offered) >= {"referral_and_information", "initial_assessment", "core_assessment"}
    assert "case_note" not in offered  # a case note is about one child
    family_page = client.get(f"/families/{_family_of(client, kids['Ruby'])}").text
    assert (
        'id="start-together"' in family_page
        and " checked" not in family_page.split('id="start-together"')[1].split("</form>")[0]
    )


def test_one_submit_makes_a_record_per_child_sharing_the_referrer_only(
    pages: tuple[Worker, str], client: TestClient, db: Session
) -> None:
    worker, csrf = pages
    kids = worker.children()
    family_id = _family_of(client, kids["Ruby"])
    started = _start_together(
        client, csrf, family_id, [kids["Ruby"], kids["Tyler"]], "referral_and_information"
    )
    assert started.status_code == 303, started.text
    ruby_id = int(started.headers["location"].rsplit("/", 1)[-1])
    ruby = db.get(Record, ruby_id)
    assert ruby is not None and ruby.group_id is not None
    group = db.scalars(select(Record).where(Record.group_id == ruby.group_id)).all()
    assert sorted(r.case_id for r in group) == sorted([kids["Ruby"], kids["Tyler"]])
    assert db.get(RecordGroup, ruby.group_id).family_id == family_id  # type: ignore[union-attr]
    tyler_id = next(r.id for r in group if r.case_id == kids["Tyler"])

    task_list = client.get(f"/records/{ruby_id}").text
    assert "For Ruby and Tyler" in task_list
    shared = task_list[task_list.index('id="shared-sections"') : task_list.index('id="own-')]
    assert f'href="/records/{ruby_id}/sections/referrer"' in shared
    assert "/sections/household" not in shared  # each child's household is their own relations
    assert "/sections/reason" not in shared  # the reason is each child's own
    assert f'href="/records/{tyler_id}/sections/reason"' in task_list  # Tyler's, under his name
    assert f'<a class="govuk-link" href="/records/{tyler_id}">Tyler Hughes' in task_list

    record = worker.get(f"/api/records/{ruby_id}")
    referrer = value("Mrs Okafor, head teacher")
    worker.save(record, {"referrer_name": referrer, "reason_for_referral": value("Ruby's cough")})
    tyler = worker.get(f"/api/records/{tyler_id}")["answers"]
    assert tyler["referrer_name"] == referrer  # typed once, in both
    assert "reason_for_referral" not in tyler  # per child, apart
    assert client.get(f"/records/{tyler_id}").text.count("For Ruby and Tyler") == 1


@pytest.mark.parametrize(
    ("exemplar_id", "shared", "own"),
    [
        ("initial_assessment", "parental_alcohol_misuse", "developmental_summary"),
        ("core_assessment", "housing", "parental_issues_impact"),
        ("single_assessment", "family_summary", "developmental_summary"),
    ],
)
def test_assessments_start_together_and_share_only_the_family_sections(
    pages: tuple[Worker, str], exemplar_id: str, shared: str, own: str
) -> None:
    worker, _ = pages
    kids = worker.children()
    library = worker.client.app.state.library  # type: ignore[attr-defined]
    exemplar = library.latest(exemplar_id)
    assert exemplar.sections[exemplar.section_of[shared]].shared
    assert not exemplar.sections[exemplar.section_of[own]].shared
    jade, tyler = worker.post(
        "/api/record-groups", 201, exemplar_id=exemplar_id, case_ids=[kids["Jade"], kids["Tyler"]]
    )
    answer = value("yes") if shared == "parental_alcohol_misuse" else value("Two-bed flat, damp.")
    worker.save(jade, {shared: answer, own: value("About Jade alone.")})
    tyler_now = worker.get(f"/api/records/{tyler['id']}")
    assert tyler_now["answers"][shared]["value"] == answer["value"]
    assert own not in tyler_now["answers"]
    assert tyler_now["id"] != jade["id"] and tyler_now["case_id"] == kids["Tyler"]


def test_a_child_the_user_may_not_write_refuses_the_whole_start(
    pages: tuple[Worker, str], client: TestClient, db: Session, make_user: Any
) -> None:
    worker, csrf = pages
    kids = worker.children()
    family_id = _family_of(client, kids["Ruby"])
    tyler = db.get(Case, kids["Tyler"])
    assert tyler is not None
    tyler.allocated_worker_id = make_user().id  # another worker's child now
    db.commit()
    before = _records(db)
    refused = _start_together(
        client, csrf, family_id, [kids["Ruby"], kids["Tyler"]], "referral_and_information"
    )
    assert refused.status_code in (403, 404)
    assert _records(db) == before  # not even Ruby's
    page = client.get(f"/children/{kids['Ruby']}").text
    assert f'value="{kids["Tyler"]}"' not in page.split('id="start-together"')[1]


def test_bad_choices_are_named_and_make_nothing(
    pages: tuple[Worker, str], client: TestClient, db: Session
) -> None:
    worker, csrf = pages
    kids = worker.children()
    family_id = _family_of(client, kids["Ruby"])
    before = _records(db)
    for case_ids, exemplar_id, field in (
        ([], "referral_and_information", "case_ids"),
        ([kids["Ruby"], kids["Jade"]], "case_note", "exemplar_id"),
        ([kids["Ruby"], kids["Jade"]], "no_such_record", "exemplar_id"),
    ):
        answered = _start_together(client, csrf, family_id, case_ids, exemplar_id)
        assert answered.status_code in (404, 409, 422), answered.text
        assert field in answered.text
    assert _records(db) == before


def _finalised_referral(worker: Worker, case_id: int) -> dict[str, Any]:
    record = worker.start(case_id, "referral_and_information")
    return worker.complete(
        record,
        {
            "referral_date": value("2026-11-02"),
            "referral_source": value("5A"),
            "referrer_name": value("Mrs Okafor, head teacher"),
            "reason_for_referral": value("Ruby's nursery saw a bruise."),
            "decision": value("initial_assessment"),
            "household_members": HOUSEHOLD,
        },
    )


def _start_for(client: TestClient, csrf: str, case_id: int) -> Any:
    return client.post(
        f"/children/{case_id}/records",
        data={"exemplar_id": "referral_and_information", "csrf_token": csrf},
        follow_redirects=False,
    )


def test_a_later_record_keeps_all_of_a_siblings_family_answers_with_their_source(
    pages: tuple[Worker, str], client: TestClient
) -> None:
    worker, csrf = pages
    kids = worker.children()
    ruby = _finalised_referral(worker, kids["Ruby"])
    started = _start_for(client, csrf, kids["Tyler"])
    tyler_id = int(started.headers["location"].split("/")[2])
    task_list = client.get(f"/records/{tyler_id}").text
    assert "has answers for 3 questions about the family" in task_list
    offer_url = f"/records/{tyler_id}/from-sibling"
    assert f'href="{offer_url}"' in task_list
    page = client.get(offer_url).text
    assert "Ruby&#39;s referral and information record" in page
    assert "has answers for 3 questions" in page  # the referrer section: source, name, professional
    assert "bruise" not in page  # Ruby's own reason is about Ruby
    kept = client.post(
        offer_url,
        data={"csrf_token": csrf, "source_id": str(ruby["id"]), "keep": "all"},
        follow_redirects=False,
    )
    assert kept.status_code == 303
    answers = worker.get(f"/api/records/{tyler_id}")["answers"]
    assert answers["referral_source"]["value"] == "5A"
    assert answers["household_members"]["value"] != HOUSEHOLD["value"]  # his own, never hers
    origin = answers["referrer_name"]["prefilled"]
    assert origin["source"] == "Ruby's referral and information record"
    assert origin["record_id"] == ruby["id"]
    assert "reason_for_referral" not in answers
    section = client.get(f"/records/{tyler_id}/sections/referrer").text
    assert "from Ruby&#39;s referral and information record, " in section
    assert "has answers for" not in client.get(f"/records/{tyler_id}").text  # nothing left


def test_choosing_per_field_keeps_only_the_ticked_answers(
    pages: tuple[Worker, str], client: TestClient
) -> None:
    worker, csrf = pages
    kids = worker.children()
    ruby = _finalised_referral(worker, kids["Ruby"])
    tyler_id = int(_start_for(client, csrf, kids["Jade"]).headers["location"].split("/")[2])
    url = f"/records/{tyler_id}/from-sibling"
    base = {"csrf_token": csrf, "source_id": str(ruby["id"]), "keep": "chosen"}
    unknown = client.post(url, data=base | {"fields": ["reason_for_referral"]})
    assert unknown.status_code == 422 and "fields" in unknown.text  # never Ruby's own answers
    nothing = client.post(url, data=base)
    assert nothing.status_code == 422 and "fields" in nothing.text
    kept = client.post(url, data=base | {"fields": ["referrer_name"]}, follow_redirects=False)
    assert kept.status_code == 303
    answers = worker.get(f"/api/records/{tyler_id}")["answers"]
    assert answers["referrer_name"]["value"] == "Mrs Okafor, head teacher"
    assert (
        answers["referrer_name"]["prefilled"]["source"] == "Ruby's referral and information record"
    )
    assert "referral_source" not in answers
    task_list = client.get(f"/records/{tyler_id}").text
    assert "has answers for 2 questions" in task_list  # the rest still offered


def test_each_child_of_a_group_keeps_their_own_timescale_and_submit(
    pages: tuple[Worker, str], client: TestClient
) -> None:
    worker, _ = pages
    kids = worker.children()
    ruby, tyler = worker.post(
        "/api/record-groups",
        201,
        exemplar_id="referral_and_information",
        case_ids=[kids["Ruby"], kids["Tyler"]],
    )
    own = {
        "referral_source": value("5A"),
        "reason_for_referral": value("Ruby's nursery saw a bruise."),
        "decision": value("initial_assessment"),
    }
    worker.save(ruby, own | {"referral_date": value("2026-11-02")})
    worker.save(worker.get(f"/api/records/{tyler['id']}"), {"referral_date": value("2026-11-09")})
    worker.post(f"/api/records/{ruby['id']}/submit")
    ruby_now = worker.get(f"/api/records/{ruby['id']}")
    tyler_now = worker.get(f"/api/records/{tyler['id']}")
    assert ruby_now["status"] == "submitted" and tyler_now["status"] == "draft"
    assert ruby_now["due"] != tyler_now["due"]  # each child's own clock
    task_list = client.get(f"/records/{tyler['id']}").text
    assert f'<a class="govuk-link" href="/records/{ruby["id"]}">Ruby Marshall' in task_list
    assert "Submitted" in task_list
