"""The `ics` command: database, demo data, exemplars, the web service, users."""

import getpass
import json
import time
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer
import uvicorn
from sqlalchemy.orm import Session

from app import access, demo, migrate
from app.audit import service as audit
from app.audit.service import AuditAction
from app.auth import service as auth_service
from app.auth.models import Role, User
from app.cases import service as cases
from app.cases.policy import Action, allowed
from app.config import get_settings
from app.db import make_engine, make_session_factory
from app.engine import court, welsh
from app.engine.definitions import Definition
from app.engine.library import Library
from app.engine.loader import ExemplarErrors, load_library
from app.errors import DomainError
from app.printing import letters
from app.printing import service as printing
from app.printing import worker as print_worker
from app.records import service as records
from app.returns import annex_a, ssda903
from app.returns import cin as cin_census
from app.returns import mapping as return_mapping
from app.returns import service as returns

main = typer.Typer(help="Children's case records: the ICS exemplar engine.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="Demonstration data (never in production).", no_args_is_help=True)
user_app = typer.Typer(help="People who sign in.", no_args_is_help=True)
exemplars_app = typer.Typer(help="Exemplar definitions (YAML).", no_args_is_help=True)
main.add_typer(db_app, name="db")
main.add_typer(demo_app, name="demo")
main.add_typer(user_app, name="user")
main.add_typer(exemplars_app, name="exemplars")
returns_app = typer.Typer(help="Statutory returns built from the records.", no_args_is_help=True)
main.add_typer(returns_app, name="returns")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema with Alembic (the only way a schema is made)."""
    migrate.upgrade()
    typer.echo("Database is up to date.")


@demo_app.command("load")
def demo_load(
    if_empty: Annotated[bool, typer.Option(help="Do nothing if any case exists already.")] = False,
    with_records: Annotated[
        bool,
        typer.Option(
            help="Also give the 6-year-old finalised records, from referral to review; "
            "her case number is printed again on the last line."
        ),
    ] = False,
) -> None:
    """Load the demo family and one user per role; print the children's case numbers."""
    settings = get_settings()
    if settings.production:
        typer.echo("Refused: demo users have a published password; ICS_ENV=production.", err=True)
        raise typer.Exit(code=2)
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        numbers = demo.load(session=session, if_empty=if_empty)
        with_records_number = (
            demo.load_records(session=session, library=load_library(settings.exemplars_dir))
            if with_records and numbers
            else None
        )
        session.commit()
    for number in numbers:
        typer.echo(number)
    if with_records_number:
        typer.echo(with_records_number)


@main.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web app and the API, once the exemplars have loaded."""
    settings = get_settings()
    # Each worker loads the library again in create_app; loading it here first turns a broken
    # folder into its problems, one a line, instead of a traceback from inside uvicorn.
    try:
        load_library(settings.exemplars_dir)
    except ExemplarErrors as failure:
        _echo_problems(failure)
        typer.echo("The service did not start: the exemplars above must be fixed first.", err=True)
        raise typer.Exit(code=1) from None
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        access_log=False,
    )  # access logs would carry case numbers in URLs


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[Role, typer.Option(help="What the user does.")],
    full_name: Annotated[str, typer.Option(help="Name shown on records and signatures.")],
    team: Annotated[str | None, typer.Option(help="Team name (created if new).")] = None,
    password: Annotated[str | None, typer.Option(help="Omit to be asked.", hidden=True)] = None,
) -> None:
    """Add a user who can sign in."""
    secret = password or getpass.getpass("Password: ")
    if len(secret) < 12:
        typer.echo("Choose a password of at least 12 characters.", err=True)
        raise typer.Exit(code=2)
    factory = make_session_factory(make_engine(get_settings().database_url))
    with factory() as session:
        team_row = auth_service.get_or_create_team(session=session, name=team) if team else None
        auth_service.create_user(
            session=session,
            username=username,
            full_name=full_name,
            role=role,
            password=secret,
            team=team_row,
        )
        session.commit()
    typer.echo(f"Added {username} ({role.label}).")


@exemplars_app.command("check")
def exemplars_check(
    path: Annotated[
        Path | None, typer.Argument(help="Folder of YAML (default: exemplars/).")
    ] = None,
) -> None:
    """Load and lint every exemplar; print file:line:column for each problem; exit 1 on errors.

    Without PATH the demo's records (app/demo/) are checked against the exemplars too."""
    folder = path or get_settings().exemplars_dir
    started = time.perf_counter()
    try:
        library = load_library(folder)
    except ExemplarErrors as failure:
        _echo_problems(failure)
        if any(problem.line for problem in failure.problems):  # not just "no such folder"
            errors = sum(1 for p in failure.problems if p.severity == "error")
            typer.echo(f"{errors} error(s): nothing was loaded.", err=True)
        raise typer.Exit(code=1) from None
    for warning in library.warnings:
        typer.echo(str(warning), err=True)
    for warning in court.unfed_warnings(library):  # a statement with empty SWET headings
        typer.echo(warning, err=True)
    for share in welsh.shares(library):  # how much family wording has its Welsh, per exemplar
        typer.echo(
            f"Welsh family wording: {share.exemplar_id} {share.percent}% "
            f"({share.welsh} of {share.texts})"
        )
    demo_checked = "" if path else _check_demo(library)
    if not path:
        _check_declared(library)
    _check_mappings(library, every_exemplar=path is None)
    fields = sum(len(e.fields) for e in library.exemplars.values())
    took = (time.perf_counter() - started) * 1000
    typer.echo(
        f"{len(library.exemplars)} exemplars, {fields} fields{demo_checked}: "
        f"no errors ({took:.0f} ms)."
    )


def _echo_problems(failure: ExemplarErrors) -> None:
    for problem in failure.problems:
        typer.echo(str(problem), err=True)


def _check_demo(library: Library) -> str:
    """Lint the demo against the exemplars just loaded; exit 1 on any problem."""
    problems = demo.lint(library=library)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} error(s) in the demo (app/demo/).", err=True)
        raise typer.Exit(code=1)
    return f", {len(demo.record_exemplars())} demo records"


