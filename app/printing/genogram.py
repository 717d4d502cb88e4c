"""The family diagram (genogram) of the child whose record is printed, drawn as SVG from the
relationships recorded among the people around them, with a description of it in words.

Conventions, simply: squares for males, circles for females, a diamond when not recorded; the child
with a double outline; partners joined by a line, a former partner's line crossed by two strokes;
children hang from their own parents' line, so half-brothers and half-sisters sit under the parents
they share; a dashed outline for someone who does not live with the child; a cross through someone
who has died. The layout is a function of a small graph. Every name is escaped here: the SVG is
never built from markup typed into a record.
"""

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from statistics import mean
from typing import Any

from app.engine.display import long_date

WIDTH, ROW_HEIGHT, BOX, TOP = 170, 110, 26, 36
PARENT = {"mother", "father", "parent", "adoptive_parent"}
CHILD = {"child", "adopted_child"}
COUPLE = {"partner": True, "former_partner": False}  # True: together now
# "A is the mother's partner of B": A is the partner of B's mother (f) or father (m).
PARTNER_OF_PARENT = {"mothers_partner": "f", "fathers_partner": "m"}
GRANDPARENT_VIA = {
    "maternal_grandmother": "f",
    "maternal_grandfather": "f",
    "paternal_grandmother": "m",
    "paternal_grandfather": "m",
}
# "A is the <type> of B" puts A this many rows above B; types not here (friend) say nothing.
ROWS_ABOVE = {
    **dict.fromkeys(PARENT | {"step_parent", "foster_carer", "special_guardian"}, 1),
    **dict.fromkeys({"aunt_uncle", *PARTNER_OF_PARENT}, 1),
    **dict.fromkeys({"grandparent", *GRANDPARENT_VIA}, 2),
    **dict.fromkeys(CHILD | {"step_child", "partners_child", "foster_child", "ward"}, -1),
    "niece_nephew": -1,
    "grandchild": -2,
    **dict.fromkeys({"sibling", "half_sibling", "step_sibling", "cousin", *COUPLE}, 0),
}
# Snapshots frozen before relationships were: the child's relation in words, back to its code.
WORD_CODES = {
    "brother or sister": "sibling",
    "half-brother or half-sister": "half_sibling",
    "step-brother or step-sister": "step_sibling",
    "aunt or uncle": "aunt_uncle",
    "niece or nephew": "niece_nephew",
    "child under special guardianship": "ward",
}
MALE_WORDS, FEMALE_WORDS = ("brother", "uncle", "nephew"), ("sister", "aunt", "niece")


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    first_name: str
    sex: str  # "m", "f" or "" when not recorded
    relation: str  # to the child, in words
    at_home: bool  # lives with the child
    died_on: str | None


@dataclass(frozen=True)
class Link:
    person: int  # this person is the `code` of `other`
    code: str
    other: int
    ended: bool


@dataclass(frozen=True)
class Graph:
    people: tuple[Person, ...]  # the child first
    parents: frozenset[tuple[int, int]]  # (parent, child)
    couples: Mapping[tuple[int, int], bool]  # (a, b) with a < b: together now?
    row: Mapping[int, int]  # person -> row, 0 at the top


# Reading the frozen people --------------------------------------------------------------------


def _person(entry: Mapping[str, Any]) -> Person:
    person = entry["person"]
    first = str(person.get("known_as") or person.get("given_names") or person["full_name"])
    return Person(
        id=int(person["id"]),
        name=str(person["full_name"]),
        first_name=first.split()[0] if first.split() else first,
        sex=str(person.get("sex") or "")[:1].lower(),
        relation=str(entry.get("relationship_to_child") or ""),
        at_home=bool(entry.get("lives_with_child")),
        died_on=person.get("died_on"),
    )


def _links(people: Sequence[Mapping[str, Any]]) -> list[Link]:
    """The frozen relationships; for an older snapshot, each person's relation to the child."""
    if any("links" in entry for entry in people):
        return [
            Link(int(e["person"]["id"]), str(link["type"]), int(link["to"]), bool(link["ended_on"]))
            for e in people
            for link in e.get("links") or ()
        ]
    child = int(people[0]["person"]["id"])
    return [
        Link(int(e["person"]["id"]), _code(str(e["relationship_to_child"])), child, False)
        for e in people[1:]
        if e.get("relationship_to_child")
    ]


def _code(words: str) -> str:
    return WORD_CODES.get(words, words.replace("'", "").replace("-", "_").replace(" ", "_"))


# The graph -----------------------------------------------------------------------------------


