"""The witness of a court statement, kept as they were when the statement was first printed.

A statement is signed when it is printed, so the name, role, employer, address, qualifications
and registration it carries are the witness's at that moment: a reprint after they change their
profile (a new job, a new address) must read, and be, the same. While the profile still lacks
something the front sheet says "Before filing" and nothing is kept, so printing again after
completing the profile fills the gap, as the front sheet promises.
"""

from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.printing.document import CourtDetails, PrintDocument, Witness
from app.printing.models import Printout


def kept_for(*, session: Session, record_id: int, version: int) -> dict[str, Any] | None:
    """What the first filed print of this finalised version kept, if it was printed yet."""
    query = (
        select(Printout.frozen)
        .where(
            Printout.record_id == record_id,
            Printout.record_version == version,
            Printout.audience == "court",
            Printout.finalised.is_(True),
            Printout.frozen.is_not(None),
        )
        .order_by(Printout.id)
        .limit(1)
    )
    kept: dict[str, Any] | None = session.scalar(query)
    return kept


def freeze(court: CourtDetails) -> dict[str, Any] | None:
    """The witness as the statement names them, or None while their profile is incomplete."""
    if court.witness is None or court.witness.missing:
        return None
    return as_signed(court)


def as_signed(court: CourtDetails) -> dict[str, Any]:
    """The witness as the statement names them, gaps and all (a compiled statement is made
    once: what it lacked is said on its front sheet, and a new one is made to fill it)."""
    signed = asdict(court.witness) if court.witness else None
    if signed is not None:
        signed["missing"] = list(signed["missing"])  # stored as JSON: as it will read back
    return {"witness": signed, "name": court.witness_name, "role": court.witness_role}


def thaw(document: PrintDocument, kept: dict[str, Any]) -> PrintDocument:
    """The document with the witness as kept, whatever their profile says today."""
    assert document.court is not None
    court = replace(
        document.court,
        witness_name=str(kept["name"]),
        witness_role=str(kept["role"]),
        witness=_witness(kept["witness"]),
    )
    return replace(document, court=court, author=str(kept["name"]))


def keep(
    *, session: Session, document: PrintDocument, record_id: int, version: int
) -> tuple[PrintDocument, dict[str, Any] | None]:
    """A finalised court statement with the witness it was first printed with, and what to keep
    with this printout."""
    if document.court is None:
        return document, None
    kept = kept_for(session=session, record_id=record_id, version=version)
    if kept is not None:
        return thaw(document, kept), kept
    return document, freeze(document.court)


def _witness(kept: dict[str, Any] | None) -> Witness | None:
    if kept is None:
        return None
    return Witness(**{**kept, "missing": tuple(kept.get("missing") or ())})
