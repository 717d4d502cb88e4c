"""Pages for records: the task list, one page per section, check answers, submit, read-only views.

Every form works without JavaScript. The autosave script posts the same section form with
`X-Requested-With: autosave` and gets JSON back instead of a page.
"""

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.orm import Session

from app.access import ENTER, Granted, Target, allow, keep_refusal, on_record
from app.cases.policy import Action
from app.deps import MAX_ID, CsrfChecked, Id, LibraryDep, SessionDep, keep_at_end
from app.engine import answers as engine
from app.engine.definitions import Section, text_for
from app.engine.display import describe
from app.engine.fieldtypes import SPARE_ROWS
from app.engine.library import Exemplar, Library
from app.errors import Invalid, NotFound
from app.printing import replies
from app.records import forms, service, siblings, views
from app.records.context import RecordContext
from app.records.errors import StaleRevision
from app.returns import cin as census
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
Viewing = Annotated[RecordContext, on_record(Action.VIEW, page=True)]
Entering = Annotated[RecordContext, on_record(ENTER, page=True)]


@router.post("/children/{case_id}/records")
async def start(
    case_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(ENTER, Target.CASE, page=True)],
) -> Response:
    exemplar_id = str((await request.form()).get("exemplar_id", ""))
    if exemplar_id not in library.ids():
        raise Invalid("Choose a record to start.", field="exemplar_id")
    record = service.start(
        session=db,
        library=library,
        actor=granted.user,
        case_id=case_id,
        exemplar_id=exemplar_id,
        on_behalf_of=granted.typing_for(),
    )
    db.commit()
    return RedirectResponse(f"/records/{record.id}", status_code=303)


@router.get("/records/{record_id}")
def task_list(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, record: Viewing
) -> Response:
    user = record.granted.user
    frozen = service.amended_from(session=db, record=record.record)
    status = service.section_statuses(
        record.exemplar, record.record, record.visibility, record.facts, frozen
    )
    sections = [
        {"section": s, "title": text_for(s.title, "worker"), "status": status[s.id]}
        for s in record.exemplar.definition.sections
    ]
    mine = record.record.author_id == user.id
    waiting = service.awaiting_check(record.record) if mine else []
    context = (
        views.page(library, record)
        | {
            "sections": sections,
            "waiting": waiting,
            "returned": service.returned_comments(session=db, records=[record.record]).get(
                record.record.id
            ),
            "changes": views.changes(db, record),
            "can_amend": views.can_amend(record),
            "amended": request.query_params.get("amended") == "1",
            "family_replies": replies.for_record(session=db, record_id=record_id),
            "census": _census(record),
        }
        | _siblings(db, library, record)
    )
    return render(request, "records/task_list.html", context)


def _siblings(db: Session, library: Library, record: RecordContext) -> dict[str, Any]:
    """The group's one task list, or the offer of a sibling's record, and their reads' audit."""
    user = record.granted.user
    group, reads = siblings.group_task_list(session=db, library=library, user=user, context=record)
    offer = (
        None
        if group
        else siblings.sibling_offer(session=db, library=library, user=user, context=record)
    )
    keep_at_end(db, *reads)
    return {"group": group, "sibling_offer": offer}


def _not_theirs(
    request: Request,
    db: Session,
    library: Library,
    record: RecordContext,
    section: Section,
    refused: service.NotTheirSection,
    posted: forms.Form,
    autosave: bool,
) -> Response:
    """Nothing of the save is kept, the refusal is, and the page shows back what was typed."""
    db.rollback()
    keep_refusal(db, record.granted.user, refused, case_id=record.record.case_id)
    db.commit()
    errors = {str(refused.field): refused.message}
    if autosave:
        body = {"errors": errors, "message": f"Not saved: {refused.message}"}
        return JSONResponse(body, status_code=403)
    return _section(request, db, library, record, section, errors=errors, posted=posted)


@router.get("/records/{record_id}/sections/{section_id}")
def section_page(
    record_id: Id,
    section_id: str,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Viewing,
) -> Response:
    section = _section_of(record.exemplar, section_id)
    adding = request.query_params.get("add")
    return _section(request, db, library, record, section, adding=adding)


