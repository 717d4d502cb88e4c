"""Pages that join domains: the caseload, the child, a family, a person, search, who has seen a
record, and the manager's sign-off queue. Each route declares what it needs; views come from
app/pages/views.py."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from app.access import Granted, PageSignedIn, Target, allow, on_record
from app.attachments import routes as attachments
from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth import service as auth
from app.cases import episodes
from app.cases import search as finding
from app.cases import service as cases
from app.cases.policy import Action, allowed, visible_cases
from app.deps import MAX_ID, CsrfChecked, Id, LibraryDep, ReplicaDep, SessionDep, keep_at_end
from app.meetings import service as meetings
from app.pages import timeline, views
from app.people import service as people
from app.printing import replies
from app.records import chronology, siblings
from app.records import service as records
from app.records.context import RecordContext
from app.returns import cin as census
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])


@router.get("/caseload")
def caseload(request: Request, db: SessionDep, library: LibraryDep, user: PageSignedIn) -> Response:
    """My work: what is overdue and due, what came back, what was typed for me to check, my
    drafts, and my children with what is due next for each."""
    mine = cases.caseload(session=db, user=user)
    families = {family_id for case in mine for family_id in case.family_ids[:1]}
    names = {case.case_id: case.child_name for case in mine}
    found = records.records_for_cases(session=db, case_ids=list(names))
    legal = {c.case_id: (c.child_name, c.legal_status) for c in mine}
    dues = views.due_rows(db, library, legal, date.today(), found)
    awaiting, drafts = views.awaiting_and_drafts(library, names, user.id, found)
    context = {
        "title": "My work",
        "active_nav": "caseload",
        "cases": mine,
        "family_count": len(families),
        "work": views.work_of(db, library, list(names), found),
        "dues": dues,
        "pressing": views.pressing(dues),
        "awaiting": awaiting,
        "drafts": drafts,
        "family_replies": replies.to_notice(
            replies.for_cases(session=db, case_ids=list(names)), today=date.today()
        ),
        "reply_children": names,
    }
    return render(request, "pages/caseload.html", context)


@router.get("/team")
def team(
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.ALLOCATE, Target.NO_CASE, page=True)],
) -> Response:
    """The manager's team: every open case with its worker and what is due, what waits for
    sign-off and how long, what was returned, who has no worker, and each worker's caseload."""
    team_id, today = granted.user.team_id, date.today()
    shown = cases.team_cases(session=db, team_id=team_id, visible=visible_cases(granted.user))
    names = {c.id: c.child.full_name for c in shown}
    found = records.records_for_cases(session=db, case_ids=list(names))
    legal = {c.id: (names[c.id], c.legal_status) for c in shown}
    dues = views.due_rows(db, library, legal, today, found)
    queue = records.sign_off_queue(session=db, team_id=team_id)
    workers = cases.allocatable(session=db, team_id=team_id)
    context = {
        "title": "Your team",
        "active_nav": "team",
        "cases": shown,
        "dues": dues,
        "pressing": views.pressing(dues),
        "signoff": views.signoff_ages(queue, names, today),
        "work": views.work_of(db, library, list(names), found),
        "workers": workers,
        "counts": {w.id: sum(c.allocated_worker_id == w.id for c in shown) for w in workers},
        "unallocated": [c for c in shown if c.allocated_worker_id is None],
        "family_replies": replies.to_notice(
            replies.for_cases(session=db, case_ids=list(names)), today=today
        ),
        "reply_children": names,
    }
    return render(request, "pages/team.html", context)


@router.post("/children/{case_id}/allocate")
def allocate(
    case_id: Id,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.ALLOCATE, Target.CASE, page=True)],
    worker_id: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Allocate or reallocate a child in one action, from the team view."""
    cases.allocate(session=db, actor=granted.user, case_id=case_id, worker_id=worker_id)
    db.commit()
    return RedirectResponse(f"/team#case-{case_id}", status_code=303)


@router.get("/children/{case_id}")
def child_page(
    case_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.VIEW, Target.CASE, page=True)],
    show: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The child: identity, the people around them, records, what is next, and their story
    (the timeline, filtered to one kind with `show`)."""
    care = episodes.events_of(session=db, case_ids=[case_id])  # the care box and the due dates
    view = cases.child_view(session=db, case_id=case_id, care=care[case_id])
    found = {case_id: records.records_for_case(session=db, case_id=case_id)}
    rows = [views.record_row(library, r) for r in found[case_id]]
    legal = {case_id: (view.child.full_name, granted.case.legal_status)}
    dues = views.due_rows(db, library, legal, date.today(), found, care)[case_id]
    story = timeline.of_child(
        library=library,
        case_id=case_id,
        found=found,
        meetings=meetings.for_cases(session=db, case_ids=[case_id]),
        dues=dues,
        chronology=chronology.of_case(session=db, library=library, case_id=case_id),
        show=show,
    )
    context = {
        "title": view.child.full_name,
        "child": view,
        "dues": dues,
        "timeline": story,
        "timeline_kinds": timeline.KINDS,
        "show": show,
        "records": rows,
        "census": _census(granted, found),
        "startable": [(e.id, records.title_of(e)) for e in library.current()],
        "can_see_audit": allowed(user=granted.user, action=Action.SEE_AUDIT, case=granted.case),
        "can_arrange": allowed(user=granted.user, action=Action.MEETINGS, case=granted.case),
        "family_replies": replies.for_cases(session=db, case_ids=[case_id]),
        "start_together": siblings.home_choices(
            session=db,
            library=library,
            user=granted.user,
            case=granted.case,
            families=view.families,
        ),
    } | attachments.on_child_page(db, granted, request)
    return render(request, "pages/child.html", context)


