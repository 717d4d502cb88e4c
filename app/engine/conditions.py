"""The pathway condition language: parsed with `ast`, checked against a whitelist, never `eval`ed.

A condition is compiled once into a tree of small closures. The same compiled condition serves the
form, validation, printouts and the linter, so they can never disagree about what applies.
"""

import ast
import itertools
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

FACT_ROOTS = frozenset({"child", "case", "family"})
LITERAL_NAMES: dict[str, Any] = {"true": True, "false": False, "null": None}
# The longest real condition is under 140 characters and 6 levels deep; these bounds keep the
# recursive builder far from Python's recursion limit whatever a file holds.
MAX_LENGTH = 1000
MAX_NESTING = 30
TOO_DEEP = f"this condition is nested more than {MAX_NESTING} levels deep; split it up"
SEARCH_LIMIT = 20000  # combinations one condition's search may try before it assumes "met"
ORDERING = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}


class ConditionError(ValueError):
    """A condition that cannot be read; `column` is 1-based within the condition text."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def plain(answer: Any) -> Any:
    """The comparable value of a stored answer: blank and absence codes are None."""
    if not isinstance(answer, Mapping) or "value" not in answer:
        return None
    value = answer["value"]
    if isinstance(value, Mapping) and "answer" in value:  # a yes/no with a time qualifier
        return value["answer"]
    return value


class Scope:
    """What names in a condition mean: fields of this record's answers, and child/case facts."""

    def __init__(self, answers: Mapping[str, Any], facts: Mapping[str, Any]) -> None:
        self.answers = answers
        self.facts = facts

    def value(self, name: str) -> Any:
        return self.facts.get(name) if "." in name else plain(self.answers.get(name))

    def raw(self, name: str) -> Any:
        return self.answers.get(name)


Node = Callable[[Scope], Any]


def _answered(scope: Scope, name: str) -> bool:
    return plain(scope.raw(name)) not in (None, "", [])


def _absent(scope: Scope, name: str) -> bool:
    raw = scope.raw(name)
    return isinstance(raw, Mapping) and "absent" in raw


def _count(scope: Scope, name: str) -> int:
    value = scope.value(name)
    return len(value) if isinstance(value, list) else 0


def _contains(scope: Scope, name: str, code: Any) -> bool:
    value = scope.value(name)
    return isinstance(value, list) and code in value


def _when(scope: Scope, name: str) -> Any:
    raw = scope.raw(name)
    value = raw.get("value") if isinstance(raw, Mapping) else None
    return value.get("when") if isinstance(value, Mapping) else None


FUNCTIONS: dict[str, tuple[Callable[..., Any], int]] = {
    "answered": (_answered, 1),
    "absent": (_absent, 1),
    "count": (_count, 1),
    "contains": (_contains, 2),
    "when": (_when, 1),
}


@dataclass(frozen=True)
class Comparison:
    """A name compared with literals, kept so the loader can check the literals fit the field."""

    name: str
    literals: tuple[Any, ...]
    column: int


@dataclass
class Compiled:
    source: str
    run: Node
    names: set[str] = field(default_factory=set)
    comparisons: list[Comparison] = field(default_factory=list)

    def __call__(self, scope: Scope) -> bool:
        return bool(self.run(scope))


@lru_cache(maxsize=4096)
def compile_condition(source: str) -> Compiled:
    """Parse and check a condition; raise ConditionError naming what is not allowed."""
    if len(source) > MAX_LENGTH:
        raise ConditionError(f"a condition may be at most {MAX_LENGTH} characters long")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        raise ConditionError(
            f"cannot read this condition ({error.msg})", error.offset or 1
        ) from None
    except (RecursionError, MemoryError):  # Python's own parser gives up on deep nesting
        raise ConditionError(TOO_DEEP) from None
    if _depth(tree) > MAX_NESTING:
        raise ConditionError(TOO_DEEP)
    compiled = Compiled(source=source, run=lambda scope: None)
    compiled.run = _Builder(compiled).build(tree.body)
    return compiled


