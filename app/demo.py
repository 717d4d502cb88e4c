"""The demo family: a blended household of three children, the adults around them, their
professionals, and one user per role. Dates are relative to today so the ages stay true."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import Role, User
from app.people import service as people
from app.people.models import Case, Person
from app.people.schemas import (
    CaseIn,
    FamilyIn,
    MemberIn,
    PenPictureIn,
    PersonIn,
    ProfessionalIn,
    RelationshipIn,
)

DEMO_PASSWORD = "demo-password"  # noqa: S105 - published in the README; refused in production
DEMO_USERS = [
    ("worker", "Sam Okafor", Role.SOCIAL_WORKER),
    ("manager", "Priya Shah", Role.TEAM_MANAGER),
    ("support", "Gareth Evans", Role.BUSINESS_SUPPORT),
    ("chair", "Helen Brooks", Role.CONFERENCE_CHAIR),
    ("auditor", "Tom Reid", Role.AUDITOR),
    ("admin", "Alex Morgan", Role.SYSTEM_ADMIN),
]
DEMO_TEAM = "Riverside Children in Need Team"
HOME = "14 Alder Close, Riverside, RV4 2PL"


def years_ago(years: int, months: int = 0, today: date | None = None) -> date:
    today = today or date.today()
    month = today.month - months
    year = today.year - years + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(today.day, 28))


def load(*, session: Session, if_empty: bool = False) -> list[str]:
    """Add what is missing of the demo; return the children's case numbers, youngest first."""
    if if_empty and session.scalar(select(Case.id).limit(1)) is not None:
        return []
    users = _users(session=session)
    numbers = _existing_numbers(session=session) or _family(session=session, users=users)
    return numbers


def _users(*, session: Session) -> dict[str, User]:
    team = auth_service.get_or_create_team(session=session, name=DEMO_TEAM)
    users: dict[str, User] = {}
    for username, full_name, role in DEMO_USERS:
        existing = session.scalar(select(User).where(User.username == username))
        users[username] = existing or auth_service.create_user(
            session=session,
            username=username,
            full_name=full_name,
            role=role,
            password=DEMO_PASSWORD,
            team=team,
        )
    return users


def _existing_numbers(*, session: Session) -> list[str]:
    rows = session.execute(
        select(Case.case_number, Person.date_of_birth)
        .join(Person, Case.child_id == Person.id)
        .where(Person.family_name.in_(["Hughes", "Marshall"]), Person.given_names.in_(_CHILD_NAMES))
    ).all()
    return [number for number, _dob in sorted(rows, key=lambda r: r[1] or date.min, reverse=True)]


_CHILD_NAMES = ["Ruby", "Jade", "Tyler"]


def _person(session: Session, actor: User, **fields: Any) -> Person:
    person, _matches = people.create_person(session=session, actor=actor, data=PersonIn(**fields))
    return person


def _family(*, session: Session, users: dict[str, User]) -> list[str]:
    worker = users["worker"]
    p = _people(session, worker)
    _households(session, worker, p)
    _relationships(session, worker, p)
    _pen_pictures(session, worker, p)
    _professionals(session, worker, p)
    team_id = worker.team_id
    numbers = []
    for child in (p["ruby"], p["jade"], p["tyler"]):
        case = people.open_case(
            session=session,
            actor=worker,
            data=CaseIn(
                child_id=child.id,
                allocated_worker_id=worker.id,
                team_id=team_id,
                legal_status="cin",
                opened_on=date.today() - timedelta(days=60),
            ),
        )
        numbers.append(case.case_number)
    return numbers


