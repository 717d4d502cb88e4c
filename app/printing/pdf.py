"""Render a PrintDocument to HTML and to PDF with WeasyPrint, safely.

One Jinja environment (autoescape on, undefined names are errors) over printouts/. WeasyPrint may
fetch only our own print folder and data: URIs, so a hostile value in a record cannot make the
renderer reach the network or the file system.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import weasyprint
import weasyprint.urls
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from ruamel.yaml import YAML

from app.printing.document import PrintDocument

PRINTOUTS = Path(__file__).resolve().parents[2] / "printouts"
TEMPLATES = {
    "worker": "worker/record.html",
    "family": "family/record.html",
    "child": "child/record.html",
    "court": "court/statement.html",
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
    loaded: dict[str, Any] = YAML(typ="safe").load((PRINTOUTS / "court" / "court.yaml").read_text())
    return loaded


@lru_cache(maxsize=1)
def family_words() -> dict[str, dict[str, str]]:
    loaded: dict[str, dict[str, str]] = YAML(typ="safe").load(
        (PRINTOUTS / "family" / "words.yaml").read_text()
    )
    return loaded


def render_html(document: PrintDocument) -> str:
    template = _environment().get_template(TEMPLATES[document.audience])
    return template.render(
        words=family_words()["cy" if document.welsh else "en"],
        doc=document,
        welsh=document.welsh,
        settings=court_settings(),
        chronology=document.chronology,
    )


class LocalFetcher(weasyprint.urls.URLFetcher):  # type: ignore[misc]
    """Only files inside printouts/ and data: URIs; everything else is refused, loudly."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file://"):
            path = Path(url.removeprefix("file://")).resolve()
            if not path.is_relative_to(PRINTOUTS):
                raise FetchRefused(f"printouts may not read {path}")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes
    pages: int


def render(document: PrintDocument) -> Rendered:
    """HTML once, laid out once: a tagged PDF (PDF/UA-1, bookmarks from headings), its pages."""
    html = render_html(document)
    laid_out = weasyprint.HTML(
        string=html, base_url=f"{PRINTOUTS}/", url_fetcher=LocalFetcher()
    ).render()
    pdf = bytes(laid_out.write_pdf(pdf_variant="pdf/ua-1"))
    return Rendered(html=html, pdf=pdf, pages=len(laid_out.pages))


def render_pdf(document: PrintDocument) -> bytes:
    return render(document).pdf


def render_letter(template: str, context: dict[str, Any]) -> bytes:
    """A letter from one of the printouts/ templates (invitations): same fetcher, same tagging."""
    html = _environment().get_template(template).render(**context)
    page = weasyprint.HTML(string=html, base_url=f"{PRINTOUTS}/", url_fetcher=LocalFetcher())
    return bytes(page.write_pdf(pdf_variant="pdf/ua-1"))
