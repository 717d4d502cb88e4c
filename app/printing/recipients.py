"""Family copies made for someone: who may have one, and what they may read about other people.

One evaluator over one rules file (printouts/family/recipients.yaml). An answer whose field is
marked `private:` in its exemplar, a pen-picture's private parts, a free-text answer naming a
referrer who asked not to be named, and a confidential person's address are each withheld or
flagged with a reason; the worker sees every one in the preview and may release what the rules
let them, with a note. Nothing is edited: what a reader may not see is left out when rendering.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engine.definitions import AnonymousSource, FieldDef, Private, PrivateTopic
from app.engine.yamlfile import ExemplarErrors, display, plain, read, validate
from app.errors import Invalid
from app.printing.document import Answer

RULES_FILE = Path(__file__).resolve().parents[2] / "printouts" / "family" / "recipients.yaml"
Standing = Literal["full", "reduced", "refused"]
Released = Mapping[str, str]  # item key → the worker's note


class _Reasons(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    full: str
    full_carer: str
    reduced: str
    refused: str
    child: str
    nobody: str


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    parent_types: list[str] = Field(min_length=1)
    reduced_copy_for: Literal["in_network", "nobody"]
    reasons: _Reasons
    pen_picture_private_parts: list[str]
    pen_picture_part_words: dict[str, str]
    topics: dict[PrivateTopic, str]
    titles: list[str]


@cache
def rules() -> Rules:
    """The rules file, checked like an exemplar (a mistake names its line)."""
    document = read(RULES_FILE, display(RULES_FILE))
    loaded, problems = validate(document, Rules, plain(document.data))
    if loaded is None:
        raise ExemplarErrors(problems)
    return loaded


@dataclass(frozen=True)
class Recipient:
    """Whom one copy is for, and what that lets them read."""

    key: str  # "person-12", "child" or "nobody": the print form's value
    name: str
    relationship: str
    standing: Standing
    reason: str
    person_id: int | None = None
    household: bool = False  # lives with the child: reads what is about the household
    parent_of: frozenset[int] = frozenset()  # children whose private parts they may read

    @property
    def title(self) -> str:
        return f"{self.name}'s copy" if self.person_id is not None else ""


@dataclass(frozen=True)
class Item:
    """One thing the preview lists: withheld or flagged, why, and whether it may be released."""

    key: str
    what: str
    why: str
    releasable: bool
    flagged: bool = False


# Who a copy is for ---------------------------------------------------------------------------


def choices(people: list[dict[str, Any]]) -> list[Recipient]:
    """Everyone in the child's network a copy could be made for, with their standing."""
    # Brothers and sisters are not offered a copy of this child's record: the child's own copy
    # is the child reader's.
    return [_judge(entry, people) for entry in people if entry.get("role") != "child"]


def recipient_for(people: list[dict[str, Any]], key: str | None, copy_for: str) -> Recipient | None:
    """The recipient a print form names (`copy_for` is the reader's column in readers.yaml)."""
    child = _child(people)
    child_name = _first(child)
    if copy_for == "none":
        return None
    if copy_for == "child":
        return Recipient("child", _full(child), "the child", "full",
                         rules().reasons.child.format(child=child_name),
                         person_id=_id(child) if child else None)  # fmt: skip
    if not key or key == "nobody":
        return Recipient("nobody", "", "", "full", rules().reasons.nobody)
    found = next(
        (e for e in people if f"person-{_id(e)}" == key and e.get("role") != "child"), None
    )
    if found is None:
        raise Invalid("Choose someone in the child's network for this copy.", field="recipient")
    return _judge(found, people)


def outsider(people: list[dict[str, Any]], key: str, name: str) -> Recipient:
    """Someone with no place in the child's network: refused, with the reason."""
    child_name = _first(_child(people))
    reason = rules().reasons.refused.format(name=name, child=child_name, relation="")
    return Recipient(key, name, "", "refused", reason, person_id=int(key.split("-")[1]))


def in_network(people: list[dict[str, Any]], key: str | None) -> bool:
    return (
        not key or not key.startswith("person-") or any(f"person-{_id(e)}" == key for e in people)
    )


def ensure_printable(recipient: Recipient | None) -> None:
    """A refused copy is never made: the error names the recipient and why."""
    if recipient is not None and recipient.standing == "refused":
        raise Invalid(f"No copy for {recipient.name}: {recipient.reason}.", field="recipient")


