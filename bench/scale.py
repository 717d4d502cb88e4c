"""The council's records grown from one size to another: do the pages stay flat?

Loads the demo family (with its records), then children in families (a mother each household,
about 100 children a team, `--records` records a child) in bulk — COPY on PostgreSQL, batched
INSERTs on SQLite — up to the first size, measures, grows the same database to the second size
and measures again. Each page is measured through the real server (uvicorn) with 1 worker and one
client, then with 4 workers and 4 clients at once, against the floors the other benches use: bare
Starlette doing the same page or save (bench/floor_pages.py) and WeasyPrint alone for the print.
The app and its floor are served side by side; each client goes round every page, app then floor,
so a busy moment on the shared machine falls on every page and on both alike.

The demo team keeps the same children at every size (new children go to new teams), so the
worker's caseload, the manager's team and sign-off queue are the same work: any growth is the
council's size showing through (a scan, a missing index, a query over every case).

Run: .venv/bin/python bench/scale.py [--sizes 10000,100000] [--records 10] [--requests 200]
     PostgreSQL when ICS_BENCH_DATABASE_URL or ICS_TEST_DATABASE_URL names a server.
     (make bench: --sizes 1000,5000; make bench-scale: --sizes 10000,100000)
Targets (issue 18, at the larger size on PostgreSQL): child page, caseload and section save within
2x of their floors and 1.3x of the smaller size; search p50 <= 50 ms and p95 <= 120 ms.
"""

import argparse
import json
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Timing, server
from bench.search_scale import FAMILY, POSTGRES, QUERIES, database, settle
from bench.search_scale import _person as person_row
from bench.ui_pages import FORM, changed_note

CHILDREN_PER_TEAM = 100
MINE = 5  # the demo worker holds every 5th child of the demo team (about 20), a teammate the rest
PASSWORD = "demo-password"  # noqa: S105 - the demo users' published password


@dataclass
class Demo:
    """What is measured: the demo family's child, records and users, in the demo team."""

    case_id: int
    court_record_id: int
    note_ids: list[int]  # one case note a client, so concurrent saves never meet
    team_id: int
    worker_id: int
    teammate_id: int


def prepare(url: str, clients: int) -> Demo:
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import select

    from app import demo, migrate
    from app.auth import service as auth
    from app.auth.models import Role, User
    from app.cases.models import Case
    from app.config import get_settings
    from app.db import make_engine, make_session_factory
    from app.engine.loader import load_library
    from app.records import service as records
    from app.records.models import Record

    get_settings.cache_clear()
    migrate.upgrade()
    library = load_library(get_settings().exemplars_dir)
    with make_session_factory(make_engine(url))() as session:
        numbers = demo.load(session=session, with_records=True, library=library)
        worker = session.scalars(select(User).where(User.username == "worker")).one()
        case = session.scalars(select(Case).where(Case.case_number == numbers[1])).one()
        court = session.scalars(
            select(Record.id).where(Record.exemplar_id == "core_assessment")
        ).one()
        teammate = auth.create_user(
            session=session,
            username="teammate",
            full_name="Teammate",
            role=Role.SOCIAL_WORKER,
            password=PASSWORD + "-teammate",
            team=worker.team,
        )
        notes = [
            records.start(
                session=session,
                library=library,
                actor=worker,
                case_id=case.id,
                exemplar_id="case_note",
            ).id
            for _ in range(clients)
        ]
        session.commit()
        assert worker.team_id is not None
        return Demo(case.id, court, notes, worker.team_id, worker.id, teammate.id)


