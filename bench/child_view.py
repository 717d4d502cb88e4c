"""GET a child (with family and pen-pictures): the app against bare Starlette, same query, one run.

Run: .venv/bin/python bench/child_view.py [--requests 1000]
Target: the app within 2x of the floor at p50 and p95.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import measure, ratio_line, server


def prepare(url: str) -> int:
    """A fresh database with the demo family; returns the 6-year-old's case id."""
    os.environ["DATABASE_URL"] = url
    from app import demo, migrate
    from app.cases import service
    from app.config import get_settings
    from app.db import make_engine, make_session_factory

    get_settings.cache_clear()
    migrate.upgrade()
    with make_session_factory(make_engine(url))() as session:
        numbers = demo.load(session=session)
        session.commit()
        case = service.get_case_by_number(session=session, case_number=numbers[1])
        assert case is not None
        return case.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        case_id = prepare(url)
        env = {"DATABASE_URL": url}
        with server("app.main:create_app", env=env) as base, httpx.Client(base_url=base) as client:
            token = client.post(
                "/api/session", json={"username": "worker", "password": "demo-password"}
            ).json()["token"]
            client.headers["Authorization"] = f"Bearer {token}"
            app = measure(
                "app  GET /api/children/{id}",
                lambda: client.get(f"/api/children/{case_id}").raise_for_status(),
                requests=args.requests,
            )
        with (
            server("bench.floor_child_view:app", env=env, factory=False) as base,
            httpx.Client(base_url=base) as client,
        ):
            floor = measure(
                "floor (bare Starlette)",
                lambda: client.get(f"/child/{case_id}").raise_for_status(),
                requests=args.requests,
            )
    print(app.line())
    print(floor.line())
    print(ratio_line(app, floor, target=2.0))


if __name__ == "__main__":
    main()