def _judge(entry: dict[str, Any], people: list[dict[str, Any]]) -> Recipient:
    child = _child(people)
    child_id, child_name = (_id(child) if child else -1), _first(child)
    words = rules().reasons
    relation = str(entry.get("relationship_to_child") or "")
    lives_here = bool(entry.get("lives_with_child"))
    names = {"name": _full(entry), "child": child_name, "relation": relation}
    if _parent(entry, child_id):
        standing: Standing = "full"
        reason = words.full.format(**names)
    elif lives_here:
        standing, reason = "full", words.full_carer.format(**names)
    elif rules().reduced_copy_for == "in_network":
        standing, reason = "reduced", words.reduced.format(**names)
    else:
        standing, reason = "refused", words.refused.format(**names)
    return Recipient(
        key=f"person-{_id(entry)}",
        name=_full(entry),
        relationship=relation,
        standing=standing,
        reason=reason,
        person_id=_id(entry),
        household=lives_here,
        parent_of=_children_of(entry, people, lives_here),
    )


def _children_of(
    entry: dict[str, Any], people: list[dict[str, Any]], lives_here: bool
) -> frozenset[int]:
    # A carer in the child's home is a carer of the children who live there too.
    children = [e for e in people if e.get("role") == "child"]
    return frozenset(
        _id(c)
        for c in children
        if _parent(entry, _id(c)) or (lives_here and c.get("lives_with_child"))
    )


def _parent(entry: dict[str, Any], child_id: int) -> bool:
    for link in entry.get("links") or ():
        current = link.get("to") == child_id and not link.get("ended_on")
        if current and (link.get("type") in rules().parent_types or link.get("pr")):
            return True
    return False


def _child(people: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((p for p in people if p.get("relationship_to_child") == "the child"), None)


def _id(entry: dict[str, Any] | None) -> int:
    return int(entry["person"]["id"]) if entry else -1


def _full(entry: dict[str, Any] | None) -> str:
    return str(entry["person"]["full_name"]) if entry else ""


def _first(entry: dict[str, Any] | None) -> str:
    return str(entry["person"].get("known_as") or entry["person"]["given_names"]) if entry else ""


# What they may read ------------------------------------------------------------------------------


def may_read(rule: Private, recipient: Recipient | None) -> bool:
    """Whether a private answer is for this reader without being released."""
    return rule.about == "household" and recipient is not None and recipient.household


def releasable(recipient: Recipient | None) -> bool:
    """Only a full copy for a named person may carry what the worker releases to them."""
    return recipient is not None and recipient.standing == "full" and recipient.key != "nobody"


def private_why(rule: Private) -> str:
    topics = " or ".join(rules().topics[t] for t in rule.topics)
    whose = "the household's" if rule.about == "household" else "an adult's"
    return f"about {whose} {topics}: only for those who may read it"


def private_rows(item: FieldDef, value: Any, recipient: Recipient | None) -> dict[int, Private]:
    """The rows of a group answer this reader may not read unreleased, by index."""
    found: dict[int, Private] = {}
    for rule in item.private or ():
        if rule.rows_where is None or may_read(rule, recipient):
            continue
        where = rule.rows_where
        for n, row in enumerate(value if isinstance(value, list) else []):
            if isinstance(row, Mapping) and row.get(where.column) in where.codes:
                found.setdefault(n, rule)
    return found


def whole_answer_rule(item: FieldDef, recipient: Recipient | None) -> Private | None:
    """The private rule that keeps the whole answer from this reader, if any."""
    return next(
        (r for r in item.private or () if r.rows_where is None and not may_read(r, recipient)),
        None,
    )


# Pen-pictures -----------------------------------------------------------------------------------


def pen_picture(
    entry: dict[str, Any],
    parts: Iterable[str],
    recipient: Recipient | None,
    released: Released,
) -> tuple[str, list[Outcome]]:
    """The pen-picture text this reader gets, and what was left out of it."""
    picture = entry.get("pen_picture") or {}
    person = entry["person"]
    own = recipient is not None and recipient.person_id == person["id"]
    shown, outcomes = [], []
    for part in parts:
        if not picture.get(part):
            continue
        item = _part_item(entry, part, recipient, own)
        note = released.get(item.key) if item is not None and item.releasable else None
        if item is not None:
            outcomes.append(Outcome(item, note))
        if item is None or note is not None:
            shown.append(str(picture[part]))
    return " ".join(shown), outcomes


def _part_item(
    entry: dict[str, Any], part: str, recipient: Recipient | None, own: bool
) -> Item | None:
    if recipient is None or own:
        return None
    person = entry["person"]
    what = f"{person['full_name']}'s pen-picture: {rules().pen_picture_part_words.get(part, part)}"
    key = f"pen:{person['id']}:{part}"
    if person.get("address_confidential"):
        why = "their address is confidential: nothing about them prints but their name"
        return Item(key, what, why, releasable=False)
    if recipient.standing == "reduced" and entry.get("relationship_to_child") != "the child":
        return Item(key, what, recipient.reason, releasable=False)
    if part not in rules().pen_picture_private_parts:
        return None
    if entry.get("role") == "child" and int(person["id"]) in recipient.parent_of:
        return None
    who = "a child who is not theirs" if entry.get("role") == "child" else "another adult"
    return Item(key, what, f"about {who}'s own life", releasable=releasable(recipient))


# Names that must not print ------------------------------------------------------------------------


@dataclass(frozen=True)
class Needle:
    """Words a free-text answer must not hold for this reader, and why."""

    pattern: re.Pattern[str]
    why: str
    releasable: bool


def needles(
    anonymous: AnonymousSource | None,
    answers: Mapping[str, Any],
    people: list[dict[str, Any]],
    recipient: Recipient | None,
) -> list[Needle]:
    """The referrer's name and address (unless they agreed to be named) and every confidential
    address of someone other than the reader, as whole-word patterns."""
    found = []
    if anonymous is not None and _value(answers, anonymous.named_if) != "yes":
        words = _name_words(str(_value(answers, anonymous.name) or ""))
        places = _places(str(_value(answers, anonymous.address) or "")) if anonymous.address else []
        if words or places:
            why = "names the referrer, who asked not to be named: edit the answer or release it"
            found.append(Needle(_whole_words([*words, *places]), why, releasable=True))
    for entry in people:
        person = entry["person"]
        own = recipient is not None and recipient.person_id == person["id"]
        places = _places(str(person.get("address") or ""))
        if person.get("address_confidential") and places and not own:
            why = f"holds {person['full_name']}'s confidential address: edit the answer"
            found.append(Needle(_whole_words(places), why, releasable=False))
    return found


def flagged(text: str, found: list[Needle]) -> Needle | None:
    """The first needle a text holds."""
    return next((n for n in found if n.pattern.search(text)), None)


def _value(answers: Mapping[str, Any], field: str) -> Any:
    answer = answers.get(field)
    return answer.get("value") if isinstance(answer, Mapping) else None


def _name_words(name: str) -> list[str]:
    titles = set(rules().titles)
    words = re.findall(r"[^\W\d_][\w'’-]*", name)
    return [w for w in words if len(w) > 1 and w.lower() not in titles]


def _places(address: str) -> list[str]:
    # The parts with a number (a house and street, a postcode) and the street without its
    # number; a town alone would flag every answer that mentions the council's own town.
    found = []
    for part in (p.strip() for p in address.split(",")):
        if not re.search(r"\d", part):
            continue
        found.append(part)
        street = re.sub(r"^(flat\s+)?\d+\w?\s+", "", part, flags=re.IGNORECASE).strip()
        if street and street != part and not re.search(r"\d", street):
            found.append(street)
    return found


def _whole_words(phrases: list[str]) -> re.Pattern[str]:
    joined = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{joined})(?!\w)", re.IGNORECASE)