def _depth(tree: ast.AST) -> int:
    """How deep the tree goes, found without recursion (the builder below does recurse)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


class _Builder:
    def __init__(self, compiled: Compiled) -> None:
        self.compiled = compiled

    def build(self, node: ast.expr) -> Node:
        builder = getattr(self, f"_{type(node).__name__}", None)
        if builder is None:
            raise ConditionError(_not_allowed(node), node.col_offset + 1)
        result: Node = builder(node)
        return result

    def _BoolOp(self, node: ast.BoolOp) -> Node:
        parts = [self.build(value) for value in node.values]
        if isinstance(node.op, ast.And):
            return lambda scope: all(part(scope) for part in parts)
        return lambda scope: any(part(scope) for part in parts)

    def _UnaryOp(self, node: ast.UnaryOp) -> Node:
        if not isinstance(node.op, ast.Not):
            raise ConditionError("only 'not' may come before a value", node.col_offset + 1)
        inner = self.build(node.operand)
        return lambda scope: not inner(scope)

    def _Compare(self, node: ast.Compare) -> Node:
        operands = [node.left, *node.comparators]
        self._note_comparisons(operands)
        built = [self.build(operand) for operand in operands]
        tests = [_comparison(op) for op in node.ops]

        def run(scope: Scope) -> bool:
            values = [part(scope) for part in built]
            return all(test(values[i], values[i + 1]) for i, test in enumerate(tests))

        return run

    def _note_comparisons(self, operands: list[ast.expr]) -> None:
        names = [self._name_of(o) for o in operands]
        literals = tuple(v for o in operands for v in _literals(o))
        for operand, name in zip(operands, names, strict=True):
            if name is not None and literals:
                column = operand.col_offset + 1
                self.compiled.comparisons.append(Comparison(name, literals, column))

    def _name_of(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name) and node.id not in LITERAL_NAMES:
            return node.id
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            return f"{node.value.id}.{node.attr}"
        return None

    def _Name(self, node: ast.Name) -> Node:
        if node.id in LITERAL_NAMES:
            constant = LITERAL_NAMES[node.id]
            return lambda scope: constant
        self.compiled.names.add(node.id)
        name = node.id
        return lambda scope: scope.value(name)

    def _Attribute(self, node: ast.Attribute) -> Node:
        root = node.value
        if not (isinstance(root, ast.Name) and root.id in FACT_ROOTS) or node.attr.startswith("_"):
            message = "only facts may be dotted: child.…, case.… or family.…"
            raise ConditionError(message, node.col_offset + 1)
        name = f"{root.id}.{node.attr}"
        self.compiled.names.add(name)
        return lambda scope: scope.value(name)

    def _Constant(self, node: ast.Constant) -> Node:
        if not isinstance(node.value, str | int | float | bool | type(None)):
            raise ConditionError(_not_allowed(node), node.col_offset + 1)
        constant = node.value
        return lambda scope: constant

    def _List(self, node: ast.List | ast.Tuple) -> Node:
        items = tuple(_literal(item) for item in node.elts)
        return lambda scope: items

    _Tuple = _List

    def _Call(self, node: ast.Call) -> Node:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS or node.keywords:
            allowed = ", ".join(FUNCTIONS)
            raise ConditionError(f"the only functions are {allowed}", node.col_offset + 1)
        function, arity = FUNCTIONS[name]
        if len(node.args) != arity or not isinstance(node.args[0], ast.Name):
            raise ConditionError(f"{name}() takes a field name", node.col_offset + 1)
        target = node.args[0].id
        self.compiled.names.add(target)
        extra = [_literal(arg) for arg in node.args[1:]]
        if extra:
            self.compiled.comparisons.append(Comparison(target, tuple(extra), node.col_offset + 1))
        return lambda scope: function(scope, target, *extra)


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int | float | bool):
        return node.value
    if isinstance(node, ast.Name) and node.id in LITERAL_NAMES:
        return LITERAL_NAMES[node.id]
    raise ConditionError("a list may hold only quoted text, numbers, true or false", 1)


def _literals(node: ast.expr) -> Iterable[Any]:
    if isinstance(node, ast.List | ast.Tuple):
        return [_literal(item) for item in node.elts]
    if isinstance(node, ast.Constant) or (isinstance(node, ast.Name) and node.id in LITERAL_NAMES):
        return [_literal(node)] if _literal(node) is not None else []
    return []


def _comparison(op: ast.cmpop) -> Callable[[Any, Any], bool]:
    if isinstance(op, ast.Eq):
        return operator.eq
    if isinstance(op, ast.NotEq):
        return operator.ne
    if isinstance(op, ast.In):
        return lambda left, right: isinstance(right, tuple | list) and left in right
    if isinstance(op, ast.NotIn):
        return lambda left, right: isinstance(right, tuple | list) and left not in right
    ordering = ORDERING.get(type(op))
    if ordering is None:
        raise ConditionError("use ==, !=, <, <=, >, >=, in or not in", 1)
    return _ordered(ordering)


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """Blank or mismatched values are never less or greater than anything: no crash, no match."""

    def run(left: Any, right: Any) -> bool:
        if left is None or right is None or isinstance(left, bool) or isinstance(right, bool):
            return False
        try:
            return bool(compare(left, right))
        except TypeError:
            return False

    return run


def _not_allowed(node: ast.AST) -> str:
    kinds = {
        "Subscript": "indexing ([...])",
        "BinOp": "arithmetic",
        "Lambda": "lambda",
        "IfExp": "if/else",
        "Dict": "a mapping",
    }
    what = kinds.get(type(node).__name__, type(node).__name__)
    return f"{what} is not allowed in a condition"


def satisfiable(
    compiled: Compiled, domains: Mapping[str, list[Any]], *, limit: int = SEARCH_LIMIT
) -> bool:
    """Whether some combination of the given candidate values makes the condition true.

    The linter uses this to find fields and sections that can never be shown. Candidates are answer
    envelopes for fields and plain values for facts; when the space is too large we say True.
    """
    if search_size(compiled, domains) > limit:
        return True
    names = sorted(compiled.names)
    spaces = [domains.get(name, [None]) for name in names]
    for combination in itertools.product(*spaces):
        chosen = dict(zip(names, combination, strict=True))
        facts = {k: v for k, v in chosen.items() if "." in k}
        answers = {k: v for k, v in chosen.items() if "." not in k}
        if compiled(Scope(answers, facts)):
            return True
    return False


def search_size(compiled: Compiled, domains: Mapping[str, list[Any]]) -> int:
    """How many combinations `satisfiable` would try, so a caller can budget for them."""
    return math.prod(len(domains.get(name, [None])) for name in compiled.names)
