"""One YAML file read with its positions, and every problem in it placed at file:line:column.

ruamel.yaml reads YAML 1.2 (a duplicate key is an error, `no` stays the string "no") and remembers
where each key sits, so a pydantic error path can be turned back into a line and column. The
loader, the readers table and the demo's check all read their files through here.
"""

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"


class ExemplarErrors(Exception):
    """The folder did not load; `problems` lists every one found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class Document:
    """One parsed file: its name, its data and, read only when a problem needs one, positions."""

    name: str
    data: Any
    text: str = ""
    _tree: Any = None

    def at(self, path: Iterable[str | int]) -> tuple[int, int]:
        """1-based line and column of the deepest part of `path` that exists in the file."""
        node, line, column = self.tree(), 0, 0
        if isinstance(node, CommentedMap | CommentedSeq):
            line, column = node.lc.line, node.lc.col
        for key in path:
            if isinstance(node, CommentedMap) and key in node:
                line, column = node.lc.key(key)
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
                line, column = node.lc.item(key)
                node = node[key]
        return line + 1, column + 1

    def tree(self) -> Any:
        # The round-trip parser keeps positions but is ten times slower than libyaml, so it only
        # runs for a file that has something to report.
        if self._tree is None:
            self._tree = _parser(round_trip=True).load(self.text)
        return self._tree

    def problem(self, path: Iterable[str | int], message: str, severity: str = "error") -> Problem:
        line, column = self.at(path)
        return Problem(self.name, line, column, message, severity)


def _parser(*, round_trip: bool) -> YAML:
    yaml = YAML(typ="rt") if round_trip else YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def read(path: Path, display: str) -> Document:
    """Parse one file; a syntax error or duplicate key becomes an ExemplarErrors with its place."""
    try:
        text = path.read_text(encoding="utf-8")
        data = _parser(round_trip=False).load(text)
    except MarkedYAMLError as error:
        raise ExemplarErrors([_placed(display, text, error)]) from None
    except UnicodeDecodeError:
        raise ExemplarErrors([Problem(display, 1, 1, "the file is not UTF-8 text")]) from None
    if not isinstance(data, dict):
        raise ExemplarErrors(
            [Problem(display, 1, 1, "the file must be a YAML mapping (key: value)")]
        )
    return Document(display, data, text)


def _placed(display: str, text: str, error: MarkedYAMLError) -> Problem:
    """Where and what: the pure parser words errors better than libyaml, so ask it again."""
    try:
        _parser(round_trip=True).load(text)
    except MarkedYAMLError as better:
        error = better
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(display, line, column, _yaml_message(error))


def _yaml_message(error: MarkedYAMLError) -> str:
    text = f"{error.context or ''} {error.problem or ''}".strip()
    if "duplicate key" in text:
        return f"{text}: each key may appear once in a mapping"
    began, found = error.context_mark, error.problem_mark
    if began and found and began.line != found.line:
        text += f" (the part that is not closed starts on line {began.line + 1})"
    return f"YAML syntax: {text}"


def plain(node: Any) -> Any:
    """A copy with ruamel's types turned into dict, list, str, int, float and bool."""
    if isinstance(node, dict):
        return {str(key): plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    if isinstance(node, bool) or node is None:
        return node
    for kind in (str, int, float):
        if isinstance(node, kind):
            return kind(node)
    return node


def validate(
    document: Document, model: type[Model], data: Any, prefix: tuple[str | int, ...] = ()
) -> tuple[Model | None, list[Problem]]:
    """Validate with pydantic and translate each error to a place and a plain sentence."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems, seen = [], set()
        for item in error.errors():
            path = [*prefix, *(part for part in item["loc"] if not _is_union_tag(part))]
            key = tuple(path[:-1]) if item["type"] == "extra_forbidden" else tuple(path)
            if key in seen:
                continue  # a union (text or mapping) reports once, not once per branch
            seen.add(key)
            problems.append(document.problem(path, _message(item, path)))
        return None, problems


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (part in {"str", "TextForms"} or part.startswith("function-"))


def _message(item: Any, path: list[Any]) -> str:
    where = ".".join(str(part) for part in path) or "the file"
    last = path[-1] if path else ""
    if item["type"] == "extra_forbidden":
        return f"'{last}' is not a key here ({where})"
    if item["type"] == "missing":
        return f"'{last}' is missing ({where})"
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}"


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
