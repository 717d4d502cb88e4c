"""Read a folder of exemplar YAML: all of it, or none of it, with every problem at file:line:column
(each file is read through app.engine.yamlfile, which keeps the positions)."""

from pathlib import Path

from app.engine import readers
from app.engine.checks import check_library
from app.engine.definitions import Codelist, Definition, Glossary
from app.engine.library import Exemplar, Library
from app.engine.readers import ReaderTable
from app.engine.yamlfile import Document as Document
from app.engine.yamlfile import ExemplarErrors as ExemplarErrors
from app.engine.yamlfile import Problem as Problem
from app.engine.yamlfile import display as _display
from app.engine.yamlfile import plain as plain
from app.engine.yamlfile import read as read
from app.engine.yamlfile import suggest as suggest
from app.engine.yamlfile import validate as validate

SPECIAL_FILES = {"codelists.yaml", "glossary.yaml"}
NOT_EXEMPLARS = {*SPECIAL_FILES, readers.FILE_NAME}


def load_library(folder: Path) -> Library:
    """Load every exemplar in `folder`, check them together, and return them or raise."""
    files = _exemplar_files(folder)
    problems: list[Problem] = []
    codelists, glossary = _special(folder, problems)
    documents = _definitions(files, problems)
    table = _readers(folder, problems)
    exemplars = {key: Exemplar(d, doc.name, codelists) for key, (doc, d) in documents.items()}
    library = Library(exemplars=exemplars, codelists=codelists, glossary=glossary)
    problems.extend(check_library(library, {key: doc for key, (doc, _) in documents.items()}))
    if not files:
        # Loading nothing would start a service on which every page says "Page not found".
        others = ", ".join(sorted(NOT_EXEMPLARS))
        message = f"this folder holds no exemplar: no .yaml file other than {others}"
        problems.append(Problem(_display(folder), 0, 0, message))
    errors = [problem for problem in problems if problem.severity == "error"]
    if errors:
        raise ExemplarErrors(problems)
    library.warnings = problems
    if table is not None:
        readers.install(table)
    return library


def _exemplar_files(folder: Path) -> list[Path]:
    """The folder's exemplar files; a path that is not a folder is refused before anything."""
    if not folder.is_dir():
        message = (
            "this is a file; exemplars are read from a folder"
            if folder.exists()
            else "there is no such folder of exemplars"
        )
        raise ExemplarErrors([Problem(_display(folder), 0, 0, message)])
    return sorted(path for path in folder.glob("*.yaml") if path.name not in NOT_EXEMPLARS)


def _definitions(
    files: list[Path], problems: list[Problem]
) -> dict[tuple[str, int], tuple[Document, Definition]]:
    """Each file read and validated; a problem is noted and the file left out."""
    documents: dict[tuple[str, int], tuple[Document, Definition]] = {}
    for path in files:
        try:
            document = read(path, _display(path))
        except ExemplarErrors as error:
            problems.extend(error.problems)
            continue
        definition, found = validate(document, Definition, plain(document.data))
        problems.extend(found)
        if definition is None:
            continue
        key = (definition.id, definition.version)
        if key in documents:
            other = documents[key][0].name
            message = f"{key[0]} version {key[1]} is defined twice (also in {other})"
            problems.append(document.problem(["version"], message))
        documents[key] = (document, definition)
    return documents


def _readers(folder: Path, problems: list[Problem]) -> ReaderTable | None:
    """The folder's own readers.yaml; a folder without one (a test's) keeps the table in use."""
    path = folder / readers.FILE_NAME
    if not path.exists():
        return None
    try:
        return readers.load(path)
    except ExemplarErrors as error:
        problems.extend(error.problems)
        return None


def _special(folder: Path, problems: list[Problem]) -> tuple[dict[str, Codelist], Glossary]:
    codelists: dict[str, Codelist] = {}
    glossary = Glossary(terms=[])
    for name in sorted(SPECIAL_FILES):
        path = folder / name
        if not path.exists():
            continue
        try:
            document = read(path, _display(path))
        except ExemplarErrors as error:
            problems.extend(error.problems)
            continue
        if name == "glossary.yaml":
            found, more = validate(document, Glossary, plain(document.data))
            glossary = found or glossary
            problems.extend(more)
            continue
        for list_id, data in plain(document.data).items():
            codelist, more = validate(document, Codelist, data, (list_id,))
            problems.extend(more)
            if codelist:
                codelists[list_id] = codelist
    return codelists, glossary
