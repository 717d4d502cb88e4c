"""The demo family: a blended household of three children, the adults around them, their
professionals, and one user per role. Dates are relative to today so the ages stay true."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import Role, User
from app.cases import service as cases
from app.cases.models import Case
from app.cases.schemas import CaseIn
from app.config import get_settings
from app.engine.library import Library
from app.engine.loader import load_library
from app.people import service as people
from app.people.models import Person, Professional
from app.people.schemas import (
    FamilyIn,
    MemberIn,
    PenPictureIn,
    PersonIn,
    ProfessionalIn,
    RelationshipIn,
)
from app.records import service as records
from app.records.models import Record
from app.timescales.calendar import add_working_days

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


def load(
    *,
    session: Session,
    if_empty: bool = False,
    with_records: bool = False,
    library: Library | None = None,
) -> list[str]:
    """Add what is missing of the demo; return the children's case numbers, youngest first.

    With `with_records`, Jade also gets her finalised records (see `load_records`)."""
    if if_empty and session.scalar(select(Case.id).limit(1)) is not None:
        return []
    users = _users(session=session)
    numbers = _existing_numbers(session=session) or _family(session=session, users=users)
    if with_records:
        load_records(session=session, library=library, users=users)
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
        case = cases.open_case(
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


# Jade's records: referral, initial assessment, core assessment, child in need plan and review,
# each filled, submitted and finalised as a social worker would have written them.

RECORDS_CHILD = ("Jade", "Hughes")
RECORD_EXEMPLARS = (
    "referral_and_information",
    "initial_assessment",
    "core_assessment",
    "childs_plan",
    "review",
)


@dataclass(frozen=True)
class _Story:
    """Who is who (person and professional ids) and when things happened, for Jade's records."""

    ids: dict[str, int]
    referral: date
    today: date

    def wd(self, days: int) -> str:
        """The date `days` working days after the referral, as the answers store it."""
        return add_working_days(self.referral, days).isoformat()

    @property
    def plan_start(self) -> date:
        return add_working_days(self.referral, 22)

    @property
    def review(self) -> date:
        """Three months after the plan began, but never later than yesterday."""
        return min(self.plan_start + timedelta(days=91), self.today - timedelta(days=1))

    def by(self, days_after_plan: int) -> str:
        """A date so many days into the plan, no later than the review."""
        return min(self.plan_start + timedelta(days=days_after_plan), self.review).isoformat()


def load_records(
    *,
    session: Session,
    library: Library | None = None,
    users: dict[str, User] | None = None,
    exemplars: Sequence[str] = RECORD_EXEMPLARS,
) -> str:
    """Give Jade, the demo 6-year-old, her finalised records; add only those she lacks.

    Returns her case number. An exemplar already finalised for her (even if it is being amended
    now) is left alone; `exemplars` picks some of RECORD_EXEMPLARS, always in their order."""
    library = library or load_library(get_settings().exemplars_dir)
    users = users or _users(session=session)
    case = _records_case(session=session)
    done = set(
        session.scalars(
            select(Record.exemplar_id).where(
                Record.case_id == case.id, Record.finalised_at.is_not(None)
            )
        )
    )
    story = _story(session=session, case=case)
    builders = {
        "referral_and_information": _referral_answers,
        "initial_assessment": _initial_assessment_answers,
        "core_assessment": _core_assessment_answers,
        "childs_plan": _plan_answers,
        "review": _review_answers,
    }
    for exemplar_id in RECORD_EXEMPLARS:
        if exemplar_id in done or exemplar_id not in exemplars:
            continue
        _complete(
            session=session,
            library=library,
            worker=users["worker"],
            manager=users["manager"],
            case_id=case.id,
            exemplar_id=exemplar_id,
            answers=builders[exemplar_id](story),
        )
    return case.case_number


def _records_case(*, session: Session) -> Case:
    given, family = RECORDS_CHILD
    case = session.scalar(
        select(Case)
        .join(Person, Case.child_id == Person.id)
        .where(Person.given_names == given, Person.family_name == family)
        .order_by(Case.id)
        .limit(1)
    )
    if case is None:
        raise LookupError(f"There is no case for {given} {family}: load the demo family first.")
    return case


_STORY_PEOPLE = {
    "jade": ("Jade", "Hughes"),
    "kerry": ("Kerry", "Walsh"),
    "dean": ("Dean", "Marshall"),
    "lee": ("Lee", "Hughes"),
    "pat": ("Patricia", "Walsh"),
    "tyler": ("Tyler", "Hughes"),
    "ruby": ("Ruby", "Marshall"),
}
_STORY_PROFESSIONALS = {
    "teacher": "Mrs Joanne Price",
    "salt": "Rachel Kim",
    "gp": "Dr Anita Rao",
}


def _story(*, session: Session, case: Case) -> _Story:
    ids: dict[str, int] = {}
    for key, (given, family) in _STORY_PEOPLE.items():
        found = session.scalar(
            select(Person.id)
            .where(Person.given_names == given, Person.family_name == family)
            .order_by(Person.id)
            .limit(1)
        )
        if found is None:
            raise LookupError(f"The demo family has no {given} {family}.")
        ids[key] = found
    for key, name in _STORY_PROFESSIONALS.items():
        pro = session.scalar(
            select(Professional.id).where(Professional.name == name).order_by(Professional.id)
        )
        if pro is None:
            raise LookupError(f"The demo family has no professional {name}.")
        ids[key] = pro
    today = date.today()
    referral = min(case.opened_on, today - timedelta(days=60))
    return _Story(ids=ids, referral=referral, today=today)


