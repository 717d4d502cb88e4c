"""API shapes for meetings."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.people.schemas import DbId

Kind = Literal["cin_review", "cp_conference", "lac_review", "core_group"]
# Which letter an invitee gets: a parent's letter never goes to the teacher.
Wording = Literal["parent", "child", "professional"]
Attendance = Literal["attended", "remote", "report_only", "apologies"]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class Invitee(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Words
    role: Words = Field(examples=["Mother", "Class teacher"])
    wording: Wording = Field(description="The letter they get: parent, child or professional")
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    # Where they were picked from in the children's network: "person:12", "professional:3".
    source: (
        Annotated[str, StringConstraints(pattern=r"^(person|professional):[0-9]{1,9}$")] | None
    ) = None


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    starts_at: datetime
    venue: Words
    chair_id: DbId | None = Field(default=None, description="Who chairs it, and signs its letters")
    case_ids: list[DbId] = Field(min_length=1, max_length=20)
    invitees: list[Invitee] = Field(default_factory=list, max_length=60)


class MinutesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes: str = Field(min_length=1, max_length=200_000)
    # One per invitee, in their order; missing ones are not recorded yet.
    attendance: list[Attendance | None] = Field(default_factory=list, max_length=60)


class MeetingOut(BaseModel):
    id: int
    kind: str
    starts_at: datetime
    venue: str
    chair_id: int | None = None
    invitees: list[dict[str, Any]]
    minutes: str | None
    case_ids: list[int]
