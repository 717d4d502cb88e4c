"""The child page and a section save with 10,000 children on file: the app against bare Starlette.

Run: .venv/bin/python bench/ui_pages.py [--requests 500] [--children 10000]
Target: the app within 2x of the floor at p50 and p95, for both.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import measure, ratio_line, server


def prepare(url: str, children: int) -> tuple[int, int]:
    """Demo family with records, then `children` more children with cases; (case id, record id)."""
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import select

    from app import demo, migrate
    from app.auth.models import User
    from app.cases.models import Case
    from app.config import get_settings
    from app.db import make_engine, make_session_factory
    from app.engine.loader import load_library
    from app.people.models import Person
    from app.records import service

    get_settings.cache_clear()
    migrate.upgrade()
    library = load_library(get_settings().exemplars_dir)
    with make_session_factory(make_engine(url))() as session:
        numbers = demo.load(session=session, with_records=True, library=library)
        worker = session.scalars(select(User).where(User.username == "worker")).one()
        for start in range(0, children, 1000):
            people = [
                Person(
                    given_names=f"Child{n}",
                    family_name=f"Family{n % 997}",
                    date_of_birth=date(2015, 1, 1) + timedelta(days=n % 3000),
                )
                for n in range(start, min(start + 1000, children))
            ]
            session.add_all(people)
            session.flush()
            session.add_all(
                Case(
                    case_number=f"BN-{p.id:07d}",
                    child_id=p.id,
                    team_id=worker.team_id,
                    opened_on=date(2026, 1, 1),
                )
                for p in people
            )
            session.commit()
        case = session.scalars(select(Case).where(Case.case_number == numbers[1])).one()
        note = service.start(
            session=session, library=library, actor=worker, case_id=case.id, exemplar_id="case_note"
        )
        session.commit()
        return case.id, note.id


def changed_note() -> str:
    """A new ending each time: every save, the app's and the floor's, writes a revision."""
    return FORM["note"] + str(time.perf_counter_ns())


FORM = {
    "note": "Visited Jade at home; she showed me her drawing.",
    "note__absent": "",
    "note__link": "",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--children", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        case_id, record_id = prepare(url, args.children)
        env = {"DATABASE_URL": url}
        with server("app.main:create_app", env=env) as base, httpx.Client(base_url=base) as client:
            signed = client.post(
                "/api/session", json={"username": "worker", "password": "demo-password"}
            ).json()
            form = {**FORM, "csrf_token": signed["csrf_token"], "base_revision": "0"}
            headers = {"X-Requested-With": "autosave"}

            def app_save() -> None:
                form["note"] = changed_note()
                saved = client.post(
                    f"/records/{record_id}/sections/what_happened", data=form, headers=headers
                ).raise_for_status()
                form["base_revision"] = str(saved.json()["revision"])  # as the page's script does

            app_page = measure(
                "app  GET /children/{id}",
                lambda: client.get(f"/children/{case_id}").raise_for_status(),
                requests=args.requests,
            )
            app_saved = measure("app  POST section (autosave)", app_save, requests=args.requests)
        with (
            server("bench.floor_pages:app", env=env, factory=False) as base,
            httpx.Client(base_url=base) as client,
        ):
            floor_page = measure(
                "floor GET child page",
                lambda: client.get(f"/child/{case_id}").raise_for_status(),
                requests=args.requests,
            )
            floor_saved = measure(
                "floor POST section save",
                lambda: client.post(
                    f"/save/{record_id}/what_happened", data={**FORM, "note": changed_note()}
                ).raise_for_status(),
                requests=args.requests,
            )
    print(f"{args.children} extra children on file, {args.requests} requests each")
    for timing in (app_page, floor_page, app_saved, floor_saved):
        print(timing.line())
    print("child page   " + ratio_line(app_page, floor_page, target=2.0))
    print("section save " + ratio_line(app_saved, floor_saved, target=2.0))


if __name__ == "__main__":
    main()
