"""One renderer, four readers: a record becomes a PrintDocument for one audience, then a PDF.

The audience picks the label form, the fields that appear (per-field audiences in the YAML) and what
is withheld. Nothing is edited to redact: what a reader may not see is left out at render time,
and the list of what was left out, and why, is kept with the printout. A finalised record prints
from its frozen snapshot, so its printout reads the same years later.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.attachments import service as attachments
from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth import service as auth
from app.auth.models import User
from app.config import get_settings
from app.engine import answers as engine
from app.engine import glossary as glossary_words
from app.engine.checks import ANY_ANSWER
from app.engine.definitions import Audience, FieldDef, in_language, text_for
from app.engine.display import Names, describe, long_date
from app.engine.library import Exemplar, Library
from app.engine.readers import Voice, own_wording, reader, voice
from app.errors import Invalid, NotFound
from app.printing import genogram, pdf, readability, recipients, replies, witness
from app.printing import summary as summaries
from app.printing.document import (
    Answer,
    Attached,
    ChronologyEntry,
    CourtDetails,
    GlossaryTerm,
    PenPicture,
    PrintDocument,
    Section,
    Summary,
    Witness,
)
from app.printing.models import Printout, PrintoutDelivery
from app.records import service as records

if TYPE_CHECKING:
    from app.records.models import Record

UNPLACED_HEADING = "harm"  # a section that names no SWET heading (the lint says so)


@dataclass(frozen=True)
class Withheld:
    what: str
    why: str
    key: str = ""  # the preview's handle on a withheld item the worker may release
    releasable: bool = False
    flagged: bool = False
    note: str | None = None  # released by the worker, with this note: it prints

    @property
    def released(self) -> bool:
        return self.note is not None


def _kept(outcomes: list[recipients.Outcome], withheld: list[Withheld]) -> None:
    withheld.extend(
        Withheld(o.item.what, o.item.why, o.item.key, o.item.releasable, o.item.flagged, o.note)
        for o in outcomes
    )


def build(
    *,
    session: Session,
    library: Library,
    record: Record,
    audience: Audience,
    author: User | None,
    lang: str = "en",
    version: int | None = None,
    recipient: str | None = None,
    released: recipients.Released | None = None,
) -> tuple[PrintDocument, list[Withheld]]:
    """The printout of one record for one reader (or of one of its finalised versions), and
    what was withheld from it. A family copy is for `recipient` ("person-12"); `released`
    holds what the worker released to them, with a note each."""
    exemplar = records.definition_of(library=library, record=record)
    source = records.source_of(session=session, record=record, version=version)
    version = source.version or record.version
    withheld: list[Withheld] = []
    child = str(source.facts.get("child.first_name") or "")
    names = records.names_of(source)
    row = reader(audience)
    reference = f"{source.facts.get('case.case_number')}/{record.id}/v{version}"
    spoken = voice(audience, age=_age(source))
    screen = _screen(exemplar, source, recipient, released or {}, row.copy_for)
    said = _Said(audience, child, names, lang, spoken)
    declared = exemplar.definition.summary if row.summary_first else None
    leaving = summaries.leaves_out(declared)
    sections = _sections(exemplar, source, said, withheld, screen, leaving)
    summary = None
    if declared is not None:
        sections, summary = summaries.of(declared, sections, author)
    pictures = _pen_pictures(source, audience, withheld, screen)
    document = PrintDocument(
        audience=audience,
        title=in_language(
            exemplar.definition.title,
            exemplar.definition.title_cy,
            audience,
            lang=lang,
            child=child,
            voice=spoken,
        ),
        welsh=lang == "cy",
        band=spoken.band,
        child_age=_age(source),
        family_diagram=genogram.draw(source.people) if row.family_diagram else "",
        family_diagram_text=genogram.describe(source.people) if row.family_diagram else "",
        child_name=str(source.facts.get("child.full_name") or ""),
        child_dob=long_date(source.facts["child.date_of_birth"])
        if source.facts.get("child.date_of_birth")
        else None,
        case_number=str(source.facts.get("case.case_number") or ""),
        record_status=_status(record, source, version, lang),
        author=author.full_name if author else "",
        sections=tuple(sections),
        pen_pictures=pictures,
        recipient=screen.recipient.title if screen else "",
        recipient_name=screen.recipient.name if screen else "",
        refused=_refusal(screen),
        glossary=_glossary(library, sections, audience, pictures, summary, lang),
        court=_court(session, record, source, author) if row.court_statement else None,
        chronology=_chronology(session, library, record) if row.chronology else (),
        reference=reference,
        attachments=_attachments(session, exemplar, source, record, audience, withheld),
        disagreements=replies.disagreements(
            session=session,
            record_id=record.id,
            version=version,
            row=row,
            recipient=screen.recipient.name if screen else "",
        ),
        reply_link=_reply_link(reference) if row.copy_for != "none" else "",
        summary=summary,
    )
    return document, withheld


def _reply_link(reference: str) -> str:
    """The council's reply page with this copy's reference, so an online reply finds it."""
    return f"{get_settings().reply_url}?{urlencode({'ref': reference}, safe='/')}"


def _attachments(
    session: Session,
    exemplar: Exemplar,
    source: records.Source,
    record: Record,
    audience: Audience,
    withheld: list[Withheld],
) -> tuple[Attached, ...]:
    """The files named by the attachment answers this reader sees, as far as readers.yaml's
    `attachments_marked_for` lets them see each; a withdrawn file is never printed again."""
    marked_for = reader(audience).attachments_marked_for
    if marked_for == "none":
        return ()
    shown = engine.visibility(exemplar, answers=source.answers, facts=source.facts)
    ids: list[int] = []
    for item in exemplar.fields.values():
        answer = source.answers.get(item.id)
        if not isinstance(answer, dict) or item.type != "attachment":
            continue
        if shown.fields.get(item.id) and _for(exemplar, item, audience):
            ids += [i for i in answer.get("value") or [] if isinstance(i, int) and i not in ids]
    found = attachments.by_ids(session=session, case_id=record.case_id, ids=ids)
    printed = []
    for attachment in found:
        marks = {"any": True, "family": attachment.for_family, "child": attachment.for_child}
        if attachment.withdrawn_at is not None or not marks[marked_for]:
            why = "withdrawn" if attachment.withdrawn_at else f"not marked for the {audience}"
            withheld.append(Withheld(attachment.title, why))
            continue
        image = attachment.content_type.startswith("image/")
        data = attachments.content_of(session=session, attachment=attachment) if image else b""
        printed.append(
            Attached(attachment.title, attachment.description, attachment.content_type, data)
        )
    return tuple(printed)


def _screen(
    exemplar: Exemplar,
    source: records.Source,
    key: str | None,
    released: recipients.Released,
    copy_for: str,
) -> recipients.Screen | None:
    """What a copy for one recipient screens out (None: a worker's or court copy)."""
    if copy_for == "person" and key and not recipients.in_network(source.people, key):
        # Someone outside the child's network (Ruby's plan, asked for her sister's father) is
        # refused with the reason, and not named: the id may be of anyone in the database.
        outsider = recipients.outsider(source.people, key, "The person chosen")
        return recipients.Screen(outsider, {}, [])
    recipient = recipients.recipient_for(source.people, key, copy_for)
    if recipient is None:
        return None
    anonymous = exemplar.definition.anonymous_source
    found = recipients.needles(anonymous, source.answers, source.people, recipient)
    return recipients.Screen(recipient, released, found)


def _refusal(screen: recipients.Screen | None) -> str:
    refused = screen is not None and screen.recipient.standing == "refused"
    return f"{screen.recipient.reason}" if screen and refused else ""


def _status(record: Record, source: records.Source, version: int, lang: str = "en") -> str:
    on = long_date(source.on.isoformat(), lang)
    if lang == "cy":
        # Read after "Fe'i hysgrifennwyd gan …,": "and completed on 7 December 2026 (version 1)".
        return f"a'i gwblhau ar {on} (fersiwn {version})" if source.finalised else f"DRAFFT, {on}"
    if source.finalised:
        return f"Finalised {on}, version {version}"
    return f"DRAFT ({record.status.value}), printed {on}"


def _age(source: records.Source) -> int | None:
    """The child's age in whole years on the record's date (a child's wording goes by it)."""
    born = source.facts.get("child.date_of_birth")
    if not born:
        return None
    birth = date.fromisoformat(str(born))
    before_birthday = (source.on.month, source.on.day) < (birth.month, birth.day)
    return source.on.year - birth.year - before_birthday


@dataclass(frozen=True)
class _Said:
    """Who a printout's words are for: reader, child's first name, names, language, voice."""

    audience: Audience
    child: str
    names: Names
    lang: str
    voice: Voice


def _sections(
    exemplar: Exemplar,
    source: records.Source,
    said: _Said,
    withheld: list[Withheld],
    screen: recipients.Screen | None = None,
    leaving: frozenset[str] = frozenset(),
) -> list[Section]:
    shown = engine.visibility(exemplar, answers=source.answers, facts=source.facts)
    result = []
    for section in exemplar.definition.sections:
        if not shown.sections[section.id]:
            continue
        if section.id in leaving:
            withheld.append(Withheld(text_for(section.title, "worker"), summaries.LEFT_OUT))
            continue
        answers = []
        for item in section.fields:
            if not shown.fields[item.id]:
                continue
            if item.id in leaving:
                if source.answers.get(item.id) is not None:
                    withheld.append(Withheld(text_for(item.label, "worker"), summaries.LEFT_OUT))
                continue
            answer = _shown(exemplar, item, source, said, withheld, screen)
            answers += [answer] if answer else []
        if answers:
            title = in_language(
                section.title, section.title_cy, said.audience,
                lang=said.lang, child=said.child, voice=said.voice,
            )  # fmt: skip
            result.append(
                Section(
                    title=title,
                    answers=tuple(answers),
                    court_heading=section.court_heading or UNPLACED_HEADING,
                )
            )
    return result


def _shown(
    exemplar: Exemplar,
    item: FieldDef,
    source: records.Source,
    said: _Said,
    withheld: list[Withheld],
    screen: recipients.Screen | None,
) -> Answer | None:
    """One field's answer as this reader sees it, or None (and why, in `withheld`)."""
    audience = said.audience
    answer = source.answers.get(item.id)
    label = text_for(item.label, "worker")
    if not _for(exemplar, item, audience) or not own_wording(item.label, audience):
        if answer is not None:
            withheld.append(Withheld(label, f"not for the {audience}"))
        return None
    unchecked = isinstance(answer, dict) and "awaiting_check" in answer
    if unchecked and not reader(audience).sees_unchecked_dictation:
        withheld.append(Withheld(label, "typed for the author, not yet checked by them"))
        return None
    if _unanswered(answer) and reader(audience).leaves_out_unanswered:
        withheld.append(Withheld(label, "not answered: left out", f"blank:{item.id}"))
        return None
    shown_answer = _answer(exemplar, item, answer, said)
    shown_answer = replace(shown_answer, court_heading=item.court_heading, field=item.id)
    if screen is None:
        return shown_answer
    screened, outcomes = recipients.screen(item, answer, shown_answer, label, screen)
    _kept(outcomes, withheld)
    return screened


def _unanswered(answer: Any) -> bool:
    """Nothing typed and no absence code ("Not known" is an answer; blank is not)."""
    if not isinstance(answer, dict) or ("value" not in answer and "absent" not in answer):
        return True
    return "absent" not in answer and answer.get("value") in (None, "", [])


def _for(exemplar: Exemplar, item: FieldDef, audience: Audience) -> bool:
    """Whether the field is written for anyone this reader reads for (readers.yaml)."""
    written_for = item.audiences or exemplar.definition.audiences
    return any(name in written_for for name in reader(audience).reads_fields_for)


def _answer(exemplar: Exemplar, item: FieldDef, answer: Any, said: _Said) -> Answer:
    audience, child = said.audience, said.child
    shown = describe(
        exemplar, item, answer, audience=audience, names=said.names, child=child,
        voice=said.voice, lang=said.lang,
    )  # fmt: skip
    source = shown.source if reader(audience).sees_provenance else None  # pre-fill, who typed
    return Answer(
        label=shown.label,
        text=shown.text,
        kind=shown.kind,
        rows=shown.rows,
        source=source,
        own_words=shown.own_words,
        own_words_columns=shown.own_words_columns,
        sentence=_sentence(item, answer, shown.text, child) if shown.kind == "value" else None,
    )


def _sentence(item: FieldDef, answer: Any, text: str, child: str) -> str | None:
    """The answer as the sentence its field declares for the court (court_sentence)."""
    if not item.court_sentence or not isinstance(answer, dict) or "value" not in answer:
        return None
    value = answer["value"]
    code = value.get("answer") if isinstance(value, dict) else value  # a yes/no with "when"
    chosen = item.court_sentence.get(str(code)) or item.court_sentence.get(ANY_ANSWER)
    return chosen.format(child=child, answer=text) if chosen else None


def _pen_pictures(
    source: records.Source,
    audience: Audience,
    withheld: list[Withheld],
    screen: recipients.Screen | None = None,
) -> tuple[PenPicture, ...]:
    """Everyone around the child, written once and shown on every printout (addresses never);
    a family copy carries only what its recipient may read of other people's."""
    pictures = []
    reading = screen.recipient if screen else None
    for entry in source.people:
        parts = tuple(reader(audience).pen_picture_parts)
        text, outcomes = recipients.pen_picture(
            entry, parts, reading, screen.released if screen else {}
        )
        _kept(outcomes, withheld)
        if not text and not outcomes:
            continue
        confidential = entry["person"].get("address_confidential")
        if confidential and not reader(audience).sees_confidential_addresses:
            withheld.append(
                Withheld(f"{entry['person']['full_name']}'s address", "confidential address")
            )
        relation = str(entry.get("relationship_to_child") or "")
        if reader(audience).pen_pictures == "names":  # the child: who is who, not what adults wrote
            text = ""
        pictures.append(
            PenPicture(name=str(entry["person"]["full_name"]), relationship=relation, text=text)
        )
    return tuple(pictures)


def _glossary(
    library: Library,
    sections: list[Section],
    audience: Audience,
    pictures: tuple[PenPicture, ...] = (),
    summary: Summary | None = None,
    lang: str = "en",
) -> tuple[GlossaryTerm, ...]:
    """Each glossary term (or alias) the printout uses as whole words, with its plain meaning:
    in titles, labels, answers, table cells, pen-pictures and the summary alike."""
    if not reader(audience).glossary:
        return ()
    text = "\n".join(_words_of(sections, pictures, summary))
    return tuple(
        GlossaryTerm(term=term.term_cy or "", explanation=term.explanation_cy or "")
        if lang == "cy" and term.term_cy and term.explanation_cy
        else GlossaryTerm(term.term, term.explanation, english=lang == "cy")
        for term in glossary_words.terms_in(library.glossary, text)
    )


def _words_of(
    sections: list[Section], pictures: tuple[PenPicture, ...], summary: Summary | None
) -> list[str]:
    answers = [a for s in sections for a in s.answers]
    if summary is not None:
        answers += [a for part in summary.parts for a in part.answers]
    words = [s.title for s in sections] + [p.text for p in pictures]
    for answer in answers:
        words += [answer.label, answer.text or ""]
        words += [f"{label}: {cell}" for row in answer.rows for label, cell in row]
    return words


def _chronology(session: Session, library: Library, record: Record) -> tuple[ChronologyEntry, ...]:
    """The child's chronology: frozen in the snapshot of a finalised record, live for a draft."""
    entries = records.chronology_for_print(session=session, library=library, record=record)
    return tuple(
        ChronologyEntry(entry.date_text, entry.what, entry.source, entry.significance)
        for entry in entries
    )


def _court(
    session: Session, record: Record, source: records.Source, author: User | None
) -> CourtDetails:
    """The front sheet: the court from court.yaml, the council from settings, the respondents
    from the child's relationships, the witness from their profile."""
    council = get_settings().council_name
    return CourtDetails(
        court=str(pdf.court_settings()["court_name"]),
        case_number=str(source.facts.get("case.case_number") or ""),
        party=f"Applicant: {council}",
        applicant=council,
        respondents=_respondents(source.people),
        witness_name=author.full_name if author else "",
        witness_role=(author.job_title or author.role.label) if author else "",
        witness=_witness(author),
        statement_number=_statement_number(session, record, author),
        statement_date=source.on,
    )


def _respondents(people: list[dict[str, Any]]) -> tuple[str, ...]:
    """The child's parents and anyone holding parental responsibility, as recorded (and frozen)."""
    child = next((p for p in people if p.get("role") == "child"), None)
    if child is None:
        return ()
    child_id = child["person"]["id"]
    parents = set(pdf.court_settings().get("respondent_relationships") or ())
    found = []
    for entry in people:
        for link in entry.get("links") or ():
            current = link["to"] == child_id and not link.get("ended_on")
            if current and (link["type"] in parents or link.get("pr")):
                relation = entry.get("relationship_to_child") or link["type"]
                found.append(f"{entry['person']['full_name']} ({relation})")
                break
    return tuple(found)


def _witness(author: User | None) -> Witness | None:
    if author is None:
        return None
    return Witness(
        name=author.full_name,
        job_title=author.job_title or "",
        employer=author.employer or "",
        work_address=author.work_address or "",
        qualifications=author.qualifications or "",
        registration_number=author.registration_number or "",
        missing=tuple(auth.missing_from_profile(author)),
    )


def _statement_number(session: Session, record: Record, author: User | None) -> int:
    """This witness's statements in this case, counted by when each was first printed for the
    court: a reprint keeps its number, the next statement is one more."""
    if author is None:
        return 1
    theirs = [
        r.id
        for r in records.records_for_case(session=session, case_id=record.case_id)
        if r.author_id == author.id
    ]
    rows = session.execute(
        select(Printout.record_id, func.min(Printout.id))
        .where(Printout.record_id.in_(theirs), Printout.audience == "court")
        .group_by(Printout.record_id)
    )
    first_printed: dict[int, int] = {
        record_id: first for record_id, first in rows if record_id is not None
    }
    own = first_printed.pop(record.id, None)
    return 1 + sum(1 for first in first_printed.values() if own is None or first < own)


def recipients_of(
    *, session: Session, record: Record, version: int | None = None
) -> list[recipients.Recipient]:
    """The adults in the child's network a family copy could be for, each with their standing."""
    source = records.source_of(session=session, record=record, version=version)
    return recipients.choices(source.people)


def author_of(*, session: Session, record: Record) -> User | None:
    """Who wrote the record: the witness of a court statement, the signature on a letter."""
    return session.get(User, record.author_id) if record.author_id else None


@dataclass(frozen=True)
class Printed:
    printout: Printout
    pdf: bytes
    withheld: list[Withheld]


@dataclass(frozen=True)
class Prepared:
    """Everything a printout is made of, read from the database; rendering needs nothing more."""

    record_id: int
    record_version: int
    case_id: int
    finalised: bool
    document: PrintDocument
    withheld: list[Withheld]
    frozen: dict[str, Any] | None = None  # the witness a court statement keeps (witness.py)


def prepare(
    *,
    session: Session,
    library: Library,
    record_id: int,
    audience: Audience,
    large_print: bool = False,
    lang: str = "en",
    version: int | None = None,
    recipient: str | None = None,
    released: recipients.Released | None = None,
) -> Prepared:
    """Read what one printout needs. The caller may end its transaction before rendering, so a
    long print holds no lock while WeasyPrint lays out the pages. `version` prints an earlier
    finalised version from its snapshot."""
    record = records.get(session=session, record_id=record_id)
    author = author_of(session=session, record=record)
    document, withheld = build(
        session=session,
        library=library,
        record=record,
        audience=audience,
        author=author,
        lang=lang,
        version=version,
        recipient=recipient,
        released=released,
    )
    if document.refused:
        raise Invalid(f"No copy is made: {document.refused}.", field="recipient")
    finalised = version is not None or record.status == records.RecordStatus.FINALISED
    document = replace(document, large_print=large_print)
    printed = version or record.version
    frozen = None
    if finalised:
        document, frozen = witness.keep(
            session=session, document=document, record_id=record.id, version=printed
        )
    return Prepared(record.id, printed, record.case_id, finalised, document, withheld, frozen)


def store(*, session: Session, actor: User, prepared: Prepared, rendered: pdf.Rendered) -> Printed:
    """Keep the printout (checksum, pages, what was withheld) and audit it."""
    document = prepared.document
    printout = Printout(
        record_id=prepared.record_id,
        record_version=prepared.record_version,
        audience=document.audience,
        large_print=document.large_print,
        language="cy" if document.welsh else "en",
        finalised=prepared.finalised,
        checksum=hashlib.sha256(rendered.html.encode()).hexdigest(),
        pages=rendered.pages,
        withheld=[{"what": w.what, "why": w.why} for w in prepared.withheld if not w.released],
        released=[
            {"what": w.what, "why": w.why, "note": w.note} for w in prepared.withheld if w.released
        ],
        recipient=document.recipient_name or None,
        frozen=prepared.frozen,
        created_by_id=actor.id,
    )
    session.add(printout)
    session.flush()
    detail = {
        "audience": document.audience,
        "printout": printout.id,
        "checksum": printout.checksum,
        "released": len(printout.released),
    }
    audit.record(
        session=session,
        actor=actor,
        action=AuditAction.RECORD_PRINT,
        target_type="record",
        target_id=prepared.record_id,
        case_id=prepared.case_id,
        detail=detail,
    )
    return Printed(printout=printout, pdf=rendered.pdf, withheld=prepared.withheld)


def print_record(
    *,
    session: Session,
    library: Library,
    actor: User,
    record_id: int,
    audience: Audience,
    large_print: bool = False,
    lang: str = "en",
    version: int | None = None,
    recipient: str | None = None,
    released: recipients.Released | None = None,
) -> Printed:
    """Prepare, render and store one printout in one go (routes split it: see `prepare`)."""
    prepared = prepare(
        session=session,
        library=library,
        record_id=record_id,
        audience=audience,
        large_print=large_print,
        lang=lang,
        version=version,
        recipient=recipient,
        released=released,
    )
    return store(
        session=session, actor=actor, prepared=prepared, rendered=pdf.render(prepared.document)
    )


def deliver(
    *, session: Session, actor: User, printout_id: int, recipient: str, method: str
) -> PrintoutDelivery:
    """Log that a printout went to someone (the distribution log)."""
    delivery = PrintoutDelivery(
        printout_id=printout_id, recipient=recipient, method=method, sent_by_id=actor.id
    )
    session.add(delivery)
    session.flush()
    return delivery


def store_letter(
    *,
    session: Session,
    actor: User,
    meeting_id: int,
    invitee: int,
    wording: str,
    rendered: pdf.Rendered,
    recipient: str,
    method: str,
) -> PrintoutDelivery:
    """A meeting's invitation letter to one invitee, kept as a printout and logged as sent."""
    printout = Printout(
        meeting_id=meeting_id,
        invitee=invitee,
        audience=wording,
        checksum=hashlib.sha256(rendered.html.encode()).hexdigest(),
        pages=rendered.pages,
        withheld=[],
        created_by_id=actor.id,
    )
    session.add(printout)
    session.flush()
    return deliver(
        session=session, actor=actor, printout_id=printout.id, recipient=recipient, method=method
    )


@dataclass(frozen=True)
class LetterSent:
    invitee: int
    printout_id: int
    recipient: str
    method: str
    sent_at: datetime


def letters_of(*, session: Session, meeting_id: int) -> list[LetterSent]:
    """Every invitation letter of a meeting sent so far, oldest first (the distribution log)."""
    rows = session.execute(
        select(Printout.invitee, PrintoutDelivery)
        .join(PrintoutDelivery, PrintoutDelivery.printout_id == Printout.id)
        .where(Printout.meeting_id == meeting_id)
        .order_by(PrintoutDelivery.id)
    ).all()
    return [
        LetterSent(int(number or 0), d.printout_id, d.recipient, d.method, d.sent_at)
        for number, d in rows
    ]


def readability_of(document: PrintDocument, library: Library) -> readability.Readability:
    """Reading age of the whole text that will print (fixed wording, answers, tables, glossary),
    by the standard scorer; the longest sentences of the answers, which the worker can shorten;
    the glossary terms it explains."""
    text = readability.text_of_html(pdf.render_html(document))
    measured = readability.measure(text)
    answers = [a for s in document.sections for a in s.answers]
    if document.summary is not None:
        answers += [a for part in document.summary.parts for a in part.answers]
    written = [a.text or "" for a in answers] + [c for a in answers for r in a.rows for _, c in r]
    terms = tuple(t.term for t in glossary_words.terms_in(library.glossary, text))
    return replace(measured, long_sentences=readability.longest("\n".join(written)), jargon=terms)


@dataclass(frozen=True)
class PageBudget:
    """A court statement's length against the court's page limit (court.yaml)."""

    pages: int
    limit: int
    longest: tuple[pdf.Length, ...]

    @property
    def over(self) -> bool:
        return self.pages > self.limit


def page_budget(document: PrintDocument, *, limit: int | None = None) -> PageBudget | None:
    """For a court statement: its pages, the court's limit and its three longest parts."""
    if not reader(document.audience).court_statement:
        return None
    measured = pdf.measure(document)
    limit = limit if limit is not None else int(pdf.court_settings()["page_limit"])
    return PageBudget(pages=measured.pages, limit=limit, longest=measured.parts[:3])


def get_printout(*, session: Session, printout_id: int) -> Printout:
    printout = session.get(Printout, printout_id)
    if printout is None:
        raise NotFound(f"No printout with id {printout_id}.", field="printout_id")
    return printout


def case_of(*, session: Session, printout: Printout) -> int:
    """The case a printout belongs to: its own for a compiled statement, its record's otherwise."""
    if printout.case_id is not None:
        return printout.case_id
    assert printout.record_id is not None
    return records.get(session=session, record_id=printout.record_id).case_id


def printouts_of(
    *, session: Session, record_id: int
) -> list[tuple[Printout, list[PrintoutDelivery]]]:
    """Every printout of a record, newest first, with where each went."""
    made = session.scalars(
        select(Printout).where(Printout.record_id == record_id).order_by(Printout.id.desc())
    ).all()
    sent = session.scalars(
        select(PrintoutDelivery).where(PrintoutDelivery.printout_id.in_([p.id for p in made]))
    ).all()
    return [(p, [d for d in sent if d.printout_id == p.id]) for p in made]