@router.post("/records/{record_id}/sections/{section_id}")
async def save_section(
    record_id: Id,
    section_id: str,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Entering,
) -> Response:
    """Save a section: "Save and continue", "Save draft", "keep" a pre-filled value, autosave, or
    (without JavaScript) add or remove a group's row, which saves the draft and comes back."""
    granted: Granted = record.granted
    section = _section_of(record.exemplar, section_id)
    posted = _without_removed_row(_multi(await request.form()))
    adding = _first(posted, "add_row") or None
    autosave = request.headers.get("x-requested-with") == "autosave"
    others = _not_theirs_here(record, section)
    answers, problems = forms.parse(
        record.exemplar, section, posted, current=record.answers, skip=others
    )
    base = _base_revision(posted)
    try:
        result = service.save(
            session=db,
            library=library,
            actor=granted.user,
            context=record,
            base_revision=base,
            answers=answers,
            section_id=section.id,
            on_behalf_of=granted.typing_for(),
            withhold_judgement=True,  # the rest is saved; the page shows back what was not
        )
    except StaleRevision as conflict:
        db.rollback()
        return _conflict(request, db, library, record, section, conflict, posted, autosave)
    except service.NotTheirSection as refused:
        return _not_theirs(request, db, library, record, section, refused, posted, autosave)
    errors = {**result.errors, **problems, **result.withheld}
    complete = posted.get("section_complete", [""])[0]
    if not errors and complete in ("yes", "no"):
        service.mark_section(
            session=db,
            actor=granted.user,
            record=record.record,
            section_id=section.id,
            complete=complete == "yes",
        )
    db.commit()
    if autosave:
        visible = {"fields": result.visible.fields, "sections": result.visible.sections}
        status = 422 if errors else 200
        message = "Not saved: " + "; ".join(errors.values()) if errors else ""
        revision = record.record.revision
        shown = [p["text"] for p in _census(record, section)]
        return JSONResponse(
            {
                "revision": revision,
                "visible": visible,
                "errors": errors,
                "message": message,
                "census": shown,
            },
            status_code=status,
        )
    if errors:
        return _section(
            request, db, library, record, section, errors=errors, posted=posted, adding=adding
        )
    if adding or "remove_row" in posted:
        return RedirectResponse(_rows_url(record, section, answers, adding), status_code=303)
    if posted.get("action", [""])[0] == "continue":
        next_url = _next_url(record, section, result.visible)
        return RedirectResponse(next_url, status_code=303)
    saved = f"/records/{record_id}/sections/{section.id}?saved=1"
    return RedirectResponse(saved, status_code=303)


@router.get("/records/{record_id}/check")
def check_answers(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, record: Viewing
) -> Response:
    return _summary(request, db, library, record, "records/check.html")


@router.post("/records/{record_id}/submit")
def submit(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.SUBMIT, page=True)],
) -> Response:
    checked = engine.validate(
        record.exemplar, answers=record.answers, facts=record.facts, mode="submit"
    )
    if checked.errors:
        template = "records/check.html"
        return _summary(request, db, library, record, template, errors=checked.errors)
    service.submit(session=db, library=library, actor=record.granted.user, record_id=record_id)
    db.commit()
    return RedirectResponse(f"/records/{record_id}/view?submitted=1", status_code=303)


@router.get("/records/{record_id}/view")
def read_only(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Viewing,
    revision: int | None = None,
) -> Response:
    """The record as it stands (or as it stood at an earlier revision), read-only."""
    answers = record.answers
    if revision is not None:
        at = service.answers_at(session=db, record_id=record_id, number=revision)
        answers = at if at is not None else answers
    template = "records/view.html"
    just_sent = record.record.status == service.RecordStatus.SUBMITTED and revision is None
    submitted = request.query_params.get("submitted") == "1" and just_sent
    return _summary(
        request,
        db,
        library,
        record,
        template,
        answers=answers,
        revision=revision,
        submitted=submitted,
    )


@router.post("/records/{record_id}/confirm")
def confirm(
    record_id: Id,
    db: SessionDep,
    record: Annotated[RecordContext, on_record(Action.CONFIRM, page=True)],
) -> Response:
    """The author has read what was typed for them and confirms it."""
    service.confirm(session=db, actor=record.granted.user, record_id=record_id)
    db.commit()
    return RedirectResponse(f"/records/{record_id}", status_code=303)


