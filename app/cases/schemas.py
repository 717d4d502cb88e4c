"""Input and output shapes for cases and the child's view."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

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


class CaseSummary(BaseModel):
    case_id: int
    case_number: str
    child_name: str
    date_of_birth: date | None
    age_years: int | None
    legal_status: str
    status: str
    family_ids: list[int]
