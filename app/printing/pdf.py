"""Render a PrintDocument to HTML and to PDF with WeasyPrint, safely.

One Jinja environment (autoescape on, undefined names are errors) over printouts/. WeasyPrint may
fetch only our own print folder and data: URIs, so a hostile value in a record cannot make the
renderer reach the network or the file system.
"""

import re
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import weasyprint
import weasyprint.urls
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from ruamel.yaml import YAML

from app.engine import readers
from app.engine.readers import reader
from app.printing import evidence, tagging
from app.printing.document import Answer, PrintDocument

PRINTOUTS = Path(__file__).resolve().parents[2] / "printouts"
NOT_ANSWERED = "Not answered"
BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
# Wording the family letter needs that words.yaml may not have yet; the YAML wins when it does.
WORD_DEFAULTS = {
    "en": {
        "comments": "What do you think?",
        "comments_text": "Write anything you want to add, or anything you disagree with.",
    },
    "cy": {
        "comments": "Beth ydych chi'n ei feddwl?",
        "comments_text": "Ysgrifennwch unrhyw beth rydych am ei ychwanegu, neu unrhyw beth "
        "rydych yn anghytuno ag ef.",
    },
}


class FetchRefused(ValueError):
    pass


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(PRINTOUTS),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def court_settings() -> dict[str, Any]:
    """Court wording and headings from printouts/court/court.yaml."""
    loaded: dict[str, Any] = YAML(typ="safe").load((PRINTOUTS / "court" / "court.yaml").read_text())
    return loaded


@lru_cache(maxsize=1)
def family_words() -> dict[str, dict[str, str]]:
    """The family letter's own wording, per language, with defaults for keys not yet in YAML."""
    loaded: dict[str, dict[str, str]] = YAML(typ="safe").load(
        (PRINTOUTS / "family" / "words.yaml").read_text()
    )
    return {lang: {**WORD_DEFAULTS[lang], **loaded[lang]} for lang in WORD_DEFAULTS}


@lru_cache(maxsize=1)
def reply_words() -> dict[str, Any]:
    """The reply slip's and the recorded disagreements' wording, per language (reply.yaml)."""
    loaded: dict[str, Any] = YAML(typ="safe").load((PRINTOUTS / "reply.yaml").read_text())
    return loaded


@lru_cache(maxsize=8)
def _folder_words(folder: str) -> dict[str, Any]:
    path = PRINTOUTS / folder / "words.yaml"
    loaded: dict[str, Any] = YAML(typ="safe").load(path.read_text()) if path.exists() else {}
    return loaded or {}


def words_for(document: PrintDocument) -> dict[str, str]:
    """The printout's fixed wording in its language: the family letter's, with its own folder's
    words for the reader's age band laid over them (printouts/child/words.yaml: young, older)."""
    lang = "cy" if document.welsh else "en"
    words = dict(family_words()[lang])
    row = reader(document.audience)
    # A document that names no band (its reader's age unknown) reads the last, as voice() does.
    band = document.band or (row.age_bands[-1].name if row.age_bands else "")
    if band:
        folder = row.printout.split("/")[0]
        words.update(_folder_words(folder).get(lang, {}).get(band, {}))
    return words


def relation_words(welsh: bool) -> dict[str, str]:
    """How someone is related to the child, in Welsh for a Welsh copy (words.yaml, relations)."""
    return dict(_folder_words("family").get("relations_cy") or {}) if welsh else {}


def reply_words_for(document: PrintDocument) -> dict[str, str]:
    """The reply slip's wording in the copy's language; a child's own copy speaks to the child."""
    lang = "cy" if document.welsh else "en"
    loaded = reply_words()
    words: dict[str, str] = dict(loaded[lang])
    if reader(document.audience).copy_for == "child":
        words.update(loaded.get("to_child", {}).get(lang, {}))
    return words


def paragraphs(text: str | None) -> list[str]:
    """The writer's paragraphs: split on blank lines, whatever the line endings."""
    cleaned = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return [part.strip() for part in BLANK_LINES.split(cleaned) if part.strip()]


def _printable(answer: Answer) -> Answer:
    """An answer with nothing to print reads "Not answered", never "None", blank or "No"."""
    if answer.kind == "rows" and answer.rows:
        return answer
    if answer.kind == "blank" or not (answer.text or "").strip():
        return replace(answer, kind="blank", text=(answer.text or "").strip() or NOT_ANSWERED)
    if answer.kind == "narrative":
        return replace(answer, text="\n\n".join(paragraphs(answer.text)))
    return answer


def _for_print(document: PrintDocument) -> PrintDocument:
    sections = tuple(
        replace(s, answers=tuple(_printable(a) for a in s.answers)) for s in document.sections
    )
    return replace(document, sections=sections)


