"""What a worker reads and does on the section pages without JavaScript: rows added and removed
with submit buttons, typed rows kept on a refused save, Enter's button, selects with names, the
confirmation after Submit, and codes shown in words."""

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import demo
from tests.api.test_pages import page_sign_in
from tests.api.test_records import Worker, value
from tests.api.test_signoff import form_of
from tests.factories import shipped_library

REFERRAL = {
    "referral_date": value("2026-11-02"),
    "referral_source": value("5A"),
    "reason_for_referral": value("Jade's school saw a bruise on her arm."),
    "decision": value("initial_assessment"),
}


def _pages(db: Session, client: TestClient) -> tuple[TestClient, str]:
    demo.load(session=db)
    db.commit()
    return client, page_sign_in(client, "worker")


def _start(client: TestClient, csrf: str, case_id: int, exemplar_id: str) -> int:
    started = client.post(
        f"/children/{case_id}/records",
        data={"exemplar_id": exemplar_id, "csrf_token": csrf},
        follow_redirects=False,
    )
    return int(started.headers["location"].rsplit("/", 1)[-1])


def _case_of(client: TestClient, name: str) -> int:
    return next(c["case_id"] for c in client.get("/api/caseload").json() if c["child_name"] == name)


def test_add_another_without_javascript_saves_and_comes_back_with_a_new_row(
    db: Session, client: TestClient
) -> None:
    client, csrf = _pages(db, client)
    record_id = _start(client, csrf, _case_of(client, "Ruby Marshall"), "childs_plan")
    url = f"/records/{record_id}/sections/plan"
    posted = form_of(client.get(url).text)
    posted |= {"csrf_token": [csrf], "plan_lines__1__need": ["Ruby's weight is checked monthly."]}
    posted["add_row"] = ["plan_lines"]
    added = client.post(url, data=posted, follow_redirects=False)
    assert added.status_code == 303
    assert added.headers["location"] == f"{url}?add=plan_lines#plan_lines__3"
    page = client.get(added.headers["location"]).text
    assert "Ruby&#39;s weight is checked monthly." in page
    assert len(re.findall(r'<fieldset class="govuk-fieldset app-group-row"', page)) == 3
    assert 'id="plan_lines__3"' in page  # the new row, where the fragment sends the focus
    saved = client.get(f"/api/records/{record_id}").json()["answers"]["plan_lines"]["value"]
    assert saved == [{"need": "Ruby's weight is checked monthly."}]


def test_a_refused_save_without_javascript_keeps_every_typed_row(
    db: Session, client: TestClient
) -> None:
    client, csrf = _pages(db, client)
    record_id = _start(client, csrf, _case_of(client, "Ruby Marshall"), "childs_plan")
    url = f"/records/{record_id}/sections/plan"
    posted = form_of(client.get(url).text)
    posted |= {
        "csrf_token": [csrf],
        "plan_lines__1__need": ["Kerry's low mood is supported."],
        "plan_lines__1__start_date": ["3/12/2026"],
        "plan_lines__2__need": ["Ruby sees the health visitor."],
        "plan_lines__2__start_date": ["31/02/2026"],  # no such day: the save is refused
        "plan_lines__2__who": ["Claire Benson"],
        "action": ["draft"],
    }
    refused = client.post(url, data=posted)
    assert refused.status_code == 200 and "There is a problem" in refused.text
    assert "Row 2, Start: Enter a real date" in refused.text  # which row, which cell
    kept = form_of(refused.text)
    assert kept["plan_lines__1__need"] == ["Kerry's low mood is supported."]
    assert kept["plan_lines__1__start_date"] == ["3/12/2026"]
    assert kept["plan_lines__2__need"] == ["Ruby sees the health visitor."]
    assert kept["plan_lines__2__start_date"] == ["31/02/2026"]  # as typed, to be put right
    assert kept["plan_lines__2__who"] == ["Claire Benson"]


def test_remove_without_javascript_takes_out_only_that_row(db: Session, client: TestClient) -> None:
    client, csrf = _pages(db, client)
    record_id = _start(client, csrf, _case_of(client, "Jade Hughes"), "childs_plan")
    url = f"/records/{record_id}/sections/plan"
    posted = form_of(client.get(url).text)
    posted |= {
        "csrf_token": [csrf],
        "plan_lines__1__need": ["Speech and language sessions."],
        "plan_lines__2__need": ["A typing slip."],
        "plan_lines__3__need": ["Makaton at home."],
        "remove_row": ["plan_lines__2"],
    }
    removed = client.post(url, data=posted, follow_redirects=False)
    assert removed.status_code == 303 and removed.headers["location"] == url
    saved = client.get(f"/api/records/{record_id}").json()["answers"]["plan_lines"]["value"]
    assert [row["need"] for row in saved] == ["Speech and language sessions.", "Makaton at home."]


