"""The returns domain as routes and the command line use it: each census made or looked at is
on the trail of every child it reads (who exported what, and when), with nothing personal in the
event's detail. The events come back to the caller, which writes them: a page or download reads
without a lock and writes its events when it has answered (app/deps.py keep_at_end)."""

from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.returns import cin
from app.returns.cin import Census, CensusProblem

if TYPE_CHECKING:
    from app.audit.models import AuditEvent


def collection_year(today: date) -> int:
    """The collection year a day falls in: 1 April to 31 March, named by the year it ends."""
    return today.year + 1 if today.month >= 4 else today.year


def export_cin(
    *, session: Session, actor: User, year: int, la_code: str
) -> tuple[Census, list["AuditEvent"]]:
    """The CIN census of `year`, and its event for the trail of every child in it."""
    census = cin.build(session=session, year=year, la_code=la_code)
    return census, _events(actor, AuditAction.RETURNS_EXPORT, census, census.case_ids)


def review_cin(
    *, session: Session, actor: User, year: int, la_code: str
) -> tuple[Census, list["AuditEvent"]]:
    """The CIN census of `year` for its problems, and its event for each child listed."""
    census = cin.build(session=session, year=year, la_code=la_code)
    listed = sorted({problem.case_id for problem in census.problems})
    return census, _events(actor, AuditAction.RETURN_VIEW, census, listed)


def by_child(problems: list[CensusProblem]) -> list[tuple[int, str, list[CensusProblem]]]:
    """Problems grouped by child (case id, name, their problems), in name order."""
    ordered = sorted(problems, key=lambda p: (p.child_name, p.case_id))
    return [
        (case_id, name, list(found))
        for (case_id, name), found in groupby(ordered, key=lambda p: (p.case_id, p.child_name))
    ]


def _events(
    actor: User, action: AuditAction, census: Census, case_ids: list[int]
) -> list["AuditEvent"]:
    detail = {"return": "cin", "year": census.year, "children": census.children}
    return audit.on_each(case_ids, actor=actor, action=action, target_type="return", detail=detail)
