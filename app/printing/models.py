"""Every printout made, what it withheld, and whom it went to."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.db import Base, utcnow


class Printout(Base):
    """One print of one record, or a court statement compiled from several (record_id empty,
    `sources` naming each record and finalised version it was made from)."""

    __tablename__ = "printouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A printout is of a record; a statement compiled from several records of a case; or a
    # meeting's invitation letter to one invitee (numbered from 1).
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"), index=True)
    record_version: Mapped[int | None]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    invitee: Mapped[int | None]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # [{"record_id", "version", "snapshot_id"}]: what a compiled statement was made from
    sources: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    # What a reprint must not read afresh: the witness as they signed, the statement's number
    # and date, whether the chronology is exhibited. Empty until a statement is fit to file.
    frozen: Mapped[dict[str, Any] | None]
    audience: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10), default="en")
    large_print: Mapped[bool] = mapped_column(default=False)
    finalised: Mapped[bool] = mapped_column(default=False)  # made from a frozen snapshot
    checksum: Mapped[str] = mapped_column(String(64))  # SHA-256 of the rendered HTML
    pages: Mapped[int]
    withheld: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    # A family copy is made for someone; what the worker released to them is kept with its note.
    recipient: Mapped[str | None] = mapped_column(String(200))
    released: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrintoutDelivery(Base):
    """The distribution log: to whom, how and when a printout went."""

    __tablename__ = "printout_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    printout_id: Mapped[int] = mapped_column(ForeignKey("printouts.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(30))  # post, email, in person, court bundle
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class PrintoutReply(Base):
    """What a family said back about a printout: a returned slip, a call, an email. Kept as
    received; what the worker did about a correction is a ReplyOutcome beside it."""

    __tablename__ = "printout_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    printout_id: Mapped[int] = mapped_column(ForeignKey("printouts.id"), index=True)
    # Denormalised from the printout so the child page and the team view find replies directly.
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "view" (what I think) or "correction"
    from_whom: Mapped[str] = mapped_column(String(200))
    received_by: Mapped[str] = mapped_column(String(20))  # slip, call, email, in person
    received_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReplyOutcome(Base):
    """What came of a correction: the record amended (the new version named) or the family's
    disagreement recorded beside the original, printed in later copies. Never changed after."""

    __tablename__ = "reply_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("printout_replies.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))  # "amended" or "disagreement"
    record_version: Mapped[int]  # the amendment's new version, or the version disagreed with
    note: Mapped[str] = mapped_column(Text)  # the amendment's reason, or the worker's note
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrintJob(Base):
    """A print asked for on a page and made by a print worker, off the request: the durable
    queue (a worker claims the oldest queued job; on PostgreSQL with SKIP LOCKED)."""

    __tablename__ = "print_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # What the print form asked for: audience, large print, language, version, recipient and
    # what the worker released (with notes), so the worker makes exactly that printout.
    request: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(10), index=True)  # queued, running, done, failed
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(500))  # shown to the user; never logged
    retry_of_id: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"))
    printout_id: Mapped[int | None] = mapped_column(ForeignKey("printouts.id"))
    # The finished PDF, kept for download (the app's processes hold no files of their own).
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
