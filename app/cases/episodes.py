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

from app.cases.models import CareEvent
from app.cases.schemas import CareEventOut, EpisodeOut, LookedAfterOut
from app.engine import yamlfile
from app.engine.definitions import DueRule, Strict
from app.engine.yamlfile import ExemplarErrors
from app.errors import Invalid
from app.timescales.calendar import add_months

RULES_FILE = Path(__file__).with_name("looked_after.yaml")
CLOCK_STARTS = ("became_looked_after", "placement_started")


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
    urn: str | None = None


@dataclass(frozen=True)
class Period:
    """What is recorded once, when the child becomes looked after."""

    need: str  # the category of need (SSDA903 CIN)
    home_postcode: str | None


@dataclass(frozen=True)
class Episode:
    start: date
    end: date | None
    legal_status: str
    placement: Placement
    rne: str
    period: Period
    reason_place_change: str | None = None  # why the placement ended, when it did
    rec: str | None = None

    @property
    def need(self) -> str:
        return self.period.need

    @property
    def home_postcode(self) -> str | None:
        return self.period.home_postcode


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


# Where an event not yet saved sorts among events of the same day: after every saved one.
UNSAVED = 2**62


def _id(event: CareEvent) -> int:
    return event.id if event.id is not None else UNSAVED


def case_ids_with_care(*, session: Session) -> list[int]:
    """Every case with a care event: the children a looked-after return may concern."""
    return list(session.scalars(select(CareEvent.case_id).distinct().order_by(CareEvent.case_id)))


def counted(events: Iterable[CareEvent]) -> list[CareEvent]:
    """The events still counted (none corrects them), in the order they happened; an event not
    yet saved may be among them, so a new one is checked before anything is written."""
    rows = list(events)
    corrected = {e.corrects_id for e in rows if e.corrects_id is not None}
    roots = _roots(rows)
    live = [e for e in rows if _id(e) not in corrected]
    return sorted(live, key=lambda e: (e.on, roots[_id(e)]))


def _roots(rows: list[CareEvent]) -> dict[int, int]:
    """Each event's first version: a correction keeps its place among events of the same day."""
    roots: dict[int, int] = {}
    for e in sorted(rows, key=_id):
        roots[_id(e)] = roots.get(e.corrects_id, e.corrects_id) if e.corrects_id else _id(e)
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
            moved = state.moved_for if state.new_placement else None
            episodes[-1] = replace(
                opened, end=day, rec=state.ceased or "X1", reason_place_change=moved
            )
        if state.legal_status is not None and state.placement is not None and state.rne:
            assert state.period is not None
            episode = Episode(
                day, None, state.legal_status, state.placement, state.rne, state.period
            )
            episodes.append(episode)
        became = day if state.started else became
        placed = day if state.rne in ("S", "P", "T", "B", "U") else placed
    looked_after = bool(episodes) and episodes[-1].end is None
    return Story(tuple(episodes), looked_after, became, placed)


class _Day:
    """What one day's events change: the legal status, the placement, or care itself."""

    def __init__(
        self, legal_status: str | None, placement: Placement | None, period: Period | None
    ) -> None:
        self.legal_status, self.placement, self.period = legal_status, placement, period
        self.started = False
        self.ceased: str | None = None
        self.new_status = self.new_placement = False
        self.same_carer = True
        self.moved_for: str | None = None

    @classmethod
    def start_from(cls, opened: Episode | None) -> "_Day":
        if opened is None:
            return cls(None, None, None)
        return cls(opened.legal_status, opened.placement, opened.period)

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
            self.period = Period(event.category_of_need or "", event.home_postcode)
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
    return Placement(
        event.placement_type, event.provider, event.carer_id, event.postcode, event.urn
    )


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
        category_of_need=episode.need,
        placement_type=place.type,
        provider=place.provider,
        carer_id=place.carer_id,
        postcode=place.postcode,
        urn=place.urn,
        home_postcode=episode.home_postcode,
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