def _check(document: PrintDocument) -> None:
    if document.audience not in readers.installed().readers:
        raise ValueError(f"no printout for the audience {document.audience!r}")
    if reader(document.audience).court_statement and document.court is None:
        raise ValueError("a court statement needs its court details (court, witness, number)")


def render_html(document: PrintDocument) -> str:
    """The printout as one HTML page, every value escaped."""
    _check(document)
    shown = _for_print(document)
    row = reader(shown.audience)  # which template, and its security marking, per readers.yaml
    template = _environment().get_template(row.printout)
    return template.render(
        words=words_for(shown),
        relations=relation_words(shown.welsh),
        reply=reply_words_for(shown),
        doc=shown,
        welsh=shown.welsh,
        marking=row.marking,
        paragraphs=paragraphs,
        arrange=evidence.arrange,
        settings=court_settings(),
        chronology=shown.chronology,
    )


class LocalFetcher(weasyprint.urls.URLFetcher):  # type: ignore[misc]
    """Only files inside printouts/ and data: URIs; everything else is refused, loudly."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> Any:
        return super().fetch(allowed_url(url), headers)


def allowed_url(url: str) -> str:
    """What the fetcher may open for `url`: a data: URI as it is, or the canonical file: URI of
    a file inside printouts/. Anything else raises FetchRefused.

    The path is decoded once and resolved (so `%2e%2e`, `..` and symbolic links cannot climb out)
    before the check, and the opener is handed the checked path rather than the URL it came
    from, so no later decoding can read a different file from the one that was checked.
    """
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()  # FILE: and Data: are the same schemes to urllib
    if scheme == "data":
        return url
    if scheme == "file" and parts.netloc in {"", "localhost"}:
        path = Path(urllib.request.url2pathname(parts.path)).resolve()
        if path.is_relative_to(PRINTOUTS):
            return path.as_uri()
    raise FetchRefused(f"printouts may read only their own files and data: URIs, not {url[:200]}")


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes
    pages: int


def _layout(html: str) -> Any:
    # The trailing slash matters: without it "print.css" resolves against printouts/'s parent.
    page = weasyprint.HTML(string=html, base_url=f"{PRINTOUTS}/", url_fetcher=LocalFetcher())
    return page.render()


def render(document: PrintDocument) -> Rendered:
    """HTML once, laid out once: a tagged PDF (PDF/UA-1, bookmarks from headings, the margins
    as artifacts), its pages."""
    html = render_html(document)
    laid_out = _layout(html)
    pdf = tagging.for_readers(bytes(laid_out.write_pdf(pdf_variant="pdf/ua-1")))
    return Rendered(html=html, pdf=pdf, pages=len(laid_out.pages))


@dataclass(frozen=True)
class Length:
    """How many pages (to a tenth) one bookmarked part of a printout takes."""

    title: str
    pages: float


@dataclass(frozen=True)
class Measured:
    pages: int
    parts: tuple[Length, ...]  # longest first


def measure(document: PrintDocument) -> Measured:
    """Lay the printout out and measure it: its pages, and each heading's share of them, from the
    bookmarks (a heading runs from its bookmark to the next one)."""
    laid_out = _layout(render_html(document))
    height = laid_out.pages[0].height if laid_out.pages else 1
    marks = list(_marks(laid_out.make_bookmark_tree(), (), height))
    ends = [start for _, start in marks[1:]] + [float(len(laid_out.pages))]
    spans: dict[str, float] = {}
    for (title, start), end in zip(marks, ends, strict=True):
        spans[title] = spans.get(title, 0.0) + max(end - start, 0.0)
    parts = sorted((Length(t, round(n, 1)) for t, n in spans.items()), key=lambda x: -x.pages)
    return Measured(pages=len(laid_out.pages), parts=tuple(parts))


def _marks(tree: Any, above: tuple[str, ...], height: float) -> Any:
    """Each bookmark in reading order as ("Heading › Part", where it starts in pages)."""
    for label, (page, _x, y), children, _state in tree:
        path = (*above, label) if above else ("",)  # the top level is the document's title
        yield " › ".join(p for p in path if p) or label, page + y / height
        yield from _marks(children, path, height)


def render_pdf(document: PrintDocument) -> bytes:
    """The printout as PDF bytes: real, searchable text."""
    return render(document).pdf


def render_letter(template: str, context: dict[str, Any]) -> bytes:
    """A letter from one of the printouts/ templates (invitations): same fetcher, same tagging."""
    return letter(template, context).pdf


def letter(template: str, context: dict[str, Any]) -> Rendered:
    """A letter laid out once: its HTML (for the checksum), the PDF and its pages."""
    html = _environment().get_template(template).render(**context)
    laid_out = _layout(html)
    pdf = tagging.for_readers(bytes(laid_out.write_pdf(pdf_variant="pdf/ua-1")))
    return Rendered(html=html, pdf=pdf, pages=len(laid_out.pages))
