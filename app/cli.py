"""The `ics` command: database, demo data, exemplars, the web service, users."""

import getpass
import json
import time
from pathlib import Path
from typing import Annotated, Literal

import typer
import uvicorn

from app import access, demo, migrate
from app.auth import service as auth_service
from app.auth.models import Role
from app.cases import service as cases
from app.cases.policy import Action
from app.config import get_settings
from app.db import make_engine, make_session_factory
from app.engine import court, welsh
from app.engine.definitions import Definition
from app.engine.library import Library
from app.engine.loader import ExemplarErrors, load_library
from app.errors import DomainError
from app.printing import service as printing
from app.records import service as records

main = typer.Typer(help="Children's case records: the ICS exemplar engine.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="Demonstration data (never in production).", no_args_is_help=True)
user_app = typer.Typer(help="People who sign in.", no_args_is_help=True)
exemplars_app = typer.Typer(help="Exemplar definitions (YAML).", no_args_is_help=True)
main.add_typer(db_app, name="db")
main.add_typer(demo_app, name="demo")
main.add_typer(user_app, name="user")
main.add_typer(exemplars_app, name="exemplars")


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


@exemplars_app.command("schema")
def exemplars_schema() -> None:
    """Print the JSON Schema of an exemplar file, for editors that check YAML as you type."""
    schema = Definition.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ICS exemplar definition"
    typer.echo(json.dumps(schema, indent=2))


@main.command("print")
def print_command(
    case: Annotated[str, typer.Option("--case", help="The child's case number.")],
    record: Annotated[str, typer.Option("--record", help="Exemplar id; the newest such record.")],
    as_user: Annotated[
        str, typer.Option("--as", help="Your username: the print is checked and audited as you.")
    ],
    audience: Annotated[
        Literal["family", "child", "court", "worker"], typer.Option(help="Who will read it.")
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


if __name__ == "__main__":
    main()
