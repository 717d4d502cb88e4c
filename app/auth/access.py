"""Who may do what: one readable table, one function that applies it, one that audits refusals.

Reach says which cases a rule covers: none, the cases allocated to the user, their team's cases,
or every case. A restricted case (a staff member's relative, say) is seen only by the people named
on it, whatever their role — the auditor included, whose every read is logged anyway.
"""

import enum

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.models import AuditEvent
from app.auth.models import Role, User
from app.errors import DomainError
from app.people.models import Case, CaseAccess
from app.people.schemas import ChildView


class Action(enum.StrEnum):
    VIEW = "view"  # see a child, their records, printouts
    WRITE = "write"  # start and change records as their author
    ON_BEHALF = "on_behalf"  # type for a named worker (dictation); never judgement fields
    CONFIRM = "confirm"  # check and confirm what was typed on your behalf
    SUBMIT = "submit"
    APPROVE = "approve"  # sign off (finalise) or return with a comment
    PRINT = "print"  # make and send printouts
    SEE_AUDIT = "see_audit"  # who has seen this child's record
    ALLOCATE = "allocate"
    ADMINISTER = "administer"  # users, teams, exemplar versions: never case content
    MEETINGS = "meetings"  # schedule reviews and conferences, send invitations, record minutes


class Reach(enum.IntEnum):
    NONE = 0
    ALLOCATED = 1
    TEAM = 2
    ALL = 3


A, R = Action, Reach
RULES: dict[Role, dict[Action, Reach]] = {
    Role.SOCIAL_WORKER: {
        A.VIEW: R.TEAM,
        A.WRITE: R.ALLOCATED,
        A.CONFIRM: R.ALLOCATED,
        A.SUBMIT: R.ALLOCATED,
        A.PRINT: R.ALLOCATED,
    },
    Role.TEAM_MANAGER: {
        A.VIEW: R.TEAM,
        A.WRITE: R.TEAM,
        A.SUBMIT: R.TEAM,
        A.APPROVE: R.TEAM,
        A.PRINT: R.TEAM,
        A.SEE_AUDIT: R.TEAM,
        A.ALLOCATE: R.TEAM,
        A.MEETINGS: R.TEAM,
    },
    Role.BUSINESS_SUPPORT: {
        A.VIEW: R.TEAM,
        A.ON_BEHALF: R.TEAM,
        A.PRINT: R.TEAM,
        A.MEETINGS: R.TEAM,
    },
    # Chairs see the cases of the teams they chair for; conference records are theirs to write.
    Role.CONFERENCE_CHAIR: {A.VIEW: R.TEAM, A.WRITE: R.TEAM, A.SUBMIT: R.TEAM, A.MEETINGS: R.TEAM},
    Role.AUDITOR: {A.VIEW: R.ALL, A.SEE_AUDIT: R.ALL},
    Role.SYSTEM_ADMIN: {A.ADMINISTER: R.ALL},
}


class Forbidden(DomainError):
    status_code = 403


def reach(user: User, action: Action) -> Reach:
    return RULES.get(user.role, {}).get(action, Reach.NONE)


def allowed(*, user: User, action: Action, case: Case | None, named: bool = False) -> bool:
    """Whether `user` may do `action` to `case` (None: an action on no case, like the admin's)."""
    granted = reach(user, action)
    if case is None:
        return granted == Reach.ALL or (granted > Reach.NONE and action != Action.ADMINISTER)
    if case.restricted and not named:
        return False
    if granted == Reach.ALL:
        return True
    mine = granted >= Reach.ALLOCATED and case.allocated_worker_id == user.id
    ours = granted >= Reach.TEAM and case.team_id is not None and case.team_id == user.team_id
    return mine or ours


def is_named(*, session: Session, user: User, case: Case) -> bool:
    if not case.restricted:
        return False
    query = select(CaseAccess.id).where(
        CaseAccess.case_id == case.id, CaseAccess.user_id == user.id
    )
    return session.scalar(query) is not None


def require(*, session: Session, user: User, action: Action, case: Case | None) -> None:
    """Raise Forbidden, after auditing the refusal, unless the table allows it."""
    named = case is not None and is_named(session=session, user=user, case=case)
    if allowed(user=user, action=action, case=case, named=named):
        return
    case_id = case.id if case else None
    audit.record(
        session=session,
        actor=user,
        action=f"denied.{action.value}",
        target_type="case",
        target_id=case_id,
        case_id=case_id,
        allowed=False,
    )
    session.commit()  # the refusal is kept even though the request fails
    raise Forbidden(
        f"You do not have access to {action.value} this.", field="case_id" if case else "body"
    )


def visible_cases(user: User) -> ColumnElement[bool]:
    """A filter over Case for lists and search: only what `user` may view."""
    granted = reach(user, Action.VIEW)
    if granted == Reach.NONE:
        return false()
    named = Case.id.in_(select(CaseAccess.case_id).where(CaseAccess.user_id == user.id))
    scope: ColumnElement[bool] = {
        Reach.ALL: true(),
        Reach.TEAM: (Case.team_id == user.team_id) | (Case.allocated_worker_id == user.id),
        Reach.ALLOCATED: Case.allocated_worker_id == user.id,
    }[granted]
    return or_(Case.restricted.is_(False) & scope, named & scope)


def require_case(*, session: Session, user: User, action: Action, case_id: int) -> Case:
    """The case, if the user may do `action` to it (404 for no such case, else 403 audited)."""
    from app.people import service as people  # people's service imports nothing from here

    case = people.get_case(session=session, case_id=case_id)
    require(session=session, user=user, action=action, case=case)
    return case


def open_child(*, session: Session, user: User, case_id: int, via: str) -> ChildView:
    """A child's view for someone allowed to see it, with the look written to the audit."""
    from app.people import service as people

    require_case(session=session, user=user, action=Action.VIEW, case_id=case_id)
    view = people.child_view(session=session, case_id=case_id)
    audit.record(
        session=session,
        actor=user,
        action="child.view",
        target_type="case",
        target_id=case_id,
        case_id=case_id,
        detail={"via": via},
    )
    session.commit()
    return view


def writing_action(user: User) -> Action:
    """WRITE for those who author records; ON_BEHALF for those who may only type for an author.

    Read from the table, so a role's way of entering records changes in one place.
    """
    types_for_others = reach(user, Action.ON_BEHALF) > Reach.NONE
    return (
        Action.ON_BEHALF
        if types_for_others and reach(user, Action.WRITE) == Reach.NONE
        else Action.WRITE
    )


def open_trail(*, session: Session, user: User, case_id: int) -> tuple[Case, list[AuditEvent]]:
    """A child's audit trail for someone allowed to see it; looking at it is itself audited."""
    case = require_case(session=session, user=user, action=Action.SEE_AUDIT, case_id=case_id)
    events = audit.for_case(session=session, case_id=case_id)
    audit.record(
        session=session,
        actor=user,
        action="audit.view",
        target_type="case",
        target_id=case_id,
        case_id=case_id,
    )
    session.commit()
    return case, events
