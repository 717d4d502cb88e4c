"""Schedule a meeting, write invitations, record minutes linked to every child discussed."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from ruamel.yaml import YAML
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth import service as auth
from app.auth.models import Role, User
from app.cases import service as cases
from app.errors import Invalid, NotFound
from app.meetings.models import Meeting, MeetingChild, MeetingMinutes
from app.meetings.schemas import MeetingIn
from app.people import service as people

LOCAL = ZoneInfo("Europe/London")
HERE = Path(__file__).resolve().parent
WORDS = HERE.parents[1] / "printouts" / "meeting" / "words.yaml"
KINDS: dict[str, dict[str, str]] = YAML(typ="safe").load((HERE / "kinds.yaml").read_text("utf-8"))
KIND_WORDS = {kind: about["words"] for kind, about in KINDS.items()}
# Who may chair: the sender of its letters, offered on the "Arrange a meeting" page.
CHAIRS = (Role.CONFERENCE_CHAIR, Role.TEAM_MANAGER, Role.SOCIAL_WORKER)
ATTENDANCE_WORDS = {
    "attended": "Attended",
    "remote": "Joined by phone or video",
    "report_only": "Sent a report",
    "apologies": "Apologies",
}


def schedule(*, session: Session, actor: User, data: MeetingIn) -> Meeting:
    """A meeting about one or more children (siblings are discussed together, minuted once)."""
    starts = data.starts_at
    if starts.tzinfo is None:  # a time typed without a zone is a time in England and Wales
        starts = starts.replace(tzinfo=LOCAL)
    if data.chair_id is not None:
        _chair(session, data.chair_id)
    meeting = Meeting(
        kind=data.kind,
        starts_at=starts,
        venue=data.venue,
        chair_id=data.chair_id,
        invitees=[i.model_dump() for i in data.invitees],
        created_by_id=actor.id,
    )
    session.add(meeting)
    session.flush()
    session.add_all(MeetingChild(meeting_id=meeting.id, case_id=c) for c in data.case_ids)
    session.flush()
    audit.record_on_each(
        session=session,
        case_ids=data.case_ids,
        actor=actor,
        action=AuditAction.MEETING_SCHEDULE,
        target_type="meeting",
        target_id=meeting.id,
    )
    return meeting


def _chair(session: Session, user_id: int) -> User:
    chair = session.get(User, user_id)
    if chair is None or not chair.active or chair.role not in CHAIRS:
        raise Invalid("Choose a chair from the list.", field="chair_id")
    return chair


def get(*, session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"No meeting with id {meeting_id}.", field="meeting_id")
    return meeting


def case_ids(meeting: Meeting) -> list[int]:
    return [child.case_id for child in meeting.children]


def record_minutes(
    *,
    session: Session,
    actor: User,
    meeting_id: int,
    minutes: str,
    attendance: list[str | None] | None = None,
) -> Meeting:
    """Minutes are kept once and linked to every child the meeting discussed; each version stays."""
    meeting = get(session=session, meeting_id=meeting_id)
    marks = list(attendance or [])
    if len(marks) > len(meeting.invitees):
        raise Invalid(f"This meeting has {len(meeting.invitees)} invitees.", field="attendance")
    rows = [
        {"invitee": number, "attendance": mark}
        for number, mark in enumerate(marks, start=1)
        if mark is not None
    ]
    session.add(
        MeetingMinutes(
            meeting_id=meeting.id, minutes=minutes, attendance=rows, written_by_id=actor.id
        )
    )
    meeting.minutes = minutes
    meeting.minutes_by_id = actor.id
    session.flush()
    audit.record_on_each(
        session=session,
        case_ids=case_ids(meeting),
        actor=actor,
        action=AuditAction.MEETING_MINUTES,
        target_type="meeting",
        target_id=meeting.id,
    )
    return meeting


def latest_minutes(*, session: Session, meeting_id: int) -> MeetingMinutes | None:
    """The minutes that count: the newest version."""
    query = (
        select(MeetingMinutes)
        .where(MeetingMinutes.meeting_id == meeting_id)
        .order_by(MeetingMinutes.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def attendance_of(*, session: Session, meeting: Meeting) -> list[str | None]:
    """Each invitee's attendance as last minuted (None where not recorded)."""
    latest = latest_minutes(session=session, meeting_id=meeting.id)
    marked = {row["invitee"]: row["attendance"] for row in (latest.attendance if latest else [])}
    return [marked.get(number) for number in range(1, len(meeting.invitees) + 1)]


