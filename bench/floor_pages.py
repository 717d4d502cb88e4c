"""The floor for bench/ui_pages.py: bare Starlette doing the same page and save, nothing else.

No sign-in, CSRF, permission table, audit or security headers: the same child page template and
the same section save through the records service. The app divided by this is the overhead we own.
"""

from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from app.attachments import service as attachments
from app.auth.models import User
from app.cases import service as cases
from app.config import get_settings
from app.db import make_engine, make_session_factory
from app.engine.loader import load_library
from app.meetings import service as meetings
from app.pages import timeline, views
from app.records import chronology, forms
from app.records import service as records
from app.templating import make_templates

settings = get_settings()
factory = make_session_factory(make_engine(settings.database_url))
library = load_library(settings.exemplars_dir)
templates = make_templates()


def child(request: Request) -> Response:
    case_id = int(request.path_params["case_id"])
    with factory() as session:
        view = cases.child_view(session=session, case_id=case_id)
        found = {case_id: records.records_for_case(session=session, case_id=case_id)}
        rows = [{"record": r, "title": r.exemplar_id, "due": None} for r in found[case_id]]
        story = timeline.of_child(  # the same reads as the page's story, through the services
            library=library,
            case_id=case_id,
            found=found,
            meetings=meetings.for_cases(session=session, case_ids=[case_id]),
            dues=[],
            chronology=chronology.of_case(session=session, library=library, case_id=case_id),
        )
        context: dict[str, Any] = {"title": view.child.full_name, "child": view, "records": rows}
        context |= {
            "timeline": story,
            "timeline_kinds": timeline.KINDS,
            "show": "",
            "dues": [],
            "attachments": attachments.for_case(session=session, case_id=case_id),
            "startable": [],
            "can_see_audit": False,
            "user": None,
            "csrf_token": "",
            "cspNonce": "",
            "idle_minutes": 30,
            "code_label": library.code_label,
            "council_name": settings.council_name,
            "council_logo": settings.council_logo,
        }
        html = templates.env.get_template("pages/child.html").render(context)
    return HTMLResponse(html)


def caseload(request: Request) -> Response:
    """The worker's caseload through the same services and template as the page (bench/scale.py)."""
    user_id, today = int(request.path_params["user_id"]), date.today()
    with factory() as session:
        user = session.get_one(User, user_id)
        mine = cases.caseload(session=session, user=user)
        names = {case.case_id: case.child_name for case in mine}
        found = records.records_for_cases(session=session, case_ids=list(names))
        legal = {c.case_id: (c.child_name, c.legal_status) for c in mine}
        dues = views.due_rows(session, library, legal, today, found)
        awaiting, drafts = views.awaiting_and_drafts(library, names, user.id, found)
        context: dict[str, Any] = {
            "title": "My work",
            "active_nav": "caseload",
            "cases": mine,
            "family_count": len({f for case in mine for f in case.family_ids[:1]}),
            "work": views.work_of(session, library, list(names), found),
            "dues": dues,
            "pressing": views.pressing(dues),
            "awaiting": awaiting,
            "drafts": drafts,
            "user": user,
            "csrf_token": "",
            "cspNonce": "",
            "idle_minutes": 30,
            "code_label": library.code_label,
            "council_name": settings.council_name,
            "council_logo": settings.council_logo,
        }
        html = templates.env.get_template("pages/caseload.html").render(context)
    return HTMLResponse(html)


async def save(request: Request) -> Response:
    record_id, section_id = int(request.path_params["record_id"]), request.path_params["section_id"]
    posted: dict[str, list[str]] = {}
    for key, value in (await request.form()).multi_items():
        posted.setdefault(key, []).append(str(value))
    with factory() as session:
        context = records.load(session=session, library=library, record_id=record_id)
        record, exemplar = context.record, context.exemplar
        answers, _ = forms.parse(
            exemplar, exemplar.sections[section_id], posted, current=record.answers
        )
        actor = session.get_one(User, record.author_id)
        result = records.save(
            session=session,
            library=library,
            actor=actor,
            context=context,
            base_revision=record.revision,
            answers=answers,
            section_id=section_id,
        )
        session.commit()
        return JSONResponse({"revision": result.record.revision, "errors": result.errors})


def home(_request: Request) -> Response:
    return JSONResponse({})


app = Starlette(
    routes=[
        Route("/", home),
        Route("/child/{case_id:int}", child),
        Route("/caseload/{user_id:int}", caseload),
        Route("/save/{record_id:int}/{section_id}", save, methods=["POST"]),
    ]
)
