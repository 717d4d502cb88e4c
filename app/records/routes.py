"""Pages for records: the task list, one page per section, check answers, submit, read-only views.

Every form works without JavaScript. The autosave script posts the same section form with
`X-Requested-With: autosave` and gets JSON back instead of a page.
"""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth import access
from app.auth.access import Action
from app.auth.models import User
from app.deps import CsrfChecked, Id, LibraryDep, PageUser, SessionDep
from app.engine import answers as engine
from app.engine.definitions import Section, text_for
from app.engine.display import describe
from app.engine.library import Exemplar, Library
from app.people import service as people
from app.records import forms, service
from app.records.errors import StaleRevision
from app.records.models import Record
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])


@router.post("/children/{case_id}/records")
async def start(
    case_id: Id, request: Request, db: SessionDep, library: LibraryDep, user: PageUser
) -> Response:
    action = access.writing_action(user)  # a typist types for the allocated worker, the author
    typist = action == Action.ON_BEHALF
    case = access.require_case(session=db, user=user, action=action, case_id=case_id)
    author = db.get(User, case.allocated_worker_id) if typist and case.allocated_worker_id else None
    form = await request.form()
    exemplar_id = str(form.get("exemplar_id", ""))
    record = service.start(
        session=db,
        library=library,
        actor=user,
        case_id=case_id,
        exemplar_id=exemplar_id,
        on_behalf_of=author,
    )
    db.commit()
    return RedirectResponse(f"/records/{record.id}", status_code=303)


@router.get("/records/{record_id}")
def task_list(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, user: PageUser
) -> Response:
    record, exemplar, facts = _load(db, library, record_id, user)
    _audit_view(db, user, record, "task_list")
    shown = engine.visibility(exemplar, answers=record.answers, facts=facts)
    sections = [
        {
            "section": s,
            "title": text_for(s.title, "worker"),
            "status": service.section_status(s, record.answers, shown),
        }
        for s in exemplar.definition.sections
    ]
    waiting = service.awaiting_check(record) if record.author_id == user.id else []
    return render(
        request,
        "records/task_list.html",
        _context(db, library, record, exemplar) | {"sections": sections, "waiting": waiting},
    )


@router.get("/records/{record_id}/sections/{section_id}")
def section_page(
    record_id: Id,
    section_id: str,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    user: PageUser,
) -> Response:
    record, exemplar, facts = _load(db, library, record_id, user)
    _audit_view(db, user, record, section_id)
    return _section(
        request, db, library, record, exemplar, _section_of(exemplar, section_id), facts
    )


@router.post("/records/{record_id}/sections/{section_id}")
async def save_section(
    record_id: Id,
    section_id: str,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    user: PageUser,
) -> Response:
    """Save a section: "Save and continue", "Save draft", "keep" a pre-filled value, or autosave."""
    action = access.writing_action(user)
    typist = action == Action.ON_BEHALF
    record, exemplar, _ = _load(db, library, record_id, user, action, with_facts=False)
    author = db.get(User, record.author_id) if typist and record.author_id else None
    section = _section_of(exemplar, section_id)
    posted = _multi(await request.form())
    autosave = request.headers.get("x-requested-with") == "autosave"
    answers, problems = forms.parse(exemplar, section, posted, current=record.answers)
    base = int(posted.get("base_revision", ["0"])[0] or 0)
    try:
        result = service.save(
            session=db,
            library=library,
            actor=user,
            record_id=record.id,
            base_revision=base,
            answers=answers,
            section_id=section.id,
            on_behalf_of=author,
        )
    except StaleRevision as conflict:
        db.rollback()
        return _conflict(request, db, library, record_id, section, conflict, posted, autosave)
    db.commit()
    errors = {**result.errors, **problems}
    if autosave:
        visible = {"fields": result.visible.fields, "sections": result.visible.sections}
        status = 422 if errors else 200
        message = "Not saved: " + "; ".join(errors.values()) if errors else ""
        return JSONResponse(
            {"revision": record.revision, "visible": visible, "errors": errors, "message": message},
            status_code=status,
        )
    if errors:
        facts = service.facts_for(session=db, record=record)  # only the page needs them again
        return _section(
            request, db, library, record, exemplar, section, facts, errors=errors, posted=posted
        )
    if posted.get("action", [""])[0] == "continue":
        return RedirectResponse(
            _next_url(record, exemplar, section, result.visible), status_code=303
        )
    return RedirectResponse(f"/records/{record.id}/sections/{section.id}?saved=1", status_code=303)