def test_the_first_button_of_a_section_form_saves_and_continues(
    db: Session, client: TestClient
) -> None:
    """Enter in a text box presses the form's first submit button: never "Keep this"."""
    client, csrf = _pages(db, client)
    record_id = _start(client, csrf, _case_of(client, "Jade Hughes"), "referral_and_information")
    page = client.get(f"/records/{record_id}/sections/child_details").text
    assert "Keep this" in page  # Jade's names and religion are pre-filled from her record
    form = page[page.index('<form method="post" action="/records/') :]
    first = re.search(r"<button[^>]*>", form)
    assert first and 'value="continue"' in first[0] and 'type="submit"' in first[0]


def test_every_long_select_is_named_by_its_question(db: Session, client: TestClient) -> None:
    client, csrf = _pages(db, client)
    case_id = _case_of(client, "Tyler Hughes")
    pages = {
        _start(client, csrf, case_id, "referral_and_information"): ["child_details", "referrer"],
        _start(client, csrf, case_id, "childs_plan"): ["plan"],
        _start(client, csrf, case_id, "closure"): ["closure", "progress"],
    }
    for record_id, sections in pages.items():
        for section in sections:
            html = client.get(f"/records/{record_id}/sections/{section}").text
            for select in re.findall(r"<select [^>]*>", html):
                named = re.search(r'aria-labelledby="([^"]+)"', select)
                own = re.search(r'id="([^"]+)"', select)
                assert own, select
                assert named or f'for="{own[1]}"' in html, (section, select)
                if named:
                    assert f'id="{named[1]}"' in html, (section, select)


def test_after_submit_a_panel_says_what_happened_and_offers_the_next_step_first(
    db: Session, client: TestClient
) -> None:
    client, csrf = _pages(db, client)
    record_id = _start(client, csrf, _case_of(client, "Jade Hughes"), "referral_and_information")
    before = client.get(f"/records/{record_id}/view?submitted=1").text
    assert "govuk-panel--confirmation" not in before  # a draft: nothing was submitted
    worker = Worker(TestClient(client.app))
    record = worker.get(f"/api/records/{record_id}")
    worker.save(record, REFERRAL)
    sent = client.post(
        f"/records/{record_id}/submit", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert sent.status_code == 303, sent.text[:2000]
    page = client.get(sent.headers["location"]).text
    main = page[page.index('id="main-content"') :]
    top = main[: main.index("govuk-summary-list")]
    assert "govuk-panel--confirmation" in top and "submitted" in top
    assert "Start initial assessment" in top  # the decision's next step, before the answers
    assert main.count("<h1") == 1


def test_codes_are_shown_in_words_on_the_caseload_and_the_child_page(
    db: Session, client: TestClient
) -> None:
    client, _ = _pages(db, client)
    caseload = client.get("/caseload").text
    assert "Not looked after: child in need" in caseload
    assert ">cin<" not in caseload
    jade = client.get(f"/children/{_case_of(client, 'Jade Hughes')}").text
    assert "Not looked after: child in need" in jade
    assert "(GP)" in jade and "(gp)" not in jade
    assert "(Speech and language therapy)" in jade and "speech and language)" not in jade
    assert "household household" not in jade
    # relationship words follow each person's recorded sex
    assert 'Ruby Marshall</a> <span class="govuk-body-s">(half-sister' in jade
    assert 'Tyler Hughes</a> <span class="govuk-body-s">(brother' in jade
    assert "half-brother or half-sister" not in jade and "brother or sister" not in jade


def test_add_another_on_the_amend_page_amends_nothing_yet(db: Session, client: TestClient) -> None:
    """Without JavaScript, "Add another row" while amending shows the row; only "Save the
    amendment" opens the next version."""
    library = shipped_library()
    demo.load(session=db, with_records=True, library=library)
    db.commit()
    worker = Worker(client)
    pages = TestClient(client.app)
    csrf = page_sign_in(pages, "worker")
    plan = next(
        r
        for r in worker.get(f"/api/cases/{worker.children()['Jade']}/records")
        if r["exemplar_id"] == "childs_plan"
    )
    page = pages.get(f"/records/{plan['id']}/amend?section=plan").text
    rows = page.count('class="govuk-fieldset app-group-row"')
    posted = form_of(page) | {
        "csrf_token": [csrf],
        "reason": ["A new line agreed at the review."],
        "add_row": ["plan_lines"],
    }
    shown = pages.post(f"/records/{plan['id']}/amend", data=posted)
    assert shown.status_code == 200
    assert shown.text.count('class="govuk-fieldset app-group-row"') == rows + 1
    assert "A new line agreed at the review." in shown.text
    assert worker.get(f"/api/records/{plan['id']}")["status"] == "finalised"
