"""Every table, imported once so Alembic and the tests see the whole schema."""

from app.audit.models import AuditEvent
from app.auth.models import SignInFailure, Team, User, UserSession
from app.cases.models import Case, CaseAccess, CaseEvent
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
from app.printing.models import Printout, PrintoutDelivery
from app.records.models import Record, RecordGroup, RecordRevision, RecordSnapshot

__all__ = [
    "AuditEvent",
    "Base",
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
    "Printout",
    "PrintoutDelivery",
    "Professional",
    "Record",
    "RecordGroup",
    "RecordRevision",
    "RecordSnapshot",
    "Relationship",
    "RelationshipType",
    "SignInFailure",
    "Team",
    "User",
    "UserSession",
]
