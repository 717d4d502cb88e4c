"""Access declared where the route is: every route names the action it needs on what its path names.

A route's policy is a dependency, `allow(action, target)`. It loads what the path names (a case,
record, person, family, meeting or printout), finds the child's case or cases it
belongs to, asks the permission table (`app.cases.policy`) and hands the route a `Granted` it may
use. A refusal is audited in a transaction of its own and answered 404 where existence must not
leak (a restricted case), 403 otherwise. Every allowed read of case data is an audit event.

Routes with nothing to protect say so too (`PUBLIC`, `SIGNED_IN`), so that a test can walk the
route table and fail for any route that declares nothing.
"""

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.cases import service as cases
from app.cases.policy import Action, Forbidden, Hidden, allowed, decide, writing_action
from app.db import begin_writing
from app.deps import MAX_ID, OptionalSession, SessionDep, api_user, keep_at_end, page_user
from app.engine.library import Library
from app.errors import Conflict, Invalid, NotFound
from app.meetings import service as meetings
from app.people import service as people
from app.people.schemas import PossibleMatch, PossibleMatches
from app.printing import service as printing
from app.records import service as records
from app.records.context import RecordContext

if TYPE_CHECKING:
    from app.cases.models import Case


class Target(enum.StrEnum):
    """What a route's path names, and so where its permission comes from."""

    CASE = "case"
    CASE_NUMBER = "case_number"
    RECORD = "record"
    PERSON = "person"
    FAMILY = "family"
    MEETING = "meeting"
    PRINTOUT = "printout"
    NO_CASE = "no_case"  # an action on nothing in particular (the sign-off queue, a new person)


PATH_PARAM = {
    Target.CASE: "case_id",
    Target.CASE_NUMBER: "case_number",
    Target.RECORD: "record_id",
    Target.PERSON: "person_id",
    Target.FAMILY: "family_id",
    Target.MEETING: "meeting_id",
    Target.PRINTOUT: "printout_id",
}
READ_EVENT = {
    Target.CASE: AuditAction.CHILD_VIEW,
    Target.CASE_NUMBER: AuditAction.CHILD_VIEW,
    Target.RECORD: AuditAction.RECORD_VIEW,
    Target.PERSON: AuditAction.PERSON_VIEW,
    Target.FAMILY: AuditAction.PERSON_VIEW,
    Target.MEETING: AuditAction.MEETING_VIEW,
    Target.PRINTOUT: AuditAction.PRINTOUT_VIEW,
}


@dataclass
class Granted:
    """What a route may use: the user, what the path named, and the cases it was allowed through."""

    user: User
    action: Action
    target: Target
    target_id: int | None
    cases: list["Case"] = field(default_factory=list)
    # What the path named, as loaded for the check (kept so the route reads it without a query).
    subject: Any = None

    @property
    def case(self) -> "Case":
        return self.cases[0]

    def typing_for(self, named: int | None = None) -> User | None:
        """Who a typist types for: the case's allocated worker, never anyone a client names.

        None when the user writes as the author themselves (`named` must then be None too).
        """
        if self.action != Action.ON_BEHALF:
            if named is not None:
                raise Invalid("Only those who type for a worker name one.", field="on_behalf_of_id")
            return None
        author = self.case.allocated_worker
        if author is None:
            raise Conflict("This child has no allocated worker to type for yet.", field="case_id")
        if named is not None and named != author.id:
            raise Invalid(
                "You can only type for the child's allocated worker.", field="on_behalf_of_id"
            )
        return author

    def check_cases(self, session: Session, case_ids: list[int], action: Action) -> list["Case"]:
        """Cases a request's body names, each of which the user must be allowed `action` on."""
        found = [cases.get_case(session=session, case_id=case_id) for case_id in case_ids]
        with self._kept(session, action, Target.CASE):
            return _decided(session, self.user, action, found, every=True)

    def check_people(self, session: Session, named: dict[str, int], action: Action) -> None:
        """People a request's body names (field → id): each must be reachable by the user."""
        for field_name, person_id in named.items():
            with self._kept(session, action, Target.PERSON, person_id):
                _person_cases(session, self.user, action, person_id, field=field_name)

    @contextmanager
    def _kept(
        self, session: Session, action: Action, target: Target, target_id: int | None = None
    ) -> Iterator[None]:
        """A refusal of something the body names is kept in the trail like any other."""
        try:
            yield
        except (Forbidden, Hidden) as refused:
            case_ids = getattr(refused, "case_ids", [])
            _refused(session, self.user, action, target, target_id, case_ids)
            raise


