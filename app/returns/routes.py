"""The data manager's page for the CIN census: the collection year, the census problems by child
and item, and the XML to download. Both read every child's census items, so both are audited on
the trail of each child they show or export (app/returns/service.py)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Request, Response

from app.access import Granted, Target, allow
from app.cases.policy import Action
from app.deps import SessionDep, SettingsDep, keep_at_end
from app.errors import Invalid
from app.returns import service
from app.templating import render

router = APIRouter(include_in_schema=False)
Exporting = Annotated[Granted, allow(Action.EXPORT_RETURNS, Target.NO_CASE, page=True)]
FIRST_YEAR = 2010  # the first child-level census collected was 2009-10


@router.get("/returns")
def returns_page(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    granted: Exporting,
    year: str | None = None,
) -> Response:
    chosen = _year(year)
    census, events = service.review_cin(
        session=db, actor=granted.user, year=chosen, la_code=settings.la_code
    )
    keep_at_end(db, *events)
    context = {
        "title": "Children in Need census",
        "year": chosen,
        "years": _years(),
        "census": census,
        "children": service.by_child(census.problems),
        "active_nav": "returns",
    }
    return render(request, "returns/index.html", context)


@router.get("/returns/cin.xml")
def download_cin(
    db: SessionDep, settings: SettingsDep, granted: Exporting, year: str | None = None
) -> Response:
    chosen = _year(year)
    census, events = service.export_cin(
        session=db, actor=granted.user, year=chosen, la_code=settings.la_code
    )
    keep_at_end(db, *events)
    name = f"cin-census-{chosen - 1}-{chosen % 100:02d}.xml"
    return Response(
        census.xml,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _year(typed: str | None) -> int:
    """The collection year asked for (the current one when none is), or a 400 naming `year`."""
    if typed is None or typed == "":
        return service.collection_year(date.today())
    if not typed.isdigit() or not FIRST_YEAR <= int(typed) <= _years()[0]:
        newest = _years()[0]
        message = f"Enter a collection year from {FIRST_YEAR} to {newest}, like 2026 for 2025-26"
        raise Invalid(message, field="year")
    return int(typed)


def _years() -> list[int]:
    """The years to choose from, newest first: this year's and the five before it."""
    current = service.collection_year(date.today())
    return list(range(current, current - 6, -1))
