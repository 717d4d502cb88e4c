"""Who may do what to a case: one readable table and the functions that apply it.

Reach says which cases a rule covers: none, the cases allocated to the user, their team's cases,
or every case. A restricted case (a staff member's relative, say) is seen only by the people named
on it, whatever their role — the auditor included, whose every read is logged anyway.
"""

import enum

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from app.auth.models import Role, User
from app.cases.models import Case, CaseAccess
from app.errors import DomainError


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
    EXPORT_RETURNS = "export_returns"  # the council-wide statutory returns (CIN census, Annex A)


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
    # Every child's census items, read for the return and its problems; no case content beyond.
    Role.DATA_MANAGER: {A.EXPORT_RETURNS: R.ALL},
}


class Forbidden(DomainError):
    status_code = 403


class Hidden(DomainError):
    """Refused where even the existence of the thing must not leak (a restricted case): 404."""

    status_code = 404


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


def named_on(*, session: Session, user: User, cases: list[Case]) -> set[int]:
    """The restricted cases among `cases` that name `user`."""
    restricted = [case.id for case in cases if case.restricted]
    if not restricted:
        return set()
    query = select(CaseAccess.case_id).where(
        CaseAccess.case_id.in_(restricted), CaseAccess.user_id == user.id
    )
    return set(session.scalars(query))


def decide(
    *, session: Session, user: User, action: Action, cases: list[Case], every: bool = False
) -> list[Case]:
    """The cases through which `user` may do `action` (any one of them, or `every` one).

    Refuses with Hidden when nothing the user may see is involved and a restricted case is (so
    its existence does not leak), otherwise with Forbidden.
    """
    named = named_on(session=session, user=user, cases=cases)
    granted = [c for c in cases if allowed(user=user, action=action, case=c, named=c.id in named)]
    if granted and (not every or len(granted) == len(cases)):
        return granted
    seen = [c for c in cases if allowed(user=user, action=Action.VIEW, case=c, named=c.id in named)]
    error: DomainError = (
        Hidden("Page not found.", field="id")
        if not seen and any(c.restricted for c in cases)
        else Forbidden(f"You do not have access to {action.value} this.", field="id")
    )
    error.case_ids = [c.id for c in cases]  # type: ignore[attr-defined]
    raise error


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