@router.get("/records/{record_id}/check")
def check_answers(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, user: PageUser
) -> Response:
    record, exemplar, facts = _load(db, library, record_id, user)
    _audit_view(db, user, record, "check")
    return _summary(request, db, library, record, exemplar, facts, "records/check.html")


@router.post("/records/{record_id}/submit")
def submit(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, user: PageUser
) -> Response:
    record, exemplar, facts = _load(db, library, record_id, user, Action.SUBMIT)
    checked = engine.validate(exemplar, answers=record.answers, facts=facts, mode="submit")
    if checked.errors:
        return _summary(
            request,
            db,
            library,
            record,
            exemplar,
            facts,
            "records/check.html",
            errors=checked.errors,
        )
    service.submit(session=db, library=library, actor=user, record_id=record.id)
    db.commit()
    return RedirectResponse(f"/records/{record.id}/view?submitted=1", status_code=303)


@router.get("/records/{record_id}/view")
def read_only(
    record_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    user: PageUser,
    revision: int | None = None,
) -> Response:
    """The record as it stands (or as it stood at an earlier revision), read-only."""
    record, exemplar, facts = _load(db, library, record_id, user)
    answers = record.answers
    if revision is not None:
        found = next(
            (r for r in service.revisions(session=db, record_id=record.id) if r.number == revision),
            None,
        )
        answers = found.answers if found else answers
    _audit_view(db, user, record, f"view r{revision or record.revision}")
    return _summary(
        request,
        db,
        library,
        record,
        exemplar,
        facts,
        "records/view.html",
        answers=answers,
        revision=revision,
    )


@router.post("/records/{record_id}/confirm")
def confirm(record_id: Id, db: SessionDep, library: LibraryDep, user: PageUser) -> Response:
    """The author has read what was typed for them and confirms it."""
    _load(db, library, record_id, user, Action.CONFIRM, with_facts=False)
    service.confirm(session=db, actor=user, record_id=record_id)
    db.commit()
    return RedirectResponse(f"/records/{record_id}", status_code=303)


@router.get("/sign-off")
def sign_off(request: Request, db: SessionDep, library: LibraryDep, user: PageUser) -> Response:
    """The manager's queue: each submitted record in one line, approve or return in one click."""
    access.require(session=db, user=user, action=Action.APPROVE, case=None)
    rows = []
    for record in service.sign_off_queue(session=db, team_id=user.team_id):
        exemplar = service.definition_of(library=library, record=record)
        child = people.get_case(session=db, case_id=record.case_id).child.full_name
        rows.append({"record": record, "title": service.title_of(exemplar), "child": child})
    context = {"title": "Records to sign off", "rows": rows, "active_nav": "sign-off"}
    return render(request, "records/sign_off.html", context)


@router.post("/records/{record_id}/approve")
def approve(record_id: Id, db: SessionDep, library: LibraryDep, user: PageUser) -> Response:
    _load(db, library, record_id, user, Action.APPROVE, with_facts=False)
    service.finalise(session=db, actor=user, record_id=record_id)
    db.commit()
    return RedirectResponse("/sign-off", status_code=303)


@router.post("/records/{record_id}/return")
async def send_back(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, user: PageUser
) -> Response:
    _load(db, library, record_id, user, Action.APPROVE, with_facts=False)
    comment = str((await request.form()).get("comment", "")).strip() or "Returned for changes."
    service.return_record(session=db, actor=user, record_id=record_id, comment=comment)
    db.commit()
    return RedirectResponse("/sign-off", status_code=303)


@router.post("/records/{record_id}/next")
async def start_next(
    record_id: Id, request: Request, db: SessionDep, library: LibraryDep, user: PageUser
) -> Response:
    record, _, _ = _load(db, library, record_id, user, Action.WRITE)
    exemplar_id = str((await request.form()).get("exemplar_id", ""))
    if exemplar_id not in service.next_steps(library=library, record=record):
        return RedirectResponse(f"/records/{record.id}", status_code=303)
    started = service.start(
        session=db, library=library, actor=user, case_id=record.case_id, exemplar_id=exemplar_id
    )
    db.commit()
    return RedirectResponse(f"/records/{started.id}", status_code=303)


def _load(
    db: Session,
    library: Library,
    record_id: Id,
    user: User | None = None,
    action: Action = Action.VIEW,
    *,
    with_facts: bool = True,
) -> tuple[Record, Exemplar, dict[str, Any]]:
    record = service.get(session=db, record_id=record_id)
    if user is not None:
        access.require_case(session=db, user=user, action=action, case_id=record.case_id)
    facts = service.facts_for(session=db, record=record) if with_facts else {}
    return record, service.definition_of(library=library, record=record), facts