def _check_declared(library: Library) -> None:
    """The letters and the returns' mappings name exemplars and fields: check they exist."""
    try:
        problems = [*letters.problems(library), *annex_a.problems(annex_a.load_mapping(), library)]
    except ExemplarErrors as failure:
        _echo_problems(failure)
        raise typer.Exit(code=1) from None
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise typer.Exit(code=1)


def _check_mappings(library: Library, every_exemplar: bool) -> None:
    """Lint the returns' mappings against the exemplars just loaded; exit 1 on any problem.

    Checking another folder (PATH), an exemplar the mapping names may be absent; a field of one
    that is present must still exist."""
    problems = return_mapping.lint(
        library=library,
        path=return_mapping.path_of(cin_census.COUNTRY, cin_census.RETURN),
        items=cin_census.items_of_modules(),
        person_attributes=cin_census.person_attributes(),
        every_exemplar=every_exemplar,
    )
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} error(s) in the returns' mappings.", err=True)
        raise typer.Exit(code=1)


@exemplars_app.command("schema")
def exemplars_schema() -> None:
    """Print the JSON Schema of an exemplar file, for editors that check YAML as you type."""
    schema = Definition.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ICS exemplar definition"
    typer.echo(json.dumps(schema, indent=2))


@main.command("print-worker")
def print_worker_command(
    poll: Annotated[float, typer.Option(help="Seconds between looks at an empty queue.")] = 1.0,
) -> None:
    """Make the prints queued on the pages, until stopped (for a machine that only prints)."""
    settings = get_settings()
    print_worker.serve_forever(settings.database_url, settings.exemplars_dir, poll_seconds=poll)


@main.command("print")
def print_command(
    case: Annotated[str, typer.Option("--case", help="The child's case number.")],
    record: Annotated[str, typer.Option("--record", help="Exemplar id; the newest such record.")],
    as_user: Annotated[
        str, typer.Option("--as", help="Your username: the print is checked and audited as you.")
    ],
    audience: Annotated[
        Literal["family", "child", "court", "worker", "carer"],
        typer.Option(help="Who will read it."),
    ] = "worker",
    out: Annotated[Path, typer.Option("--out", help="Where to write the PDF.")] = Path(
        "printout.pdf"
    ),
    lang: Annotated[
        Literal["en", "cy"], typer.Option(help="cy: Welsh wording where the YAML has it.")
    ] = "en",
    large_print: Annotated[bool, typer.Option(help="16pt and over, for the family.")] = False,
) -> None:
    """Print a record for one reader to a PDF, as the user named by --as (checked and audited)."""
    settings = get_settings()
    library = load_library(settings.exemplars_dir)
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        user = auth_service.get_by_username(session=session, username=as_user)
        found = cases.get_case_by_number(session=session, case_number=case)
        rows = records.records_for_case(session=session, case_id=found.id) if found else []
        chosen = [r for r in rows if r.exemplar_id == record]
        if user is None or not chosen:
            typer.echo(
                f"No user {as_user}." if user is None else f"No {record} record for case {case}.",
                err=True,
            )
            raise typer.Exit(code=1)
        try:
            access.open_record(session, library, user, chosen[0].id, Action.PRINT)
        except DomainError as refused:
            typer.echo(refused.message, err=True)
            raise typer.Exit(code=1) from refused
        printed = printing.print_record(
            session=session,
            library=library,
            actor=user,
            record_id=chosen[0].id,
            audience=audience,
            large_print=large_print,
            lang=lang,
        )
        session.commit()
    out.write_bytes(printed.pdf)
    typer.echo(f"{out}: {printed.printout.pages} pages, {len(printed.withheld)} item(s) withheld.")


