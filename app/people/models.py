"""People around a child, the households they form, how they relate, and the child's case."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow
from app.people.names import search_name, sounds


class Authored:
    """Who wrote a row and when: every write records who."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Person(Authored, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    given_names: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200), index=True)
    known_as: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(index=True)
    expected_date: Mapped[date | None]  # unborn child: expected date of delivery
    died_on: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(100))
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    religion: Mapped[str | None] = mapped_column(String(100))
    first_language: Mapped[str | None] = mapped_column(String(100))
    communication_needs: Mapped[str | None] = mapped_column(Text)
    disabled: Mapped[bool | None]  # None: not known; a diagnosis is never required
    disability: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    address_confidential: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str | None] = mapped_column(String(50))
    # Identifiers, kept compact (no spaces) so one exact match finds them however they were typed.
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    upn: Mapped[str | None] = mapped_column(String(13), index=True)
    former_upn: Mapped[str | None] = mapped_column(String(13))
    upn_unknown_reason: Mapped[str | None] = mapped_column(String(3))  # codelist upn_unknown
    local_child_id: Mapped[str | None] = mapped_column(String(20), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Kept from the names on every write, for the database's text index (see people/names.py).
    search_name: Mapped[str] = mapped_column(String(700), default="")
    name_sounds: Mapped[str] = mapped_column(String(400), default="")

    @hybrid_property
    def full_name(self) -> str:
        return f"{self.known_as or self.given_names} {self.family_name}"

    @full_name.inplace.expression
    @classmethod
    def _full_name(cls) -> ColumnElement[str]:
        # The same name in a query, so a list of names need not load every person.
        known = func.coalesce(func.nullif(cls.known_as, ""), cls.given_names)
        return known + " " + cls.family_name


class Family(Authored, Base):
    """A household. A child may belong to two (e.g. parents living apart)."""

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    address_confidential: Mapped[bool] = mapped_column(default=False)

    members: Mapped[list["FamilyMember"]] = relationship(
        back_populates="family", order_by="FamilyMember.id"
    )


class FamilyMember(Authored, Base):
    __tablename__ = "family_members"
    __table_args__ = (UniqueConstraint("family_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(100))  # "parent", "child", "lodger"…
    lives_here: Mapped[bool] = mapped_column(default=True)
    left_on: Mapped[date | None]

    family: Mapped[Family] = relationship(back_populates="members")
    person: Mapped[Person] = relationship(lazy="joined")


class RelationshipType(Base):
    """Extensible list: 'A is the <label> of B', with the reverse named by inverse_code."""

    __tablename__ = "relationship_types"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    inverse_code: Mapped[str | None] = mapped_column(String(50))
    known: Mapped[bool] = mapped_column(default=True)  # False only for "unknown"


class Relationship(Authored, Base):
    __tablename__ = "relationships"
    __table_args__ = (CheckConstraint("person_id <> other_person_id", name="not_self"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    other_person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    type_code: Mapped[str] = mapped_column(ForeignKey("relationship_types.code"))
    has_parental_responsibility: Mapped[bool | None]
    notes: Mapped[str | None] = mapped_column(Text)
    ended_on: Mapped[date | None]

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    other_person: Mapped[Person] = relationship(foreign_keys=[other_person_id], lazy="joined")
    type: Mapped[RelationshipType] = relationship(lazy="joined")

    @property
    def label(self) -> str:
        return self.type.label


class PenPicture(Base):
    """A short, plain picture of one person; each edit is a new version, none is lost."""

    __tablename__ = "pen_pictures"
    __table_args__ = (UniqueConstraint("person_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    version: Mapped[int]
    who_they_are: Mapped[str | None] = mapped_column(Text)
    what_they_are_like: Mapped[str | None] = mapped_column(Text)
    strengths: Mapped[str | None] = mapped_column(Text)
    worries: Mapped[str | None] = mapped_column(Text)
    how_to_talk: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)


class Professional(Authored, Base):
    """A professional or agency involved with a child: GP, school, health visitor…"""

    __tablename__ = "professionals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_type: Mapped[str] = mapped_column(String(50), index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)


class Involvement(Authored, Base):
    __tablename__ = "involvements"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("professionals.id"))
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]

    professional: Mapped[Professional] = relationship(lazy="joined")


@event.listens_for(Person, "before_insert")
@event.listens_for(Person, "before_update")
def _keep_search_names(_mapper: Any, _connection: Any, person: Person) -> None:
    person.search_name = search_name(person.given_names, person.family_name, person.known_as)
    person.name_sounds = sounds(person.search_name)