def graph(people: Sequence[Mapping[str, Any]]) -> Graph:
    """Who is parent of whom, who are partners, and the row of each: the child's network."""
    found = tuple(_person(entry) for entry in people)
    ids = {p.id for p in found}
    links = [link for link in _links(people) if {link.person, link.other} <= ids]
    sex = {p.id: p.sex for p in found}
    parents = {(a.person, a.other) for a in links if a.code in PARENT}
    parents |= {(a.other, a.person) for a in links if a.code in CHILD}
    parents |= _shared_parents(links, parents)
    couples = {_pair(a.person, a.other): COUPLE[a.code] and not a.ended for a in links
               if a.code in COUPLE}  # fmt: skip
    for link in links:
        for parent in _parents_of(link.other, parents):
            if PARTNER_OF_PARENT.get(link.code) == sex[parent]:
                couples.setdefault(_pair(link.person, parent), True)
            if GRANDPARENT_VIA.get(link.code) == sex[parent]:
                parents.add((link.person, parent))
    row = _rows(found, links, parents)
    drawn = frozenset((p, c) for p, c in parents if row[p] < row[c])
    together = {pair: now for pair, now in couples.items() if row[pair[0]] == row[pair[1]]}
    return Graph(found, drawn, together, row)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _parents_of(child: int, parents: Iterable[tuple[int, int]]) -> list[int]:
    return sorted(p for p, c in parents if c == child)


def _shared_parents(links: list[Link], parents: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """A full brother or sister with no parents of their own recorded shares the other's."""
    shared = set()
    for link in (a for a in links if a.code == "sibling"):
        for one, other in ((link.person, link.other), (link.other, link.person)):
            if not _parents_of(one, parents):
                shared |= {(p, one) for p in _parents_of(other, parents)}
    return shared


def _rows(
    found: tuple[Person, ...], links: list[Link], parents: set[tuple[int, int]]
) -> dict[int, int]:
    """Generations counted from the child; anyone the relationships do not place is an adult."""
    above: dict[int, list[tuple[int, int]]] = defaultdict(list)
    steps = [(a.person, a.other, ROWS_ABOVE[a.code]) for a in links if a.code in ROWS_ABOVE]
    for a, b, rows in steps + [(p, c, 1) for p, c in sorted(parents)]:
        above[b].append((a, rows))
        above[a].append((b, -rows))
    level = {found[0].id: 0}
    queue = deque([found[0].id])
    while queue:
        here = queue.popleft()
        for there, rows in above[here]:
            if there not in level:
                level[there] = level[here] - rows
                queue.append(there)
    level |= {p.id: -1 for p in found if p.id not in level}
    top = min(level.values())
    return {pid: value - top for pid, value in level.items()}


# The layout ----------------------------------------------------------------------------------


def layout(g: Graph) -> dict[int, tuple[float, int]]:
    """Each person's centre (x) and row: partners side by side, children under their parents."""
    rows = sorted(set(g.row.values()))
    blocks = {r: _blocks(g, [p.id for p in g.people if g.row[p.id] == r]) for r in rows}
    x: dict[int, float] = {}
    for r in rows:
        wanted = [_wanted(block, g, x, up=True) for block in blocks[r]]
        # Under their parents, left to right; blocks with no parents drawn keep their order, last.
        ordered = [b for _, b in sorted(zip(wanted, blocks[r], strict=True), key=_unplaced_last)]
        blocks[r] = ordered
        _pack(ordered, [_wanted(b, g, x, up=True) for b in ordered], x)
    for r in reversed(rows[:-1]):  # the eldest, with no parents drawn, centred over their children
        _pack(blocks[r], [_wanted(b, g, x, up=False) for b in blocks[r]], x)
    left = min(x.values())
    return {pid: (value - left + WIDTH / 2, g.row[pid]) for pid, value in x.items()}


def _unplaced_last(item: tuple[float | None, list[int]]) -> tuple[bool, float]:
    return (item[0] is None, item[0] or 0.0)


def _blocks(g: Graph, row: list[int]) -> list[list[int]]:
    """Partners together (the one with most partners in the middle, former partners to the left),
    then brothers and sisters who share their parents."""
    blocks: list[list[int]] = []
    placed: set[int] = set()
    for pid in row:
        if pid in placed:
            continue
        block = _couple_block(g, pid) or _sibship(g, pid, row, placed)
        blocks.append(block)
        placed.update(block)
    return blocks


def _couple_block(g: Graph, pid: int) -> list[int]:
    partners = _partners(g, pid)
    if not partners:
        return []
    group, queue = {pid}, [pid]
    while queue:
        for other in _partners(g, queue.pop()):
            if other not in group:
                group.add(other)
                queue.append(other)
    hub = max(sorted(group), key=lambda member: len(_partners(g, member)))
    near = _partners(g, hub)
    former = [p for p in near if not g.couples[_pair(p, hub)]]
    current = [p for p in near if g.couples[_pair(p, hub)]]
    rest = sorted(group - {hub, *near})
    return [*former, hub, *current, *rest]


def _partners(g: Graph, pid: int) -> list[int]:
    return sorted(b if a == pid else a for a, b in g.couples if pid in (a, b))


def _sibship(g: Graph, pid: int, row: list[int], placed: set[int]) -> list[int]:
    own = _parents_of(pid, g.parents)
    if not own:
        return [pid]
    same = [p for p in row if p not in placed and not _partners(g, p)]
    return [p for p in same if _parents_of(p, g.parents) == own] or [pid]


def _wanted(block: list[int], g: Graph, x: Mapping[int, float], *, up: bool) -> float | None:
    """Where a block would sit: under its parents (going down), over its children (going up)."""
    if up:
        near = [p for pid in block for p in _parents_of(pid, g.parents) if p in x]
    elif any(_parents_of(pid, g.parents) for pid in block):
        near = block
    else:
        near = [c for p, c in g.parents if p in block and c in x] or block
    return mean(x[p] for p in near) if near and all(p in x for p in near) else None


def _pack(blocks: list[list[int]], wanted: list[float | None], x: dict[int, float]) -> None:
    """Blocks left to right, each as near as it may be to where it is wanted, never overlapping."""
    cursor: float | None = None
    for block, want in zip(blocks, wanted, strict=True):
        span = (len(block) - 1) * WIDTH
        left = want - span / 2 if want is not None else (cursor if cursor is not None else 0.0)
        if cursor is not None:
            left = max(left, cursor)
        for index, pid in enumerate(block):
            x[pid] = left + index * WIDTH
        cursor = left + span + WIDTH


# Drawing -------------------------------------------------------------------------------------


def draw(people: Sequence[Mapping[str, Any]]) -> str:
    """The SVG family diagram, or "" when nobody is recorded."""
    if not people:
        return ""
    g = graph(people)
    at = {pid: (x, TOP + row * ROW_HEIGHT) for pid, (x, row) in layout(g).items()}
    width = max(x for x, _ in at.values()) + WIDTH / 2
    height = max(y for _, y in at.values()) + ROW_HEIGHT - 40
    parts = [*_couple_lines(g, at), *_child_lines(g, at)]
    for index, person in enumerate(g.people):
        parts.extend(_figure(person, *at[person.id], child=index == 0))
    title = f"Family diagram for {escape(g.people[0].name)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}"><title>{title}</title>'
        f"<desc>{escape(_described(g))}</desc>{''.join(parts)}</svg>"
    )