def _complete(
    *,
    session: Session,
    library: Library,
    worker: User,
    manager: User,
    case_id: int,
    exemplar_id: str,
    answers: dict[str, Any],
) -> Record:
    """Start, fill, submit and finalise one record; any answer the exemplar refuses is an error."""
    record = records.start(
        session=session, library=library, actor=worker, case_id=case_id, exemplar_id=exemplar_id
    )
    result = records.save(
        session=session,
        library=library,
        actor=worker,
        context=records.load(session=session, library=library, record_id=record.id),
        base_revision=record.revision,
        answers={key: {"value": value} for key, value in answers.items()},
    )
    if result.errors:
        raise ValueError(f"Demo {exemplar_id} answers refused: {result.errors}")
    records.submit(session=session, library=library, actor=worker, record_id=record.id)
    records.finalise(session=session, actor=manager, record_id=record.id)
    return record


def _yes(when: str | None = None) -> dict[str, str]:
    return {"answer": "yes", "when": when} if when else {"answer": "yes"}


def _no(when: str | None = None) -> dict[str, str]:
    return {"answer": "no", "when": when} if when else {"answer": "no"}


def _household(s: _Story) -> list[dict[str, Any]]:
    rows = [
        ("kerry", "Mother", "yes", "yes"),
        ("dean", "Mother's partner (Ruby's father)", "yes", "no"),
        ("tyler", "Brother", "yes", "no"),
        ("ruby", "Half-sister", "yes", "no"),
        ("lee", "Father", "no", "yes"),
        ("pat", "Maternal grandmother", "no", "no"),
    ]
    return [
        {
            "person": s.ids[key],
            "relationship": relationship,
            "lives_with_child": lives,
            "has_parental_responsibility": pr,
        }
        for key, relationship, lives, pr in rows
    ]


def _referral_answers(s: _Story) -> dict[str, Any]:
    day = s.wd(0)
    return {
        "referral_date": day,
        "date_recorded": day,
        "parent_aware": "yes",
        "child_aware": "no",
        "household_members": _household(s),
        "nationality": "British",
        "referral_source": "2A",
        "referrer_name": "Mrs Joanne Price",
        "referrer_role": "Class teacher and SENCO, Oakfield Primary School",
        "referrer_phone": "01632 960418",
        "referrer_identity_shareable": "yes",
        "reason_for_referral": (
            "Mrs Price rang the duty line with Kerry Walsh's agreement; Kerry was with her in the "
            "school office and spoke to me as well. Jade is six and in Year 2. Her speech and her "
            "balance are well behind other children of her age and she has no diagnosis yet: she "
            "has been waiting for a community paediatric appointment since the spring. Jade is "
            "waking four or five times most nights. She comes into school tired, falls asleep "
            "in the afternoons and has had three falls in the playground this half term, one "
            "needing a cold compress on her head. Kerry has told school she is 'running on "
            "empty'. She is caring for Jade, for Ruby who is one, and for Tyler who is 13, and "
            "money is very tight. Kerry asked school to make this referral because she wants "
            "help, not because anyone is worried about how she cares for Jade."
        ),
        "referred_as": ["child_in_need"],
        "child_views": (
            "Jade has not been asked about the referral yet. In class she signs 'tired' and "
            "'home' most afternoons, and Mrs Price says she has started hiding under the table "
            "in the book corner when the classroom gets noisy."
        ),
        "parent_views": (
            "Kerry (mother), on the phone from school: 'I'm not coping with her nights and "
            "nobody will tell me what's wrong with her. I don't want anyone taking her off me, "
            "I want someone to help me get her seen.'"
        ),
        "third_party_information": (
            "Rachel Kim, speech and language therapist, confirmed Jade has been on her caseload "
            "for a year. She describes Jade's understanding as better than her speech and says "
            "Makaton is working well at school. Dr Rao's surgery confirmed the referral to "
            "community paediatrics was made last spring and Jade is still on the waiting list."
        ),
        "consent_contact_gp": "yes",
        "consent_contact_school": "yes",
        "other_agencies_involved": [
            {
                "professional": s.ids["salt"],
                "involvement": "Speech and language therapy; sees Jade in school each half term.",
            },
            {
                "professional": s.ids["gp"],
                "involvement": "Family GP; referred Jade to community paediatrics.",
            },
        ],
        "responsible_authority": "Riverside Council",
        "disability_codes": ["COMM", "MOB"],
        "disability_description": (
            "Speech and language delay (single words and Makaton signs) and difficulty with "
            "balance. No diagnosis; awaiting a community paediatric assessment."
        ),
        "cp_plan_current": "no",
        "looked_after": "no",
        "previously_looked_after": "no",
        "actions_taken": ["duty_checks", "information_advice"],
        "worker_recommendation": (
            "There are no safeguarding concerns in the referral or in the checks: no previous "
            "referrals, no police information. Jade is likely to be a child in need because of "
            "her disability, and Kerry is asking for support. I recommend an initial assessment "
            "with a home visit this week, seeing Jade at home and at school."
        ),
        "decision": "initial_assessment",
        "decision_reason": (
            "Jade may be a child in need (Children Act 1989, section 17) because of her "
            "disability and the strain on the family. Her mother has asked for help and agrees "
            "to an assessment."
        ),
        "decision_date": day,
        "informed": ["parents", "referrer"],
        "worker_signed_on": day,
        "manager_name": "Priya Shah",
        "manager_signed_on": day,
    }


_JADE_AT_HOME = (
    "At home in the living room, Mum on the sofa nearby, Ruby napping upstairs; I used Makaton "
    "and picture cards"
)
_JADE_AT_SCHOOL = (
    "In the nurture room at Oakfield Primary with Mrs Ali, her teaching assistant, who knows "
    "her signs"
)
_NOT_ALONE = (
    "Jade was seen at home with her mum close by and at school with Mrs Ali, her teaching "
    "assistant. She does not yet know me, uses single words and signs, and becomes very "
    "anxious with unfamiliar adults; seeing her without someone she trusts would have "
    "frightened her and told us less. Mrs Ali helped me understand her signs and did not "
    "answer for her."
)


