"""A seeded set of looked-after children, made through the services a worker's pages call (people,
cases, care events), so the SSDA903 export is tried on many histories: becoming looked after,
changes of legal status, moves, the end of care, children still looked after.

The histories keep to what a council records for children in foster care: section 20, interim
and full care orders in that order, foster placements with the council's or an agency's carers.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases import care
from app.cases import service as cases
from app.cases.schemas import CareEventIn, CaseIn
from app.engine.library import Library
from app.people import service as people
from app.people.schemas import PersonIn

# Real postcodes (the validator places each in a council: these are in Richmond upon Thames).
# Homes and placements apart: a child placed at their home's postcode is placed with parents (P1).
POSTCODES = ("TW9 1AB", "TW1 1AF", "TW9 1AD")
HOMES = ("TW1 3AA", "TW1 3AB", "TW1 3AD")
NAMES = ("Ava", "Noah", "Mia", "Leo", "Isla", "Oscar", "Ella", "Jack", "Ruby", "Alfie")
SURNAMES = ("Smith", "Jones", "Patel", "Khan", "Brown", "Wilson", "Evans", "Taylor", "Ali")
ETHNICITIES = ("WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "BCRB", "CHNE", "OOTH")
NEEDS = ("N1", "N1", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
FOSTER = (("U6", "PR1"), ("U6", "PR4"), ("U3", "PR1"), ("U4", "PR1"), ("U1", "PR1"))
ORDERS = ("V2", "C1", "C2")  # a child's legal status only moves along this line
MOVES = ("CARPL", "CREQB", "CREQO", "CHILD", "LAREQ", "OTHER", "STAND")
LEAVING = ("E4A", "E13", "E8")
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(digits: str) -> str:
    """A unique pupil number with its check letter (DfE's weights 2 to 13, modulo 23)."""
    total = sum(int(digit) * weight for digit, weight in zip(digits, range(2, 14), strict=True))
    return UPN_LETTERS[total % 23] + digits


@dataclass
class Made:
    children: int
    events: int


def generate(
    *, session: Session, library: Library, worker: User, count: int, seed: int, last: date
) -> Made:
    """`count` looked-after children with histories between two years before `last` and `last`."""
    rng = random.Random(seed)
    events = 0
    for n in range(count):
        started = last - timedelta(days=rng.randint(60, 730))
        age = rng.randint(2, 15)
        born = started - timedelta(days=age * 365 + rng.randint(0, 300))
        case_id = _child(session, worker, rng, n, born, started)
        for data in _history(rng, n, started, last):
            care.record_event(
                session=session,
                actor=worker,
                library=library,
                case_id=case_id,
                data=data,
                today=last,
            )
            events += 1
    session.flush()
    return Made(count, events)


def _child(
    session: Session, worker: User, rng: random.Random, n: int, born: date, opened: date
) -> int:
    person, _ = people.create_person(
        session=session,
        actor=worker,
        data=PersonIn(
            given_names=rng.choice(NAMES),
            family_name=f"{rng.choice(SURNAMES)}{n}",
            date_of_birth=born,
            sex=rng.choice(("female", "male")),
            ethnicity=rng.choice(ETHNICITIES),
        ),
    )
    case = cases.open_case(
        session=session,
        actor=worker,
        data=CaseIn(
            child_id=person.id,
            allocated_worker_id=worker.id,
            team_id=worker.team_id,
            opened_on=opened - timedelta(days=rng.randint(0, 30)),
        ),
    )
    return case.id


def _history(rng: random.Random, n: int, started: date, last: date) -> list[CareEventIn]:
    status = rng.choice(ORDERS[:2])
    place, provider = rng.choice(FOSTER)
    found = [
        CareEventIn(
            kind="start",
            on=started,
            legal_status=status,
            category_of_need=rng.choice(NEEDS),
            placement_type=place,
            provider=provider,
            postcode=rng.choice(POSTCODES),
            urn=f"SC{rng.randint(100000, 999999)}",
            home_postcode=rng.choice(HOMES),
            upn=upn(f"318{n % 10000:04d}{rng.randint(10, 25)}{n % 1000:03d}"),
        )
    ]
    on = started
    for _ in range(rng.randint(0, 3)):
        on += timedelta(days=rng.randint(20, 200))
        if on > last:
            break
        event = _next(rng, on, status, place)
        found.append(event)
        if event.kind == "ceased":
            break
        status = event.legal_status or status
        place = event.placement_type or place
    return found


def _next(rng: random.Random, on: date, status: str, place: str) -> CareEventIn:
    later = ORDERS[ORDERS.index(status) + 1 :]
    roll = rng.random()
    if roll < 0.3 and later:
        return CareEventIn(kind="legal_status", on=on, legal_status=rng.choice(later))
    if roll < 0.8:
        moves = [(p, pr) for p, pr in FOSTER if p != place]
        new_place, provider = rng.choice(moves)
        return CareEventIn(
            kind="placement",
            on=on,
            placement_type=new_place,
            provider=provider,
            postcode=rng.choice(POSTCODES),
            urn=f"SC{rng.randint(100000, 999999)}",
            reason_place_change=rng.choice(MOVES),
        )
    return CareEventIn(kind="ceased", on=on, reason_ceased=rng.choice(LEAVING))
