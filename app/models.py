"""Every table, imported once so Alembic and the tests see the whole schema."""

from app.attachments.models import Attachment, AttachmentFile
from app.audit.models import AuditEvent
from app.auth.models import SignInFailure, Team, User, UserSession
from app.cases.models import CareEvent, Case, CaseAccess, CaseEvent
from app.db import Base
from app.meetings.models import Meeting, MeetingChild
from app.people.models import (
    Family,
    FamilyMember,
    Involvement,
    PenPicture,
    Person,
    Professional,
    Relationship,
    RelationshipType,
)
from app.printing.models import (
    PrintJob,
    Printout,
    PrintoutDelivery,
    PrintoutReply,
    ReplyOutcome,
)
from app.records.models import Record, RecordGroup, RecordRevision, RecordSnapshot

# The text index behind name search is made by hand, not from these models: an FTS5 table and its
# shadow tables on SQLite (migration 0009); on PostgreSQL the words of names kept once each, with
# a trigram index, and names and sounds indexed as words (migration 0025).
TEXT_INDEX = (
    "people_names",
    "ix_people_search_name_words",
    "ix_people_name_sounds_words",
    "name_words",
    "ix_name_words_word_trgm",
)


def from_models(name: str | None, type_: str, _parent: object) -> bool:
    """Whether a schema object is one the models describe (what autogenerate compares)."""
    return not (name or "").startswith(TEXT_INDEX)


__all__ = [
    "Attachment",
    "AttachmentFile",
    "AuditEvent",
    "Base",
    "CareEvent",
    "Case",
    "CaseAccess",
    "CaseEvent",
    "Family",
    "FamilyMember",
    "Involvement",
    "Meeting",
    "MeetingChild",
    "PenPicture",
    "Person",
    "PrintJob",
    "Printout",
    "PrintoutDelivery",
    "PrintoutReply",
    "Professional",
    "Record",
    "RecordGroup",
    "RecordRevision",
    "RecordSnapshot",
    "Relationship",
    "RelationshipType",
    "ReplyOutcome",
    "SignInFailure",
    "Team",
    "User",
    "UserSession",
]
