"""Input and output shapes for people, families, relationships, pen-pictures and cases."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.bounds import Input as Input  # every input schema's base, re-exported here
from app.people import identifiers

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)]
# CIN census 2024-25 <Sex>: the sex recorded at birth, or not known / not stated.
Sex = Literal["male", "female", "not_known", "not_stated"]
# A code of the exemplars' `legal_status` list (exemplars/codelists.yaml): the list is the one
# source of the values, checked where a case is opened or changed (cases/api.py).
LegalStatus = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]


# Ids fit a 32-bit integer column on both databases: bigger is a 422 naming the field.
DbId = Annotated[int, Field(ge=1, le=2_147_483_647)]


class PersonFields(Input):
    known_as: Short | None = None
    sex: Sex | None = None
    gender: Short | None = None
    ethnicity: Annotated[str, StringConstraints(pattern=r"^[A-Z]{4}$")] | None = Field(
        default=None, description="CIN census ethnicity code, e.g. WBRI, MWBC, AIND, REFU, NOBT"
    )
    religion: Short | None = None
    first_language: Short | None = None
    communication_needs: Long | None = None
    disabled: bool | None = None
    disability: Long | None = None
    address: Long | None = None
    address_confidential: bool = False
    phone: Short | None = None
    died_on: date | None = None
    nhs_number: Short | None = Field(default=None, description="NHS number, spaces allowed")
    upn: Short | None = Field(default=None, description="Unique Pupil Number")
    former_upn: Short | None = Field(default=None, description="An earlier Unique Pupil Number")
    upn_unknown_reason: identifiers.UpnUnknown | None = Field(
        default=None, description="Why the UPN is not known: UN1-UN7 (codelist upn_unknown)"
    )
    local_child_id: Short | None = Field(default=None, description="The council's own child id")

    @field_validator("nhs_number")
    @classmethod
    def _nhs_check_digit(cls, value: str | None) -> str | None:
        return identifiers.nhs_number(value) if value else None

    @field_validator("upn", "former_upn")
    @classmethod
    def _upn_check_letter(cls, value: str | None, info: ValidationInfo) -> str | None:
        what = "former UPN" if info.field_name == "former_upn" else "UPN"
        return identifiers.pupil_number(value, what) if value else None

    @field_validator("local_child_id")
    @classmethod
    def _local_id(cls, value: str | None) -> str | None:
        return identifiers.local_child_id(value) if value else None

    @field_validator("died_on")
    @classmethod
    def _died_in_the_past(cls, value: date | None) -> date | None:
        if value is not None and not date(1900, 1, 1) <= value <= date.today():
            raise ValueError("a date of death is in 1900 or later and not in the future")
        return value


class PersonIn(PersonFields):
    given_names: Name
    family_name: Name
    date_of_birth: date | None = None
    expected_date: date | None = Field(
        default=None, description="Expected date for an unborn child"
    )

    @model_validator(mode="after")
    def _born_or_expected(self) -> "PersonIn":
        check_dates(self.date_of_birth, self.expected_date)
        return self


def check_dates(born: date | None, expected: date | None) -> None:
    if born is not None and born.year < 1900:
        raise ValueError("date_of_birth: enter a date of birth in 1900 or later")
    if born is not None and born > date.today():
        raise ValueError(
            "date_of_birth: a date of birth cannot be in the future; "
            "for an unborn child give expected_date instead"
        )
    if born is not None and expected is not None:
        raise ValueError("expected_date: give a date of birth or an expected date, not both")


class PersonPatch(PersonFields):
    given_names: Name | None = None
    family_name: Name | None = None
    date_of_birth: date | None = None
    expected_date: date | None = None
    address_confidential: bool | None = None  # type: ignore[assignment]

    @field_validator("date_of_birth")
    @classmethod
    def _not_future(cls, value: date | None) -> date | None:
        check_dates(value, None)
        return value

    @field_validator("given_names", "family_name", "address_confidential")
    @classmethod
    def _not_cleared(cls, value: Any) -> Any:
        # Sent as null: these always have a value (a name is corrected, never removed).
        if value is None:
            raise ValueError("this cannot be cleared; send a new value instead")
        return value


class PersonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    given_names: str
    family_name: str
    known_as: str | None
    full_name: str
    date_of_birth: date | None
    expected_date: date | None
    died_on: date | None = None
    sex: str | None
    gender: str | None
    ethnicity: str | None
    religion: str | None
    first_language: str | None
    communication_needs: str | None
    disabled: bool | None
    disability: str | None
    address: str | None
    address_confidential: bool
    phone: str | None
    nhs_number: str | None = None
    upn: str | None = None
    former_upn: str | None = None
    upn_unknown_reason: str | None = None
    local_child_id: str | None = None


class PossibleMatch(BaseModel):
    person_id: int
    full_name: str
    date_of_birth: date | None
    reason: str


class PossibleMatches(BaseModel):
    """Matches the user may see, and how many more are in records they may not see."""

    matches: list[PossibleMatch]
    hidden: int


class PersonCreated(BaseModel):
    person: PersonOut
    warnings: list[PossibleMatch]


class MemberIn(Input):
    person_id: DbId
    role: Short | None = None
    lives_here: bool = True


class FamilyIn(Input):
    name: Name
    address: Long | None = None
    address_confidential: bool = False
    members: list[MemberIn] = Field(default_factory=list, max_length=50)

    @field_validator("members")
    @classmethod
    def _each_once(cls, members: list[MemberIn]) -> list[MemberIn]:
        ids = [m.person_id for m in members]
        if len(set(ids)) != len(ids):
            raise ValueError("each person is a member of a household once")
        return members


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    role: str | None
    lives_here: bool
    person: PersonOut


class FamilyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    address: str | None
    address_confidential: bool
    members: list[MemberOut]


class RelationshipIn(Input):
    person_id: DbId
    other_person_id: DbId
    type_code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    has_parental_responsibility: bool | None = None
    notes: Long | None = None

    @model_validator(mode="after")
    def _not_self(self) -> "RelationshipIn":
        if self.person_id == self.other_person_id:
            raise ValueError("other_person_id: a person cannot have a relationship with themselves")
        return self


class RelationshipTypeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    label: str
    inverse_code: str | None
    known: bool


class RelationshipOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    other_person_id: int
    type_code: str
    label: str
    has_parental_responsibility: bool | None
    notes: str | None


class PenPictureIn(Input):
    who_they_are: Long | None = None
    what_they_are_like: Long | None = None
    strengths: Long | None = None
    worries: Long | None = None
    how_to_talk: Long | None = None


class PenPictureOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    version: int
    who_they_are: str | None
    what_they_are_like: str | None
    strengths: str | None
    worries: str | None
    how_to_talk: str | None
    author_id: int | None
    written_at: datetime


class ProfessionalIn(Input):
    name: Name
    agency_type: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)
    ] = Field(examples=["gp", "school", "health_visitor", "police", "nursery"])
    organisation: Short | None = None
    role: Short | None = None
    phone: Short | None = None
    email: Short | None = None
    address: Long | None = None


class ProfessionalOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    agency_type: str
    organisation: str | None
    role: str | None
    phone: str | None
    email: str | None


class InvolvementIn(Input):
    professional_id: DbId
    started_on: date | None = None


class InvolvementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    started_on: date | None
    ended_on: date | None
    professional: ProfessionalOut


class PersonWithPicture(BaseModel):
    person: PersonOut
    role: str | None
    lives_with_child: bool
    relationship_to_child: str | None
    pen_picture: PenPictureOut | None


class LinkedCase(BaseModel):
    """A child's case a found adult leads to (one the user may see)."""

    case_id: int
    case_number: str
    full_name: str


class SearchResult(BaseModel):
    person_id: int
    full_name: str
    date_of_birth: date | None
    case_id: int | None  # the found person's own case, when they are a child with one
    case_number: str | None
    score: float
    children: list[LinkedCase] = []  # for an adult: the children's cases they lead to
