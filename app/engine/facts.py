"""The facts about a child and case that exemplars may name, with their kinds.

The people domain supplies the values (app/people/facts.py); this catalogue is what the loader
checks conditions and pre-fill against, so a misspelt fact is an error with a line number.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

AGE_BANDS = ("pre_birth_to_12_months", "1_to_2", "3_to_4", "5_to_10", "11_to_15", "16_plus")
CASE_TYPES = ("cin", "cp", "lac", "care_leaver")
VISIT_FREQUENCIES = ("6_weekly", "3_monthly")

FactKind = Literal[
    "number", "boolean", "text", "date", "code", "list", "person", "professional", "rows"
]
# Kinds a plain answer (text, date, yes/no, number, choice) may be pre-filled from; a reference
# or rows of people fill only the field types that hold them.
PLAIN_FACTS: frozenset[FactKind] = frozenset({"number", "boolean", "text", "date", "code", "list"})
# Upper bound (exclusive, in whole months of age) of each band of the assessment framework.
_BAND_LIMITS = ((12, "pre_birth_to_12_months"), (36, "1_to_2"), (60, "3_to_4"), (132, "5_to_10"))


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    codes: tuple[str, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()  # rows: each column and the field type it fits
    # Who may read it, when not everyone may (a carer's confidential address): a field it fills
    # must be written for these readers only, or a parent's copy would carry it.
    readers: tuple[str, ...] | None = None


# One row per person around the child: who, how they are related, whether they live with the
# child, whether they hold parental responsibility (app/cases/facts.py builds them).
HOUSEHOLD_COLUMNS = (
    ("person", "person"),
    ("relationship", "text"),
    ("lives_here", "yes_no"),
    ("parental_responsibility", "yes_no"),
)

# One row per invitee of a meeting: the person or professional picked from the network, and
# whether they came (app/meetings/service.py `record_facts` builds them).
ATTENDANCE_COLUMNS = (
    ("person", "person"),
    ("professional", "professional"),
    ("attendance", "choice"),
)


FACTS: dict[str, Fact] = {
    "child.first_name": Fact("text"),
    "child.last_name": Fact("text"),
    "child.full_name": Fact("text"),
    "child.date_of_birth": Fact("date"),
    "child.expected_date": Fact("date"),
    "child.unborn": Fact("boolean"),
    "child.age_months": Fact("number"),
    "child.age_years": Fact("number"),
    "child.age_band": Fact("code", AGE_BANDS),
    "child.sex": Fact("text"),
    "child.gender": Fact("text"),
    "child.ethnicity": Fact("text"),
    "child.religion": Fact("text"),
    "child.first_language": Fact("text"),
    "child.communication_needs": Fact("text"),
    "child.disabled": Fact("boolean"),
    "child.disability": Fact("text"),
    "child.address": Fact("text"),
    "child.school": Fact("text"),
    "child.gp": Fact("text"),
    "child.health_visitor": Fact("text"),
    "child.gp_professional": Fact("professional"),
    "child.school_professional": Fact("professional"),
    "child.health_visitor_professional": Fact("professional"),
    "case.case_number": Fact("text"),
    "case.legal_status": Fact("text"),
    "case.type": Fact("code", CASE_TYPES),
    "case.allocated_worker": Fact("text"),
    "case.team": Fact("text"),
    "case.opened_on": Fact("date"),
    "case.status": Fact("text"),
    # How often a looked-after child must be visited now (app/cases/episodes.py `visits`).
    "case.visits": Fact("code", VISIT_FREQUENCIES),
    "family.name": Fact("text"),
    "family.address": Fact("text"),
    "family.members": Fact("list"),
    "family.household": Fact("rows", columns=HOUSEHOLD_COLUMNS),
    # Known only when a record is started from a meeting (meetings/service.py `record_facts`).
    "meeting.date": Fact("date"),
    "meeting.chair": Fact("text"),
    "meeting.attendance": Fact("rows", columns=ATTENDANCE_COLUMNS),
    # The looked-after child's current placement (app/cases/episodes.py): the carer as a person,
    # the day the placement began, and the carer's address (often confidential: only a field
    # written for the worker and the carer may take it).
    "placement.carer": Fact("person"),
    "placement.start": Fact("date"),
    "placement.address": Fact("text", readers=("worker", "carer")),
}


def months_between(born: date, on: date) -> int:
    months = (on.year - born.year) * 12 + on.month - born.month
    return months - (1 if on.day < born.day else 0)


def age_band(born: date, on: date) -> str:
    """The framework's age band for a child born on `born`, as of `on`."""
    months = months_between(born, on)
    return next((band for limit, band in _BAND_LIMITS if months < limit), None) or (
        "11_to_15" if months < 192 else "16_plus"
    )
