"""Recording a looked-after child's care events: each checked against the whole history (which
must still read as episodes), appended, audited, and the case's legal status kept in step.

The unique pupil number a `start` event is given is the child's: it is written on their person
record (with its before and after on the child's trail), never kept on the event, so the CIN
census and the SSDA903 read the one UPN and cannot disagree."""

import re
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.cases.episodes import care_rules, counted, events_of, fold
from app.cases.models import CareEvent, Case
from app.cases.schemas import CareEventIn
from app.cases.service import get_case, set_legal_status
from app.engine.library import Library
from app.errors import Invalid
from app.people import identifiers
from app.people import service as people
from app.people.schemas import PersonPatch

if TYPE_CHECKING:
    from app.people.models import Person

# What each kind of event must carry, and may carry besides.
NEEDS: dict[str, tuple[str, ...]] = {
    "start": ("legal_status", "category_of_need", "placement_type", "provider"),
    "legal_status": ("legal_status",),
    "placement": ("placement_type", "provider", "reason_place_change"),
    "ceased": ("reason_ceased",),
}
MAY: dict[str, tuple[str, ...]] = {
    "start": ("carer_id", "postcode", "urn", "home_postcode", "upn"),
    "legal_status": (),
    "placement": ("carer_id", "postcode", "urn"),
    "ceased": (),
}
CODELISTS = {
    "legal_status": "lac_legal_status",
    "category_of_need": "cin_primary_need",
    "placement_type": "placement_type",
    "provider": "placement_provider",
    "reason_place_change": "reason_place_change",
    "reason_ceased": "reason_episode_ceased",
}
WORDS = {
    "legal_status": "a legal status",
    "category_of_need": "the category of need",
    "placement_type": "a placement type",
    "provider": "a placement provider",
    "reason_place_change": "the reason for the move",
    "reason_ceased": "the reason care ended",
    "carer_id": "a carer",
    "postcode": "a placement postcode",
    "urn": "the provider's Ofsted URN",
    "home_postcode": "the postcode of the child's home",
    "upn": "the child's unique pupil number",
}


def record_event(
    *,
    session: Session,
    actor: User,
    library: Library,
    case_id: int,
    data: CareEventIn,
    today: date,
) -> CareEvent:
    """Add one care event (or a correction of one): the whole history must still read, and the
    case's legal status follows it."""
    case = get_case(session=session, case_id=case_id)
    _check_fields(library, data)
    if data.on > today:
        raise Invalid("The date cannot be in the future.", field="on")
    if data.carer_id is not None:
        _check_carer(session, case, data.carer_id)
    upn = _upn_patch(case.child, data.upn) if data.upn else None
    every = events_of(session=session, case_ids=[case_id])[case_id]
    live = counted(every)
    if data.corrects_id is not None:
        _check_correction(every, live, data)
    elif live and data.on < live[-1].on:
        last = f"{live[-1].on:%-d %B %Y}"
        raise Invalid(f"The date must be on or after {last}, the last event recorded.", field="on")
    fields = data.model_dump(exclude={"upn"})  # the person's, below: one UPN, never a copy
    event = CareEvent(case_id=case_id, recorded_by_id=actor.id, **fields)
    story = fold(counted([*every, event]))  # refused here, before anything is written
    session.add(event)
    session.flush()
    if upn is not None:
        people.update_person(
            session=session, actor=actor, person_id=case.child_id, data=upn, case_ids=[case_id]
        )
    rules = care_rules()
    status = rules.case_legal_status[story.current.legal_status] if story.current else None
    set_legal_status(
        session=session, actor=actor, case_id=case_id, legal_status=status or rules.after_care
    )
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.CARE_EVENT,
        target_type="care_event",
        target_id=event.id,
        case_id=case_id,
        detail={"kind": event.kind, "corrects": data.corrects_id},
    )
    return event


def _check_fields(library: Library, data: CareEventIn) -> None:
    """Each kind carries what it needs and nothing else; every code is one of its list."""
    given = {name for name in WORDS if getattr(data, name) not in (None, "")}
    for name in NEEDS[data.kind]:
        if name not in given:
            raise Invalid(f"Choose {WORDS[name]}.", field=name)
    for name in sorted(given - set(NEEDS[data.kind]) - set(MAY[data.kind])):
        raise Invalid(f"Leave out {WORDS[name]}: this kind of event does not carry it.", field=name)
    for name, (pattern, example) in FORMATS.items():
        text = getattr(data, name)
        if text and not re.fullmatch(pattern, text):
            raise Invalid(f"Enter {WORDS[name]} like {example}.", field=name)
    for name, listed in CODELISTS.items():
        code = getattr(data, name)
        codelist = library.codelists.get(listed)
        codes = [o.code for o in codelist.options] if codelist else []
        if code is not None and code not in codes:
            raise Invalid(f"Choose {WORDS[name]} from the list.", field=name)


# The shapes the SSDA903 return accepts: a full UK postcode; an Ofsted URN (SC and 6 digits, or 6
# or 7 digits); a unique pupil number (a letter, 11 digits, a digit or letter) or UN1-UN5 when it
# is not known.
POSTCODE = (r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}", "TW1 3AA")
FORMATS = {
    "postcode": POSTCODE,
    "home_postcode": POSTCODE,
    "urn": (r"SC[0-9]{6}|[0-9]{6,7}", "SC123456"),
    "upn": (r"[A-Z][0-9]{11}[0-9A-Z]|UN[1-5]", "A123456789012, or UN1 to UN5"),
}


def _upn_patch(child: "Person", given: str) -> PersonPatch | None:
    """What the care form's UPN changes on the child's details (None: they hold it already).
    A reason it is not known never replaces a UPN the child's details hold."""
    if given in identifiers.UPN_UNKNOWN_903:
        if child.upn:
            raise Invalid(
                f"The child's details hold the UPN {child.upn}: leave this blank, or change it"
                " on their details.",
                field="upn",
            )
        same = child.upn_unknown_reason == given
        return None if same else PersonPatch.model_validate({"upn_unknown_reason": given})
    try:
        number = identifiers.pupil_number(given)
    except ValueError as wrong:
        raise Invalid(f"{wrong}.", field="upn") from None
    return None if child.upn == number else PersonPatch(upn=number, upn_unknown_reason=None)


def _check_carer(session: Session, case: Case, carer_id: int) -> None:
    network = people.network_of(session=session, person_ids=[case.child_id])
    if carer_id == case.child_id or carer_id not in network:
        raise Invalid(
            "Choose the carer from the people around the child (add them there first).",
            field="carer_id",
        )


def _check_correction(every: list[CareEvent], live: list[CareEvent], data: CareEventIn) -> None:
    target = next((e for e in every if e.id == data.corrects_id), None)
    if target is None:
        raise Invalid("There is no such event on this child's record.", field="corrects_id")
    if target not in live:
        raise Invalid(
            "This event was corrected already: correct the newer one.", field="corrects_id"
        )
    if target.kind != data.kind:
        raise Invalid("A correction is of the same kind as the event it corrects.", field="kind")
    if not data.note:
        raise Invalid("Say why the event is corrected.", field="note")