def _people(session: Session, actor: User) -> dict[str, Person]:
    common = {"ethnicity": "WBRI", "first_language": "English", "religion": "None"}
    return {
        "kerry": _person(
            session,
            actor,
            given_names="Kerry",
            family_name="Walsh",
            date_of_birth=years_ago(32, 4),
            sex="female",
            address=HOME,
            **common,
        ),
        "dean": _person(
            session,
            actor,
            given_names="Dean",
            family_name="Marshall",
            date_of_birth=years_ago(35, 1),
            sex="male",
            address=HOME,
            **common,
        ),
        "lee": _person(
            session,
            actor,
            given_names="Lee",
            family_name="Hughes",
            date_of_birth=years_ago(36, 7),
            sex="male",
            address="Flat 3, 88 Canal Street, Riverside, RV1 5DX",
            **common,
        ),
        "pat": _person(
            session,
            actor,
            given_names="Patricia",
            known_as="Pat",
            family_name="Walsh",
            date_of_birth=years_ago(58, 2),
            sex="female",
            address="2 Mill Lane, Riverside, RV4 1AA",
            **common,
        ),
        "ruby": _person(
            session,
            actor,
            given_names="Ruby",
            family_name="Marshall",
            date_of_birth=years_ago(1, 2),
            sex="female",
            address=HOME,
            **common,
        ),
        "jade": _person(
            session,
            actor,
            given_names="Jade",
            family_name="Hughes",
            date_of_birth=years_ago(6, 3),
            sex="female",
            address=HOME,
            disabled=True,
            disability="Speech and language delay and difficulty with balance; "
            "awaiting assessment, no diagnosis yet.",
            communication_needs="Uses single words and signs (Makaton); "
            "give her time and show pictures.",
            **common,
        ),
        "tyler": _person(
            session,
            actor,
            given_names="Tyler",
            family_name="Hughes",
            date_of_birth=years_ago(13, 5),
            sex="male",
            address=HOME,
            **common,
        ),
    }


def _households(session: Session, actor: User, p: dict[str, Person]) -> None:
    people.create_family(
        session=session,
        actor=actor,
        data=FamilyIn(
            name="Walsh and Marshall household",
            address=HOME,
            members=[
                MemberIn(person_id=p["kerry"].id, role="mother"),
                MemberIn(person_id=p["dean"].id, role="mother's partner"),
                MemberIn(person_id=p["ruby"].id, role="child"),
                MemberIn(person_id=p["jade"].id, role="child"),
                MemberIn(person_id=p["tyler"].id, role="child"),
                MemberIn(person_id=p["pat"].id, role="maternal grandmother", lives_here=False),
            ],
        ),
    )
    # The children stay with their father every other weekend: a second household.
    people.create_family(
        session=session,
        actor=actor,
        data=FamilyIn(
            name="Lee Hughes's household",
            address=p["lee"].address,
            members=[
                MemberIn(person_id=p["lee"].id, role="father"),
                MemberIn(person_id=p["jade"].id, role="child", lives_here=False),
                MemberIn(person_id=p["tyler"].id, role="child", lives_here=False),
            ],
        ),
    )


def _relationships(session: Session, actor: User, p: dict[str, Person]) -> None:
    links = [
        ("kerry", "ruby", "mother", True),
        ("kerry", "jade", "mother", True),
        ("kerry", "tyler", "mother", True),
        ("dean", "ruby", "father", True),
        ("dean", "jade", "mothers_partner", False),
        ("dean", "tyler", "mothers_partner", False),
        ("lee", "jade", "father", True),
        ("lee", "tyler", "father", True),
        ("pat", "ruby", "maternal_grandmother", False),
        ("pat", "jade", "maternal_grandmother", False),
        ("pat", "tyler", "maternal_grandmother", False),
        ("kerry", "dean", "partner", None),
        ("kerry", "lee", "former_partner", None),
        ("jade", "tyler", "sibling", None),
        ("ruby", "jade", "half_sibling", None),
        ("ruby", "tyler", "half_sibling", None),
    ]
    for a, b, code, pr in links:
        people.add_relationship(
            session=session,
            actor=actor,
            data=RelationshipIn(
                person_id=p[a].id,
                other_person_id=p[b].id,
                type_code=code,
                has_parental_responsibility=pr,
            ),
        )