class Grower:
    """Adds children in families, their cases and records, straight into the tables."""

    def __init__(self, url: str, demo: Demo, records_per_child: int) -> None:
        from app.db import make_engine, make_session_factory

        self.engine = make_engine(url)
        self.factory = make_session_factory(self.engine)
        self.demo = demo
        self.records_per_child = records_per_child
        self.children = 0
        self.step = (0, 1)  # (children before this step, children it adds)
        self.rng = random.Random(18)

    def grow(self, upto: int) -> float:
        """Children up to `upto`; seconds taken. The demo team is filled in the first step only."""
        started = time.perf_counter()
        with self.factory() as session:
            tables = _Tables(session)
            self.step = (self.children, upto - self.children)
            teams = self._teams(tables, self.step[1], first=self.children == 0)
            while self.children < upto:
                self._family(tables, teams, min(self.rng.randint(1, 4), upto - self.children))
            tables.write()
            session.commit()
            settle(session)
        return time.perf_counter() - started

    def _teams(self, tables: "_Tables", children: int, first: bool) -> list[tuple[int, list[int]]]:
        """(team id, its workers) for the new children; the demo team first, at first."""
        count = max(1, children // CHILDREN_PER_TEAM) - (1 if first else 0)
        found = [(self.demo.team_id, [self.demo.teammate_id] * (MINE - 1) + [self.demo.worker_id])]
        found = found if first else []
        for _ in range(count):
            team_id = tables.add("teams", {"name": f"Team {tables.next_id('teams')}"})
            user = {
                "username": f"w{team_id}",
                "full_name": f"Worker {team_id}",
                "role": "social_worker",
                "password_hash": "x",  # never signs in: it only owns cases and records
                "team_id": team_id,
                "active": True,
                "created_at": tables.now,
                "password_changed_at": tables.now,
            }
            found.append((team_id, [tables.add("users", user)]))
        return found

    def _family(self, tables: "_Tables", teams: list[tuple[int, list[int]]], size: int) -> None:
        rng, now = self.rng, tables.now
        done = self.children - self.step[0]  # children added in this step, spread over its teams
        team_id, workers = teams[min(done * len(teams) // self.step[1], len(teams) - 1)]
        family = rng.choice(FAMILY)
        born = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5800))
        mother = tables.add("people", _person(rng, rng.choice(FAMILY), date(1985, 1, 1), now))
        home = tables.add(
            "families",
            {"name": f"{family} household", "address_confidential": False, "created_at": now},
        )
        kids = [tables.add("people", _person(rng, family, born, now)) for _ in range(size)]
        for pid in (mother, *kids):
            member = {"family_id": home, "person_id": pid, "lives_here": True, "created_at": now}
            tables.add("family_members", {**member, "role": "member"})
        for pid in kids:
            worker = workers[self.children % len(workers)]
            case_id = tables.add(
                "cases",
                {"case_number": f"SC-{pid:08d}", "child_id": pid, "team_id": team_id,
                 "allocated_worker_id": worker, "opened_on": date(2026, 1, 1),
                 "legal_status": "cin", "status": "open", "restricted": False, "created_at": now},
            )  # fmt: skip
            for n in range(self.records_per_child):
                tables.add("records", _record(case_id, worker, n, now))
            self.children += 1


def _person(rng: random.Random, family: str, born: date, now: datetime) -> dict[str, Any]:
    """The search bench's person row (same names, same folding), with the timestamps COPY needs."""
    return {**person_row(rng, family, born), "created_at": now, "updated_at": now}


def _record(case_id: int, worker: int, n: int, now: datetime) -> dict[str, Any]:
    """A case note: most drafts, one in thirty submitted (the team's sign-off queue)."""
    submitted = (case_id * 7 + n) % 30 == 0  # across cases: every team has a queue
    return {
        "case_id": case_id,
        "exemplar_id": "case_note",
        "exemplar_version": 1,
        "status": "submitted" if submitted else "draft",
        "revision": 1,
        "answers": {"note": {"value": f"Visit {n}: seen at home, spoke alone."}},
        "version": 1,
        "completed_sections": [],
        "started_at": now - timedelta(days=n),
        "started_by_id": worker,
        "author_id": worker,
        "submitted_at": now if submitted else None,
        "completed_at": now if submitted else None,
    }


class _Tables:
    """Rows to add, with ids given here (each table's next), written in one go per table."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.now = datetime.now(UTC)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.ids: dict[str, int] = {}

    def next_id(self, name: str) -> int:
        if name not in self.ids:
            from sqlalchemy import text

            newest = text(f"SELECT coalesce(max(id), 0) FROM {name}")  # noqa: S608 - our tables
            self.ids[name] = self.session.scalar(newest)
        return self.ids[name] + 1

    def add(self, name: str, row: dict[str, Any]) -> int:
        new_id = self.next_id(name)
        self.ids[name] = new_id
        self.rows.setdefault(name, []).append({"id": new_id, **row})
        return new_id

    def write(self) -> None:
        from sqlalchemy import text

        postgres = self.session.get_bind().dialect.name == "postgresql"
        for name in ("teams", "users", "people", "families", "family_members", "cases", "records"):
            rows = self.rows.get(name, [])
            if not rows:
                continue
            if postgres:
                _copy(self.session, name, rows)
                # The ids were given here: the table's own counter moves past them.
                counter = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM "  # noqa: S608
                self.session.execute(text(counter + name))
            else:
                _insert(self.session, name, rows)


def _copy(session: Any, name: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    raw = session.connection().connection.driver_connection
    command = f"COPY {name} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(command) as copy:
        for row in rows:
            copy.write_row(
                [json.dumps(v) if isinstance(v, dict | list) else v for v in row.values()]
            )


def _insert(session: Any, name: str, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import insert

    from app.models import Base

    table = Base.metadata.tables[name]
    for start in range(0, len(rows), 5000):
        session.execute(insert(table), rows[start : start + 5000])


class Visitor:
    """One client's signed-in sessions (a worker, their manager, an auditor) and its pages."""

    def __init__(self, base: str, demo: Demo, note_id: int) -> None:
        self.demo, self.note_id = demo, note_id
        self.as_worker, token = _signed_in(base, "worker")
        self.as_manager, _ = _signed_in(base, "manager")
        self.as_auditor, _ = _signed_in(base, "auditor")
        self.queries = iter(QUERIES * 100_000)
        self.form = {**FORM, "csrf_token": token, "base_revision": "0"}

    def pages(self) -> dict[str, Callable[[], object]]:
        case = self.demo.case_id
        return {
            "child page": lambda: _ok(self.as_worker.get(f"/children/{case}")),
            "caseload": lambda: _ok(self.as_worker.get("/caseload")),
            "manager's team": lambda: _ok(self.as_manager.get("/team")),
            "sign-off queue": lambda: _ok(self.as_manager.get("/sign-off")),
            "search, worker": lambda: self._search(self.as_worker),
            "search, auditor": lambda: self._search(self.as_auditor),
            "section save": self._save,
        }

    def _search(self, client: httpx.Client) -> object:
        return _ok(client.get("/search", params={"q": next(self.queries)}))

    def _save(self) -> object:
        self.form["note"] = changed_note()
        path = f"/records/{self.note_id}/sections/what_happened"
        headers = {"X-Requested-With": "autosave"}
        saved = _ok(self.as_worker.post(path, data=self.form, headers=headers))
        self.form["base_revision"] = str(saved.json()["revision"])  # as the page's script does
        return saved

    def close(self) -> None:
        for client in (self.as_worker, self.as_manager, self.as_auditor):
            client.close()


class FloorVisitor:
    """The same reads and save on bare Starlette (bench/floor_pages.py): no sign-in, no audit."""

    def __init__(self, base: str, demo: Demo, note_id: int) -> None:
        self.client = httpx.Client(base_url=base, timeout=120)
        self.demo, self.note_id = demo, note_id

    def pages(self) -> dict[str, Callable[[], object]]:
        case, worker = self.demo.case_id, self.demo.worker_id
        return {
            "child page": lambda: _ok(self.client.get(f"/child/{case}")),
            "caseload": lambda: _ok(self.client.get(f"/caseload/{worker}")),
            "section save": self._save,
        }

    def _save(self) -> object:
        form = {**FORM, "note": changed_note()}  # the same new revision as the app's
        return _ok(self.client.post(f"/save/{self.note_id}/what_happened", data=form))

    def close(self) -> None:
        self.client.close()


def _signed_in(base: str, username: str) -> tuple[httpx.Client, str]:
    """A client signed in as `username`, and the CSRF token its forms send."""
    client = httpx.Client(base_url=base, timeout=120)
    signed = client.post("/api/session", json={"username": username, "password": PASSWORD})
    signed.raise_for_status()
    return client, str(signed.json()["csrf_token"])


def _ok(response: httpx.Response) -> httpx.Response:
    return response.raise_for_status()


def measure_all(pairs: list[tuple[Any, Any]], requests: int, warmup: int = 5) -> "Measured":
    """Every page by every client at once (one thread each), `requests` samples a page in all.

    A client goes round the pages, asking the app and then the floor for each, so a page's
    samples are spread over the whole run and a busy moment on the shared machine (another
    process, the database's checkpoint) falls on every page, and on app and floor, alike.
    """
    labels = list(pairs[0][0].pages())
    taken: dict[tuple[str, int], list[float]] = {
        (label, side): [] for label in labels for side in (0, 1)
    }
    lock = threading.Lock()

    def visit(pair: tuple[Any, Any]) -> None:
        pages = [visitor.pages() for visitor in pair]
        calls = [
            (label, side, pages[side][label])
            for label in labels
            for side in (0, 1)
            if label in pages[side]
        ]
        mine: dict[tuple[str, int], list[float]] = {key: [] for key in taken}
        for turn in range(warmup + max(2, requests // len(pairs))):
            for label, side, call in calls:
                start = time.perf_counter()
                call()
                if turn >= warmup:
                    mine[(label, side)].append(time.perf_counter() - start)
        with lock:
            for key, samples in mine.items():
                taken[key].extend(samples)

    threads = [threading.Thread(target=visit, args=(pair,)) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    app = {label: Timing(label, taken[(label, 0)]) for label in labels}
    floor = {label: Timing(label, taken[(label, 1)]) for label in labels if taken[(label, 1)]}
    return Measured(app, floor)


def measure_servers(url: str, demo: Demo, workers: int, requests: int) -> "Measured":
    """The app and its floor served side by side, each with `workers` processes; one client a
    worker, each with its own case notes (one for the app, one for the floor)."""
    env = {"DATABASE_URL": url}
    with (
        server("app.main:create_app", env=env, workers=workers) as app_base,
        server("bench.floor_pages:app", env=env, factory=False, workers=workers) as floor_base,
    ):
        pairs = [
            (
                Visitor(app_base, demo, demo.note_ids[n]),
                FloorVisitor(floor_base, demo, demo.note_ids[workers + n]),
            )
            for n in range(workers)
        ]
        try:
            return measure_all(pairs, requests)
        finally:
            for pair in pairs:
                for each in pair:
                    each.close()


def measure_print(url: str, demo: Demo, rounds: int) -> tuple[Timing, Timing]:
    """The court statement printed by the app (read, build, PDF, store, audit) and by
    WeasyPrint alone from the same HTML, in this process."""
    import weasyprint

    from app.auth.models import User
    from app.config import get_settings
    from app.db import make_engine, make_session_factory
    from app.engine.loader import load_library
    from app.printing import pdf, service
    from app.records.models import Record

    library = load_library(get_settings().exemplars_dir)
    with make_session_factory(make_engine(url))() as session:
        actor = session.get_one(User, demo.worker_id)
        record = session.get_one(Record, demo.court_record_id)
        author = session.get(User, record.author_id)
        document, _ = service.build(
            session=session, library=library, record=record, audience="court", author=author
        )
        html = pdf.render_html(document)

        def app() -> object:
            printed = service.print_record(
                session=session, library=library, actor=actor, record_id=record.id,
                audience="court",
            )  # fmt: skip
            session.rollback()  # keep the database the same size for the next round
            return printed

        def raw() -> object:
            page = weasyprint.HTML(string=html, base_url=f"{pdf.PRINTOUTS}/")
            return page.write_pdf(pdf_variant="pdf/ua-1")

        return _timed("court print", app, rounds), _timed("court print", raw, rounds)


def _timed(label: str, call: Callable[[], object], rounds: int) -> Timing:
    call()  # fonts and templates load once
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return Timing(label, samples)


@dataclass
class Measured:
    app: dict[str, Timing]  # by page
    floor: dict[str, Timing]


def measure_size(url: str, demo: Demo, requests: int, rounds: int) -> dict[int, Measured]:
    """By workers (1 and 4); the court print (in this process) with the 1-worker figures."""
    found = {workers: measure_servers(url, demo, workers, requests) for workers in (1, 4)}
    printed, raw = measure_print(url, demo, rounds)
    found[1].app["court print"], found[1].floor["court print"] = printed, raw
    return found


def report(
    sizes: list[int], found: dict[int, dict[int, Measured]], loaded: dict[int, float]
) -> None:
    small, large = sizes[0], sizes[-1]
    for size in sizes:
        print(f"\n{size:,} children (grown in {loaded[size]:.0f} s)")
        for workers, measured in found[size].items():
            print(f"  {workers} worker(s), {workers} client(s):")
            for label, timing in measured.app.items():
                floor = measured.floor.get(label)
                against = (
                    f"   floor p50 {floor.p50 * 1000:8.2f} ms  ratio p50 "
                    f"{timing.p50 / floor.p50:5.2f}x p95 {timing.p95 / floor.p95:5.2f}x"
                    if floor
                    else ""
                )
                print(
                    f"    {label:<16} p50 {timing.p50 * 1000:8.2f} ms  p95 "
                    f"{timing.p95 * 1000:8.2f} ms{against}"
                )
    print(f"\ngrowth {small:,} -> {large:,} children (p50; target <= 1.3x, search p50 <= 50 ms)")
    for workers, measured in found[large].items():
        for label, timing in measured.app.items():
            before = found[small][workers].app[label]
            grew = timing.p50 / before.p50
            verdict = "flat" if grew <= 1.3 else "GREW"
            print(f"  {workers}w {label:<16} {grew:5.2f}x  {verdict}")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--records", type=int, default=10, help="records a child")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5, help="court prints (2 at least)")
    parser.add_argument("--databases", default="postgresql" if POSTGRES else "sqlite")
    args = parser.parse_args()
    args.rounds = max(2, args.rounds)  # a p95 needs two samples
    sizes = [int(s) for s in args.sizes.split(",")]
    for kind in args.databases.split(","):
        with database(kind) as url:
            demo = prepare(url, clients=8)  # 4 clients, each a note in the app and one in the floor
            grower = Grower(url, demo, args.records)
            found: dict[int, dict[int, Measured]] = {}
            loaded: dict[int, float] = {}
            for size in sizes:
                loaded[size] = grower.grow(size)
                print(f"{kind}: {size:,} children, load average {load_average()}", flush=True)
                found[size] = measure_size(url, demo, args.requests, args.rounds)
            grower.engine.dispose()
        print(f"\n== {kind}, {args.records} records a child, {args.requests} requests a page ==")
        report(sizes, found, loaded)
        print(f"load average at the end: {load_average()} (2 cores, shared)")


if __name__ == "__main__":
    main()