@router.post("/records/{record_id}/approve")
async def approve(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.APPROVE, page=True)],
) -> Response:
    """Approve: the manager's name, role, date, decision (and comment) go into the sign-off."""
    comment = _text(await request.form(), "comment", 4000) or None
    actor = record.granted.user
    service.finalise(session=db, library=library, actor=actor, record_id=record_id, comment=comment)
    db.commit()
    return RedirectResponse("/sign-off", status_code=303)


@router.post("/records/{record_id}/return")
async def send_back(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.APPROVE, page=True)],
) -> Response:
    comment = _text(await request.form(), "comment", 4000) or "Returned for changes."
    actor = record.granted.user
    service.return_record(
        session=db, library=library, actor=actor, record_id=record_id, comment=comment
    )
    db.commit()
    return RedirectResponse("/sign-off", status_code=303)


@router.get("/records/{record_id}/amend")
def amend_page(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.WRITE, page=True)],
    section: str | None = None,
) -> Response:
    """Ask why the finalised record is amended; with a section, its answers to change as well."""
    return _amend_page(request, db, library, record, section)


@router.post("/records/{record_id}/amend")
async def amend(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.WRITE, page=True)],
) -> Response:
    """Open the next version with the reason kept; the section's changes are its first save."""
    posted = _without_removed_row(_multi(await request.form()))
    reason = _text(posted, "reason", 2000)
    chosen = posted.get("section", [""])[0] or None
    section = _section_of(record.exemplar, chosen) if chosen else None
    adding = _first(posted, "add_row") or None
    if adding or "remove_row" in posted:  # rows changed without JavaScript: nothing saved yet
        return _amend_page(request, db, library, record, chosen, posted=posted, adding=adding)
    if not reason:
        errors = {"reason": "Say why the record is being amended."}
        return _amend_page(request, db, library, record, chosen, errors=errors, posted=posted)
    actor = record.granted.user
    service.amend(session=db, actor=actor, record_id=record_id, reason=reason)
    if section is not None:
        answers, problems = forms.parse(record.exemplar, section, posted, current=record.answers)
        result = service.save(
            session=db,
            library=library,
            actor=actor,
            context=record,
            base_revision=record.record.revision,
            answers=answers,
            section_id=section.id,
        )
        if result.errors or problems:
            db.rollback()
            errors = {**result.errors, **problems}
            return _amend_page(request, db, library, record, chosen, errors=errors, posted=posted)
    db.commit()
    return RedirectResponse(f"/records/{record_id}?amended=1", status_code=303)


@router.post("/records/{record_id}/next")
async def start_next(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    record: Annotated[RecordContext, on_record(Action.WRITE, page=True)],
) -> Response:
    exemplar_id = str((await request.form()).get("exemplar_id", ""))
    if exemplar_id not in service.next_steps(library=library, record=record.record):
        return RedirectResponse(f"/records/{record_id}", status_code=303)
    started = service.start(
        session=db,
        library=library,
        actor=record.granted.user,
        case_id=record.case.id,
        exemplar_id=exemplar_id,
    )
    db.commit()
    return RedirectResponse(f"/records/{started.id}", status_code=303)


def _text(form: Any, name: str, most: int) -> str:
    """A posted text, trimmed, without NUL (no database may store it), at most `most` long."""
    values = form.get(name) if isinstance(form, dict) else form.get(name, "")
    value = values[0] if isinstance(values, list) and values else values
    return str(value or "").replace("\x00", "").strip()[:most]


def _amend_page(
    request: Request,
    db: Session,
    library: Library,
    record: RecordContext,
    section_id: str | None,
    *,
    errors: dict[str, str] | None = None,
    posted: forms.Form | None = None,
    adding: str | None = None,
) -> Response:
    section = _section_of(record.exemplar, section_id) if section_id else None
    fields = _fields(db, record, section, errors, posted, adding) if section is not None else []
    context = views.page(library, record) | {
        "section": section,
        "section_title": text_for(section.title, "worker") if section else "",
        "fields": fields,
        "errors": errors or {},
        "error_summary": bool(errors),
        "reason": _text(posted or {}, "reason", 2000),
        "finalised": record.record.status == service.RecordStatus.FINALISED,
    }
    return render(request, "records/amend.html", context, status_code=422 if errors else 200)


def _base_revision(posted: forms.Form) -> int:
    """The revision the page showed; a form that says something else was not made by this page."""
    given = posted.get("base_revision", ["0"])[0] or "0"
    if not given.isdigit() or int(given) > 2_147_483_647:
        raise Invalid(
            "Reload the page: its revision number is not one we gave it.", field="base_revision"
        )
    return int(given)