PEN_PICTURES = {
    "kerry": (
        "Mum to Ruby, Jade and Tyler.",
        "Warm and chatty once she knows you; worries about being judged.",
        "Knows her children well and keeps every health appointment.",
        "Low mood since Ruby was born; money is very tight.",
        "Ring before you visit. Mornings are best; she prefers a text first.",
    ),
    "dean": (
        "Ruby's dad; Kerry's partner for three years.",
        "Quiet, practical, works long shifts at the distribution centre.",
        "Takes Jade to school when he is not on shift.",
        "Can be short-tempered when tired; has said he feels left out of meetings.",
        "Straight talk; he likes to see the plan written down.",
    ),
    "lee": (
        "Dad to Jade and Tyler; lives in Riverside town centre.",
        "Loves football; sees Jade and Tyler every other weekend.",
        "Reliable with contact; Tyler looks up to him.",
        "Past alcohol use; he says he has not drunk for two years.",
        "Evenings after 6pm; he reads best with short letters.",
    ),
    "pat": (
        "Kerry's mum: Nan to all three children.",
        "Lively and involved; drives Kerry to appointments.",
        "Collects Tyler from school on Wednesdays; the children love staying with her.",
        "Her own health is not good (she has COPD).",
        "Happy to talk on the phone; speak up a little.",
    ),
    "ruby": (
        "Kerry and Dean's daughter, 14 months old.",
        "Smiley and busy; has just started walking.",
        "Growing well; up to date with her jabs.",
        "Was born early and had a short stay in special care.",
        "Watch how she plays with Mum; she is wary of new faces.",
    ),
    "jade": (
        "Kerry and Lee's daughter, 6.",
        "Loves animals, bubbles and her tablet; gets upset by loud noise.",
        "Very determined; learning new signs every week.",
        "Her speech and balance are behind other children her age; no diagnosis yet.",
        "Use Makaton and pictures, give her time, see her where she feels safe.",
    ),
    "tyler": (
        "Kerry and Lee's son, 13.",
        "Funny and quick; into gaming and BMX.",
        "Looks after his sisters and is doing well in maths.",
        "Missing school on Mondays; says he is 'fine'.",
        "Talk in the car or on a walk, not across a table. He wants to be asked, not told.",
    ),
}


def _pen_pictures(session: Session, actor: User, p: dict[str, Person]) -> None:
    for key, (who, like, strengths, worries, talk) in PEN_PICTURES.items():
        people.write_pen_picture(
            session=session,
            actor=actor,
            person_id=p[key].id,
            data=PenPictureIn(
                who_they_are=who,
                what_they_are_like=like,
                strengths=strengths,
                worries=worries,
                how_to_talk=talk,
            ),
        )


PROFESSIONALS = [
    ("Dr Anita Rao", "gp", "Riverside Surgery", "GP", ["kerry", "dean", "ruby", "jade", "tyler"]),
    (
        "Claire Benson",
        "health_visitor",
        "Riverside Health Visiting Team",
        "Health visitor",
        ["ruby"],
    ),
    ("Mrs Joanne Price", "school", "Oakfield Primary School", "Class teacher and SENCO", ["jade"]),
    ("Mr David Lowe", "school", "St Luke's Academy", "Head of Year 9", ["tyler"]),
    (
        "Rachel Kim",
        "speech_and_language",
        "Riverside Children's Therapy",
        "Speech and language therapist",
        ["jade"],
    ),
]


def _professionals(session: Session, actor: User, p: dict[str, Person]) -> None:
    for name, kind, organisation, role, clients in PROFESSIONALS:
        pro = people.create_professional(
            session=session,
            actor=actor,
            data=ProfessionalIn(name=name, agency_type=kind, organisation=organisation, role=role),
        )
        for key in clients:
            people.involve(
                session=session,
                actor=actor,
                person_id=p[key].id,
                professional_id=pro.id,
                started_on=date.today() - timedelta(days=400),
            )