def for_case(*, session: Session, case_id: int) -> list[Meeting]:
    query = (
        select(Meeting)
        .join(MeetingChild)
        .where(MeetingChild.case_id == case_id)
        .order_by(Meeting.starts_at)
    )
    return list(session.scalars(query))


@dataclass(frozen=True)
class MeetingSummary:
    """One meeting as a list or a child's timeline shows it."""

    id: int
    kind: str
    kind_words: str
    starts_at: datetime  # in England and Wales
    venue: str
    case_ids: tuple[int, ...]
    minuted: bool


def for_cases(
    *, session: Session, case_ids: list[int], since: date | None = None
) -> list[MeetingSummary]:
    """Meetings about any of these children (from `since`, a day in England), soonest first."""
    query = (
        select(Meeting)
        .where(
            Meeting.id.in_(
                select(MeetingChild.meeting_id).where(MeetingChild.case_id.in_(case_ids))
            )
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if since is not None:
        query = query.where(
            Meeting.starts_at >= datetime.combine(since, datetime.min.time(), LOCAL)
        )
    return [_summary(m) for m in session.scalars(query)]


def _summary(meeting: Meeting) -> MeetingSummary:
    return MeetingSummary(
        id=meeting.id,
        kind=meeting.kind,
        kind_words=KIND_WORDS.get(meeting.kind, "meeting"),
        starts_at=meeting.starts_at.astimezone(LOCAL),
        venue=meeting.venue,
        case_ids=tuple(case_ids(meeting)),
        minuted=meeting.minutes is not None,
    )


@dataclass(frozen=True)
class Candidate:
    """Someone in the children's network who may be invited, with the letter they would get."""

    source: str  # "person:12" or "professional:3"
    name: str
    role: str
    wording: str
    address: str | None
    email: str | None


def candidates(*, session: Session, case_ids: list[int], on: date) -> list[Candidate]:
    """Everyone around these children, each once: family first, then professionals."""
    found: dict[str, Candidate] = {}
    chosen = cases.get_cases(session=session, case_ids=case_ids)
    discussed = {case.child_id for case in chosen}
    for case in chosen:
        for candidate in _around(session, case.child_id, discussed, on):
            found.setdefault(candidate.source, candidate)
    return sorted(found.values(), key=lambda c: c.wording == "professional")


def _around(session: Session, child_id: int, discussed: set[int], on: date) -> list[Candidate]:
    relation = people.relationships_to(session=session, person_id=child_id)
    ids = people.network_of(session=session, person_ids=[child_id])
    around = people.people_by_id(session=session, person_ids=ids)
    found = []
    for person in around:
        young = person.id in discussed or _under_18(person.date_of_birth, on)
        role = "Child" if person.id in discussed else relation.get(person.id, "family member")
        address = None if person.address_confidential else person.address
        wording = "child" if young else "parent"
        found.append(
            Candidate(
                f"person:{person.id}", person.full_name, _capital(role), wording, address, None
            )
        )
    for pro in people.involved_with(session=session, person_ids=ids):
        role = ", ".join(part for part in (pro.role, pro.organisation) if part) or "Professional"
        found.append(
            Candidate(
                f"professional:{pro.id}", pro.name, role, "professional", pro.address, pro.email
            )
        )
    return found


def _under_18(born: date | None, on: date) -> bool:
    return (
        born is not None
        and (on.year - born.year - ((on.month, on.day) < (born.month, born.day))) < 18
    )


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def chairs(*, session: Session, team_id: int | None) -> list[User]:
    """Who may chair a meeting of this team: chairs, managers, then workers."""
    return [
        u for role in CHAIRS for u in auth.team_members(session=session, team_id=team_id, role=role)
    ]


@dataclass(frozen=True)
class Sender:
    name: str
    job_title: str | None
    work_address: str | None
    phone: str | None
    email: str | None


def sender_of(*, session: Session, meeting: Meeting) -> Sender:
    """Who signs the letters: the chair, else the first child's allocated worker, else the
    one who arranged it. Never the administrator's name with no way to reach them."""
    chosen = session.get(User, meeting.chair_id) if meeting.chair_id else None
    if chosen is None:
        first = cases.get_case(session=session, case_id=case_ids(meeting)[0])
        chosen = first.allocated_worker
    if chosen is None and meeting.created_by_id is not None:
        chosen = session.get(User, meeting.created_by_id)
    assert chosen is not None, "a meeting is arranged by someone"
    return Sender(
        chosen.full_name,
        chosen.job_title,
        chosen.work_address,
        chosen.work_phone,
        chosen.work_email,
    )


@cache
def wording() -> dict[str, Any]:
    """What each kind of invitee's letter says (printouts/meeting/words.yaml)."""
    loaded: dict[str, Any] = YAML(typ="safe").load(WORDS.read_text(encoding="utf-8"))
    return loaded


def letters(
    *, session: Session, meeting: Meeting, numbers: list[int], dated: dict[int, date], council: str
) -> dict[str, Any]:
    """What the invitation template needs for these invitees (numbered from 1), each letter
    dated the day it was sent (`dated`), or today for one not sent yet."""
    for number in numbers:
        if not 1 <= number <= len(meeting.invitees):
            raise NotFound(f"This meeting has {len(meeting.invitees)} invitees.", field="number")
    children = [
        c.child.full_name for c in cases.get_cases(session=session, case_ids=case_ids(meeting))
    ]
    kind = KIND_WORDS.get(meeting.kind, "meeting")
    sender = sender_of(session=session, meeting=meeting)
    fill = {"children": " and ".join(children), "kind": kind, "sender": sender.name}
    today = datetime.now(LOCAL).date()
    chair = session.get(User, meeting.chair_id) if meeting.chair_id else None
    return {
        "meeting": meeting,
        "kind_words": kind,
        "council": council,
        "sender": sender,
        "chair": chair.full_name if chair else None,
        "starts": when(meeting.starts_at),
        "letters": [_letter(meeting.invitees[n - 1], fill, dated.get(n, today)) for n in numbers],
    }


def _letter(invitee: dict[str, Any], fill: dict[str, str], dated: date) -> dict[str, Any]:
    words = wording()[invitee.get("wording") or "parent"]
    return {
        "invitee": invitee,
        "dated": long_date(dated),
        "heading": words["heading"].format(**fill),
        "about": words["about"].format(**fill),
        "asks": [ask.format(**fill) for ask in words["asks"]],
    }


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def when(starts: datetime) -> str:
    """ "Thursday 3 December 2026 at 10:00am", in England and Wales."""
    local = starts.astimezone(LOCAL)
    return f"{local:%A} {local.day} {local:%B %Y} at {local.hour % 12 or 12}:{local:%M}" + (
        "am" if local.hour < 12 else "pm"
    )


def starts_record(meeting: Meeting) -> str | None:
    """The exemplar a record started from this meeting is (kinds.yaml), if any."""
    return KINDS.get(meeting.kind, {}).get("starts")


def record_facts(*, session: Session, meeting: Meeting) -> dict[str, Any]:
    """What a record started from this meeting knows: its date, its chair, who came."""
    chair = session.get(User, meeting.chair_id) if meeting.chair_id else None
    marks = attendance_of(session=session, meeting=meeting)
    rows = [
        {"name": i["name"], "role": i["role"]} | ({"attendance": mark} if mark else {})
        for i, mark in zip(meeting.invitees, marks, strict=True)
    ]
    return {
        "meeting.date": meeting.starts_at.astimezone(LOCAL).date().isoformat(),
        "meeting.chair": chair.full_name if chair else None,
        "meeting.attendance": rows or None,
    }
