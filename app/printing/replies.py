"""A family's reply to a printout, and what came of a correction.

Every family and child copy carries a reply slip and a reference (`printouts/_reply.html`). What
comes back — a slip posted or handed in, a call, an email — is recorded against the printout by
business support or the worker, exactly as said. A correction then leads to one of two outcomes,
each kept beside the reply and never changed: the record is amended (the reply names the new
version the amendment opened), or the family's disagreement is recorded beside the original and
printed in later copies. Nothing the family said is edited and nothing in the record is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.db import utcnow
from app.engine.display import long_date
from app.errors import Conflict, Invalid, NotFound
from app.printing.document import Disagreement
from app.printing.models import Printout, PrintoutReply, ReplyOutcome
from app.records import service as records

if TYPE_CHECKING:
    from app.engine.readers import Reader

Kind = Literal["view", "correction"]
Received = Literal["slip", "call", "email", "in person"]
KINDS: dict[str, str] = {
    "view": "What I think",
    "correction": "What is wrong and should be corrected",
}
RECEIVED: dict[str, str] = {
    "slip": "Reply slip sent back",
    "call": "Phone call",
    "email": "Email",
    "in person": "In person",
}
MAX_TEXT = 20_000


@dataclass(frozen=True)
class ReplyIn:
    """A reply as typed from the slip or the call, checked before anything is written."""

    kind: str
    from_whom: str
    received_by: str
    received_on: date | None
    text: str


@dataclass(frozen=True)
class Reply:
    """A reply as the worker and manager read it, with its outcome once there is one."""

    row: PrintoutReply
    outcome: ReplyOutcome | None
    recorded_by: str

    @property
    def open(self) -> bool:
        """A correction nobody has acted on yet: what the worker and manager are shown to do."""
        return self.row.kind == "correction" and self.outcome is None

    @property
    def kind_text(self) -> str:
        return KINDS[self.row.kind]

    @property
    def received_text(self) -> str:
        return RECEIVED[self.row.received_by]


def check_text(value: str, *, field: str, limit: int) -> str:
    """Text as typed, refused (naming the field) when too long or carrying a NUL."""
    if "\x00" in value:
        raise Invalid("Remove the character that cannot be stored.", field=field)
    if len(value) > limit:
        raise Invalid(f"Keep this under {limit:,} characters.", field=field)
    return value


def _checked(data: ReplyIn, printout: Printout) -> ReplyIn:
    if data.kind not in get_args(Kind):
        raise Invalid("Choose what the reply is: what they think, or a correction.", field="kind")
    if data.received_by not in get_args(Received):
        raise Invalid("Choose how the reply came.", field="received_by")
    from_whom = check_text(data.from_whom, field="from_whom", limit=200).strip()
    if not from_whom:
        raise Invalid("Enter who the reply is from.", field="from_whom")
    text = check_text(data.text, field="text", limit=MAX_TEXT).strip()
    if not text:
        raise Invalid("Enter what they said, in their words.", field="text")
    on = data.received_on
    if on is None:
        raise Invalid("Enter the date the reply came, for example 3 12 2026.", field="received_on")
    if on > date.today() or on < printout.created_at.date():
        raise Invalid(
            "The reply must have come between the printout and today.", field="received_on"
        )
    return ReplyIn(data.kind, from_whom, data.received_by, on, text)


def record(*, session: Session, actor: User, printout: Printout, data: ReplyIn) -> PrintoutReply:
    """Keep what the family said about a printout of a record, as they said it."""
    if printout.record_id is None:
        raise Invalid("Replies are recorded against a copy of a record.", field="printout_id")
    checked = _checked(data, printout)
    case_id = records.get(session=session, record_id=printout.record_id).case_id
    reply = PrintoutReply(
        printout_id=printout.id,
        record_id=printout.record_id,
        case_id=case_id,
        kind=checked.kind,
        from_whom=checked.from_whom,
        received_by=checked.received_by,
        received_on=checked.received_on,
        text=checked.text,
        recorded_by_id=actor.id,
        recorded_at=utcnow(),
    )
    session.add(reply)
    session.flush()
    _audit(session, actor, reply, {"kind": reply.kind, "printout": printout.id})
    return reply


def _audit(session: Session, actor: User, reply: PrintoutReply, detail: dict[str, object]) -> None:
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.PRINTOUT_REPLY,
        target_type="printout_reply",
        target_id=reply.id,
        case_id=reply.case_id,
        detail=detail,
    )


def get(*, session: Session, printout: Printout, reply_id: int) -> PrintoutReply:
    """A reply to this printout (one to another printout is not found through it)."""
    reply = session.get(PrintoutReply, reply_id)
    if reply is None or reply.printout_id != printout.id:
        raise NotFound(f"No reply {reply_id} to this printout.", field="reply_id")
    return reply


def _open_correction(session: Session, reply: PrintoutReply) -> None:
    """Only a correction leads to an outcome, and only once: an outcome is never replaced."""
    if reply.kind != "correction":
        raise Conflict("Only a correction is amended or recorded as a disagreement.", field="id")
    taken = session.scalar(select(ReplyOutcome.id).where(ReplyOutcome.reply_id == reply.id))
    if taken is not None:
        raise Conflict("Something has already been done about this correction.", field="id")


def amend_for(*, session: Session, actor: User, reply: PrintoutReply, reason: str) -> ReplyOutcome:
    """Open the record's next version because of the family's correction (the record's own
    amend flow), the reply naming that version."""
    _open_correction(session, reply)
    reason = check_text(reason, field="reason", limit=2000).strip()
    if not reason:
        raise Invalid("Say what will be corrected.", field="reason")
    why = f"Correction from {reply.from_whom}, {long_date(reply.received_on.isoformat())}: {reason}"
    amended = records.amend(session=session, actor=actor, record_id=reply.record_id, reason=why)
    return _decided(session, actor, reply, "amended", amended.version, reason)


def disagree(*, session: Session, actor: User, reply: PrintoutReply, note: str) -> ReplyOutcome:
    """Keep the family's view beside the record as it stands: the record is not changed, and
    later copies print what they said."""
    _open_correction(session, reply)
    note = check_text(note, field="note", limit=2000).strip()
    printout = session.get(Printout, reply.printout_id)
    assert printout is not None and printout.record_version is not None
    return _decided(session, actor, reply, "disagreement", printout.record_version, note)


def _decided(
    session: Session, actor: User, reply: PrintoutReply, outcome: str, version: int, note: str
) -> ReplyOutcome:
    row = ReplyOutcome(
        reply_id=reply.id,
        outcome=outcome,
        record_version=version,
        note=note,
        decided_by_id=actor.id,
        decided_at=utcnow(),
    )
    session.add(row)
    session.flush()
    _audit(session, actor, reply, {"outcome": outcome, "version": version})
    return row


def _listed(session: Session, found: list[PrintoutReply]) -> list[Reply]:
    ids = [reply.id for reply in found]
    outcomes = {
        o.reply_id: o
        for o in session.scalars(select(ReplyOutcome).where(ReplyOutcome.reply_id.in_(ids)))
    }
    users = {
        u.id: u.full_name
        for u in session.scalars(
            select(User).where(User.id.in_({reply.recorded_by_id for reply in found}))
        )
    }
    return [Reply(r, outcomes.get(r.id), users.get(r.recorded_by_id, "")) for r in found]


def of_printout(*, session: Session, printout_id: int) -> list[Reply]:
    """Every reply to one printout, oldest first."""
    query = select(PrintoutReply).where(PrintoutReply.printout_id == printout_id)
    return _listed(session, list(session.scalars(query.order_by(PrintoutReply.id))))


def for_cases(*, session: Session, case_ids: list[int], limit: int = 200) -> list[Reply]:
    """The newest replies about these children's records (the child page, the team view)."""
    if not case_ids:
        return []
    query = (
        select(PrintoutReply)
        .where(PrintoutReply.case_id.in_(case_ids))
        .order_by(PrintoutReply.id.desc())
        .limit(limit)
    )
    return _listed(session, list(session.scalars(query)))