def _figure(person: Person, x: float, y: float, *, child: bool) -> list[str]:
    dash = "" if person.at_home else ' stroke-dasharray="4 3"'
    parts = [_shape(person.sex, x, y, BOX, dash)]
    if child:
        parts.append(_shape(person.sex, x, y, BOX + 8, "", fill="none"))
    half = BOX / 2
    if person.died_on:
        parts += [
            _line(x - half, y - half, x + half, y + half),
            _line(x - half, y + half, x + half, y - half),
        ]
    relation = _gendered(person.relation, person.sex) or "relationship not recorded"
    lines = [(10, person.name), (9, relation)]
    if person.died_on:
        lines.append((9, f"died {long_date(str(person.died_on))}"))
    for index, (size, text) in enumerate(lines):
        parts.append(
            f'<text x="{x:g}" y="{y + 29 + index * 12:g}" font-size="{size}" '
            f'text-anchor="middle">{escape(text)}</text>'
        )
    return parts


def _shape(sex: str, x: float, y: float, size: float, dash: str, fill: str = "white") -> str:
    style = f'fill="{fill}" stroke="black" stroke-width="1.5"{dash}'
    half = size / 2
    if sex == "m":
        return (
            f'<rect x="{x - half:g}" y="{y - half:g}" width="{size:g}" height="{size:g}" {style}/>'
        )
    if sex == "f":
        return f'<circle cx="{x:g}" cy="{y:g}" r="{half:g}" {style}/>'
    points = f"{x:g},{y - half:g} {x + half:g},{y:g} {x:g},{y + half:g} {x - half:g},{y:g}"
    return f'<polygon points="{points}" {style}/>'


