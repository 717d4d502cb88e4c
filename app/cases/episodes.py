"""A looked-after child's care events, and the SSDA903 episodes worked out from them.

Events are appended, never changed: becoming looked after (with the first placement), a legal
status, a placement or move, the end of care. A correction is a new event naming the one it
corrects; the corrected one is kept and no longer counted. Episodes (a stretch with one legal
status and one placement, as the SSDA903 return counts them) are derived by folding the events in
date order, so the reason for each new episode (RNE) is worked out, never typed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import groupby
from pathlib import Path

from pydantic import model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth.models import User
from app.cases.models import CareEvent, Case
from app.cases.schemas import CareEventIn, CareEventOut, EpisodeOut, LookedAfterOut
from app.cases.service import get_case, set_legal_status
from app.engine import yamlfile
from app.engine.definitions import DueRule, Strict
from app.engine.library import Library
from app.engine.yamlfile import ExemplarErrors
from app.errors import Invalid
from app.people import service as people
from app.timescales.calendar import add_months

RULES_FILE = Path(__file__).with_name("looked_after.yaml")
CLOCK_STARTS = ("became_looked_after", "placement_started")

# What each kind of event must carry, and may carry besides.
NEEDS: dict[str, tuple[str, ...]] = {
    "start": ("legal_status", "placement_type", "provider"),
    "legal_status": ("legal_status",),
    "placement": ("placement_type", "provider"),
    "ceased": ("reason_ceased",),
}
MAY: dict[str, tuple[str, ...]] = {
    "start": ("carer_id", "postcode"),
    "legal_status": (),
    "placement": ("carer_id", "postcode", "reason_place_change"),
    "ceased": (),
}
CODELISTS = {
    "legal_status": "lac_legal_status",
    "placement_type": "placement_type",
    "provider": "placement_provider",
    "reason_place_change": "reason_place_change",
    "reason_ceased": "reason_episode_ceased",
}
WORDS = {
    "legal_status": "a legal status",
    "placement_type": "a placement type",
    "provider": "a placement provider",
    "reason_place_change": "the reason for the move",
    "reason_ceased": "the reason care ended",
    "carer_id": "a carer",
    "postcode": "a placement postcode",
}


class CareRules(Strict):
    """app/cases/looked_after.yaml: what care events mean to the case and to what falls due."""

    case_legal_status: dict[str, str]
    after_care: str
    long_term_placements: list[str]
    due: list[DueRule]

    @model_validator(mode="after")
    def _known_clocks(self) -> "CareRules":
        for rule in self.due:
            if rule.clock_start not in CLOCK_STARTS:
                raise ValueError(f"clock_start is one of {', '.join(CLOCK_STARTS)}")
        return self


@cache
def care_rules() -> CareRules:
    """The rules file, read once; a mistake in it is refused with its file:line."""
    document = yamlfile.read(RULES_FILE, yamlfile.display(RULES_FILE))
    found, problems = yamlfile.validate(document, CareRules, yamlfile.plain(document.data))
    if found is None:
        raise ExemplarErrors(problems)
    return found


@dataclass(frozen=True)
class Placement:
    type: str
    provider: str
    carer_id: int | None
    postcode: str | None


@dataclass(frozen=True)
class Episode:
    start: date
    end: date | None
    legal_status: str
    placement: Placement
    rne: str
    reason_place_change: str | None = None
    rec: str | None = None


@dataclass(frozen=True)
class Story:
    """The folded events: the episodes, and when care and the current placement began."""

    episodes: tuple[Episode, ...]
    looked_after: bool
    became_looked_after: date | None  # of the period of care now running
    placement_started: date | None  # of the placement now running

    @property
    def current(self) -> Episode | None:
        return self.episodes[-1] if self.looked_after and self.episodes else None


def events_of(*, session: Session, case_ids: Sequence[int]) -> dict[int, list[CareEvent]]:
    """Case id → every care event of the case, corrected ones included, in the order recorded."""
    found: dict[int, list[CareEvent]] = {case_id: [] for case_id in case_ids}
    rows = session.scalars(
        select(CareEvent).where(CareEvent.case_id.in_(case_ids)).order_by(CareEvent.id)
    )
    for row in rows:
        found[row.case_id].append(row)
    return found


def counted(events: Iterable[CareEvent]) -> list[CareEvent]:
    """The events still counted (none corrects them), in the order they happened."""
    rows = list(events)
    corrected = {e.corrects_id for e in rows if e.corrects_id is not None}
    roots = _roots(rows)
    live = [e for e in rows if e.id not in corrected]
    return sorted(live, key=lambda e: (e.on, roots.get(e.id, e.id)))


def _roots(rows: list[CareEvent]) -> dict[int, int]:
    """Each event's first version: a correction keeps its place among events of the same day."""
    roots: dict[int, int] = {}
    for e in sorted(rows, key=lambda e: e.id):
        roots[e.id] = roots.get(e.corrects_id, e.id) if e.corrects_id else e.id
    return roots


def fold(events: Sequence[CareEvent]) -> Story:
    """Episodes from events in the order they happened; an impossible history names its field."""
    episodes: list[Episode] = []
    became: date | None = None
    placed: date | None = None
    for day, today in groupby(events, key=lambda e: e.on):
        opened = episodes[-1] if episodes and episodes[-1].end is None else None
        state = _Day.start_from(opened)
        for event in today:
            state.apply(event)
        if opened is not None and state.changed_or_ceased:
            episodes[-1] = replace(opened, end=day, rec=state.ceased or "X1")
        if state.legal_status is not None and state.placement is not None and state.rne:
            episodes.append(
                Episode(day, None, state.legal_status, state.placement, state.rne, state.moved_for)
            )
        became = day if state.started else became
        placed = day if state.rne in ("S", "P", "T", "B", "U") else placed
    looked_after = bool(episodes) and episodes[-1].end is None
    return Story(tuple(episodes), looked_after, became, placed)


