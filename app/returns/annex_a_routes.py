"""Ofsted's Annex A for the data manager: the lists with their row counts, and each list as CSV or
all of them as one workbook. Every view and download is audited (who, which lists, what form)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from app.access import Granted, Target, allow
from app.cases.policy import Action
from app.deps import CsrfChecked, SessionDep, keep_at_end
from app.errors import NotFound
from app.returns import annex_a
from app.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfChecked])
Exporting = Annotated[Granted, allow(Action.EXPORT_RETURNS, Target.NO_CASE, page=True)]
On = Annotated[date | None, Query(description="The reference date (default: today).")]


@router.get("/returns/annex-a")
def annex_a_page(request: Request, db: SessionDep, granted: Exporting, on: On = None) -> Response:
    """Each list the records fill, with its row count and a CSV download; the whole workbook."""
    day, sheets = _built(db, on)
    keep_at_end(db, annex_a.export_event(actor=granted.user, sheets=sheets, form="counts", on=day))
    context = {"title": "Ofsted Annex A", "sheets": sheets, "on": day, "today": date.today()}
    return render(request, "returns/annex_a.html", context)


@router.get("/returns/annex-a/annex_a.xlsx")
def annex_a_workbook(db: SessionDep, granted: Exporting, on: On = None) -> Response:
    """Every list in one workbook, a sheet per list."""
    day, sheets = _built(db, on)
    keep_at_end(db, annex_a.export_event(actor=granted.user, sheets=sheets, form="xlsx", on=day))
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(annex_a.xlsx_of(sheets), kind, f"annex_a_{day.isoformat()}.xlsx")


@router.get("/returns/annex-a/list-{number}.csv")
def annex_a_list(
    number: Annotated[int, Path(ge=1, le=99)], db: SessionDep, granted: Exporting, on: On = None
) -> Response:
    """One list as CSV."""
    day, sheets = _built(db, on)
    chosen = [s for s in sheets if s.number == number]
    if not chosen:
        raise NotFound(f"Annex A has no list {number} here.", field="number")
    keep_at_end(db, annex_a.export_event(actor=granted.user, sheets=chosen, form="csv", on=day))
    return _download(
        annex_a.csv_of(chosen[0]), "text/csv; charset=utf-8", annex_a.file_name(chosen[0])
    )


def _built(db: SessionDep, on: date | None) -> tuple[date, list[annex_a.Sheet]]:
    day = on or date.today()
    return day, annex_a.build(session=db, mapping=annex_a.load_mapping(), on=day)


def _download(data: bytes, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(data, media_type=media_type, headers=headers)
