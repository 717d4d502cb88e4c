"""The meeting pages' forms as posted: what was typed, kept to show again, and its mistakes."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, get_args

from pydantic import ValidationError
from starlette.datastructures import FormData

from app.meetings.schemas import Attendance
from app.meetings.service import Candidate

WORDINGS = {
    "parent": "Parent or family letter",
    "child": "Child's letter",
    "professional": "Professional's letter",
}
ATTENDANCE = get_args(Attendance)
TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
FIELD_NAMES = {"starts_at": "date", "case_ids": "case_ids", "venue": "venue", "kind": "kind"}


@dataclass
class ArrangeForm:
    """What "Arrange a meeting" posted, as typed."""

    case_ids: list[int]
    kind: str = ""
    day: str = ""
    month: str = ""
    year: str = ""
    time: str = ""
    venue: str = ""
    chair_id: str = ""
    invited: set[str] = field(default_factory=set)
    roles: dict[str, str] = field(default_factory=dict)
    wordings: dict[str, str] = field(default_factory=dict)
    other: dict[str, str] = field(default_factory=dict)

    @classmethod
    def empty(cls, case_id: int) -> "ArrangeForm":
        return cls(case_ids=[case_id])

    @classmethod
    def parse(cls, posted: FormData, case_id: int) -> "ArrangeForm":
        def one(name: str) -> str:
            return str(posted.get(name, "")).replace("\x00", "").strip()[:2000]

        raw = [str(v) for v in posted.getlist("case_ids")]
        ids = [int(v) for v in raw if v.isdigit() and len(v) < 10]
        invited = {str(v) for v in posted.getlist("invite")}
        return cls(
            case_ids=ids or [case_id],
            kind=one("kind"),
            day=one("date-day"),
            month=one("date-month"),
            year=one("date-year"),
            time=one("time"),
            venue=one("venue"),
            chair_id=one("chair_id"),
            invited=invited,
            roles={s: one(f"role-{s}") for s in invited},
            wordings={s: one(f"wording-{s}") for s in invited},
            other={k: one(f"other_{k}") for k in ("name", "role", "wording", "address")},
        )

    def problems(self, *, offered: set[int]) -> dict[str, str]:
        """Mistakes the schema cannot name in the user's words: the date, the time, the children."""
        errors: dict[str, str] = {}
        if not set(self.case_ids) <= offered:
            errors["case_ids"] = "Choose the children from the list"
        if self.starts() is None:
            if self.day_of() is None:
                errors["date"] = "Enter the date of the meeting as numbers, for example 3 12 2026"
            else:
                errors["time"] = "Enter the time like 10:00, 2pm or 14:30"
        elif self.day_of() is not None and self.day_of() < date.today():  # type: ignore[operator]
            errors["date"] = "The date of the meeting must be today or in the future"
        if self.other.get("name") and not self.other.get("role"):
            errors["other_role"] = "Enter the role of the person you are adding"
        return errors

    def day_of(self) -> date | None:
        try:
            return date(int(self.year), int(self.month), int(self.day))
        except ValueError:
            return None

    def starts(self) -> str | None:
        """The meeting's start as ISO text without a zone: a time in England and Wales."""
        day, found = self.day_of(), TIME.match(self.time)
        if day is None or found is None:
            return None
        hour, minute = int(found[1]), int(found[2] or 0)
        if found[3]:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if found[3].lower() == "pm" else 0)
        if hour > 23 or minute > 59:
            return None
        return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00"

    def invitees(self, candidates: list[Candidate]) -> list[dict[str, Any]]:
        """Those ticked, as the network knows them (name and address never from the form), with
        the role and wording chosen; then anyone added by hand."""
        chosen = []
        for someone in candidates:
            if someone.source in self.invited:
                chosen.append(
                    {
                        "name": someone.name,
                        "role": self.roles.get(someone.source) or someone.role,
                        "wording": self.wordings.get(someone.source) or someone.wording,
                        "address": someone.address,
                        "email": someone.email,
                        "source": someone.source,
                    }
                )
        if self.other.get("name"):
            chosen.append(
                {
                    "name": self.other["name"],
                    "role": self.other.get("role", ""),
                    "wording": self.other.get("wording") or "professional",
                    "address": self.other.get("address") or None,
                }
            )
        return chosen

    def meeting(self, invitees: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "starts_at": self.starts(),
            "venue": self.venue,
            "chair_id": int(self.chair_id) if self.chair_id.isdigit() else None,
            "case_ids": self.case_ids,
            "invitees": invitees,
        }


def errors_of(refused: ValidationError) -> dict[str, str]:
    """The schema's refusals, each on the field the page shows."""
    found: dict[str, str] = {}
    for error in refused.errors():
        where = [str(part) for part in error["loc"]]
        name = where[0]
        if name == "invitees":
            found.setdefault("invitees", _invitee_error(where))
        elif name == "kind":
            found.setdefault("kind", "Choose what kind of meeting it is")
        elif name == "venue":
            found.setdefault("venue", "Enter where the meeting is (300 characters at most)")
        elif name == "chair_id":
            found.setdefault("chair_id", "Choose a chair from the list")
        else:
            found.setdefault(FIELD_NAMES.get(name, name), f"Check {name.replace('_', ' ')}")
    return found


def _invitee_error(where: list[str]) -> str:
    if len(where) > 2:
        return f"Invitee {int(where[1]) + 1}: check their {where[2]}"
    return "Invite no more than 60 people"


def methods(posted: FormData, count: int, allowed: tuple[str, ...]) -> dict[int, str]:
    """How each invitee's letter goes (`method-<number>`); "none" or nothing leaves it unsent."""
    chosen = {}
    for number in range(1, count + 1):
        method = str(posted.get(f"method-{number}", ""))
        if method in allowed:
            chosen[number] = method
    return chosen


def minutes(posted: FormData, count: int) -> tuple[str, list[str | None], dict[str, str]]:
    """The minutes typed and each invitee's attendance (`attendance-<number>`)."""
    text = str(posted.get("minutes", "")).replace("\x00", "").strip()
    errors = {}
    if not text:
        errors["minutes"] = "Enter the minutes of the meeting"
    elif len(text) > 200_000:
        errors["minutes"] = "The minutes must be 200,000 characters or fewer"
    marks: list[str | None] = []
    for number in range(1, count + 1):
        mark = str(posted.get(f"attendance-{number}", ""))
        marks.append(mark if mark in ATTENDANCE else None)
    return text, marks, errors