class _Day:
    """What one day's events change: the legal status, the placement, or care itself."""

    def __init__(self, legal_status: str | None, placement: Placement | None) -> None:
        self.legal_status, self.placement = legal_status, placement
        self.started = False
        self.ceased: str | None = None
        self.new_status = self.new_placement = False
        self.same_carer = True
        self.moved_for: str | None = None

    @classmethod
    def start_from(cls, opened: Episode | None) -> "_Day":
        return cls(opened.legal_status, opened.placement) if opened else cls(None, None)

    @property
    def looked_after(self) -> bool:
        return self.legal_status is not None

    @property
    def changed_or_ceased(self) -> bool:
        return bool(self.ceased or self.new_status or self.new_placement or self.started)

    @property
    def rne(self) -> str | None:
        if self.started:
            return "S"
        if self.new_status and self.new_placement:
            return "U" if self.same_carer else "B"
        if self.new_status:
            return "L"
        if self.new_placement:
            return "T" if self.same_carer else "P"
        return None

    def apply(self, event: CareEvent) -> None:
        if event.kind == "start":
            if self.looked_after:
                raise Invalid(
                    "The child is already looked after on this date: record the end of care "
                    "first, or a change of legal status or placement.",
                    field="kind",
                )
            self.legal_status, self.placement = event.legal_status, _placement_of(event)
            self.started = True
            return
        if not self.looked_after:
            raise Invalid(
                "The child is not looked after on this date: record becoming looked after first.",
                field="on",
            )
        getattr(self, f"_{event.kind}")(event)

    def _legal_status(self, event: CareEvent) -> None:
        if event.legal_status == self.legal_status:
            raise Invalid("This is the legal status the child already has.", field="legal_status")
        self.legal_status, self.new_status = event.legal_status, True

    def _placement(self, event: CareEvent) -> None:
        new = _placement_of(event)
        if new == self.placement:
            raise Invalid("This is the placement the child already has.", field="placement_type")
        assert self.placement is not None
        self.same_carer = new.carer_id is not None and new.carer_id == self.placement.carer_id
        self.placement, self.new_placement = new, True
        self.moved_for = event.reason_place_change

    def _ceased(self, event: CareEvent) -> None:
        self.ceased = event.reason_ceased
        self.legal_status = self.placement = None
        self.started = self.new_status = self.new_placement = False


def _placement_of(event: CareEvent) -> Placement:
    assert event.placement_type is not None and event.provider is not None
    return Placement(event.placement_type, event.provider, event.carer_id, event.postcode)


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
    every = events_of(session=session, case_ids=[case_id])[case_id]
    live = counted(every)
    if data.corrects_id is not None:
        _check_correction(every, live, data)
    elif live and data.on < live[-1].on:
        last = f"{live[-1].on:%-d %B %Y}"
        raise Invalid(f"The date must be on or after {last}, the last event recorded.", field="on")
    event = CareEvent(case_id=case_id, recorded_by_id=actor.id, **data.model_dump())
    session.add(event)
    session.flush()
    story = fold(counted([*every, event]))
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
    for name, listed in CODELISTS.items():
        code = getattr(data, name)
        codelist = library.codelists.get(listed)
        codes = [o.code for o in codelist.options] if codelist else []
        if code is not None and code not in codes:
            raise Invalid(f"Choose {WORDS[name]} from the list.", field=name)


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


def story_of(events: Iterable[CareEvent]) -> Story:
    return fold(counted(events))


def looked_after_out(events: list[CareEvent]) -> LookedAfterOut:
    """The API's view: every event (with what corrected it), the episodes, the current one."""
    story = story_of(events)
    corrected_by = {e.corrects_id: e.id for e in events if e.corrects_id is not None}
    shown = [
        CareEventOut.model_validate(e).model_copy(
            update={"corrected_by_id": corrected_by.get(e.id)}
        )
        for e in events
    ]
    episodes = [episode_out(e) for e in story.episodes]
    current = episodes[-1] if story.looked_after else None
    return LookedAfterOut(
        looked_after=story.looked_after, current=current, episodes=episodes, events=shown
    )


def episode_out(episode: Episode) -> EpisodeOut:
    place = episode.placement
    return EpisodeOut(
        start=episode.start,
        end=episode.end,
        legal_status=episode.legal_status,
        placement_type=place.type,
        provider=place.provider,
        carer_id=place.carer_id,
        postcode=place.postcode,
        reason_new_episode=episode.rne,
        reason_place_change=episode.reason_place_change,
        reason_ceased=episode.rec,
    )


def clock_starts(story: Story) -> dict[str, date]:
    """The dates the care rules count from, while the child is looked after."""
    if not story.looked_after:
        return {}
    found = {
        "became_looked_after": story.became_looked_after,
        "placement_started": story.placement_started,
    }
    return {name: on for name, on in found.items() if on is not None}


def visits(story: Story, today: date) -> str:
    """How often the child must be visited now: 3-monthly once a placement meant to last until
    they are 18 has run a year (CPPCR 2010 reg 28(2)), otherwise 6-weekly."""
    current, started = story.current, story.placement_started
    if current is None or started is None:
        return "6_weekly"
    settled = current.placement.type in care_rules().long_term_placements
    return "3_monthly" if settled and today >= add_months(started, 12) else "6_weekly"