def _initial_assessment_answers(s: _Story) -> dict[str, Any]:
    home, school, done = s.wd(2), s.wd(3), s.wd(7)
    return {
        "assessment_start_date": s.wd(1),
        "child_seen": "yes",
        "child_seen_date": home,
        "child_seen_alone": "no",
        "not_seen_reason": _NOT_ALONE,
        "people_seen": [
            {"person": s.ids["jade"], "seen_on": home, "where": "Home"},
            {"person": s.ids["kerry"], "seen_on": home, "where": "Home"},
            {"person": s.ids["dean"], "seen_on": home, "where": "Home"},
            {"person": s.ids["ruby"], "seen_on": home, "where": "Home"},
            {"person": s.ids["tyler"], "seen_on": home, "where": "Home, after school"},
            {"person": s.ids["jade"], "seen_on": school, "where": "Oakfield Primary School"},
        ],
        "agencies_contacted": [
            {
                "professional": s.ids["teacher"],
                "contacted_on": school,
                "information": (
                    "Attendance 94%. Jade is working well below the expected level but is "
                    "making steady progress with a teaching assistant in the mornings. Tired "
                    "and tearful most afternoons; three falls in the playground this half term. "
                    "Kerry is warm with her at the gate and never misses a meeting."
                ),
            },
            {
                "professional": s.ids["salt"],
                "contacted_on": school,
                "information": (
                    "Jade understands far more than she can say. About 40 signs and 20 clear "
                    "words. A visual timetable helps her cope with change. Ms Kim would like to "
                    "train the family in more signs."
                ),
            },
            {
                "professional": s.ids["gp"],
                "contacted_on": s.wd(4),
                "information": (
                    "Jade is healthy apart from her development; immunisations up to date. "
                    "Paediatric referral made last spring. Kerry has been seen for low mood since "
                    "Ruby's birth and is on a low dose of sertraline, which she takes reliably."
                ),
            },
        ],
        "manager_consulted_on": done,
        "child_words": [
            {
                "said_on": home,
                "where_and_who_present": _JADE_AT_HOME,
                "how_shared": "signs_symbols",
                "what_they_said": (
                    "Jade showed me a video of a dog on her tablet and signed 'dog' and then "
                    "'Nana' (Pat has a dog called Biscuit). When I showed her a picture of a "
                    "bed she signed 'no' and 'sad' and said 'Dark. Ruby cry.' When I showed her "
                    "a picture of her mum she smiled, said 'Mummy' and signed 'cuddle'."
                ),
            },
            {
                "said_on": school,
                "where_and_who_present": _JADE_AT_SCHOOL,
                "how_shared": "play",
                "what_they_said": (
                    "Playing with the dolls' house, Jade put the girl doll in the bed, then "
                    "took her out and walked her to the mummy doll: 'Up. Up again.' She pointed "
                    "to the playground on her timetable and said 'Fall down. Knee.' She put her "
                    "hands over her ears and said 'Too loud' about the hall at lunchtime. Asked "
                    "who helps her, she pointed at Mrs Ali and said 'Mrs Ali nice.'"
                ),
            },
        ],
        "parent_words": [
            {
                "person": s.ids["kerry"],
                "said_on": home,
                "what_they_said": (
                    "'I've known something's not right with her since she was two. Everyone "
                    "says wait and see. I've waited.' 'Some nights she's up four or five times "
                    "and I sleep on the sofa with her so she doesn't wake Ruby.' 'I'm not a bad "
                    "mum, I'm a tired one.'"
                ),
            },
            {
                "person": s.ids["dean"],
                "said_on": home,
                "what_they_said": (
                    "'I do what I can, but I'm on nights half the week. I'd like to know what "
                    "the plan is so I'm not guessing.'"
                ),
            },
        ],
        "developmental_summary": (
            "Jade is a determined, affectionate six-year-old who loves animals, bubbles and her "
            "tablet. Her speech is delayed (single words and Makaton signs) and her balance is "
            "poor: she falls more often than other children and is wary on stairs. She is "
            "toilet trained in the day but wears pull-ups at night. She is seriously short of "
            "sleep, and this shows at school: she is tired, tearful and takes in less in the "
            "afternoons. She has no diagnosis, so she has no plan for her health or her "
            "learning beyond what school has put in place."
        ),
        "developmental_concerns": ["dev_health", "dev_education", "dev_self_care"],
        "disability_care_needs": (
            "Jade needs an adult close by on stairs, in the bath and outdoors on uneven ground. "
            "She needs help to dress and to wash her hair. She needs adults to sign with her "
            "and give her time to answer, and a calm, quiet place when she is overwhelmed. At "
            "night she needs settling back to sleep several times."
        ),
        "parenting_summary": (
            "Kerry knows Jade extremely well: she reads her signs, anticipates when noise will "
            "upset her, and has kept every health appointment. The house was warm, tidy enough "
            "and well stocked with food; Jade was clean and appropriately dressed. Kerry is "
            "exhausted, and says herself that she is shorter with the children in the evenings "
            "than she wants to be. Dean helps with the school run and with Ruby, but works "
            "nights half the week. Tyler does a lot to help his sisters."
        ),
        "domestic_abuse": _no(),
        "parental_alcohol_misuse": _yes("past"),
        "parental_drug_misuse": _no(),
        "parental_mental_health": _yes("current"),
        "family_summary": (
            "The family rent a three-bedroom council house. Jade shares a room with Ruby, so "
            "when Jade wakes, Ruby wakes. Dean works at the distribution centre on rotating "
            "shifts; Kerry does not work at present. Money is very tight and the family have not "
            "claimed Disability Living Allowance for Jade, because Kerry believed she needed a "
            "diagnosis first. Kerry's mum Pat lives nearby and helps when her COPD allows. "
            "Jade and Tyler see their dad, Lee, every other weekend."
        ),
        "family_concerns": ["fam_income", "fam_housing"],
        "worries": (
            "Jade is not sleeping, and nor is her mum. Jade's falls are increasing. Nobody yet "
            "knows why Jade's speech and balance are delayed, so she has no health plan. Kerry's "
            "low mood is made worse by exhaustion, and the family's money will not stretch to "
            "anything extra."
        ),
        "going_well": (
            "Jade is loved and well cared for. Kerry is a knowledgeable, committed mum who asked "
            "for help herself. School and speech therapy know Jade well and Makaton is working. "
            "Jade has a good relationship with both parents, her Nan and her big brother."
        ),
        "needs_to_happen": (
            "A fuller assessment of Jade's needs as a disabled child and of the support the "
            "family need; an urgent push on the paediatric appointment; help with sleep; and "
            "help for Kerry to claim the benefits Jade is entitled to."
        ),
        "analysis": (
            "Jade is a child in need because of her disability: without services her health and "
            "development are likely to be significantly impaired. I have no concerns that she "
            "is being harmed. The main risk is to her development and to the family's ability "
            "to keep going: broken sleep is affecting Jade's learning and safety at school, and "
            "Kerry's mental health. Lee's alcohol use is in the past (he says two years) and "
            "there is nothing to suggest it is a current risk, but I will speak to him as part "
            "of the core assessment. Because Jade's needs are complex and long-term, and her "
            "disability has not been assessed, a core assessment is needed to understand her "
            "needs across every area and to plan services with the family."
        ),
        "child_in_need": "yes",
        "primary_need": "N2",
        "assessment_factors": ["6A", "4B"],
        "decision": "core_assessment",
        "decision_reason": (
            "Jade's needs arising from her disability are complex and long-term and need an "
            "in-depth assessment. Kerry and Dean agree. Services will start now, not wait for "
            "the core assessment to finish."
        ),
        "initial_plan_lines": [
            {
                "need": "Jade has waited most of a year for a paediatric assessment.",
                "action": "Ask Dr Rao to write to community paediatrics about the falls.",
                "who": "Sam Okafor, social worker, with Dr Rao",
                "who_professional": s.ids["gp"],
                "end_date": s.wd(12),
                "planned_outcome": "Jade has an appointment date.",
            },
            {
                "need": "The family are not claiming Disability Living Allowance for Jade.",
                "action": "Help Kerry fill in the claim form; no diagnosis is needed.",
                "who": "Sam Okafor, social worker, with Kerry",
                "end_date": s.wd(15),
                "planned_outcome": "The claim is made.",
            },
        ],
        "completed_date": done,
        "shared_with_family_on": done,
        "family_agreement": [
            {
                "person": s.ids["kerry"],
                "agreement": "agrees",
                "comments": "'It's the first time someone's written down what it's really like.'",
                "signed_on": done,
            },
        ],
        "worker_signed_on": done,
        "manager_name": "Priya Shah",
        "manager_decision": "authorised",
        "manager_comments": (
            "Clear, balanced assessment that keeps Jade at the centre. Agree a core assessment; "
            "please make sure Lee is seen and his views recorded."
        ),
        "manager_signed_on": done,
    }


