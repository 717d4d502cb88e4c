"""What is known about a child and their case, flattened for pathways, pre-fill and snapshots.

The keys are the ones named in exemplars/README.md (child.* and case.* and family.*); a new key here
becomes usable in every exemplar's conditions and pre-fill without other changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.cases import episodes
from app.cases.models import Case
from app.engine.facts import age_band, months_between
from app.people import service as people

if TYPE_CHECKING:
    from app.people.models import Family, Person

AGENCIES = ("school", "gp", "health_visitor")  # each as words and as a professional reference
AGENCY_KEYS = tuple(f"child.{k}{end}" for k in AGENCIES for end in ("", "_professional"))
FAMILY_KEYS = ("family.name", "family.address", "family.members", "family.household")
PLACEMENT_KEYS = ("placement.carer", "placement.start", "placement.address")

# Legal status codes, and the kind of case each makes (cases: cin, cp, lac, care_leaver).
CASE_TYPE_BY_LEGAL_STATUS = {
    "cin": "cin",
    "cp_plan": "cp",
    "section_20": "lac",
    "interim_care_order": "lac",
    "care_order": "lac",
    "placement_order": "lac",
    "freeing_order": "lac",
    "short_breaks": "lac",
    "police_protection": "lac",
    "emergency_protection_order": "lac",
    "child_assessment_order": "lac",
    "remand": "lac",
    "pace_accommodation": "lac",
    "youth_rehabilitation_order": "lac",
    "care_leaver": "care_leaver",
}


class Facts(Mapping[str, Any]):
    """Facts read from the database only when first asked for.

    Every key is known at once, but a part's values (the child's professionals; their household
    and relationships) are read when a condition or a pre-fill first names one of its keys: a
    section save whose exemplar names none reads none of them, however big the family.
    """

    def __init__(self, parts: list[tuple[tuple[str, ...], Callable[[], dict[str, Any]]]]) -> None:
        self._parts = parts  # (the keys a part gives, how to read them); a later part wins
        self._where = {key: n for n, (keys, _) in enumerate(parts) for key in keys}
        self._read: dict[int, dict[str, Any]] = {}

    def __getitem__(self, key: str) -> Any:
        n = self._where[key]
        if n not in self._read:
            self._read[n] = self._parts[n][1]()
        return self._read[n][key]

    def __contains__(self, key: object) -> bool:
        return key in self._where  # without reading the part

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __or__(self, other: Mapping[str, Any]) -> Facts:
        given = dict(other)
        return Facts([*self._parts, (tuple(given), lambda: given)])


def child_facts(*, session: Session, case: Case, on: date | None = None) -> Facts:
    """child.*, case.* and family.* facts for one case, as of `on` (default today)."""
    on = on or date.today()
    child = case.child
    own = {f"child.{key}": value for key, value in _child(child, on).items()}
    own.update({f"case.{key}": value for key, value in _case(case).items()})

    def agencies() -> dict[str, Any]:
        return {f"child.{k}": v for k, v in _agencies(session, child.id, on).items()}

    def family() -> dict[str, Any]:
        families = people.families_of(session=session, person_id=child.id)
        home = people.home_among(families, child.id)
        found = {f"family.{key}": value for key, value in _family(home).items()}
        found["family.household"] = _household(session, child, families)
        return found

    @cache  # the care events, read once for the visits and the placement, and only if named
    def story() -> episodes.Story:
        care = episodes.events_of(session=session, case_ids=[case.id])[case.id]
        return episodes.story_of(care)

    def visits() -> dict[str, Any]:
        return {"case.visits": episodes.visits(story(), on)}

    def placement() -> dict[str, Any]:
        return _placement(session, story())

    return Facts(
        [
            (tuple(own), lambda: own),
            (AGENCY_KEYS, agencies),
            (FAMILY_KEYS, family),
            (("case.visits",), visits),
            (PLACEMENT_KEYS, placement),
        ]
    )


def _placement(session: Session, story: episodes.Story) -> dict[str, Any]:
    """The current placement: its carer (a person of the child's network), when it began, and the
    carer's address. The address is given even when confidential, because the placement record
    is written for the worker and the carer; a field a parent reads must not name this fact."""
    current = story.current
    carer_id = current.placement.carer_id if current else None
    carer = people.get_person(session=session, person_id=carer_id) if carer_id else None
    began = story.placement_started if current else None
    return {
        "placement.carer": {"kind": "person", "id": carer.id} if carer else None,
        "placement.start": began.isoformat() if began else None,
        "placement.address": carer.address if carer else None,
    }


def _child(child: Person, on: date) -> dict[str, Any]:
    born = child.date_of_birth
    months = months_between(born, on) if born else None
    return {
        "first_name": child.known_as or child.given_names.split()[0],
        "last_name": child.family_name,
        "full_name": child.full_name,
        "date_of_birth": born.isoformat() if born else None,
        "expected_date": child.expected_date.isoformat() if child.expected_date else None,
        "unborn": born is None and child.expected_date is not None,
        "age_months": months,
        "age_years": months // 12 if months is not None else None,
        "age_band": age_band(born, on)
        if born
        else ("pre_birth_to_12_months" if child.expected_date else None),
        "sex": child.sex,
        "gender": child.gender,
        "ethnicity": child.ethnicity,
        "religion": child.religion,
        "first_language": child.first_language,
        "communication_needs": child.communication_needs,
        "disabled": child.disabled,
        "disability": child.disability,
        "address": None if child.address_confidential else child.address,
    }


def _agencies(session: Session, person_id: int, on: date) -> dict[str, Any]:
    """The child's current school, GP and health visitor, from their involvements."""
    rows = people.involvements_of(session=session, person_id=person_id)
    current = [row for row in rows if row.ended_on is None or row.ended_on >= on]
    found: dict[str, Any] = {}
    for kind in AGENCIES:
        found[kind] = found[f"{kind}_professional"] = None
    for row in sorted(current, key=lambda r: r.started_on or date.min):
        kind = row.professional.agency_type
        if kind in AGENCIES:
            found[kind] = row.professional.organisation or row.professional.name
            found[f"{kind}_professional"] = {"kind": "professional", "id": row.professional.id}
    return found


def _household(session: Session, child: Person, families: list[Family]) -> list[dict[str, Any]]:
    """One row per person in the child's households or related to them: who, how related,
    whether they live with the child, and parental responsibility where it is recorded."""
    links = people.current_relationships(session=session, person_id=child.id)
    related = people.relationship_words(links, child.id)
    responsible = people.parental_responsibility(links, child.id)
    home = {
        m.person_id
        for family in families
        if any(m.person_id == child.id and m.lives_here for m in family.members)
        for m in family.members
        if m.lives_here
    }
    roles = {m.person_id: m.role for family in families for m in family.members}
    ids = (set(roles) | set(related)) - {child.id}
    return [
        {
            "person": {"kind": "person", "id": person_id},
            "relationship": related.get(person_id) or roles.get(person_id),
            "lives_here": person_id in home,
            "parental_responsibility": responsible.get(person_id),
        }
        for person_id in sorted(ids)
    ]


def _case(case: Case) -> dict[str, Any]:
    worker, team = case.allocated_worker, case.team
    return {
        "case_number": case.case_number,
        "legal_status": case.legal_status,
        "type": CASE_TYPE_BY_LEGAL_STATUS.get(case.legal_status, "cin"),
        "allocated_worker": worker.full_name if worker else None,
        "team": team.name if team else None,
        "opened_on": case.opened_on.isoformat(),
        "status": case.status.value,
    }


def _family(family: Family | None) -> dict[str, Any]:
    """The household the child lives in (the first, if records disagree)."""
    if family is None:
        return {"name": None, "address": None, "members": []}
    return {
        "name": family.name,
        "address": None if family.address_confidential else family.address,
        "members": [member.person.full_name for member in family.members],
    }
