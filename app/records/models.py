"""Exemplar records: every save a revision, every finalisation a frozen snapshot."""

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, JSONType, str_enum, utcnow


class RecordStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back by the manager with a comment; editable again
    FINALISED = "finalised"
    AMENDING = "amending"  # a finalised record being amended as a new version


class RecordGroup(Base):
    """Several siblings' records started together; shared sections are typed once."""

    __tablename__ = "record_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"))
    exemplar_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Record(Base):
    __tablename__ = "records"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    exemplar_id: Mapped[str] = mapped_column(String(100), index=True)
    exemplar_version: Mapped[int]
    status: Mapped[RecordStatus] = mapped_column(str_enum(RecordStatus), default=RecordStatus.DRAFT)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("record_groups.id"), index=True)
    # The newest revision's number and answers, kept here so reading a record is one row.
    revision: Mapped[int] = mapped_column(default=0)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(default=1)  # bumped by each amendment
    # Sections the worker has said are complete (the task list's "Completed", as GOV.UK asks).
    completed_sections: Mapped[list[str]] = mapped_column(JSONType, default=list)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]  # timescales are met here, not at approval
    finalised_at: Mapped[datetime | None]

    group: Mapped[RecordGroup | None] = relationship()
    revisions: Mapped[list["RecordRevision"]] = relationship(
        back_populates="record", order_by="RecordRevision.number"
    )


class RecordRevision(Base):
    """One save: what it set and removed, who typed it, and for whom (replayed in order, the
    revisions give the answer set as it stood after any one of them)."""

    __tablename__ = "record_revisions"
    __table_args__ = (UniqueConstraint("record_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    number: Mapped[int]
    answers: Mapped[dict[str, Any]]  # the answers this save set (new or different)
    removed: Mapped[list[str]] = mapped_column(JSONType, default=list)  # the answers it removed
    changed: Mapped[dict[str, Any]] = mapped_column(default=dict)  # field id -> new answer
    section_id: Mapped[str | None] = mapped_column(String(100))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    event: Mapped[str] = mapped_column(String(30), default="save")  # save, submit, finalise…
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    record: Mapped[Record] = relationship(back_populates="revisions")


class RecordSnapshot(Base):
    """A finalised version, frozen: answers, pre-filled values and the facts as they were."""

    __tablename__ = "record_snapshots"
    __table_args__ = (UniqueConstraint("record_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    version: Mapped[int]
    exemplar_id: Mapped[str] = mapped_column(String(100))
    exemplar_version: Mapped[int]
    content: Mapped[dict[str, Any]]
    checksum: Mapped[str] = mapped_column(String(64))
    finalised_at: Mapped[datetime] = mapped_column(default=utcnow)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ChronologyMark(Base):
    """The significance a worker gave one chronology entry (a record version); the newest mark
    wins and the earlier ones stay as its history."""

    __tablename__ = "chronology_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    record_version: Mapped[int]
    significance: Mapped[str] = mapped_column(String(20))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