def _core_objectives() -> list[dict[str, str]]:
    """The plan objectives of the core assessment; the child's plan builds on them."""
    return [
        {
            "domain": "developmental_needs",
            "dimension": "dev_health",
            "need": (
                "Jade needs to know why her speech and balance are delayed so that she gets the "
                "right treatment and help."
            ),
            "family_strengths": "Kerry keeps every appointment and keeps a diary of the falls.",
            "action": (
                "Dr Rao and the social worker to press for an early community paediatric "
                "appointment; Kerry to take her falls diary; physiotherapy and occupational "
                "therapy referrals once Jade is seen."
            ),
            "planned_outcome": "Jade is assessed by a paediatrician and has a health plan.",
        },
        {
            "domain": "developmental_needs",
            "dimension": "dev_self_care",
            "need": "Jade needs to sleep through more nights, and so does her family.",
            "family_strengths": (
                "Kerry already keeps a bedtime routine and is willing to try new ideas."
            ),
            "action": (
                "Referral to the sleep practitioner at Riverside Children's Centre; visual "
                "bedtime routine made with Ms Kim; look at Jade having her own room."
            ),
            "planned_outcome": "Jade wakes no more than once on most nights.",
        },
        {
            "domain": "developmental_needs",
            "dimension": "dev_education",
            "need": "Jade needs support in school matched to her needs, not only to her age.",
            "family_strengths": "Kerry and school work well together; Makaton is used in class.",
            "action": (
                "School to request an Education, Health and Care needs assessment with Kerry's "
                "agreement; Lee and Dean to learn ten new signs each with Ms Kim."
            ),
            "planned_outcome": (
                "An EHC needs assessment is under way and the family sign with Jade at home."
            ),
        },
        {
            "domain": "family_environment",
            "dimension": "fam_income",
            "need": "The family need the money Jade is entitled to, to meet her extra costs.",
            "family_strengths": "Kerry budgets carefully and is open about money.",
            "action": (
                "Support Kerry with the Disability Living Allowance claim and a carer's "
                "allowance check; referral to the welfare rights service."
            ),
            "planned_outcome": "The claim is decided and the family's income is checked.",
        },
        {
            "domain": "parenting_capacity",
            "dimension": "par_stability",
            "need": "Kerry needs rest and support of her own so she can keep caring for Jade.",
            "family_strengths": (
                "Pat will have Jade for tea once a week; Lee and Dean both want to do more."
            ),
            "action": (
                "Parent carer's needs assessment for Kerry; apply for short breaks; Kerry to "
                "review her medication with Dr Rao."
            ),
            "planned_outcome": "Kerry has a regular break and says she feels less alone.",
        },
    ]


