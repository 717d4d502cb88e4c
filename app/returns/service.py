"""The returns domain as routes and the command line use it: each census made or looked at is
on the trail of every child it reads (who exported what, and when), with nothing personal in the
event's detail."""

from datetime import date
from itertools import groupby

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.returns import cin
from app.returns.cin import Census, CensusProblem


def collection_year(today: date) -> int:
    """The collection year a day falls in: 1 April to 31 March, named by the year it ends."""
    return today.year + 1 if today.month >= 4 else today.year


def export_cin(*, session: Session, actor: User, year: int, la_code: str) -> Census:
    """The CIN census of `year`, on the trail of every child in it."""
    census = cin.build(session=session, year=year, la_code=la_code)
    _audit(session, actor, AuditAction.RETURN_EXPORT, census, census.case_ids)
    return census


def review_cin(*, session: Session, actor: User, year: int, la_code: str) -> Census:
    """The CIN census of `year` for its problems; on the trail of each child listed."""
    census = cin.build(session=session, year=year, la_code=la_code)
    listed = sorted({problem.case_id for problem in census.problems})
    _audit(session, actor, AuditAction.RETURN_VIEW, census, listed)
    return census


def by_child(problems: list[CensusProblem]) -> list[tuple[int, str, list[CensusProblem]]]:
    """Problems grouped by child (case id, name, their problems), in name order."""
    ordered = sorted(problems, key=lambda p: (p.child_name, p.case_id))
    return [
        (case_id, name, list(found))
        for (case_id, name), found in groupby(ordered, key=lambda p: (p.case_id, p.child_name))
    ]


def _audit(
    session: Session, actor: User, action: AuditAction, census: Census, case_ids: list[int]
) -> None:
    detail = {"return": "cin", "year": census.year, "children": census.children}
    audit.record_on_each(
        session=session,
        case_ids=case_ids,
        actor=actor,
        action=action,
        target_type="return",
        detail=detail,
    )
