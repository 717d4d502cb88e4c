"""What finalising a record does to the child's case, as its exemplar declares (`on_finalise`).

A closure closes the case with the reason answered (its code and words) and takes it off the
caseload; a plan may set the case's legal status from a code of the legal_status list.
"""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases import service as cases
from app.cases.schemas import CaseClose
from app.engine.conditions import plain
from app.engine.definitions import text_for
from app.engine.library import Exemplar
from app.records.models import Record


def apply(*, session: Session, exemplar: Exemplar, record: Record, actor: User) -> None:
    declared = exemplar.definition.on_finalise
    if declared is None:
        return
    answers = record.answers
    if declared.legal_status and isinstance(plain(answers.get(declared.legal_status)), str):
        status = str(plain(answers[declared.legal_status]))
        cases.set_legal_status(
            session=session, actor=actor, case_id=record.case_id, legal_status=status
        )
    if declared.close_case is not None:
        closing = declared.close_case
        reason = _reason(exemplar, closing.reason, answers)
        on = _date(plain(answers.get(closing.closed_on or ""))) or date.today()
        case = cases.get_case(session=session, case_id=record.case_id)
        if not cases.is_closed(case):
            data = CaseClose(reason=reason, closed_on=on)
            cases.close_case(session=session, actor=actor, case_id=case.id, data=data)


def _reason(exemplar: Exemplar, field_id: str, answers: dict[str, Any]) -> str:
    """The code and its words ("RC7: Case closed after assessment…"), or the text answered."""
    item = exemplar.fields[field_id]
    value = plain(answers.get(field_id))
    words = {o.code: text_for(o.label, "worker") for o in exemplar.options(item)}
    if isinstance(value, str) and value in words:
        return f"{value}: {words[value]}"
    return str(value) if value else f"{text_for(exemplar.definition.title, 'worker')} finalised"


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
