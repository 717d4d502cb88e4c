"""API shapes for meetings."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.people.schemas import DbId

Kind = Literal["cin_review", "cp_conference", "lac_review", "core_group"]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class Invitee(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Words
    role: Words = Field(examples=["Mother", "Class teacher"])
    address: Words | None = None


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    starts_at: datetime
    venue: Words
    case_ids: list[DbId] = Field(min_length=1, max_length=20)
    invitees: list[Invitee] = Field(default_factory=list, max_length=60)


class MinutesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes: str = Field(min_length=1, max_length=200_000)


class MeetingOut(BaseModel):
    id: int
    kind: str
    starts_at: datetime
    venue: str
    invitees: list[dict[str, Any]]
    minutes: str | None
    case_ids: list[int]
