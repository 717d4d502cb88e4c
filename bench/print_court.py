"""The court statement for the demo 6-year-old's core assessment: the app against raw WeasyPrint.

The app's figure is the whole print: read the frozen record, build the document for the court,
render the template, make the tagged PDF, count its pages, store the printout and audit it. The
floor is WeasyPrint alone turning the very same HTML into the same kind of PDF, in one process.

Run: .venv/bin/python bench/print_court.py [--rounds 10]
Target: the app within 1.2x of raw WeasyPrint; seconds per page printed.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(run: Callable[[], object], rounds: int) -> float:
    run()  # warm-up: fonts and templates load once
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        from sqlalchemy import select

        from app import demo, migrate
        from app.auth.models import User
        from app.config import get_settings
        from app.db import make_engine, make_session_factory
        from app.engine.loader import load_library
        from app.printing import pdf, service
        from app.records.models import Record

        get_settings.cache_clear()
        settings = get_settings()
        migrate.upgrade()
        library = load_library(settings.exemplars_dir)
        with make_session_factory(make_engine(settings.database_url))() as session:
            demo.load(session=session, with_records=True, library=library)
            session.commit()
            record = session.scalars(
                select(Record).where(Record.exemplar_id == "core_assessment")
            ).one()
            actor = session.scalars(select(User).where(User.username == "worker")).one()

            def app() -> bytes:
                return service.print_record(
                    session=session,
                    library=library,
                    actor=actor,
                    record_id=record.id,
                    audience="court",
                ).pdf

            author = session.get(User, record.author_id)
            document, _ = service.build(
                session=session, library=library, record=record, audience="court", author=author
            )
            html = pdf.render_html(document)

            def raw() -> bytes:
                page = weasyprint.HTML(string=html, base_url=f"{pdf.PRINTOUTS}/")
                return bytes(page.write_pdf(pdf_variant="pdf/ua-1"))

            pages = len(PdfReader(io.BytesIO(app())).pages)
            app_s, raw_s = timed(app, rounds), timed(raw, rounds)
            session.rollback()
    print(f"court statement, demo core assessment: {pages} pages, {rounds} rounds, median")
    print(
        f"  app (build + render + PDF + store + audit) {app_s:.3f} s  ({app_s / pages:.3f} s/page)"
    )
    print(
        f"  raw WeasyPrint, same HTML                  {raw_s:.3f} s  ({raw_s / pages:.3f} s/page)"
    )
    print(f"  ratio {app_s / raw_s:.2f}x (target <= 1.2x)")
    limit = pdf.court_settings()["page_limit"]
    print(f"  page count {pages} against the {limit}-page limit for a witness statement")


if __name__ == "__main__":
    main()