def _core_assessment_answers(s: _Story) -> dict[str, Any]:
    start, home, lee, school, pat, done = (
        s.wd(8),
        s.wd(10),
        s.wd(12),
        s.wd(13),
        s.wd(15),
        s.wd(20),
    )
    return {
        "info_given": [
            {"item": "complaints", "given_on": start},
            {"item": "access_to_records", "given_on": start},
            {"item": "advocacy", "given_on": start},
        ],
        "commenced_date": start,
        "child_seen": "yes",
        "child_seen_alone": "no",
        "not_seen_reason": _NOT_ALONE,
        "instruments_used": [
            {
                "instrument": "questionnaires_scales",
                "used_on": home,
                "findings": (
                    "Adult Wellbeing Scale with Kerry: scores in the range for depression and "
                    "irritability, which she links to lack of sleep. Parenting Daily Hassles: "
                    "high frequency and intensity around bedtime and getting out in the morning."
                ),
            },
            {
                "instrument": "questionnaires_scales",
                "used_on": school,
                "findings": (
                    "Strengths and Difficulties Questionnaire, completed separately by Kerry "
                    "and Mrs Price: both score Jade high for peer problems and low for conduct "
                    "problems, with high prosocial scores."
                ),
            },
        ],
        "background": (
            "Jade was born at term after an uncomplicated pregnancy. Kerry noticed when Jade "
            "was about two that she was not talking like Tyler had and that she fell a lot. "
            "Kerry and Lee separated when Jade was three; they are civil and arrange contact "
            "between them. Kerry and Dean have been together for three years and Ruby was born "
            "fourteen months ago, after which Kerry had low mood. This is the family's first "
            "contact with children's social care."
        ),
        "health_conditions": (
            "No diagnosed condition. Speech and language delay and poor balance; awaiting "
            "community paediatrics. Hearing tested last year and normal. Night waking four or "
            "five times most nights."
        ),
        "immunisations_checks_up_to_date": "yes",
        "health_services_use": (
            "Registered with Dr Rao at Riverside Surgery and with a dentist (last seen in the "
            "summer). Sees Rachel Kim, speech and language therapist, in school each half term."
        ),
        "health_summary": (
            "Jade's health needs are not yet understood because she has not been assessed. Her "
            "lack of sleep and her falls are the most pressing concerns."
        ),
        "attendance_progress": (
            "Attendance 94%, with most absences for appointments. Jade has a teaching assistant "
            "in the mornings and a visual timetable. She makes progress in the mornings and "
            "struggles in the afternoons when she is tired."
        ),
        "attainment": (
            "Working well below the expected standard in reading, writing and maths; she can "
            "recognise her name and count to ten with objects."
        ),
        "special_educational_needs": "yes",
        "education_summary": (
            "Jade is on SEN support. School think she needs an Education, Health and Care needs "
            "assessment and Kerry agrees."
        ),
        "emotional_wellbeing": (
            "Jade is mostly a happy, smiley girl. She becomes distressed by loud noise and by "
            "change she has not been warned about, and hides or covers her ears."
        ),
        "behaviour": (
            "No concerns about her behaviour towards others. When she is overwhelmed she "
            "withdraws; when she is tired she cries easily. She calms with bubbles, her tablet "
            "and a cuddle."
        ),
        "self_harm": _no("never"),
        "emotional_summary": (
            "Jade's emotional needs are met at home; she needs adults to plan for noise and "
            "change and to make sure she is rested."
        ),
        "identity_culture": (
            "Jade is White British and lives with her mum, Dean, Tyler and Ruby; she stays with "
            "her dad every other weekend. The family do not practise a religion."
        ),
        "sense_of_self": (
            "Jade knows she is loved. She is proud of her signs and shows new ones to everyone. "
            "She is beginning to notice she cannot do things other children can, and says 'Jade "
            "can't' when the others run off at playtime."
        ),
        "identity_summary": (
            "Jade has a secure sense of who she belongs to; she needs help to feel capable among "
            "her classmates."
        ),
        "social_presentation_summary": (
            "Jade is always clean and appropriately dressed for the weather; her clothes are "
            "chosen to be easy to put on and take off. She greets familiar adults warmly and "
            "is shy with strangers."
        ),
        "relationships_with_carers": (
            "Jade is very close to her mum and goes to her for comfort. She is relaxed with "
            "Dean, who does her breakfast and school run. She looks forward to weekends with "
            "her dad and talks about his dog-walking neighbour."
        ),
        "siblings": (
            "Tyler is Jade's hero: he plays games with her on the tablet and knows many of her "
            "signs. He does a lot of caring for both sisters; his own needs are being assessed "
            "separately. Jade is gentle with Ruby and tries to help with her."
        ),
        "friendships": (
            "Jade plays alongside other children rather than with them. She has one friend, "
            "Amira, who signs 'hello' to her every morning."
        ),
        "relationships_summary": (
            "Jade's relationships are a real strength: she has several adults who love her and "
            "a brother who adores her."
        ),
        "self_care_skills": (
            "Jade can feed herself with a spoon and fork and drink from an open cup. She needs "
            "help to dress, with buttons and zips, and in the bath. Dry in the day; pull-ups at "
            "night."
        ),
        "self_care_summary": (
            "Jade needs more help with self-care than other children of six, mainly because of "
            "her balance and fine motor skills."
        ),
        "disability_codes": ["COMM", "MOB"],
        "medical_conditions": (
            "None diagnosed. Possible causes of her delays have not been investigated; the "
            "paediatric appointment is the first step."
        ),
        "care_needs": (
            "An adult within arm's reach on stairs, in the bath and outdoors on uneven ground; "
            "help with dressing and washing; settling back to sleep several times a night."
        ),
        "caring_strategies": (
            "Kerry uses a picture timetable for mornings and bedtime, warns Jade before any "
            "change and takes her out of noisy places early. A stair gate stays up at night."
        ),
        "communication_methods": (
            "About 40 Makaton signs and 20 clear single words, plus pointing and pictures. Give "
            "her time: she will answer if you wait. Show a picture of where you are going."
        ),
        "other_milestones": (
            "Walked at 22 months. First words at about three. Cannot yet hop, pedal a bike or "
            "use scissors."
        ),
        "equipment_adaptations": (
            "None yet. An occupational therapy assessment is needed for a bath seat and "
            "handrails on the stairs."
        ),
        "basic_care": (
            "Very good. Jade is well fed, clean and dressed for the weather; her medical and "
            "dental appointments are kept."
        ),
        "ensuring_safety": (
            "Kerry and Dean supervise Jade closely and have made the house as safe as they can "
            "(stair gates, corner guards). The falls happen mainly at school and outside."
        ),
        "emotional_warmth": (
            "Kerry and Jade are openly affectionate; Kerry reads Jade's distress quickly and "
            "comforts her. Lee and Dean are warm with her too."
        ),
        "stimulation": (
            "Kerry plays with Jade, reads picture books and uses her signs. Outings are limited "
            "by money and by Jade's distress in busy places."
        ),
        "guidance_boundaries": (
            "Calm, consistent and pitched at Jade's understanding; Kerry uses 'first and then' "
            "pictures."
        ),
        "stability": (
            "Jade's home life is stable and her routine is predictable. The risk to stability is "
            "Kerry's exhaustion."
        ),
        "parental_learning_disability": _no("never"),
        "parental_physical_illness": _no("never"),
        "parental_issues_impact": (
            "Kerry's low mood is treated and she takes her medication; it is made worse by "
            "broken sleep and it has not affected Jade's care, but Kerry says she is more "
            "irritable in the evenings. Lee says he has not drunk alcohol for two years; Kerry, "
            "Pat and Tyler all say he has been sober at every contact weekend, and Jade is "
            "relaxed and happy when she comes back."
        ),
        "family_history_functioning": (
            "A blended family who get on. Kerry and Lee co-parent without conflict. Dean says "
            "he sometimes feels left out of decisions about Jade and Tyler; he wants to be "
            "included."
        ),
        "wider_family": (
            "Pat, Kerry's mum, lives a mile away and has Jade for tea when her COPD allows. Lee's "
            "family live in Manchester and have little contact."
        ),
        "housing": (
            "Three-bedroom council house, warm and in good repair. Jade shares with Ruby; Tyler "
            "has the box room. Stairs are steep with one rail."
        ),
        "employment": (
            "Dean works rotating shifts at the distribution centre. Kerry left her job in a care "
            "home when Ruby was born and would like to go back part-time one day."
        ),
        "income": (
            "Dean's wages and Universal Credit. No disability benefits for Jade. Kerry has £40 a "
            "month of debt repayments on a catalogue."
        ),
        "social_integration": (
            "Kerry has lost touch with friends since Ruby was born; she says people 'stare' when "
            "Jade is upset in public."
        ),
        "community_resources": (
            "Riverside Children's Centre runs a sleep service and a parent carers' group; there "
            "is a SEND-friendly swimming session on Saturdays."
        ),
        "child_needs_strengths": (
            "Jade is determined, affectionate and learning fast with signs. She needs a health "
            "assessment, help to sleep, support in school matched to her needs and adults who "
            "can all communicate with her."
        ),
        "parenting_needs_strengths": (
            "Jade's parents love her, know her well and work together. Kerry needs rest, "
            "practical help at night and someone to help her through the systems."
        ),
        "family_needs_strengths": (
            "A supportive wider family and a stable home. The family need Jade's benefits, "
            "a safer staircase and, in time, a bedroom of her own for Jade."
        ),
        "worries": (
            "If nothing changes, Jade will keep falling, keep missing learning through tiredness "
            "and keep waiting for a diagnosis; and Kerry's health may break down under the "
            "strain, which would affect all three children."
        ),
        "going_well": (
            "Jade is happy, loved and safe. Her family are united around her and asked for help "
            "early. School, speech therapy and the GP are all committed to her."
        ),
        "needs_to_happen": (
            "A child in need plan: paediatric assessment, sleep support, an EHC needs "
            "assessment, the benefit claim, a parent carer's needs assessment and short breaks."
        ),
        "analysis": (
            "Jade is a disabled child in need. She is well cared for and there are no "
            "safeguarding concerns. Her unmet needs arise from her disability, which has not "
            "been diagnosed, and from the family's exhaustion and lack of money, not from any "
            "failure of care. Jade's own words and play ('Dark. Ruby cry.', 'Up. Up again.', "
            "'Fall down. Knee.') tell us that nights are hard for her and that she knows she is "
            "falling. Kerry's account and the questionnaires agree. The protective factors are "
            "strong: loving, attuned parents who work together, a grandmother and a brother who "
            "help, and professionals who know Jade. What would tip the balance is Kerry's "
            "health, so support for her is support for Jade. I think the family can meet "
            "Jade's needs with services under a child in need plan, reviewed within three "
            "months, and that a diagnosis would open the door to the health and education help "
            "she needs for the long term."
        ),
        "primary_need": "N2",
        "assessment_factors": ["6A", "4B"],
        "plan_objectives": _core_objectives(),
        "child_words": [
            {
                "said_on": home,
                "where_and_who_present": _JADE_AT_HOME,
                "how_shared": "signs_symbols",
                "what_they_said": (
                    "Shown a 'happy' and a 'sad' face for each part of her day, Jade chose happy "
                    "for school mornings, Nana's house and Daddy's, and sad for bedtime and "
                    "playtime. She signed 'tired' and said 'Jade tired. Mummy tired.' Asked what "
                    "would make things better she signed 'bubbles' and said 'Mummy play.'"
                ),
            },
            {
                "said_on": school,
                "where_and_who_present": _JADE_AT_SCHOOL,
                "how_shared": "drawing",
                "what_they_said": (
                    "Jade drew her family: Mummy, Tyler and herself big and close together, "
                    "Ruby small, Dean and Daddy at the sides, and a dog. She pointed at herself "
                    "and said 'Jade big girl.'"
                ),
            },
        ],
        "parent_words": [
            {
                "person": s.ids["kerry"],
                "said_on": home,
                "what_they_said": (
                    "'If someone could just tell me what it is, I could stop blaming myself.' "
                    "'I'd give anything for one night's sleep a week.'"
                ),
            },
            {
                "person": s.ids["dean"],
                "said_on": home,
                "what_they_said": "'Put me down for the school run every day I'm not on nights.'",
            },
            {
                "person": s.ids["lee"],
                "said_on": lee,
                "what_they_said": (
                    "'She's my girl. I want to be at the appointments and nobody tells me when "
                    "they are.' 'I've been dry two years and I'm not going back. Ask anyone.'"
                ),
            },
        ],
        "other_views": [
            {
                "person": "Mrs Joanne Price, class teacher and SENCO",
                "view": (
                    "'Jade tries at everything. She is exhausted by lunchtime and it is holding "
                    "her back.'"
                ),
            },
            {
                "person": "Rachel Kim, speech and language therapist",
                "view": (
                    "'Her understanding is ahead of her words. The more people around her who "
                    "sign, the faster she will go.'"
                ),
            },
            {
                "person": "Pat Walsh, maternal grandmother (seen at her home)",
                "view": (
                    f"Seen on {pat}. 'Kerry's doing her best. I'd have Jade one night a week "
                    "if my chest would let me.'"
                ),
            },
        ],
        "family_agreement": [
            {
                "person": s.ids["kerry"],
                "agreement": "agrees",
                "comments": "'Yes, that's us. I want the sleep help first.'",
                "signed_on": done,
            },
            {
                "person": s.ids["lee"],
                "agreement": "agrees",
                "comments": "Asks to be sent appointment letters directly.",
                "signed_on": done,
            },
        ],
        "decision": "cin_plan",
        "decision_reason": (
            "Jade is a child in need because of her disability; her needs can be met at home "
            "with services under a child in need plan, agreed with her family at a meeting."
        ),
        "completed_date": done,
        "shared_with_family_on": done,
        "worker_signed_on": done,
        "manager_name": "Priya Shah",
        "manager_decision": "authorised",
        "manager_comments": (
            "A thorough, respectful assessment in which Jade's voice comes through clearly. "
            "Agree a child in need plan; hold the planning meeting within ten working days."
        ),
        "manager_signed_on": done,
    }