def _census(granted: Granted, found: views.Found) -> list[dict[str, str]]:
    """What the CIN census needs from the child's records (those the page has read), each linked
    to the record (or to the child's details) where it is given."""
    details = f"/people/{granted.case.child_id}/edit"  # identity items: the child's details
    return [
        {"text": p.text, "href": f"/records/{p.record_id}" if p.record_id else details}
        for p in census.child_return(granted.case, found[granted.case.id]).problems
    ]


@router.get("/children/{case_id}/chronology")
def chronology_page(
    case_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.VIEW, Target.CASE, page=True)],
    kind: str = "",
    significance: str = "",
    print_view: Annotated[bool, Query(alias="print")] = False,
) -> Response:
    """The child's chronology from their finalised records, filtered by kind and significance."""
    entries = chronology.of_case(session=db, library=library, case_id=case_id)
    shown = views.filtered(entries, kind=kind, significance=significance)
    context = {
        "title": f"Chronology for {granted.case.child.full_name}",
        "case": granted.case,
        "entries": shown,
        "total": len(entries),
        "kinds": views.KINDS,
        "significances": views.SIGNIFICANCES,
        "kind": kind,
        "significance": significance,
        "print_view": print_view,
        "can_mark": allowed(user=granted.user, action=Action.WRITE, case=granted.case),
    }
    return render(request, "pages/chronology.html", context)


@router.post("/records/{record_id}/significance")
def mark_significance(
    record_id: Id,
    db: SessionDep,
    record: Annotated[RecordContext, on_record(Action.WRITE, page=True)],
    version: Annotated[int, Form(ge=1, le=10_000)],
    significance: Annotated[str, Form(max_length=20)],
) -> Response:
    """The worker's significance for one chronology entry; the earlier marks stay as history."""
    chronology.mark(
        session=db,
        actor=record.granted.user,
        record_id=record_id,
        version=version,
        significance=significance,
    )
    db.commit()
    where = f"/children/{record.record.case_id}/chronology#record-{record_id}"
    return RedirectResponse(where, status_code=303)


@router.get("/search")
def search(
    request: Request, db: SessionDep, replica: ReplicaDep, user: PageSignedIn, q: str = ""
) -> Response:
    """One box: a name (misspellings allowed), a date of birth or a case number. Read from the
    replica when there is one; the search's audit event is kept on the primary."""
    q = q.replace("\x00", "")[:200]  # what is searched is kept in the trail, so it must store
    visible = visible_cases(user)
    found = finding.search(session=replica, text=q, visible=visible) if q.strip() else []
    searched = audit.event(
        actor=user,
        action=AuditAction.SEARCH,
        target_type="search",
        detail={"query": q.strip(), "results": len(found)},
    )
    keep_at_end(db, searched)
    context = {"title": "Find a child or person", "q": q, "results": found, "active_nav": "search"}
    return render(request, "pages/search.html", context)


@router.get("/children/{case_id}/audit")
def who_has_seen(
    case_id: Id,
    request: Request,
    db: SessionDep,
    granted: Annotated[
        Granted, allow(Action.SEE_AUDIT, Target.CASE, page=True, event=AuditAction.AUDIT_VIEW)
    ],
) -> Response:
    """Who has looked at, printed or changed this child's record, and who was refused."""
    events = audit.for_case(session=db, case_id=case_id)
    context = {
        "title": f"Who has seen {granted.case.child.full_name}'s record",
        "events": events,
        "names": auth.names_of(session=db, user_ids={e.actor_id for e in events}),
        "case": granted.case,
    }
    return render(request, "pages/audit.html", context)


@router.get("/families/{family_id}")
def family_page(
    family_id: Id,
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.VIEW, Target.FAMILY, page=True)],
) -> Response:
    """A household: every child and adult in it, each with their pen-picture, written once."""
    family = people.get_family(session=db, family_id=family_id)
    members = people.member_ids(family)
    context = {
        "title": family.name,
        "family": family,
        "pictures": people.current_pen_pictures(session=db, person_ids=members),
        "cases": {c.child_id: c for c in cases.cases_of_children(session=db, child_ids=members)},
        "start_together": siblings.start_choices(
            session=db, library=library, user=granted.user, family_id=family_id
        ),
    }
    return render(request, "pages/family.html", context)


@router.get("/people/{person_id}")
def person_page(
    person_id: Id,
    request: Request,
    db: SessionDep,
    granted: Annotated[Granted, allow(Action.VIEW, Target.PERSON, page=True)],
) -> Response:
    """One person and the history of their pen-picture: who wrote what, when."""
    history = people.pen_picture_history(session=db, person_id=person_id)
    context = {
        "title": people.get_person(session=db, person_id=person_id).full_name,
        "person": people.get_person(session=db, person_id=person_id),
        "history": history,
        "names": auth.names_of(session=db, user_ids={h.author_id for h in history}),
        "families": people.families_of(session=db, person_id=person_id),
    }
    return render(request, "pages/person.html", context)


@router.get("/sign-off")
def sign_off(
    request: Request,
    db: SessionDep,
    library: LibraryDep,
    granted: Annotated[Granted, allow(Action.APPROVE, Target.NO_CASE, page=True)],
) -> Response:
    """The manager's queue: each submitted record in one line, approve or return in one click."""
    queue = records.sign_off_queue(session=db, team_id=granted.user.team_id)
    children = {
        c.id: c.child.full_name
        for c in cases.get_cases(session=db, case_ids=[r.case_id for r in queue])
    }
    rows = [
        {"record": r, "title": views.record_row(library, r).title, "child": children[r.case_id]}
        for r in queue
    ]
    context = {"title": "Records to sign off", "rows": rows, "active_nav": "sign-off"}
    return render(request, "pages/sign_off.html", context)
