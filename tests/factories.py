"""Factories that go through the services, so test data obeys the same rules as real data."""

import secrets
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from app.auth import service as auth_service
from app.auth.models import Role, User
from app.cases import service as cases
from app.cases.models import Case
from app.cases.schemas import CaseIn
from app.config import ROOT
from app.engine.library import Library
from app.engine.loader import load_library
from app.people import service as people
from app.people.models import Family, PenPicture, Person, Professional, Relationship
from app.people.schemas import (
    FamilyIn,
    MemberIn,
    PenPictureIn,
    PersonIn,
    ProfessionalIn,
    RelationshipIn,
)


@cache
def shipped_library() -> Library:
    """The shipped exemplars, loaded once per run: tests that only read them share one copy."""
    return load_library(ROOT / "exemplars")


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._actor: User | None = None

    @property
    def actor(self) -> User:
        if self._actor is None:
            self._actor = self.user()
        return self._actor

    def user(self, role: Role = Role.SOCIAL_WORKER, team: str = "Team A", **kw: Any) -> User:
        team_row = auth_service.get_or_create_team(session=self.session, name=team)
        name = kw.pop("username", f"{role.value}-{secrets.token_hex(3)}")
        user = auth_service.create_user(
            session=self.session,
            username=name,
            full_name=name.title(),
            role=role,
            password=kw.pop("password", "x" * 16),
            team=team_row,
        )
        self.session.commit()
        return user

    def person(self, **overrides: Any) -> Person:
        fields = {
            "given_names": "Alex",
            "family_name": f"Test{secrets.token_hex(2)}",
            "date_of_birth": date(2018, 5, 1),
            **overrides,
        }
        person, _ = people.create_person(
            session=self.session, actor=self.actor, data=PersonIn(**fields)
        )
        self.session.commit()
        return person

    def family(
        self, members: list[tuple[Person, str]], name: str = "Test household", **kw: Any
    ) -> Family:
        data = FamilyIn(
            name=name, members=[MemberIn(person_id=p.id, role=r) for p, r in members], **kw
        )
        family = people.create_family(session=self.session, actor=self.actor, data=data)
        self.session.commit()
        return family

    def child_case(
        self, child: Person | None = None, worker: User | None = None, **kw: Any
    ) -> Case:
        child = child or self.person()
        worker = worker or self.actor
        case = cases.open_case(
            session=self.session,
            actor=self.actor,
            data=CaseIn(
                child_id=child.id, allocated_worker_id=worker.id, team_id=worker.team_id, **kw
            ),
        )
        self.session.commit()
        return case

    def pen_picture(self, person: Person, **kw: Any) -> PenPicture:
        fields = {"who_they_are": "Mum", "strengths": "Loving", **kw}
        picture = people.write_pen_picture(
            session=self.session, actor=self.actor, person_id=person.id, data=PenPictureIn(**fields)
        )
        self.session.commit()
        return picture

    def relationship(self, a: Person, b: Person, type_code: str) -> Relationship:
        link = people.add_relationship(
            session=self.session,
            actor=self.actor,
            data=RelationshipIn(person_id=a.id, other_person_id=b.id, type_code=type_code),
        )
        self.session.commit()
        return link

    def professional(self, **kw: Any) -> Professional:
        fields = {"name": "Dr Test", "agency_type": "gp", "organisation": "Test Surgery", **kw}
        pro = people.create_professional(
            session=self.session, actor=self.actor, data=ProfessionalIn(**fields)
        )
        self.session.commit()
        return pro


def tiny_png(
    colour: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (40, 30)
) -> bytes:
    """A real PNG, drawn by Pillow: what a photographed drawing is, in miniature."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def tiny_pdf() -> bytes:
    """A real one-page PDF, written by pypdf: a scanned letter, in miniature."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
