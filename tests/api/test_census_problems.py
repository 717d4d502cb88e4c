"""Census problems where the worker types: a record missing a census item says so on its task
list, on the section that asks for it, and on the child's page, from the census mapping; the
answer typed (autosave) takes the problem away at once."""

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app import demo
from tests.api.test_pages import page_sign_in

NO_NEED = "Census: this referral has no primary need"
NO_START = "Census: this assessment has no start date"


def _jade(client: TestClient) -> int:
    rows = client.get("/api/caseload").json()
    return int(next(r["case_id"] for r in rows if r["child_name"].startswith("Jade")))


def test_a_missing_census_item_is_shown_on_the_record_and_the_child_and_goes_when_typed(
    db: Session, client: TestClient
) -> None:
    demo.load(session=db, with_records=True)
    db.commit()
    csrf = page_sign_in(client, "worker")
    case_id = _jade(client)
    assert NO_NEED not in client.get(f"/children/{case_id}").text  # her records give it
    started = client.post(
        f"/children/{case_id}/records",
        data={"csrf_token": csrf, "exemplar_id": "single_assessment"},
        follow_redirects=False,
    )
    assert started.status_code == 303, started.text
    record = re.search(r"/records/(\d+)", started.headers["location"])
    assert record
    url = f"/records/{record[1]}"
    tasks = client.get(url).text
    assert NO_NEED in tasks and NO_START in tasks
    assert f'href="{url}/sections/analysis">{NO_NEED}' in tasks  # to the section that asks
    analysis = client.get(f"{url}/sections/analysis").text
    assert NO_NEED in analysis and NO_START not in analysis  # this section's only
    child = client.get(f"/children/{case_id}").text
    assert f'<a class="govuk-link" href="{url}">{NO_NEED}</a>' in child
    revision = re.search(r'name="base_revision" value="(\d+)"', analysis)
    assert revision
    typed = client.post(
        f"{url}/sections/analysis",
        data={"csrf_token": csrf, "base_revision": revision[1], "primary_need": "N2"},
        headers={"x-requested-with": "autosave"},
    )
    assert typed.status_code == 200, typed.text
    assert typed.json()["census"] == []
    assert NO_NEED not in client.get(url).text and NO_START in client.get(url).text
    assert NO_NEED not in client.get(f"/children/{case_id}").text