def _first(posted: forms.Form, name: str) -> str:
    return (posted.get(name) or [""])[0]


def _without_removed_row(posted: forms.Form) -> forms.Form:
    """The posted form without the row whose "Remove" was pressed (`<group>__<row>`)."""
    removing = _first(posted, "remove_row")
    if not removing:
        return posted
    return {key: values for key, values in posted.items() if not key.startswith(f"{removing}__")}


def _rows_url(
    record: RecordContext, section: Section, answers: dict[str, Any], adding: str | None
) -> str:
    """Back to the section; after "Add another", with the new empty row and the focus on it."""
    url = f"/records/{record.record.id}/sections/{section.id}"
    if adding is None:
        return url
    kept = (answers.get(adding) or {}).get("value") or []
    return f"{url}?add={quote(adding)}#{quote(adding)}__{len(kept) + SPARE_ROWS + 1}"


def _section_of(exemplar: Exemplar, section_id: str) -> Section:
    section = exemplar.sections.get(section_id)
    if section is None:
        raise NotFound(f"{exemplar.id} has no section {section_id}.", field="section_id")
    return section


def _multi(form: Any) -> dict[str, list[str]]:
    posted: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            posted.setdefault(key, []).append(value)
    return posted


def _section(
    request: Request,
    db: Session,
    library: Library,
    record: RecordContext,
    section: Section,
    *,
    errors: dict[str, str] | None = None,
    posted: forms.Form | None = None,
    conflict: StaleRevision | None = None,
    status: int = 200,
    adding: str | None = None,
) -> Response:
    exemplar, shown = record.exemplar, record.visibility
    fields = _fields(db, record, section, errors, posted, adding)
    context = views.page(library, record) | {
        "section": section,
        "section_title": text_for(section.title, "worker"),
        "nav": [
            (s.id, text_for(s.title, "worker"), shown.sections[s.id])
            for s in exemplar.definition.sections
        ],
        "fields": fields,
        "errors": errors or {},
        "conflict": _conflict_rows(exemplar, conflict) if conflict else [],
        "saved": request.query_params.get("saved") == "1",
        "error_summary": bool(errors),
        "marked": section.id in (record.record.completed_sections or []),
        "census": _census(record, section),
    }
    return render(request, "records/section.html", context, status_code=status)


def _census(record: RecordContext, section: Section | None = None) -> list[dict[str, str]]:
    """What the CIN census needs from this record and does not have yet (one section's, or the
    whole record's with the section to go to), from the census mapping (app/returns)."""
    problems = census.record_problems(case=record.case, record=record.record)
    fields = {f.id for f in section.fields} if section else None
    return [
        {"text": p.text, "section": record.exemplar.section_of.get(p.field or "", "")}
        for p in problems
        if fields is None or p.field in fields
    ]


def _conflict_rows(exemplar: Exemplar, conflict: StaleRevision) -> list[dict[str, Any]]:
    rows = []
    for c in conflict.conflicts:
        item = exemplar.fields[c.field_id]
        rows.append(
            {
                "label": text_for(item.label, "worker"),
                "theirs": describe(exemplar, item, c.theirs).text,
                "mine": describe(exemplar, item, c.mine).text,
            }
        )
    return rows


def _conflict(
    request: Request,
    db: Session,
    library: Library,
    opened: RecordContext,
    section: Section,
    conflict: StaleRevision,
    posted: forms.Form,
    autosave: bool,
) -> Response:
    """Someone saved the same answers first: show both, keep the worker's typing in the form."""
    record = service.load(session=db, library=library, record_id=opened.record.id)
    record.granted = opened.granted
    page = _section(
        request, db, library, record, section, posted=posted, conflict=conflict, status=409
    )
    if not autosave:
        return page
    templates = request.app.state.templates
    html = templates.get_template("records/_conflict.html").render(
        conflict=_conflict_rows(record.exemplar, conflict)
    )
    return JSONResponse(
        {"revision": record.record.revision, "html": html, "message": conflict.message},
        status_code=409,
    )


def _next_url(record: RecordContext, section: Section, shown: engine.Visibility) -> str:
    order = [s.id for s in record.exemplar.definition.sections]
    later = [s for s in order[order.index(section.id) + 1 :] if shown.sections.get(s, True)]
    record_id = record.record.id
    return f"/records/{record_id}/sections/{later[0]}" if later else f"/records/{record_id}/check"


