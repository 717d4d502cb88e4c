"""WeasyPrint may read only printouts/ and data: URIs, however a URL is spelled (issue 11, item 18).

Before: `file:/etc/passwd` (one slash), `FILE:///etc/passwd` and `printouts/%2e%2e/...` were opened,
because the check looked for the literal prefix "file://" and resolved the path before decoding it.
"""

import io
from collections.abc import Iterator
from typing import Any

import pypdf
import pytest
import weasyprint.urls

from app.config import ROOT
from app.printing import pdf
from app.printing.pdf import PRINTOUTS, FetchRefused, LocalFetcher

OUTSIDE = ROOT / "pyproject.toml"  # a file just outside printouts/, known to exist
HOSTILE = [
    "file:/etc/passwd",
    "FILE:///etc/passwd",
    "File:/etc/passwd",
    "file://localhost/etc/passwd",
    "file://elsewhere.example/etc/passwd",
    f"file://{PRINTOUTS}/%2e%2e/pyproject.toml",
    f"file://{PRINTOUTS}/%2E%2E/%2e%2E/%2e%2e/etc/passwd",
    f"file://{PRINTOUTS}/../pyproject.toml",
    f"FILE:{PRINTOUTS}/family/%2e%2e/%2e%2e/pyproject.toml",
    "http://example.com/x.png",
    "https://example.com/x.css",
    "ftp://example.com/x",
    "/etc/passwd",
]
# The same files reached from a relative reference, resolved against printouts/ as in a print.
RELATIVE = ["%2e%2e/pyproject.toml", "../pyproject.toml", "family/%2e%2e/%2e%2e/pyproject.toml"]
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAF"
    "BQIAX8jx0gAAAABJRU5ErkJggg=="
)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every URL that reached WeasyPrint's own opener, after our fetcher let it through."""
    seen: list[str] = []
    real = weasyprint.urls.URLFetcher.fetch

    def spy(self: Any, url: str, headers: Any = None) -> Any:
        seen.append(url)
        return real(self, url, headers)

    monkeypatch.setattr(weasyprint.urls.URLFetcher, "fetch", spy)
    yield seen


@pytest.mark.parametrize("url", HOSTILE)
def test_the_fetcher_refuses_everything_outside_printouts(url: str, opened: list[str]) -> None:
    with pytest.raises(FetchRefused):
        LocalFetcher().fetch(url)
    assert opened == []


@pytest.mark.parametrize(
    "url",
    [
        f"file://{PRINTOUTS}/print.css",
        f"FILE://{PRINTOUTS}/print.css",
        f"file:{PRINTOUTS}/x/../print.css",
    ],
)
def test_the_fetcher_opens_printouts_files_by_their_normalised_path(
    url: str, opened: list[str]
) -> None:
    response = LocalFetcher().fetch(url)
    try:
        assert response.read() == (PRINTOUTS / "print.css").read_bytes()
    finally:
        response.close()
    assert opened == [(PRINTOUTS / "print.css").as_uri()]


@pytest.mark.parametrize("url", [PIXEL, PIXEL.replace("data:", "DATA:", 1)])
def test_the_fetcher_opens_data_uris_whatever_their_case(url: str, opened: list[str]) -> None:
    response = LocalFetcher().fetch(url)
    try:
        assert response.read().startswith(b"\x89PNG")
    finally:
        response.close()
    assert opened == [url]


@pytest.mark.parametrize("url", [*HOSTILE, *RELATIVE])
@pytest.mark.parametrize(
    "markup", ['<img src="{url}" alt="">', '<link rel="stylesheet" href="{url}">']
)
def test_a_rendered_page_that_names_a_file_outside_printouts_never_opens_it(
    url: str, markup: str, opened: list[str]
) -> None:
    html = f"<html><head></head><body>{markup.format(url=url)}<p>Letter</p></body></html>"
    with pytest.raises(weasyprint.urls.FatalURLFetchingError) as caught:
        pdf._layout(html)  # the layout every printout and letter goes through
    assert isinstance(caught.value.__cause__, FetchRefused)
    assert not any("passwd" in seen or "pyproject" in seen for seen in opened), opened


def test_a_rendered_page_still_reads_its_stylesheet_and_data_images(opened: list[str]) -> None:
    html = (
        '<html><head><link rel="stylesheet" href="print.css"></head>'
        f'<body><img src="{PIXEL}" alt=""><p>Letter to the family</p></body></html>'
    )
    written = pdf._layout(html).write_pdf()
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(written)).pages)
    assert "Letter to the family" in text
    assert (PRINTOUTS / "print.css").as_uri() in opened
    assert PIXEL in opened
    assert all(seen.startswith(("file:", "data:")) for seen in opened)
    assert OUTSIDE.as_uri() not in opened