# One answer, screened for one reader -------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """What screening answers for one copy needs: the reader, what was released, the needles."""

    recipient: Recipient
    released: Released
    needles: list[Needle]


@dataclass(frozen=True)
class Outcome:
    """An item the preview lists: withheld, or released with the worker's note."""

    item: Item
    note: str | None = None  # set when the worker released it

    @property
    def released(self) -> bool:
        return self.note is not None


def screen(
    item: FieldDef, raw: Any, shown: Answer, label: str, ctx: Screen
) -> tuple[Answer | None, list[Outcome]]:
    """The answer this reader gets (None: left out), and every item withheld or released."""
    outcomes: list[Outcome] = []
    rule = whole_answer_rule(item, ctx.recipient)
    if rule is not None:
        kept = _decide(Item(f"field:{item.id}", label, private_why(rule),
                            releasable(ctx.recipient)), ctx, outcomes)  # fmt: skip
        if not kept:
            return None, outcomes
    value = raw.get("value") if isinstance(raw, Mapping) else None
    rows = private_rows(item, value, ctx.recipient)
    if rows and shown.rows:
        keep = []
        for n, row in enumerate(shown.rows):
            rule_n = rows.get(n)
            what = f"{label}: {' / '.join(text for _, text in row[:2] if text)}"
            row_item = Item(f"field:{item.id}:row{n}", what, private_why(rule_n), releasable(
                ctx.recipient)) if rule_n else None  # fmt: skip
            if row_item is None or _decide(row_item, ctx, outcomes):
                keep.append(row)
        if not keep:
            return None, outcomes
        shown = replace(shown, rows=tuple(keep))
    text = " ".join([shown.text or "", *(t for row in shown.rows for _, t in row)])
    needle = flagged(text, ctx.needles)
    if needle is not None:
        flag = Item(f"flag:{item.id}", label, needle.why, needle.releasable, flagged=True)
        if not _decide(flag, ctx, outcomes):
            return None, outcomes
    return shown, outcomes


def _decide(item: Item, ctx: Screen, outcomes: list[Outcome]) -> bool:
    """Record the item, released (with its note) when the rules let the worker release it."""
    note = ctx.released.get(item.key) if item.releasable else None
    outcomes.append(Outcome(item, note))
    return note is not None