_PLAN_WHO = [
    ("Dr Rao (GP), Sam Okafor and Kerry", "gp", 42),
    ("Kerry, with the Children's Centre sleep practitioner", None, 56),
    ("Mrs Price (SENCO) with Kerry; Rachel Kim for the signing", "teacher", 70),
    ("Sam Okafor with Kerry; Riverside welfare rights service", None, 28),
    ("Sam Okafor; Riverside short breaks team; Pat Walsh", None, 84),
]


def _plan_lines(s: _Story) -> list[dict[str, Any]]:
    lines = []
    for objective, (who, pro, days) in zip(_core_objectives(), _PLAN_WHO, strict=True):
        line: dict[str, Any] = {
            **objective,
            "who": who,
            "start_date": s.plan_start.isoformat(),
            "end_date": s.by(days),
            "status": "agreed",
        }
        if pro:
            line["who_professional"] = s.ids[pro]
        lines.append(line)
    return lines


def _plan_answers(s: _Story) -> dict[str, Any]:
    start = s.plan_start.isoformat()
    return {
        "plan_start_date": start,
        "date_agreed": start,
        "next_review_date": s.review.isoformat(),
        "plan_aim": (
            "Jade gets the health assessment, sleep, schooling and communication support she "
            "needs as a disabled child, and her family get the rest and money they need to keep "
            "caring for her at home."
        ),
        "worries": (
            "Jade is still waking most nights and falling at school; she has no diagnosis; "
            "Kerry is exhausted and low; the family cannot afford extra help."
        ),
        "going_well": (
            "Jade is loved, safe and happy at home, school and her dad's. Her family work "
            "together, and Makaton is helping Jade to be understood."
        ),
        "needs_to_happen": (
            "Everyone at the meeting agreed the five actions in this plan. The most important "
            "to Kerry is sleep; the most important to Jade's long-term future is being seen by "
            "a paediatrician."
        ),
        "plan_lines": _plan_lines(s),
        "contingency_plan": (
            "If Kerry becomes unwell, Pat and Lee will share the school run and Jade's care and "
            "Dean will ask for day shifts. If the paediatric appointment has not come through "
            "by the review, Dr Rao will write again and the social worker will raise it with "
            "the designated doctor."
        ),
        "child_words": [
            {
                "said_on": start,
                "where_and_who_present": (
                    "At home before the meeting, with Mum; Jade chose not to come in to the "
                    "meeting and played with bubbles next door"
                ),
                "how_shared": "signs_symbols",
                "what_they_said": (
                    "Shown pictures of the plan, Jade pointed to the picture of a bed and "
                    "signed 'sleep' and 'good'; to the swimming pool and said 'Swim! Nana come.'"
                ),
            },
        ],
        "parent_words": [
            {
                "person": s.ids["kerry"],
                "said_on": start,
                "what_they_said": "'It feels like people are on our side now.'",
            },
            {
                "person": s.ids["lee"],
                "said_on": start,
                "what_they_said": "'I'll learn the signs. Put me down for the bedtime ones.'",
            },
        ],
        "other_views": (
            "Mrs Price: school will start the EHC needs assessment request this term. Rachel "
            "Kim will run a signing session for the whole family at home."
        ),
        "family_agreement": [
            {
                "person": s.ids["kerry"],
                "agreement": "agrees",
                "comments": "Signed at the meeting.",
                "signed_on": start,
            },
            {
                "person": s.ids["lee"],
                "agreement": "agrees",
                "comments": "Signed at the meeting.",
                "signed_on": start,
            },
            {
                "person": s.ids["dean"],
                "agreement": "agrees",
                "comments": "Signed at the meeting.",
                "signed_on": start,
            },
        ],
        "distribution": [
            {"recipient": "Kerry Walsh and Dean Marshall", "format": "standard", "given_on": start},
            {"recipient": "Lee Hughes", "format": "easy_read", "given_on": start},
            {"recipient": "Jade (picture version)", "format": "child_version", "given_on": start},
            {"recipient": "Oakfield Primary School", "format": "standard", "given_on": start},
        ],
        "worker_signed_on": start,
        "manager_name": "Priya Shah",
        "manager_decision": "authorised",
        "manager_comments": (
            "A realistic plan the family helped to write, with clear owners and dates. Chase the "
            "paediatric appointment first."
        ),
        "manager_signed_on": start,
    }