@returns_app.command("annex-a")
def returns_annex_a(
    out: Annotated[Path, typer.Option("--out", help="Folder for the CSV files and the workbook.")],
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="Your username: the export is checked and audited as you."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--on", help="Reference date, YYYY-MM-DD (default: today).")
    ] = None,
    country: Annotated[
        str, typer.Option(help="Which mapping (app/returns/mappings/).")
    ] = "england",
) -> None:
    """Ofsted's Annex A lists as one CSV per list and one XLSX workbook; the export is audited."""
    settings = get_settings()
    try:
        day = date.fromisoformat(on) if on else date.today()
        mapping = annex_a.load_mapping(country)
    except ValueError:
        typer.echo(f"--on: {on} is not a date (YYYY-MM-DD).", err=True)
        raise typer.Exit(code=2) from None
    except ExemplarErrors as failure:
        _echo_problems(failure)
        raise typer.Exit(code=1) from None
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        user = _exporter(session, as_user)
        sheets = annex_a.build(session=session, mapping=mapping, on=day)
        out.mkdir(parents=True, exist_ok=True)
        for sheet in sheets:
            (out / annex_a.file_name(sheet)).write_bytes(annex_a.csv_of(sheet))
        (out / "annex_a.xlsx").write_bytes(annex_a.xlsx_of(sheets))
        session.add(annex_a.export_event(actor=user, sheets=sheets, form="csv+xlsx", on=day))
        session.commit()
    for sheet in sheets:
        typer.echo(f"{sheet.name} ({sheet.title}): {len(sheet.rows)} rows")
    typer.echo(f"Written to {out}.")


def _exporter(session: Session, username: str | None) -> User | None:
    """The user named by --as, if they may export returns (refused and audited otherwise); the
    command line itself (no user) when none is named."""
    if username is None:
        return None
    user = auth_service.get_by_username(session=session, username=username)
    if user is None:
        typer.echo(f"No user {username}.", err=True)
        raise typer.Exit(code=1)
    try:
        access.permit(session, user, Action.EXPORT_RETURNS, access.Target.NO_CASE, None)
    except DomainError as refused:
        typer.echo(refused.message, err=True)
        raise typer.Exit(code=1) from refused
    return user


@returns_app.command("903")
def returns_903(
    year: Annotated[
        int, typer.Option("--year", min=2000, max=2100, help="The year ending 31 March YYYY.")
    ],
    as_user: Annotated[
        str, typer.Option("--as", help="Your username: the export is checked and audited as you.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The folder for the CSV files.")] = Path(
        "ssda903"
    ),
) -> None:
    """The SSDA903 return (children looked after) as CSV files: header, episodes, reviews,
    missing; as the user named by --as, who must be allowed to export returns (audited)."""
    factory = make_session_factory(make_engine(get_settings().database_url))
    with factory() as session:
        user = _exporter(session, as_user)
        tables = ssda903.build(session=session, year=year)
        audit.record(
            session=session,
            actor=user,
            action=AuditAction.RETURNS_EXPORT,
            target_type="return",
            detail={"return": "ssda903", "year": year, "children": len(tables["header.csv"])},
        )
        session.commit()
    for path in ssda903.write(tables=tables, out=out):
        typer.echo(f"{path}")


@returns_app.command("cin")
def returns_cin(
    year: Annotated[int, typer.Option(help="Collection year, named by its end: 2026 is 2025-26.")],
    as_user: Annotated[
        str, typer.Option("--as", help="Your username: the export is checked and audited as you.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the XML.")] = Path("cin.xml"),
) -> None:
    """Write the CIN census of a collection year; list its census problems; exit 1 if the file
    breaks the year's structure."""
    settings = get_settings()
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        user = auth_service.get_by_username(session=session, username=as_user)
        if user is None or not allowed(user=user, action=Action.EXPORT_RETURNS, case=None):
            typer.echo(f"{as_user} may not export statutory returns.", err=True)
            raise typer.Exit(code=1)
        census, events = returns.export_cin(
            session=session, actor=user, year=year, la_code=settings.la_code
        )
        session.add_all(events)
        session.commit()
    out.write_bytes(census.xml)
    for problem in census.problems:  # by case number and rule: no names on a terminal's log
        typer.echo(f"case {problem.case_id}: {problem.item}: {problem.text}", err=True)
    for error in census.structure_errors:
        typer.echo(f"{out}:{error}", err=True)
    typer.echo(
        f"{out}: {census.children} {'child' if census.children == 1 else 'children'}, "
        f"{len(census.problems)} census problem(s), "
        f"{len(census.structure_errors)} structure error(s)."
    )
    if census.structure_errors:
        raise typer.Exit(code=1)


if __name__ == "__main__":
    main()
