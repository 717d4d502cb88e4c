"""Pen-picture labels on a printout follow each person's recorded sex ("half-sister")."""

from typing import Any

from sqlalchemy.orm import Session

from tests.pdf.test_printouts import jade, printed

__all__ = ["jade"]  # the fixture, shared with the printout tests


def test_pen_picture_labels_say_half_sister_and_brother(db: Session, jade: dict[str, Any]) -> None:
    text, _, _ = printed(db, jade["plan"], "worker")
    flat = " ".join(text.split())
    assert "Ruby Marshall (half-sister)" in flat, flat[:3000]
    assert "half-sister" in flat and "brother" in flat
    assert "half-brother or half-sister" not in flat and "brother or sister" not in flat