# Entering a record: authors write; those who may only type for an author type on their behalf.
ENTER = "enter"
READING_ACTIONS = (Action.VIEW, Action.PRINT, Action.SEE_AUDIT)  # take no lock on what they open


@dataclass(frozen=True)
class Policy:
    """Attached to each route's dependency so the route table says what every route needs."""

    action: Action | str | None
    target: Target | None
    signed_in: bool


def allow(
    action: Action | str,
    target: Target,
    *,
    page: bool = False,
    event: AuditAction | None = None,
) -> Any:
    """The dependency for a route that needs `action` on the `target` its path names.

    `event` names the read event where the route shows something other than the target itself
    (the audit trail of a case, say).
    """

    def guard(request: Request, db: SessionDep, row: OptionalSession) -> Granted:
        user = page_user(row) if page else api_user(row)
        number = str(request.path_params.get("case_number", ""))
        granted = permit(db, user, action, target, _path_id(request, target), number=number)
        if request.method == "GET" and target in READ_EVENT:
            _read(db, granted, request.url.path, event or READ_EVENT[target])
        return granted

    guard.policy = Policy(action, target, signed_in=True)  # type: ignore[attr-defined]
    return Depends(guard)


def permit(
    db: Session,
    user: User,
    action: Action | str,
    target: Target,
    target_id: int | None,
    *,
    number: str = "",
) -> Granted:
    """Whether `user` may do `action` to the target: a Granted, or a refusal kept in the trail.

    The same answer for the web pages, the API and the command line.
    """
    needed = writing_action(user) if action == ENTER else Action(action)
    # Loaded first and kept, so the check and then the route read one row, once.
    subject = (
        records.get(session=db, record_id=target_id)
        if target == Target.RECORD and target_id is not None
        else None
    )
    try:
        found = _cases_of(db, user, needed, target, target_id, number)
        if needed == Action.APPROVE and subject is not None:
            _four_eyes(db, user, subject, found)
    except (Forbidden, Hidden) as refused:
        _refused(db, user, needed, target, target_id, getattr(refused, "case_ids", []))
        raise
    return Granted(user, needed, target, target_id, found, subject)


def _four_eyes(db: Session, user: User, record: Any, found: list["Case"]) -> None:
    """Nobody signs off what they wrote or typed: another manager does."""
    if records.written_by(session=db, record=record, user_id=user.id):
        refused = Forbidden(
            "You wrote or typed part of this record: another manager must sign it off.",
            field="record_id",
        )
        refused.case_ids = [case.id for case in found]  # type: ignore[attr-defined]
        raise refused


def keep_refusal(db: Session, user: User, refused: Forbidden, *, case_id: int | None) -> None:
    """A service refused part of a request (an author-only field): keep that in the trail."""
    record_id = getattr(refused, "record_id", None)
    on_case = [case_id] if case_id is not None else []
    detail = {"field": refused.field}
    _kept(db, user, AuditAction.DENIED_AUTHOR_ONLY, "record", record_id, on_case, detail)


def _signed_in(page: bool) -> Callable[..., User]:
    def guard(row: OptionalSession) -> User:
        return page_user(row) if page else api_user(row)

    guard.policy = Policy(None, None, signed_in=True)  # type: ignore[attr-defined]
    return guard


def _public() -> None:
    """Nothing to protect: sign-in, sign-out, the API's own description."""


