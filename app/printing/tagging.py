"""What WeasyPrint's tagged PDF still leaves for a screen reader, put right after it is written.

WeasyPrint marks the text of the page margins (the running case line, the marking, the reference,
"Page 1 of 9") as content and hangs it on structure elements that the tree never reaches, so a
screen reader meets the running header on every page. Here that text becomes an /Artifact of
pagination and leaves the structure tree for good. And a table's header cells get the /Scope the
HTML's `scope` gave them, which WeasyPrint writes only as /Headers on the data cells. And English
inside a Welsh copy keeps its language: WeasyPrint writes no /Lang below the document's, so a
printout marks such a span with the one element it keeps for it, `<article lang="en">` (see
printouts/_answers.html), and its structure element becomes a /Span (a /Div round paragraphs)
with /Lang (en).
"""

import io
import re
from collections.abc import Iterator

import pikepdf

MARKED = re.compile(rb"/[A-Za-z0-9]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
ARTIFACT_MARK = b"/Artifact << /Type /Pagination >> BDC"
ENGLISH_MARK = "/Art"  # WeasyPrint's structure type for <article>: English in a Welsh copy
BLOCKS = {"/P", "/Div", "/L", "/Table"}


def for_readers(data: bytes) -> bytes:
    """The PDF with its margins as artifacts and its header cells scoped; same bytes each time."""
    with pikepdf.open(io.BytesIO(data)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None:
            return data
        reached = {element.objgen for element in _elements(root)}
        marks = _page_marks(root)
        for number, page in enumerate(document.pages):
            outside = _outside(marks.get(number), reached)
            if outside:
                _as_artifacts(document, page, outside)
        for element in _elements(root):
            if element.get("/S") == "/TH":
                _scope(element)
            elif element.get("/S") == ENGLISH_MARK:
                _english(element)
        out = io.BytesIO()
        # A fixed /ID, no new dates: a reprint of the same statement is the same bytes.
        document.save(out, deterministic_id=True)
        return out.getvalue()


def _elements(root: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element the tree reaches from its root."""
    stack = [root]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                yield kid
                stack.append(kid)


def _page_marks(root: pikepdf.Object) -> dict[int, pikepdf.Array]:
    """Each page's MCID-to-element array from the parent tree (a flat number tree)."""
    numbers = root.ParentTree.get("/Nums", pikepdf.Array())
    pairs = zip(numbers[0::2], numbers[1::2], strict=True)
    return {int(key): value for key, value in pairs if isinstance(value, pikepdf.Array)}


def _outside(marks: pikepdf.Array | None, reached: set[tuple[int, int]]) -> set[int]:
    """The marked-content ids whose element the tree never reaches: the margins' text."""
    if marks is None:
        return set()
    found = set()
    for mcid, element in enumerate(marks):
        if isinstance(element, pikepdf.Dictionary) and element.objgen not in reached:
            found.add(mcid)
            marks[mcid] = None  # nothing in the tree for it any more
    return found


def _as_artifacts(document: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> None:
    """Rewrite `/Span << /MCID n >> BDC` as `/Artifact << /Type /Pagination >> BDC` for those
    ids. On the bytes, as WeasyPrint (pydyf) writes them: parsing every operator of a long
    statement took 1.5 s for 53 pages, this takes a few milliseconds."""
    page.contents_coalesce()
    stream = page.obj.Contents

    def artifact(found: re.Match[bytes]) -> bytes:
        return ARTIFACT_MARK if int(found[1]) in mcids else found[0]

    stream.write(MARKED.sub(artifact, stream.read_bytes()))


def _scope(header: pikepdf.Dictionary) -> None:
    """Row when the header sits beside data cells (`scope="row"`), Column otherwise: in every
    printout template a row of only header cells is a row of column headings."""
    row = header.get("/P")
    kids = row.get("/K") if row is not None else None
    cells = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    beside_data = any(isinstance(c, pikepdf.Dictionary) and c.get("/S") == "/TD" for c in cells)
    attributes = header.get("/A")
    if not isinstance(attributes, pikepdf.Dictionary):
        attributes = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
        header.A = attributes
    attributes.Scope = pikepdf.Name("/Row" if beside_data else "/Column")


def _english(element: pikepdf.Dictionary) -> None:
    """A span of English inside a Welsh copy: its language said, its type what it holds."""
    kids = element.get("/K")
    found = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    block = any(isinstance(k, pikepdf.Dictionary) and k.get("/S") in BLOCKS for k in found)
    element.S = pikepdf.Name("/Div" if block else "/Span")
    element.Lang = pikepdf.String("en")
