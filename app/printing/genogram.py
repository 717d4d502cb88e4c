"""A family diagram for the court statement, drawn as SVG from the recorded relationships.

Genogram conventions, simply: squares for males, circles for females, a diamond when not recorded;
grandparents on the top row, parents and carers in the middle, the child and brothers and sisters
at the bottom; a dashed outline for someone who does not live with the child. Names are escaped:
the SVG is built here, never from markup typed into a record.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from itertools import pairwise
from typing import Any

ROWS = {
    0: ("grandmother", "grandfather", "grandparent", "great"),
    2: ("child", "sister", "brother", "sibling", "half", "step-sister", "step-brother"),
}
WIDTH, ROW_HEIGHT, BOX = 170, 90, 26


@dataclass(frozen=True)
class Member:
    name: str
    relationship: str
    sex: str | None
    lives_with_child: bool


def members(people: Iterable[Mapping[str, Any]]) -> list[Member]:
    return [
        Member(
            name=str(p["person"]["full_name"]),
            relationship=str(p.get("relationship_to_child") or "not recorded"),
            sex=p["person"].get("sex"),
            lives_with_child=bool(p.get("lives_with_child")),
        )
        for p in people
    ]


def _row(member: Member) -> int:
    relation = member.relationship.lower()
    for row, words in ROWS.items():
        if any(word in relation for word in words):
            return row
    return 1


def _shape(member: Member, x: float, y: float) -> str:
    dash = "" if member.lives_with_child else ' stroke-dasharray="4 3"'
    style = f'fill="white" stroke="black" stroke-width="1.5"{dash}'
    sex = (member.sex or "").lower()
    if sex.startswith("m"):
        return f'<rect x="{x - BOX / 2}" y="{y - BOX / 2}" width="{BOX}" height="{BOX}" {style}/>'
    if sex.startswith("f"):
        return f'<circle cx="{x}" cy="{y}" r="{BOX / 2}" {style}/>'
    half = BOX / 2
    points = f"{x},{y - half} {x + half},{y} {x},{y + half} {x - half},{y}"
    return f'<polygon points="{points}" {style}/>'


def draw(people: Iterable[Mapping[str, Any]]) -> str:
    """An SVG family diagram, or "" when nobody is recorded."""
    found = members(people)
    if not found:
        return ""
    rows: dict[int, list[Member]] = {0: [], 1: [], 2: []}
    for member in found:
        rows[_row(member)].append(member)
    columns = max(len(row) for row in rows.values())
    width = max(columns, 1) * WIDTH
    used = [r for r in (0, 1, 2) if rows[r]]
    height = len(used) * ROW_HEIGHT + 20
    parts: list[str] = []
    centres: dict[int, list[float]] = {}
    for index, row in enumerate(used):
        y = 30 + index * ROW_HEIGHT
        gap = width / len(rows[row])
        centres[row] = [gap * (i + 0.5) for i in range(len(rows[row]))]
        for member, x in zip(rows[row], centres[row], strict=True):
            parts.append(_shape(member, x, y))
            label = f"{escape(member.name)}"
            role = escape(member.relationship)
            parts.append(
                f'<text x="{x}" y="{y + BOX}" font-size="9" text-anchor="middle">{label}</text>'
            )
            parts.append(
                f'<text x="{x}" y="{y + BOX + 11}" font-size="8" text-anchor="middle">{role}</text>'
            )
    for upper, lower in pairwise(used):
        top = 30 + used.index(upper) * ROW_HEIGHT + BOX + 16
        bottom = 30 + used.index(lower) * ROW_HEIGHT - BOX / 2
        middle = width / 2
        parts.append(
            f'<line x1="{middle}" y1="{top}" x2="{middle}" y2="{bottom - 8}" stroke="black"/>'
        )
        xs = centres[lower]
        parts.append(_line(min(xs), bottom - 8, max(xs), bottom - 8))
        parts.extend(
            f'<line x1="{x}" y1="{bottom - 8}" x2="{x}" y2="{bottom}" stroke="black"/>' for x in xs
        )
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Family diagram" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{body}</svg>'
    )


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="black"/>'