_PROGRESS = [
    (
        "partly_met",
        "started",
        "Dr Rao wrote again; Jade now has a paediatric appointment booked.",
        "The appointment is booked but has not yet happened.",
    ),
    (
        "partly_met",
        "started",
        "Jade wakes two or three times instead of four or five; Kerry is sleeping more.",
        "The sleep plan is working but needs more time.",
    ),
    (
        "met",
        "complete",
        "The EHC needs assessment request has been made; Lee and Dean sign at bedtime.",
        None,
    ),
    ("met", "complete", "Disability Living Allowance awarded at the middle rate for care.", None),
    (
        "partly_met",
        "started",
        "Parent carer's needs assessment done; Pat has Jade for tea every Thursday. Short "
        "breaks application is with the panel.",
        "The short breaks panel meets next month.",
    ),
]


def _review_answers(s: _Story) -> dict[str, Any]:
    day = s.review.isoformat()
    lines = []
    for line, (progress, status, actual, reason) in zip(_plan_lines(s), _PROGRESS, strict=True):
        row = {**line, "progress": progress, "status": status, "actual_outcome": actual}
        if reason:
            row["reason_not_met"] = reason
        lines.append(row)
    return {
        "review_date": day,
        "chair_name": "Priya Shah, Team Manager",
        "plan_line_review": lines,
        "progress_summary": (
            "Good progress. Jade is sleeping better, the family's money has improved with the "
            "Disability Living Allowance award, and school have asked for an EHC needs "
            "assessment. Jade is falling less at school now that she has a quiet indoor "
            "option at lunchtime."
        ),
        "services_not_delivered": (
            "Short breaks have not started: the application is waiting for panel. The "
            "occupational therapy assessment for stair rails waits on the paediatric appointment."
        ),
        "key_changes": (
            "Kerry says she feels 'like a person again'. Dean has moved to day shifts two weeks "
            "in four and does the bedtime routine on those weeks."
        ),
        "recommended_changes": (
            "Add an occupational therapy referral to the plan; keep all other actions."
        ),
        "worries": (
            "Jade still has no diagnosis. Short breaks have not started, and Kerry is still "
            "tired on the weeks Dean is on nights."
        ),
        "going_well": (
            "Jade is sleeping better and is happier at school. The whole family now sign with "
            "her, and Lee comes to her appointments."
        ),
        "needs_to_happen": (
            "Jade's paediatric appointment; the short breaks decision; an occupational therapy "
            "assessment for the stairs and bath."
        ),
        "attendance": [
            {"name": "Kerry Walsh", "role": "Mother", "attendance": "attended"},
            {"name": "Dean Marshall", "role": "Mother's partner", "attendance": "attended"},
            {"name": "Lee Hughes", "role": "Father", "attendance": "remote"},
            {"name": "Sam Okafor", "role": "Social worker", "attendance": "attended"},
            {
                "name": "Mrs Joanne Price",
                "role": "Class teacher and SENCO",
                "attendance": "attended",
            },
            {
                "name": "Rachel Kim",
                "role": "Speech and language therapist",
                "attendance": "report_only",
            },
            {"name": "Dr Anita Rao", "role": "GP", "attendance": "apologies"},
        ],
        "child_words": [
            {
                "said_on": day,
                "where_and_who_present": (
                    "At school before the review, with Mrs Ali; Jade chose to send her "
                    "pictures to the meeting rather than come"
                ),
                "how_shared": "signs_symbols",
                "what_they_said": (
                    "Jade chose 'happy' for bedtime this time and signed 'sleep good'. She "
                    "pointed to her Nan's house and said 'Thursday. Fish fingers.' She signed "
                    "'Daddy' and 'sign' and laughed, and said 'Daddy silly signs.'"
                ),
            },
        ],
        "parent_words": [
            {
                "person": s.ids["kerry"],
                "said_on": day,
                "what_they_said": (
                    "'She's sleeping, so I'm sleeping. I can actually enjoy her again.'"
                ),
            },
            {
                "person": s.ids["lee"],
                "said_on": day,
                "what_they_said": "'I want to be there when she sees the paediatrician.'",
            },
        ],
        "decision": "continue",
        "decision_reasons": (
            "Jade is still a child in need: she has no diagnosis and short breaks have not yet "
            "started. The plan is working and the family want it to continue."
        ),
        "iro_recommendations": [
            {
                "recommendation": "Refer Jade to occupational therapy for the stairs and bath.",
                "who": "Sam Okafor",
            },
            {
                "recommendation": "Send Lee copies of all appointment letters.",
                "who": "Kerry and Sam Okafor",
            },
        ],
        "write_to_child": "yes",
        "letter": (
            "Dear Jade, today Mummy, Dean, Daddy, Mrs Price and I talked about how things are "
            "going. You told us bedtime is happy now and that you like tea at Nana's on "
            "Thursdays. Everyone is proud of how many signs you know. Next, a doctor will see "
            "you to help with your walking and talking, and Daddy will come too. From Sam."
        ),
        "family_agreement": [
            {
                "person": s.ids["kerry"],
                "agreement": "agrees",
                "comments": "'Happy with it. Please chase the short breaks.'",
                "signed_on": day,
            },
        ],
        "worker_signed_on": day,
        "chair_signed_on": day,
        "record_circulated_on": day,
    }
