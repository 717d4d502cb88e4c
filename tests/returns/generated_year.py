"""A seeded year of children's cases for the census tests, written in bulk (people, cases and
records as the services would leave them; no HTTP), fast enough for every run.

Each child takes one road through the year, as real children do: a referral closed with no
further action; an assessment and closure; an assessment, a child in need plan and (for some)
closure; a section 47 enquiry with no conference and a plan; or a section 47 enquiry, an initial
conference, a child protection plan with reviews, and (for some) its end and a child in need plan.
Every date falls on a working day inside the collection year, in the order the work is done.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session
from stdnum.gb import nhs, upn

from app.auth.models import User
from app.cases.models import Case
from app.engine.library import Library
from app.people.models import Person
from app.records.models import Record, RecordStatus
from app.returns.cin import Period

ROADS = {
    "nfa": 12,
    "assessed_closed": 14,
    "cin_plan": 20,
    "cin_plan_closed": 12,
    "s47_no_icpc": 10,
    "cp_plan": 16,
    "cp_plan_ended": 12,
    "assessing": 4,
}
SOURCES = ["1A", "1B", "1C", "2A", "2B", "3A", "3B", "3D", "3E", "4", "5A", "5D", "6", "7", "8"]
NEEDS = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"]
FACTORS = ["1B", "2B", "3A", "3B", "4B", "5A", "6A", "7A", "10A", "11A", "16A", "17A", "24A"]
ABUSE = ["NEG", "PHY", "SAB", "EMO", "MUL"]
DISABILITY = ["NONE", "NONE", "NONE", "MOB", "COMM", "LD", "AUT", "BEH", "HEAR", "VIS", "DDA"]
ETHNICITY = ["WBRI", "WBRI", "WBRI", "WOTH", "MWBC", "AIND", "APKN", "BAFR", "BCRB", "CHNE"]
NAMES = ["Amelia", "Noah", "Olivia", "Leo", "Isla", "Oscar", "Ava", "Muhammad", "Freya", "Alfie"]
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Khan", "Patel", "Evans", "Walker", "Wright"]


def working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def later(day: date, rng: random.Random, low: int, high: int) -> date:
    return working_day(day + timedelta(days=rng.randint(low, high)))


@dataclass
class Child:
    person: Person
    road: str
    records: list[tuple[str, dict[str, Any], bool]] = field(default_factory=list)

    def add(self, exemplar_id: str, finished: bool = True, **answers: Any) -> None:
        self.records.append((exemplar_id, answers, finished))


def generate(
    *, session: Session, library: Library, actor: User, period: Period, children: int, seed: int
) -> list[Case]:
    """`children` children referred in the period, each down one road; returns their cases."""
    rng = random.Random(seed)
    # Referred in the year's first five months, so every road ends (or goes on) inside it.
    last_referral = period.start + timedelta(days=150)
    made = [
        _road(_child(rng, n, period), rng, _referral_day(rng, period.start, last_referral))
        for n in range(children)
    ]
    session.add_all(child.person for child in made)
    session.flush()
    cases = [
        Case(
            case_number=f"GEN-{n:06d}",
            child_id=child.person.id,
            allocated_worker_id=actor.id,
            team_id=actor.team_id,
            opened_on=date.fromisoformat(child.records[0][1]["referral_date"]),
            created_by_id=actor.id,
        )
        for n, child in enumerate(made)
    ]
    session.add_all(cases)
    session.flush()
    session.add_all(
        _record(library, case, actor, exemplar_id, answers, finished)
        for case, child in zip(cases, made, strict=True)
        for exemplar_id, answers, finished in child.records
    )
    session.flush()
    return cases


def _referral_day(rng: random.Random, first: date, last: date) -> date:
    return working_day(first + timedelta(days=rng.randint(0, (last - first).days)))


def _child(rng: random.Random, n: int, period: Period) -> Child:
    age = rng.randint(0, 17)
    born = period.start - timedelta(days=365 * age + rng.randint(30, 330))
    person = Person(
        given_names=rng.choice(NAMES),
        family_name=rng.choice(SURNAMES),
        date_of_birth=born,
        sex=rng.choice(["female", "male"]),
        ethnicity=rng.choice(ETHNICITY),
        local_child_id=f"GEN{n:06d}",
        nhs_number=_nhs_number(n),
    )
    if age >= 5:
        body = f"873{4000 + n // 1000:04d}{n % 1000:03d}{age:02d}"[:12]
        person.upn = upn.calc_check_digit(body) + body
    else:
        person.upn_unknown_reason = "UN1"
    road = rng.choices(list(ROADS), weights=list(ROADS.values()))[0]
    return Child(person, road)


def _nhs_number(n: int) -> str | None:
    for last in range(10):
        number = f"998{n:06d}{last}"
        if nhs.is_valid(number):
            return number
    return None  # no check digit fits this one: a child without an NHS number, as many are


def _road(child: Child, rng: random.Random, referred: date) -> Child:
    road = child.road
    decision = "no_further_action" if road == "nfa" else "single_assessment"
    child.add(
        "referral_and_information",
        referral_date=referred.isoformat(),
        referral_source=rng.choice(SOURCES),
        decision=decision,
        disability_codes=[rng.choice(DISABILITY)],
    )
    if road == "nfa":
        return child
    start = later(referred, rng, 0, 3)
    done = None if road == "assessing" else later(start, rng, 10, 40)
    outcome = {
        "assessed_closed": "no_further_action",
        "s47_no_icpc": "strategy_discussion",
        "cp_plan": "strategy_discussion",
        "cp_plan_ended": "strategy_discussion",
    }.get(road, "cin_plan")
    child.add(
        "single_assessment",
        done is not None,
        referral_date=referred.isoformat(),
        assessment_start_date=start.isoformat(),
        manager_signed_on=done.isoformat() if done else None,
        primary_need=rng.choice(NEEDS),
        assessment_factors=rng.sample(FACTORS, rng.randint(1, 3)),
        outcome=outcome,
    )
    if done is None:
        return child
    if road == "assessed_closed":
        _closure(child, later(done, rng, 1, 10), "RC8")
    elif road in ("cin_plan", "cin_plan_closed"):
        _cin_plan(child, rng, later(done, rng, 1, 10), close=road == "cin_plan_closed")
    else:
        _protection(child, rng, done)
    return child


def _cin_plan(child: Child, rng: random.Random, start: date, close: bool) -> None:
    child.add("childs_plan", plan_type="cin", plan_start_date=start.isoformat())
    if close:
        end = later(start, rng, 30, 90)
        child.add("review", review_type="cin", review_date=end.isoformat(), decision="close",
                  cin_plan_end_date=end.isoformat())  # fmt: skip
        _closure(child, end, "RC7", cin_plan_end=end)


def _protection(child: Child, rng: random.Random, assessed: date) -> None:
    s47 = later(assessed, rng, 0, 2)
    target = working_day(s47 + timedelta(days=21))
    child.add("strategy_discussion", discussion_date=s47.isoformat(), decision="s47_joint",
              s47_start_date=s47.isoformat(), icpc_target_date=target.isoformat())  # fmt: skip
    if child.road == "s47_no_icpc":
        child.add("section_47_outcome", s47_start_date=s47.isoformat(), outcome="services_s17")
        _cin_plan(child, rng, later(s47, rng, 10, 20), close=False)
        return
    child.add("section_47_outcome", s47_start_date=s47.isoformat(), outcome="icpc")
    icpc = later(s47, rng, 5, 14)
    child.add(
        "initial_child_protection_conference",
        conference_date=icpc.isoformat(),
        strategy_discussion_date=s47.isoformat(),
        decision="cp_plan",
        cp_plan_start_date=icpc.isoformat(),
        category_of_abuse=rng.choice(ABUSE),
        number_of_previous_cp_plans=rng.choice([0, 0, 0, 1, 2]),
    )
    first_review = later(icpc, rng, 80, 90)
    if child.road == "cp_plan":
        child.add("review", review_type="cp", review_date=first_review.isoformat(),
                  decision="continue", latest_category_of_abuse=rng.choice(ABUSE))  # fmt: skip
        return
    child.add("review", review_type="cp", review_date=first_review.isoformat(),
              decision="end_cp_plan_cin", cp_plan_end_date=first_review.isoformat())  # fmt: skip
    _cin_plan(child, rng, later(first_review, rng, 1, 5), close=False)


def _closure(child: Child, day: date, reason: str, cin_plan_end: date | None = None) -> None:
    child.add(
        "closure",
        closure_date=day.isoformat(),
        closure_reason=reason,
        cin_plan_end_date=cin_plan_end.isoformat() if cin_plan_end else None,
    )


def _record(
    library: Library,
    case: Case,
    actor: User,
    exemplar_id: str,
    answers: dict[str, Any],
    finished: bool,
) -> Record:
    exemplar = library.latest(exemplar_id)
    unknown = set(answers) - set(exemplar.fields)
    assert not unknown, f"{exemplar_id} has no field {unknown}"  # the generator follows the YAML
    return Record(
        case_id=case.id,
        exemplar_id=exemplar.id,
        exemplar_version=exemplar.version,
        status=RecordStatus.FINALISED if finished else RecordStatus.DRAFT,
        answers={k: {"value": v} for k, v in answers.items() if v is not None},
        author_id=actor.id,
        started_by_id=actor.id,
    )