_public.policy = Policy(None, None, signed_in=False)  # type: ignore[attr-defined]
PUBLIC = Depends(_public)
SignedIn = Annotated[User, Depends(_signed_in(page=False))]
PageSignedIn = Annotated[User, Depends(_signed_in(page=True))]


def policy_of(dependency: Callable[..., Any]) -> Policy | None:
    found: Policy | None = getattr(dependency, "policy", None)
    return found


def _path_id(request: Request, target: Target) -> int | None:
    name = PATH_PARAM.get(target)
    if name is None or target == Target.CASE_NUMBER:
        return None
    raw = request.path_params.get(name, "")
    if not str(raw).isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise Invalid(f"{name} must be a whole number from 1 to {MAX_ID}.", field=name)
    return int(raw)


def _cases_of(
    db: Session, user: User, action: Action, target: Target, target_id: int | None, number: str = ""
) -> list["Case"]:
    """The case or cases the target belongs to, as far as the user may do `action` through them."""
    if target == Target.CASE_NUMBER:
        return decide(session=db, user=user, action=action, cases=[_numbered(db, number)])
    if target == Target.NO_CASE:
        return _decided(db, user, action, [], every=False)
    assert target_id is not None
    if target in (Target.PERSON, Target.FAMILY):
        return _people_cases(db, user, action, target, target_id)
    found = _owning_cases(db, target, target_id)
    # A meeting (and its letters) discusses several children: all must be allowed.
    every = target in (Target.MEETING, Target.PRINTOUT)
    return decide(session=db, user=user, action=action, cases=found, every=every)


def _numbered(db: Session, number: str) -> "Case":
    case = cases.get_case_by_number(session=db, case_number=number)
    if case is None:
        raise NotFound(f"No case numbered {number}.", field="case_number")
    return case


def _owning_cases(db: Session, target: Target, target_id: int) -> list["Case"]:
    if target == Target.CASE:
        return [cases.get_case(session=db, case_id=target_id)]
    if target == Target.RECORD:
        record = records.get(session=db, record_id=target_id)
        return [cases.get_case(session=db, case_id=record.case_id)]
    if target == Target.PRINTOUT:
        printout = printing.get_printout(session=db, printout_id=target_id)
        if printout.meeting_id is not None:  # a meeting's invitation letter: the meeting's children
            return _owning_cases(db, Target.MEETING, printout.meeting_id)
        return [cases.get_case(session=db, case_id=printing.case_of(session=db, printout=printout))]
    meeting = meetings.get(session=db, meeting_id=target_id)
    return [cases.get_case(session=db, case_id=c) for c in meetings.case_ids(meeting)]


def _people_cases(
    db: Session, user: User, action: Action, target: Target, target_id: int
) -> list["Case"]:
    if target == Target.PERSON:
        return _person_cases(db, user, action, target_id)
    member_ids = people.member_ids(people.get_family(session=db, family_id=target_id))
    return _network_cases(db, user, action, member_ids, creator=None)


def _person_cases(
    db: Session, user: User, action: Action, person_id: int, *, field: str = "person_id"
) -> list["Case"]:
    person = people.get_person(session=db, person_id=person_id, field=field)
    return _network_cases(db, user, action, [person.id], creator=person.created_by_id)


def _network_cases(
    db: Session, user: User, action: Action, person_ids: list[int], *, creator: int | None
) -> list["Case"]:
    """People are reachable through any child in their network whose case the user may use.

    Someone in no child's network yet (just added) is reachable only by whoever added them.
    """
    network = people.network_of(session=db, person_ids=person_ids)
    found = cases.cases_of_children(session=db, child_ids=sorted(network))
    if not found and creator == user.id:
        return _decided(db, user, action, [], every=False)
    if not found:
        raise Forbidden("There is no child's record to see this through.", field="id")
    return decide(session=db, user=user, action=action, cases=found)


