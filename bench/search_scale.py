"""Name search as the council's records grow: p50/p95 at two sizes, and the growth between them.

Children in families (a mother each household), about 100 to a team, bulk-loaded into a fresh
database; a worker (one team) and an auditor (every team) search misspelt common names. The floor
is an exact, indexed family-name lookup with the same access filter: the least any search costs.

Run: .venv/bin/python bench/search_scale.py [--sizes 2000,20000] [--databases sqlite,postgresql]
     PostgreSQL when ICS_BENCH_DATABASE_URL or ICS_TEST_DATABASE_URL names a server.
     (make bench runs the small sizes; make bench-scale: --sizes 10000,100000)
Target (issue: at 100k children on PostgreSQL): p50 <= 50 ms, p95 <= 120 ms.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app import migrate
from app.auth.models import Role, Team, User
from app.cases import search as finding
from app.cases.models import Case
from app.cases.policy import visible_cases
from app.db import make_engine, make_session_factory
from app.people.models import Family, FamilyMember, Person
from app.people.names import search_name, sounds

# A PostgreSQL server where databases may be made (as for the tests); SQLite alone without one.
POSTGRES = os.environ.get("ICS_BENCH_DATABASE_URL") or os.environ.get("ICS_TEST_DATABASE_URL")
# About 100 children a team, as in a council: a worker's view stays the size of their team.
CHILDREN_PER_TEAM = 100


def _words(text: str) -> list[str]:
    return text.split()


GIVEN = _words(
    "Jade Ruby Tyler Kerry Dean Lee Pat Amir Aisha Oliver Olivia Noah Amelia George Isla Leo "
    "Ava Oscar Mia Harry Ivy Arthur Freya Muhammad Lily Jack Emily Charlie Grace Jacob Sophia "
    "Thomas Ella Alfie Evie Henry Poppy Theo Ellie Finley Sienna Archie Daisy Joshua Rosie"
)
FAMILY = _words(
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson "
    "Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson "
    "Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen "
    "James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook "
    "Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Walsh "
    "Okafor Nowak Kowalski Begum Ahmed Ali Hussain Singh Kaur Murray Graham Stewart Campbell"
)
QUERIES = ["Smyth", "jade smith", "Kery Walsh", "Carrie Walsh", "Ryler Hughes", "Okafur", "Patell"]


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/scale.sqlite3"
        return
    if not POSTGRES:
        raise SystemExit("Set ICS_BENCH_DATABASE_URL (or ICS_TEST_DATABASE_URL) for PostgreSQL.")
    name = f"ics_bench_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _person(rng: random.Random, family: str, born: date) -> dict[str, Any]:
    given = rng.choice(GIVEN)
    folded = search_name(given, family, None)
    return {
        "given_names": given,
        "family_name": family,
        "date_of_birth": born,
        "search_name": folded,
        "name_sounds": sounds(folded),
        "address_confidential": False,
    }


def load(session: Session, children: int) -> None:
    """Households of one mother and one to four children, every child with a case."""
    rng = random.Random(children)
    teams_wanted = max(1, children // CHILDREN_PER_TEAM)
    session.execute(insert(Team), [{"name": f"Team {n}"} for n in range(teams_wanted)])
    teams = list(session.scalars(select(Team.id).order_by(Team.id)))
    users = [
        {"username": f"w{n}", "full_name": f"Worker {n}", "role": Role.SOCIAL_WORKER,
         "password_hash": "x", "team_id": team, "active": True}
        for n, team in enumerate(teams)
    ]  # fmt: skip
    users.append({"username": "auditor", "full_name": "Auditor", "role": Role.AUDITOR,
                  "password_hash": "x", "team_id": teams[0], "active": True})  # fmt: skip
    session.execute(insert(User), users)
    rows = session.execute(select(User.team_id, User.id).where(User.username != "auditor"))
    workers = {team: user for team, user in rows}
    made = 0
    while made < children:
        size = min(rng.randint(1, 4), children - made)
        family = rng.choice(FAMILY)
        team = rng.choice(teams)
        kids = [_person(rng, family, date(2010, 1, 1) + timedelta(days=rng.randint(0, 5800)))]
        kids += [_person(rng, family, kids[0]["date_of_birth"]) for _ in range(size - 1)]
        mother = _person(rng, rng.choice(FAMILY), date(1985, 1, 1))
        ids = session.scalars(insert(Person).returning(Person.id), [mother, *kids]).all()
        named = insert(Family).values(name=f"{family} household")
        home = session.scalar(named.returning(Family.id))
        session.execute(
            insert(FamilyMember),
            [{"family_id": home, "person_id": pid, "role": "member", "lives_here": True}
             for pid in ids],
        )  # fmt: skip
        session.execute(
            insert(Case),
            [{"case_number": f"CN-{pid:07d}", "child_id": pid, "team_id": team,
              "allocated_worker_id": workers[team], "opened_on": date(2026, 1, 1),
              "legal_status": "cin", "restricted": False} for pid in ids[1:]],
        )  # fmt: skip
        made += size
    session.commit()
    settle(session)


def settle(session: Session) -> None:
    """After a bulk load, what autovacuum would soon do (PostgreSQL): statistics for the planner
    and the visibility map, so the measuring does not meet the vacuum at work on a fresh table."""
    if session.get_bind().dialect.name == "postgresql":
        with session.get_bind().connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))


def timed(call: Callable[[], object], rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000, statistics.quantiles(samples, n=20)[18] * 1000


def measure(url: str, rounds: int) -> dict[str, tuple[float, float]]:
    factory = make_session_factory(make_engine(url))
    found: dict[str, tuple[float, float]] = {}
    with factory() as session:
        for who in ("w7", "auditor"):
            user = session.scalar(select(User).where(User.username == who))
            assert user is not None
            visible = visible_cases(user)
            queries = iter(QUERIES * rounds)
            for q in QUERIES:  # warm the caches
                finding.search(session=session, text=q, visible=visible)
            found[f"search, {who}"] = timed(
                lambda v=visible, qs=queries: finding.search(
                    session=session, text=next(qs), visible=v
                ),
                rounds,
            )
            exact = (
                select(Person.id)
                .where(Person.family_name == "Smith")
                .where(Person.id.in_(select(Case.child_id).where(visible)))
                .limit(50)
            )
            found[f"floor, {who}"] = timed(lambda q=exact: session.scalars(q).all(), rounds)
            session.rollback()
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--databases", default="sqlite,postgresql" if POSTGRES else "sqlite")
    parser.add_argument("--rounds", type=int, default=140)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    for kind in args.databases.split(","):
        results = {}
        for size in sizes:
            with database(kind) as url:
                engine = make_engine(url)
                with engine.begin() as connection:
                    migrate.upgrade(connection)
                started = time.perf_counter()
                with make_session_factory(engine)() as session:
                    load(session, size)
                loaded = time.perf_counter() - started
                results[size] = measure(url, args.rounds)
                engine.dispose()
            print(f"{kind}, {size:,} children (loaded in {loaded:.0f} s)")
            for label, (p50, p95) in results[size].items():
                print(f"  {label:<18} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")
            for who in ("w7", "auditor"):
                app, floor = results[size][f"search, {who}"], results[size][f"floor, {who}"]
                print(f"  ratio search/floor, {who}: p50 {app[0] / floor[0]:.2f}x")
        small, large = sizes[0], sizes[-1]
        for who in ("w7", "auditor"):
            grew = results[large][f"search, {who}"][0] / results[small][f"search, {who}"][0]
            print(f"{kind}: search p50 growth {small:,} -> {large:,} children, {who}: {grew:.2f}x")


if __name__ == "__main__":
    main()
