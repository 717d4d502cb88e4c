"""Pages for a looked-after child's history: what happened (every event, corrections beside what
they correct), the SSDA903 episodes, and one form per kind of event. Every form works without
JavaScript and calls the same service as the JSON API (app/cases/api.py); a refused form is shown
again with what was typed and the problem by field, and nothing is written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from app.access import Granted, Target, allow
from app.cases import care, episodes
from app.cases import service as cases
from app.cases.models import CareEvent
from app.cases.policy import Action, allowed
from app.cases.schemas import CareEventIn
from app.deps import MAX_ID, CsrfChecked, Id, LibraryDep, SessionDep
from app.engine.library import Library
from app.errors import DomainError
from app.people import identifiers
from app.people.forms import Form, date_parts, optional, parsed, posted_date
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
Viewing = Annotated[Granted, allow(Action.VIEW, Target.CASE, page=True)]
# The same action as the API route that does the same write.
LookingAfter = Annotated[Granted, allow(Action.LOOKED_AFTER, Target.CASE, page=True)]


@dataclass(frozen=True)
class EventForm:
    slug: str
    kind: str
    what: str  # the event, as a heading names it: "a change of legal status"
    fields: tuple[str, ...]  # besides the date and the note
    button: str

    @property
    def title(self) -> str:
        return f"Record {self.what}"


FORMS = (
    EventForm(
        "start",
        "start",
        "becoming looked after",
        (
            "legal_status",
            "category_of_need",
            "placement_type",
            "provider",
            "carer_id",
            "postcode",
            "urn",
            "home_postcode",
            "upn",
        ),
        "Record becoming looked after",
    ),
    EventForm(
        "legal-status",
        "legal_status",
        "a change of legal status",
        ("legal_status",),
        "Record the legal status",
    ),
    EventForm(
        "move",
        "placement",
        "a move to a new placement",
        ("placement_type", "provider", "carer_id", "postcode", "urn", "reason_place_change"),
        "Record the move",
    ),
    EventForm("end", "ceased", "the end of care", ("reason_ceased",), "Record the end of care"),
)
LABELS = {
    "on": "Date",
    "legal_status": "Legal status",
    "category_of_need": "Category of need (why the child became looked after)",
    "placement_type": "Placement type",
    "provider": "Placement provider",
    "carer_id": "Carer",
    "postcode": "Placement postcode (optional)",
    "urn": "Provider's Ofsted URN (optional)",
    "home_postcode": "Postcode of the home the child came from (optional)",
    "upn": "Unique pupil number (optional)",
    "reason_place_change": "Reason for the move",
    "reason_ceased": "Reason care ended",
    "note": "Note",
}


@router.get("/children/{case_id}/looked-after")
def history(case_id: Id, request: Request, db: SessionDep, granted: Viewing) -> Response:
    """Becoming looked after, each legal status and placement, the end of care: as it happened
    (corrections beside what they correct) and as the SSDA903 episodes count it."""
    events = episodes.events_of(session=db, case_ids=[case_id])[case_id]
    story = episodes.story_of(events)
    context = {
        "title": f"{granted.case.child.full_name}: looked after",
        "child": cases.child_view(session=db, case_id=case_id),
        "story": story,
        "events": list(reversed(events)),
        "corrected_by": {e.corrects_id: e for e in events if e.corrects_id is not None},
        "forms": {form.kind: form for form in FORMS},
        "can_write": allowed(user=granted.user, action=Action.LOOKED_AFTER, case=granted.case),
    }
    return render(request, "looked_after/history.html", context)


def _form_page(
    request: Request,
    db: SessionDep,
    library: Library,
    granted: Granted,
    form: EventForm,
    values: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    correcting = bool(values.get("corrects_id"))
    context = {
        "title": f"Correct: {form.what}" if correcting else form.title,
        "child": cases.child_view(session=db, case_id=granted.case.id),
        "case": granted.case,
        "form": form,
        "choices": _choices(library, _carers(db, granted)),
        "labels": LABELS,
        "values": values,
        "errors": errors,
        "correcting": correcting,
    }
    return render(request, "looked_after/event.html", context, status_code=400 if errors else 200)


def _carers(db: SessionDep, granted: Granted) -> list[tuple[str, str]]:
    """The people around the child, as a carer is chosen: added there first, with their address."""
    child_id = granted.case.child_id
    return [
        (str(someone.key[1]), someone.label)
        for someone in cases.network(session=db, case=granted.case)
        if someone.key[0] == "person" and someone.key[1] != child_id
    ]


def _choices(library: Library, carers: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    found = {"carer_id": carers}
    for name, listed in care.CODELISTS.items():
        codelist = library.codelists.get(listed)
        options = codelist.options if codelist else []
        found[name] = [(o.code, library.code_label(listed, o.code)) for o in options]
    return found


def _values_of(event: CareEvent | None, form: EventForm) -> dict[str, Any]:
    """A form filled from the event being corrected."""
    if event is None or event.kind != form.kind:
        return {}
    values: dict[str, Any] = {name: getattr(event, name) for name in form.fields}
    values["carer_id"] = str(event.carer_id) if event.carer_id else None
    on = event.on
    return values | {
        "on": {"day": on.day, "month": on.month, "year": on.year},
        "corrects_id": event.id,
    }


def _posted(posted: Form, form: EventForm) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {name: optional(posted, name) for name in (*form.fields, "note")}
    values["corrects_id"] = optional(posted, "corrects_id")
    on = posted_date(posted, "on", errors)
    if on is None and "on" not in errors:
        errors["on"] = "Enter the date"
    return values | {"kind": form.kind, "on": on}, errors


def _show(form: EventForm) -> Callable[..., Response]:
    def show(
        case_id: Id,
        request: Request,
        db: SessionDep,
        library: LibraryDep,
        granted: LookingAfter,
        corrects: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    ) -> Response:
        events = episodes.events_of(session=db, case_ids=[case_id])[case_id]
        event = next((e for e in events if e.id == corrects), None)
        values = _values_of(event, form)
        if "upn" in form.fields:  # the child's one UPN, from their details: the form may change it
            child, why = granted.case.child, granted.case.child.upn_unknown_reason
            known = why if why in identifiers.UPN_UNKNOWN_903 else None  # UN6, UN7: census only
            values["upn"] = values.get("upn") or child.upn or known
        return _form_page(request, db, library, granted, form, values, {})

    show.__doc__ = f"{form.title}: the form."
    return show


def _take(form: EventForm) -> Callable[..., Any]:
    async def take(
        case_id: Id, request: Request, db: SessionDep, library: LibraryDep, granted: LookingAfter
    ) -> Response:
        posted = await request.form()
        values, errors = _posted(posted, form)
        data = None if errors else parsed(CareEventIn, values, errors)
        if data is not None:
            try:
                care.record_event(
                    session=db,
                    actor=granted.user,
                    library=library,
                    case_id=case_id,
                    data=data,
                    today=date.today(),
                )
            except DomainError as refused:
                errors[refused.field or "on"] = refused.message
        if errors:
            shown = values | {"on": date_parts(posted, "on")}
            return _form_page(request, db, library, granted, form, shown, errors)
        db.commit()
        return RedirectResponse(f"/children/{case_id}/looked-after", status_code=303)

    take.__doc__ = f"{form.title}: appended, never changing what was recorded before."
    return take


for _form in FORMS:
    _path = f"/children/{{case_id}}/looked-after/{_form.slug}"
    router.add_api_route(_path, _show(_form), methods=["GET"], name=f"care_{_form.kind}_form")
    router.add_api_route(_path, _take(_form), methods=["POST"], name=f"care_{_form.kind}")
