"""Input and output shapes for cases and the child's view."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.cases.models import CaseStatus
from app.people.schemas import (
    DbId,
    FamilyOut,
    Input,
    InvolvementOut,
    LegalStatus,
    Long,
    PenPictureOut,
    PersonOut,
    PersonWithPicture,
)


class CaseIn(Input):
    child_id: DbId
    allocated_worker_id: DbId | None = None
    team_id: DbId | None = None
    legal_status: LegalStatus = "cin"
    opened_on: date = Field(default_factory=date.today)
    restricted: bool = False  # e.g. a staff member's relative: only people named on it may see it


class CasePatch(Input):
    allocated_worker_id: DbId | None = None
    team_id: DbId | None = None
    legal_status: LegalStatus | None = None


class CaseClose(Input):
    reason: Long = Field(min_length=1)
    closed_on: date = Field(default_factory=date.today)


class CaseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_number: str
    child_id: int
    allocated_worker_id: int | None
    team_id: int | None
    legal_status: str
    status: CaseStatus
    restricted: bool
    opened_on: date
    closed_on: date | None


class CaseEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    detail: str | None
    at: datetime
    by_id: int | None


class CareNow(BaseModel):
    """A looked-after child's legal status and placement now, for the identity bar."""

    since: date
    legal_status: str
    placement_type: str
    placed_on: date
    carer_name: str | None


class ChildView(BaseModel):
    """A child with everything around them: the page a worker opens most."""

    case: CaseOut
    child: PersonOut
    age_years: int | None
    pen_picture: PenPictureOut | None
    families: list[FamilyOut]
    people: list[PersonWithPicture]
    professionals: list[InvolvementOut]
    history: list[CaseEventOut]
    care: CareNow | None = None


class CaseSummary(BaseModel):
    case_id: int
    case_number: str
    child_name: str
    date_of_birth: date | None
    age_years: int | None
    legal_status: str
    status: str
    family_ids: list[int]


CareEventKind = Literal["start", "legal_status", "placement", "ceased"]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10)]
# Postcodes, URNs and pupil numbers are written in capitals, whatever was typed.
Postcode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=10)]


class CareEventIn(Input):
    """One care event: what each kind needs is checked by the service, naming the field."""

    kind: CareEventKind
    on: date
    legal_status: Code | None = None
    category_of_need: Code | None = None  # why the child became looked after (SSDA903 CIN)
    carer_id: DbId | None = None
    placement_type: Code | None = None
    provider: Code | None = None
    postcode: Postcode | None = None
    urn: (
        Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=10)]
        | None
    ) = None
    home_postcode: Postcode | None = None  # the home the child came from (SSDA903 HOME_POST)
    upn: (
        Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=13)]
        | None
    ) = None
    reason_place_change: Code | None = None
    reason_ceased: Code | None = None
    corrects_id: DbId | None = None  # the event this one corrects (kept, no longer counted)
    note: Long | None = None


class CareEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    on: date
    legal_status: str | None
    category_of_need: str | None
    carer_id: int | None
    placement_type: str | None
    provider: str | None
    postcode: str | None
    urn: str | None
    home_postcode: str | None
    upn: str | None
    reason_place_change: str | None
    reason_ceased: str | None
    corrects_id: int | None
    note: str | None
    recorded_at: datetime
    recorded_by_id: int | None
    corrected_by_id: int | None = None  # the later event that corrects this one


class EpisodeOut(BaseModel):
    """One SSDA903 episode: a stretch with one legal status and one placement."""

    start: date
    end: date | None
    legal_status: str
    category_of_need: str
    placement_type: str
    provider: str
    carer_id: int | None
    postcode: str | None
    urn: str | None
    home_postcode: str | None
    reason_new_episode: str  # RNE
    reason_place_change: str | None
    reason_ceased: str | None  # REC (X1 when another episode starts the same day)


class LookedAfterOut(BaseModel):
    looked_after: bool
    current: EpisodeOut | None
    episodes: list[EpisodeOut]
    events: list[CareEventOut]
