"""API shapes for records. Answers are free-form per field (the exemplar decides their shape)."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app import bounds
from app.people.schemas import DbId
from app.records.models import RecordStatus


class StartRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exemplar_id: str = Field(min_length=1, max_length=100, examples=["referral_and_information"])
    on_behalf_of_id: DbId | None = None


class StartGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exemplar_id: str = Field(min_length=1, max_length=100)
    case_ids: list[DbId] = Field(min_length=2, max_length=20)
    family_id: DbId | None = None


class AnswersIn(BaseModel):
    """Some answers, saved against the revision the worker's page was showing."""

    model_config = ConfigDict(extra="forbid")

    base_revision: int = Field(ge=0, le=2_147_483_647)
    section_id: str | None = Field(default=None, max_length=100)
    answers: dict[str, Any] = Field(max_length=1000)
    on_behalf_of_id: DbId | None = None

    @field_validator("answers")
    @classmethod
    def _storable(cls, answers: dict[str, Any]) -> dict[str, Any]:
        return storable(answers)


def storable(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers that can be kept: not nested too deep, no NUL characters, not runaway in size."""
    for field_id, answer in answers.items():
        found = bounds.first_problem(answer, field_id)
        if found:
            raise ValueError(f"{found[0]}: {found[1]}")
        if bounds.too_big(answer):
            raise ValueError(f"{field_id}: this answer is too large to keep; split it")
    return answers


class VisibilityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(default_factory=dict, max_length=1000)

    @field_validator("answers")
    @classmethod
    def _storable(cls, answers: dict[str, Any]) -> dict[str, Any]:
        return storable(answers)


class VisibilityOut(BaseModel):
    sections: dict[str, bool]
    fields: dict[str, bool]


class SaveOut(BaseModel):
    revision: int
    errors: dict[str, str]
    visible: VisibilityOut


class ConflictOut(BaseModel):
    field: str
    theirs: Any
    mine: Any


class SectionOut(BaseModel):
    id: str
    title: str
    status: str


class RecordOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    exemplar_id: str
    exemplar_version: int
    title: str
    status: RecordStatus
    revision: int
    version: int
    answers: dict[str, Any]
    sections: list[SectionOut]
    next_steps: list[str]
    due: date | None
    due_reason: str | None
    started_at: datetime
    submitted_at: datetime | None
    finalised_at: datetime | None


class RevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    event: str
    section_id: str | None
    changed: dict[str, Any]
    answers: dict[str, Any]  # what this revision set
    removed: list[str]  # what it removed (GET …/view?revision=N shows the whole set then)
    author_id: int | None
    on_behalf_of_id: int | None
    created_at: datetime


class SnapshotOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    exemplar_id: str
    exemplar_version: int
    content: dict[str, Any]
    checksum: str
    finalised_at: datetime
    finalised_by_id: int | None


class DiffOut(BaseModel):
    from_version: int
    to_version: int
    changes: dict[str, dict[str, Any]]


class NextStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exemplar_id: str = Field(min_length=1, max_length=100)


class ExemplarSummary(BaseModel):
    id: str
    version: int
    title: str
    retired: bool


class ConfirmIn(BaseModel):
    """The author confirms answers typed for them (all waiting ones when no ids are given)."""

    model_config = ConfigDict(extra="forbid")

    field_ids: list[str] | None = None


class ReturnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=4000)


class FinaliseIn(BaseModel):
    """The manager's approval, with a comment for the record's sign-off if they have one."""

    model_config = ConfigDict(extra="forbid")

    comment: str | None = Field(default=None, max_length=4000)


class AmendIn(BaseModel):
    """Why a finalised record is opened again; kept with the amendment's event."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)
