"""What a file is, from its bytes alone: PNG, JPEG or PDF, checked whole, images re-encoded.

The name and the browser's content type are never believed. An image is decoded by Pillow and
written again from its pixels, so what is kept is only a picture: no metadata (a photo's GPS
position, which could say where a child lives), and nothing smuggled after or inside it. A file
that is also another kind of file (a polyglot: a PNG that a PDF reader or a browser would open
as something else) is refused, not cleaned, because it was made to deceive.
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from app.errors import Invalid

PNG, JPEG, PDF = "image/png", "image/jpeg", "application/pdf"
SIGNATURES = ((b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"%PDF-", PDF))
PILLOW_FORMAT = {PNG: "PNG", JPEG: "JPEG"}
EXTENSION = {PNG: "png", JPEG: "jpg", PDF: "pdf"}
# What another program would take a file for, anywhere in it: a PDF reader looks for %PDF in the
# first kilobyte, an archive tool for a zip's entries, a browser for markup.
FOREIGN = (b"%PDF-", b"PK\x03\x04", b"<script", b"<html", b"<svg", b"<?php", b"<!doctype")
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/OpenAction", b"/AA")
MAX_PIXELS = 40_000_000  # a 10 MB file claiming more is a decompression bomb
LONGEST_SIDE = 2400  # enough to read a child's drawing or a letter; keeps printouts light
FIELD = "file"


@dataclass(frozen=True)
class Checked:
    """The bytes to keep and what they are."""

    content: bytes
    content_type: str


def detect(data: bytes) -> str:
    """The type the bytes begin with, or a refusal naming the file field."""
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    raise Invalid("The file must be a PNG, JPEG or PDF.", field=FIELD)


def check(data: bytes) -> Checked:
    """The file as it will be kept, or a refusal that says what is wrong with it."""
    kind = detect(data)
    if kind == PDF:
        _check_pdf(data)
        return Checked(data, PDF)
    _refuse_polyglot(data, kind)
    return Checked(_reencoded(data, kind), kind)


def _refuse_polyglot(data: bytes, kind: str) -> None:
    lowered = data.lower()
    if any(marker.lower() in lowered for marker in FOREIGN):
        raise Invalid("The file is not only an image: it cannot be added.", field=FIELD)
    if kind == PNG and not data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82"):
        raise Invalid(
            "The image has something hidden after its end: it cannot be added.", field=FIELD
        )


def _reencoded(data: bytes, kind: str) -> bytes:
    """Decode every pixel and write them again: only the picture survives."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[PILLOW_FORMAT[kind]])
            if image.width * image.height > MAX_PIXELS:
                raise Invalid("The image is too large to open: make it smaller.", field=FIELD)
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning):
        raise Invalid("The image cannot be read: it may be damaged.", field=FIELD) from None
    upright = ImageOps.exif_transpose(image)  # a phone photo upright, before EXIF is dropped
    upright.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    out = io.BytesIO()
    if kind == PNG:
        # zlib level 3: a 2000x1500 photo in 1.6 s, not 4.5 s (level 6), and no larger for it
        upright.save(out, format="PNG", compress_level=3)
    else:
        upright.convert("RGB").save(out, format="JPEG", quality=88)
    return out.getvalue()


def _check_pdf(data: bytes) -> None:
    """A PDF that opens, with pages, and nothing that runs or carries other files."""
    if any(marker in data for marker in PDF_ACTIVE):
        raise Invalid("The PDF contains scripts or other files: it cannot be added.", field=FIELD)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Invalid("The PDF has a password: add one without.", field=FIELD)
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise Invalid("The PDF cannot be read: it may be damaged.", field=FIELD) from None
    if pages == 0:
        raise Invalid("The PDF has no pages.", field=FIELD)