def _couple_lines(g: Graph, at: Mapping[int, tuple[float, float]]) -> list[str]:
    parts = []
    for (a, b), now in sorted(g.couples.items()):
        (x1, y), (x2, _) = sorted((at[a], at[b]))
        parts.append(_line(x1 + BOX / 2, y, x2 - BOX / 2, y))
        if not now:  # separated: two strokes across the line, clear of the children's line
            middle = (x1 + BOX / 2 + (x1 + x2) / 2) / 2
            parts += [_line(middle + d - 4, y + 7, middle + d + 4, y - 7) for d in (-4, 4)]
    return parts


def _child_lines(g: Graph, at: Mapping[int, tuple[float, float]]) -> list[str]:
    """From the parents' line (or a lone parent) down to a bar over their children."""
    families: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for child in sorted({c for _, c in g.parents}):
        families[tuple(_parents_of(child, g.parents))].append(child)
    parts: list[str] = []
    bars: list[tuple[float, float, float]] = []  # (y, left, right) of each bar drawn
    for parents, children in sorted(families.items()):
        children = sorted(children, key=lambda c: at[c][0])
        xs = sorted(at[p][0] for p in parents)
        top_y = at[parents[0]][1]
        drop = mean((xs[0], xs[-1]))
        if len(parents) == 1:
            top_y += 58  # below the parent's name, relation and date of death
        elif _pair(parents[0], parents[-1]) not in g.couples:  # parents, not recorded as partners
            parts.append(
                _line(xs[0] + BOX / 2, top_y, xs[-1] - BOX / 2, top_y, ' stroke-dasharray="1 3"')
            )
        child_xs = [at[c][0] for c in children]
        span = (min(drop, *child_xs), max(drop, *child_xs))
        bar = _free_height(at[children[0]][1] - BOX / 2 - 10, span, bars)
        bars.append((bar, *span))
        parts.append(_line(drop, top_y, drop, bar))
        parts.append(_line(span[0], bar, span[1], bar))
        parts += [
            _line(cx, bar, cx, at[c][1] - BOX / 2) for cx, c in zip(child_xs, children, strict=True)
        ]
    return parts


def _free_height(
    y: float, span: tuple[float, float], bars: list[tuple[float, float, float]]
) -> float:
    """The lowest height for a bar over children where no other bar runs (two families of
    half-siblings must not read as one)."""
    while any(at == y and left <= span[1] + 4 and span[0] <= right + 4 for at, left, right in bars):
        y -= 6
    return y


def _line(x1: float, y1: float, x2: float, y2: float, style: str = "") -> str:
    return f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="black"{style}/>'


# In words ------------------------------------------------------------------------------------


def describe(people: Sequence[Mapping[str, Any]]) -> str:
    """The diagram in words, for its alternative text: who the child lives with, who lives
    elsewhere, who has died, and who are (or were) partners."""
    return _described(graph(people)) if people else ""


def _described(g: Graph) -> str:
    child, others = g.people[0], g.people[1:]
    own = {"f": "her", "m": "his"}.get(child.sex, "their")
    parents = _parents_of(child.id, g.parents)
    alive = sorted((p for p in others if not p.died_on), key=lambda p: p.id not in parents)
    home = [_who(p, own) for p in alive if p.at_home]
    away = [_who(p, own) for p in alive if not p.at_home]
    said = [f"{child.first_name} lives with {_joined(home)}." if home
            else f"No one recorded here lives with {child.first_name}."]  # fmt: skip
    if away:
        said.append(_capital(f"{_joined(away)} {'lives' if len(away) == 1 else 'live'} elsewhere."))
    said += [
        _capital(f"{_who(p, own)} died on {long_date(str(p.died_on))}.")
        for p in others
        if p.died_on
    ]
    names = {p.id: p.name for p in g.people}
    for (a, b), now in sorted(g.couples.items()):
        said.append(f"{names[a]} and {names[b]} {'are' if now else 'were'} partners.")
    return " ".join(said)


def _who(person: Person, own: str) -> str:
    if not person.relation:
        return f"{person.name} (relationship not recorded)"
    return f"{own} {_gendered(person.relation, person.sex)} {person.name}"


def _gendered(words: str, sex: str) -> str:
    """ "brother or sister" as "brother" for a boy, "sister" for a girl; as it is otherwise."""
    wanted = {"m": MALE_WORDS, "f": FEMALE_WORDS}.get(sex, ())
    choices = [part for part in words.split(" or ") if any(w in part for w in wanted)]
    return choices[0] if " or " in words and choices else words


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
