"""The records domain as other domains, routes and the command line use it.

Start, save section by section, submit, finalise, amend, next steps. Every save is a revision (who
typed it, for whom); finalising freezes a snapshot for good. The pieces live by concern:
context (a record in context), drafts, lifecycle (the status table), dictation, snapshots, queries.
"""

from app.records.authorship import NotTheirSection, others_fields
from app.records.context import RecordContext, load
from app.records.dictation import AuthorOnly, awaiting_check, confirm
from app.records.drafts import SaveResult, mark_section, save, start, start_group
from app.records.due import Due, due_for_cases
from app.records.lifecycle import EDITABLE, amend, finalise, return_record, submit
from app.records.models import RecordStatus
from app.records.queries import (
    definition_of,
    due_date,
    get,
    get_for_update,
    next_steps,
    records_for_case,
    records_for_cases,
    returned_comments,
    section_statuses,
    sign_off_queue,
    title_of,
    title_of_section,
    written_by,
)
from app.records.revisions import Event, answers_at
from app.records.revisions import listed as revisions
from app.records.snapshots import (
    Source,
    amended_from,
    checksum,
    chronology_for_print,
    diff,
    latest_snapshot,
    names_of,
    snapshots,
    source_of,
)

__all__ = [
    "EDITABLE",
    "AuthorOnly",
    "Due",
    "Event",
    "NotTheirSection",
    "RecordContext",
    "RecordStatus",
    "SaveResult",
    "Source",
    "amend",
    "amended_from",
    "answers_at",
    "awaiting_check",
    "checksum",
    "chronology_for_print",
    "confirm",
    "definition_of",
    "diff",
    "due_date",
    "due_for_cases",
    "finalise",
    "get",
    "get_for_update",
    "latest_snapshot",
    "load",
    "mark_section",
    "names_of",
    "next_steps",
    "others_fields",
    "records_for_case",
    "records_for_cases",
    "return_record",
    "returned_comments",
    "revisions",
    "save",
    "section_statuses",
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
