"""Page 1 of a family copy: what matters, in plain words, before the detail (Signs of Safety).

Which answers feed each heading is the exemplar's `summary:` block; the answers are taken from
the sections already built for the recipient, so whatever their copy withholds stays withheld
here too. An answer the summary gives is said once: the detail does not repeat it.
"""

from dataclasses import replace

from app.auth.models import User
from app.config import get_settings
from app.engine.definitions import SUMMARY_HEADINGS
from app.engine.definitions import Summary as Declared
from app.printing.document import Answer, Complaints, Contact, Section, Summary, SummaryPart

LEFT_OUT = "the family copy gives the main points: this is in the full record"


def leaves_out(declared: Declared | None) -> frozenset[str]:
    """The fields and sections a summary-first copy leaves out for length."""
    return frozenset(declared.leaves_out) if declared else frozenset()


def split(declared: Declared, sections: list[Section]) -> tuple[list[Section], list[SummaryPart]]:
    """The summary's parts, in heading order, and the sections without the answers they took."""
    taken = {field for heading in SUMMARY_HEADINGS for field in getattr(declared, heading)}
    found: dict[str, Answer] = {a.field: a for s in sections for a in s.answers if a.field in taken}
    parts = [
        SummaryPart(heading, tuple(found[f] for f in getattr(declared, heading) if f in found))
        for heading in SUMMARY_HEADINGS
    ]
    rest = [
        replace(s, answers=tuple(a for a in s.answers if a.field not in found)) for s in sections
    ]
    return [s for s in rest if s.answers], parts


def contact(author: User | None) -> Contact:
    """The worker's name and how to reach them (their profile), the council's office otherwise."""
    settings = get_settings()
    if author is None:
        return Contact("", "", settings.council_phone, "", settings.council_address, _council())
    return Contact(
        worker=author.full_name,
        job_title=author.job_title or "",
        phone=author.work_phone or settings.council_phone,
        email=author.work_email or "",
        office=author.work_address or settings.council_address,
        council=_council(),
    )


def complaints() -> Complaints:
    settings = get_settings()
    return Complaints(
        phone=settings.council_complaints_phone,
        email=settings.council_complaints_email,
        address=settings.council_complaints_address,
        web=settings.council_complaints_web,
    )


def _council() -> str:
    return get_settings().council_name


def of(
    declared: Declared, sections: list[Section], author: User | None
) -> tuple[list[Section], Summary]:
    """Page 1 for this copy, and the detail that follows it."""
    rest, parts = split(declared, sections)
    return rest, Summary(tuple(parts), contact(author), complaints())