def _summary(
    request: Request,
    db: Session,
    library: Library,
    record: RecordContext,
    template: str,
    *,
    answers: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    revision: int | None = None,
    submitted: bool = False,
) -> Response:
    answers = record.answers if answers is None else answers
    context = views.page(library, record) | {
        "summary": views.summary(db, record, answers),
        "errors": errors or {},
        "error_summary": bool(errors),
        "section_of": record.exemplar.section_of,
        "revision": revision,
        "revisions": service.revisions(session=db, record_id=record.record.id),
        "submitted": submitted,
    }
    return render(request, template, context, status_code=422 if errors else 200)


def _fields(
    db: Session,
    record: RecordContext,
    section: Section,
    errors: Mapping[str, str] | None,
    posted: Mapping[str, list[str]] | None,
    adding: str | None,
) -> list[forms.FieldView]:
    """A section's questions as the page shows them, with what was posted and what was wrong."""
    return forms.views(
        record.exemplar,
        section,
        answers=record.answers,
        shown=record.visibility.fields,
        people=views.people_around(db, record, section.fields),
        errors=errors,
        posted=posted,
        adding=adding,
        author=views.typing_for(record),
        not_theirs=_not_theirs_here(record, section),
    )


def _not_theirs_here(record: RecordContext, section: Section) -> dict[str, str]:
    """The fields of `section` another role writes (a looked-after review's Part Two)."""
    writer = record.granted.typing_for() or record.granted.user
    return service.others_fields(
        section=section, answers=record.answers, facts=record.facts, writer=writer
    )


# --- Brothers and sisters -----------------------------------------------------------------------


@router.post("/families/{family_id}/records")
async def start_together(
    family_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.WRITE, Target.FAMILY, page=True)],
) -> Response:
    """ "Start for: ☑ Ruby ☑ Jade ☐ Tyler": one record per ticked child, linked as a group.

    Every ticked child's case is checked before anything is made, so a refusal leaves nothing."""
    posted = _multi(await request.form())
    case_ids = _case_ids(posted.get("case_ids", []))
    granted.check_cases(db, case_ids, Action.WRITE)
    made = siblings.start_together(
        session=db,
        library=library,
        actor=granted.user,
        family_id=family_id,
        case_ids=case_ids,
        exemplar_id=_first(posted, "exemplar_id"),
    )
    db.commit()
    return RedirectResponse(f"/records/{made[0].id}", status_code=303)


def _case_ids(given: list[str]) -> list[int]:
    if not all(value.isdigit() and 0 < int(value) <= MAX_ID for value in given):
        raise Invalid("Choose children from the list.", field="case_ids")
    return [int(value) for value in given]


@router.get("/records/{record_id}/from-sibling")
def sibling_offer_page(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, record: Entering
) -> Response:
    """ "Ruby's referral, 3 June 2026 has answers for N questions": keep all, choose, or not."""
    user = record.granted.user
    offer = siblings.sibling_offer(session=db, library=library, user=user, context=record)
    if offer is None:
        return RedirectResponse(f"/records/{record_id}", status_code=303)
    keep_at_end(db, *siblings.offer_reads(user, offer))
    names = views.names_around(db, record)
    rows = [
        (
            o,
            views.in_one_line(
                describe(record.exemplar, record.exemplar.fields[o.field_id], o.value, names=names)
            ),
        )
        for o in offer.answers
    ]
    context = views.page(library, record) | {"offer": offer, "rows": rows}
    return render(request, "records/from_sibling.html", context)


@router.post("/records/{record_id}/from-sibling")
async def keep_from_sibling(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, record: Entering
) -> Response:
    """Keep all of the sibling's shared answers, or the ticked ones, each marked where from."""
    posted = _multi(await request.form())
    source = _first(posted, "source_id")
    if not source.isdigit() or not 0 < int(source) <= MAX_ID:
        raise Invalid("The record to keep answers from is missing.", field="source_id")
    every = _first(posted, "keep") == "all"
    siblings.take_from_sibling(
        session=db,
        library=library,
        actor=record.granted.user,
        context=record,
        source_id=int(source),
        field_ids=None if every else posted.get("fields", []),
        on_behalf_of=record.granted.typing_for(),
    )
    db.commit()
    return RedirectResponse(f"/records/{record_id}", status_code=303)