def _decided(
    db: Session,
    user: User,
    action: Action,
    found: list["Case"],
    *,
    every: bool,
) -> list["Case"]:
    """`decide` for an action that may concern no case (found empty): the role's table decides."""
    if found:
        return decide(session=db, user=user, action=action, cases=found, every=every)
    if not allowed(user=user, action=action, case=None):
        raise Forbidden(f"You do not have access to {action.value} this.", field="id")
    return []


def _refused(
    db: Session,
    user: User,
    action: Action,
    target: Target,
    target_id: int | None,
    case_ids: list[int],
) -> None:
    """Keep the refusal, on each child's trail, in a transaction of its own: the request fails."""
    detail = {"action": action.value}
    _kept(db, user, AuditAction.DENIED, target.value, target_id, case_ids, detail)


def _kept(
    db: Session,
    user: User,
    event: AuditAction,
    target_type: str,
    target_id: int | None,
    case_ids: list[int],
    detail: dict[str, Any],
) -> None:
    """A refusal's event, committed on its own: whatever the request did is rolled back first."""
    begin_writing(db)
    audit.record_on_each(
        session=db,
        case_ids=case_ids,
        actor=user,
        action=event,
        target_type=target_type,
        target_id=target_id,
        allowed=False,
        detail=detail,
    )
    db.commit()


def _read(db: Session, granted: Granted, path: str, event: AuditAction) -> None:
    """Every read of case data is an event, on the case it was read through."""
    read = audit.event(
        actor=granted.user,
        action=event,
        target_type=granted.target.value,
        target_id=granted.target_id,
        case_id=granted.cases[0].id if granted.cases else None,
        detail={"via": path},
    )
    keep_at_end(db, read)


def open_record(
    db: Session,
    library: Library,
    user: User,
    record_id: int,
    action: Action | str,
    *,
    reading: bool = False,
) -> RecordContext:
    """A record in context for a user allowed `action` on it; a refusal is kept in the trail.

    The pages, the API and the command line open records here, so the check is written once.
    `reading`: a page (GET) that asks a writer's permission still only reads, and takes no lock.
    """
    writing = not reading and (action == ENTER or Action(action) not in READING_ACTIONS)
    # Locked on its first read, so two saves of one record queue, and held here (the session
    # keeps rows weakly) so the check and the route read it from the session, not the database.
    held = [records.get_for_update(session=db, record_id=record_id)] if writing else []
    granted = permit(db, user, action, Target.RECORD, record_id)
    context = records.load(session=db, library=library, record_id=record_id)
    assert not held or context.record is held[0]
    context.granted = granted
    return context


def on_record(action: Action | str, *, page: bool = False) -> Any:
    """The dependency for a route on one record: the permission, then the record in context."""

    def opened(request: Request, db: SessionDep, row: OptionalSession) -> RecordContext:
        user = page_user(row) if page else api_user(row)
        record_id = _path_id(request, Target.RECORD)
        assert record_id is not None
        reading = request.method == "GET"
        library = request.app.state.library
        context = open_record(db, library, user, record_id, action, reading=reading)
        if reading:
            _read(db, context.granted, request.url.path, AuditAction.RECORD_VIEW)
        return context

    opened.policy = Policy(action, Target.RECORD, signed_in=True)  # type: ignore[attr-defined]
    return Depends(opened)


def visible_matches(db: Session, user: User, found: list[PossibleMatch]) -> PossibleMatches:
    """Possible duplicates the user may see, and a count of those in records they may not."""
    shown: list[PossibleMatch] = []
    for match in found:
        try:
            _person_cases(db, user, Action.VIEW, match.person_id)
        except (Forbidden, Hidden):
            continue
        shown.append(match)
    return PossibleMatches(matches=shown, hidden=len(found) - len(shown))


def network_case_ids(db: Session, person_ids: list[int]) -> list[int]:
    """Every case of a child in these people's network: whose trail a change to them belongs on."""
    network = people.network_of(session=db, person_ids=person_ids)
    return [case.id for case in cases.cases_of_children(session=db, child_ids=sorted(network))]
