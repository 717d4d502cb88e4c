from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.auth.models import Role
from app.bounds import Input

Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Lines = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=50, pattern=r"^$|^\+?[0-9 ()-]{6,}$")
]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=200, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]
# Social Work England registration numbers are "SW" and digits (SW123456).
SweNumber = Annotated[str, StringConstraints(pattern=r"^(SW\d{1,10})?$")]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class SessionOut(BaseModel):
    token: str
    csrf_token: str
    user: "UserOut"


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    role: Role
    team_id: int | None


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=12, max_length=1000)


class ProfileOut(BaseModel):
    """What a court statement says about its witness, and what it still lacks."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    job_title: str | None
    employer: str | None
    work_address: str | None
    qualifications: str | None
    registration_number: str | None
    work_phone: str | None = None
    work_email: str | None = None
    missing: list[str]


class ProfileChange(Input):
    """A change to a profile: only the fields given change (full name may not be blanked)."""

    full_name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
        | None
    ) = None
    job_title: Line | None = None
    employer: Line | None = None
    work_address: Lines | None = None
    qualifications: Lines | None = None
    registration_number: SweNumber | None = Field(
        default=None, description="Social Work England registration number: SW and digits"
    )
    # How the family reaches you: printed on the meeting letters you send.
    work_phone: Phone | None = None
    work_email: Email | None = None

    @field_validator("registration_number", mode="before")
    @classmethod
    def _register_form(cls, value: Any) -> Any:
        # "sw 123456" as typed is the register's SW123456
        return "".join(value.split()).upper() if isinstance(value, str) else value
