"""One YAML file read with its positions, and every problem in it placed at file:line:column.

ruamel.yaml reads YAML 1.2 (a duplicate key is an error, `no` stays the string "no") and remembers
where each key sits, so a pydantic error path can be turned back into a line and column. The
loader, the readers table and the demo's check all read their files through here.

A file is walked as parse events before anything is built from it, and refused at its place if it
is too big, nests too deep, or uses aliases to multiply itself (the "billion laughs"): events are
what the parser emits without expanding an alias, so the check costs one pass over the text and
cannot itself be made to blow up. The composer is no place for the check, because with libyaml the
composer is C code that offers no hook.
"""

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Model = TypeVar("Model", bound=BaseModel)

# Generous beside the real files (the largest is 40 kB, nests 10 levels and uses no alias), and
# small enough that the worst file within them loads or is refused in well under a second and
# 100 MB: loading and linting grow with the bytes, at worst about 2 s and 200 MB a megabyte.
MAX_BYTES = 300_000
MAX_DEPTH = 30
MAX_ALIASES = 100
MAX_REPEATED = 10_000  # nodes that aliases may repeat, counted as if each were written out


@dataclass(frozen=True)
class Problem:
    """What is wrong and where: line and column are 1-based; 0 means the file or folder itself."""

    file: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        if not self.line:  # a problem with a folder, not a place in a file
            return f"{self.file}: {self.severity}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"


class ExemplarErrors(Exception):
    """The folder did not load; `problems` lists every one found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class Document:
    """One parsed file: its name, its data and the composed nodes, which know every position."""

    name: str
    data: Any
    text: str = ""
    _tree: Any = None

    def at(self, path: Iterable[str | int]) -> tuple[int, int]:
        """1-based line and column of the deepest part of `path` that exists in the file."""
        node = self.tree()
        mark = node.start_mark
        for key in path:
            found = _child(node, key)
            if found is not None:
                mark, node = found
        return mark.line + 1, mark.column + 1

    def tree(self) -> Any:
        # The composed nodes carry every position: read() keeps the ones it built the data from
        # (the round-trip parser, five times slower, made one problem in a large file take
        # seconds); a Document made by hand composes its text when first asked.
        if self._tree is None:
            self._tree = _parser(round_trip=False).compose(self.text)
        return self._tree

    def problem(self, path: Iterable[str | int], message: str, severity: str = "error") -> Problem:
        line, column = self.at(path)
        return Problem(self.name, line, column, message, severity)


def _child(node: Node, key: str | int) -> tuple[Any, Node] | None:
    """The mark and node of `key` inside `node`: a mapping's key, or a sequence's item."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == str(key):
                return key_node.start_mark, value_node
    elif isinstance(node, SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        item: Node = node.value[key]
        return item.start_mark, item
    return None


def _parser(*, round_trip: bool) -> YAML:
    yaml = YAML(typ="rt") if round_trip else YAML(typ="safe", pure=False)
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def read(path: Path, display: str) -> Document:
    """Parse one file; a syntax error or duplicate key becomes an ExemplarErrors with its place."""
    _check_size(path, display)
    try:
        text = path.read_text(encoding="utf-8")
        _Limits(display).scan(_parser(round_trip=False).parse(text))
        tree, data = _load(text)
    except MarkedYAMLError as error:
        raise ExemplarErrors([_placed(display, text, error)]) from None
    except UnicodeDecodeError:
        raise ExemplarErrors([Problem(display, 1, 1, "the file is not UTF-8 text")]) from None
    if not isinstance(data, dict):
        raise ExemplarErrors(
            [Problem(display, 1, 1, "the file must be a YAML mapping (key: value)")]
        )
    return Document(display, data, text, tree)


def _load(text: str) -> tuple[Node | None, Any]:
    """The composed nodes and the data built from them: positions come free with the load."""
    yaml = _parser(round_trip=False)
    tree = yaml.compose(text)
    return tree, None if tree is None else yaml.constructor.construct_document(tree)


def _check_size(path: Path, display: str) -> None:
    size = path.stat().st_size
    if size > MAX_BYTES:
        message = f"the file is {size:,} bytes; an exemplar file may be at most {MAX_BYTES:,}"
        raise ExemplarErrors([Problem(display, 1, 1, message)])


class _Limits:
    """One pass over the parse events, refusing the first thing beyond a limit at its place."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.open: list[list[Any]] = []  # [anchor, nodes so far] of each collection not yet closed
        self.sizes: dict[str, int] = {}  # nodes under each closed anchor, aliases written out
        self.aliases = 0
        self.repeated = 0

    def scan(self, events: Iterable[Event]) -> None:
        for event in events:
            if isinstance(event, CollectionStartEvent):
                self._start(event)
            elif isinstance(event, CollectionEndEvent):
                anchor, size = self.open.pop()
                self._node(anchor, size)
            elif isinstance(event, ScalarEvent):
                self._node(event.anchor, 1)
            elif isinstance(event, AliasEvent):
                self._alias(event)

    def _start(self, event: CollectionStartEvent) -> None:
        if len(self.open) >= MAX_DEPTH:
            self._refuse(
                event,
                f"this part is nested more than {MAX_DEPTH} levels deep; an exemplar never"
                " needs so many",
            )
        self.open.append([event.anchor, 1])

    def _node(self, anchor: str | None, size: int) -> None:
        if anchor is not None:
            self.sizes[anchor] = size
        if self.open:
            self.open[-1][1] += size

    def _alias(self, event: AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            self._refuse(event, f"the file uses more than {MAX_ALIASES} aliases (*name)")
        if any(anchor == event.anchor for anchor, _ in self.open):
            self._refuse(event, f"the alias *{event.anchor} is inside the part it names")
        size = self.sizes.get(event.anchor, 1)  # an unknown anchor is the parser's error to word
        self.repeated += size
        if self.repeated > MAX_REPEATED:
            self._refuse(
                event,
                f"aliases (*name) here repeat more than {MAX_REPEATED:,} values in all;"
                " write the parts out instead",
            )
        self._node(None, size)

    def _refuse(self, event: NodeEvent, message: str) -> None:
        mark = event.start_mark
        raise ExemplarErrors([Problem(self.display, mark.line + 1, mark.column + 1, message)])


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