def _audit_view(db: Session, user: User, record: Record, what: str) -> None:
    audit.record(
        session=db,
        actor=user,
        action="record.view",
        target_type="record",
        target_id=record.id,
        case_id=record.case_id,
        detail={"page": what},
    )
    db.commit()


def _section_of(exemplar: Exemplar, section_id: str) -> Section:
    section = exemplar.sections.get(section_id)
    if section is None:
        from app.errors import NotFound

        raise NotFound(f"{exemplar.id} has no section {section_id}.", field="section_id")
    return section


def _multi(form: Any) -> dict[str, list[str]]:
    posted: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            posted.setdefault(key, []).append(value)
    return posted


def _people(db: Session, record: Record) -> list[tuple[int, str]]:
    view = people.child_view(session=db, case_id=record.case_id)
    found = [(view.child.id, view.child.full_name)]
    found += [
        (p.person.id, f"{p.person.full_name} ({p.relationship_to_child})") for p in view.people
    ]
    found += [
        (i.professional.id, i.professional.organisation or i.professional.name)
        for i in view.professionals
    ]
    return found


def _context(db: Session, library: Library, record: Record, exemplar: Exemplar) -> dict[str, Any]:
    view = people.child_view(session=db, case_id=record.case_id)
    due = service.due_date(library=library, record=record)
    return {
        "title": service.title_of(exemplar),
        "record": record,
        "exemplar": exemplar,
        "child": view,
        "due": due,
        "editable": record.status in service.EDITABLE,
        "next_steps": [
            (e, service.title_of(library.latest(e)))
            for e in service.next_steps(library=library, record=record)
        ],
    }


def _section(
    request: Request,
    db: Session,
    library: Library,
    record: Record,
    exemplar: Exemplar,
    section: Section,
    facts: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    posted: forms.Form | None = None,
    conflict: StaleRevision | None = None,
    status: int = 200,
) -> Response:
    shown = engine.visibility(exemplar, answers=record.answers, facts=facts)
    fields = forms.views(
        exemplar,
        section,
        answers=record.answers,
        shown=shown.fields,
        people=_people(db, record),
        errors=errors,
        posted=posted,
    )
    context = _context(db, library, record, exemplar) | {
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
    }
    return render(request, "records/section.html", context, status_code=status)


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
    record_id: Id,
    section: Section,
    conflict: StaleRevision,
    posted: forms.Form,
    autosave: bool,
) -> Response:
    """Someone saved the same answers first: show both, keep the worker's typing in the form."""
    record, exemplar, facts = _load(db, library, record_id)
    page = _section(
        request,
        db,
        library,
        record,
        exemplar,
        section,
        facts,
        posted=posted,
        conflict=conflict,
        status=409,
    )
    if not autosave:
        return page
    templates = request.app.state.templates
    html = templates.get_template("records/_conflict.html").render(
        conflict=_conflict_rows(exemplar, conflict)
    )
    return JSONResponse(
        {"revision": record.revision, "html": html, "message": conflict.message}, status_code=409
    )


def _next_url(
    record: Record, exemplar: Exemplar, section: Section, shown: engine.Visibility
) -> str:
    order = [s.id for s in exemplar.definition.sections]
    later = [s for s in order[order.index(section.id) + 1 :] if shown.sections.get(s, True)]
    return f"/records/{record.id}/sections/{later[0]}" if later else f"/records/{record.id}/check"


def _summary(
    request: Request,
    db: Session,
    library: Library,
    record: Record,
    exemplar: Exemplar,
    facts: dict[str, Any],
    template: str,
    *,
    answers: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    revision: int | None = None,
) -> Response:
    answers = record.answers if answers is None else answers
    shown = engine.visibility(exemplar, answers=answers, facts=facts)
    names = dict(_people(db, record))
    sections = [
        {
            "section": s,
            "title": text_for(s.title, "worker"),
            "answers": [
                (f, describe(exemplar, f, answers.get(f.id), names=names))
                for f in s.fields
                if shown.fields.get(f.id)
            ],
        }
        for s in exemplar.definition.sections
        if shown.sections.get(s.id)
    ]
    context = _context(db, library, record, exemplar) | {
        "summary": sections,
        "errors": errors or {},
        "error_summary": bool(errors),
        "section_of": exemplar.section_of,
        "revision": revision,
        "revisions": service.revisions(session=db, record_id=record.id),
    }
    return render(request, template, context, status_code=422 if errors else 200)