def for_record(*, session: Session, record_id: int) -> list[Reply]:
    """Every reply about any printout of one record, newest first (the record's page)."""
    query = select(PrintoutReply).where(PrintoutReply.record_id == record_id)
    return _listed(session, list(session.scalars(query.order_by(PrintoutReply.id.desc()))))


def to_notice(found: list[Reply], *, today: date, days: int = 14) -> list[Reply]:
    """What My work and the team view show: every correction not yet acted on, and what the
    family thought, for a fortnight after it was recorded."""
    recent = [r for r in found if (today - r.row.recorded_at.date()).days <= days]
    return [r for r in found if r.open or r in recent]


def counts_by_printout(*, session: Session, printout_ids: list[int]) -> dict[int, int]:
    """How many replies each printout has had (the print page's list of printouts)."""
    rows = session.scalars(
        select(PrintoutReply.printout_id).where(PrintoutReply.printout_id.in_(printout_ids))
    )
    counted: dict[int, int] = {}
    for printout_id in rows:
        counted[printout_id] = counted.get(printout_id, 0) + 1
    return counted


def disagreements(
    *, session: Session, record_id: int, version: int, row: Reader, recipient: str
) -> tuple[Disagreement, ...]:
    """The disagreements recorded about this version or an earlier one, as the reader may read
    them (readers.yaml, `disagreements_shown`)."""
    query = (
        select(PrintoutReply, ReplyOutcome, Printout.recipient)
        .join(ReplyOutcome, ReplyOutcome.reply_id == PrintoutReply.id)
        .join(Printout, Printout.id == PrintoutReply.printout_id)
        .where(
            PrintoutReply.record_id == record_id,
            ReplyOutcome.outcome == "disagreement",
            ReplyOutcome.record_version <= version,
        )
        .order_by(PrintoutReply.id)
    )
    shown = []
    for reply, outcome, sent_to in session.execute(query):
        if row.disagreements_shown == "own" and (not recipient or sent_to != recipient):
            continue
        when = long_date(reply.received_on.isoformat())
        # The worker's note is for those who read the whole record, not for the family.
        note = outcome.note if row.disagreements_shown == "all" else ""
        shown.append(Disagreement(reply.from_whom, when, reply.text, note))
    return tuple(shown)
