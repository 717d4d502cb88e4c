"""The records domain as other domains, routes and the command line use it.

Start, save section by section, submit, finalise, amend, next steps. Every save is a revision (who
typed it, for whom); finalising freezes a snapshot for good. The pieces live by concern:
context (a record in context), drafts, lifecycle (the status table), dictation, snapshots, queries.
"""

from app.records.context import RecordContext, load
from app.records.dictation import AuthorOnly, awaiting_check, confirm
from app.records.drafts import SaveResult, save, start, start_group
from app.records.lifecycle import EDITABLE, amend, finalise, return_record, submit
from app.records.models import RecordStatus
from app.records.queries import (
    definition_of,
    due_date,
    get,
    next_steps,
    records_for_case,
    records_for_cases,
    section_status,
    sign_off_queue,
    title_of,
    title_of_section,
    written_by,
)
from app.records.revisions import Event, answers_at
from app.records.revisions import listed as revisions
from app.records.snapshots import (
    Source,
    checksum,
    diff,
    latest_snapshot,
    names_of,
    snapshots,
    source_of,
)

__all__ = [
    "EDITABLE",
    "AuthorOnly",
    "Event",
    "RecordContext",
    "RecordStatus",
    "SaveResult",
    "Source",
    "amend",
    "answers_at",
    "awaiting_check",
    "checksum",
    "confirm",
    "definition_of",
    "diff",
    "due_date",
    "finalise",
    "get",
    "latest_snapshot",
    "load",
    "names_of",
    "next_steps",
    "records_for_case",
    "records_for_cases",
    "return_record",
    "revisions",
    "save",
    "section_status",
    "sign_off_queue",
    "snapshots",
    "source_of",
    "start",
    "start_group",
    "submit",
    "title_of",
    "title_of_section",
    "written_by",
]
