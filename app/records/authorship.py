"""Sections only some roles write, as the exemplar declares (`written_by` on a section).

Part Two of a looked-after review is the independent reviewing officer's record: their decisions
and recommendations stand apart from the worker's report, so the section page shows them to the
worker read-only, and a save that writes them anyway (the API, a stale page) is refused, naming
the field, rather than quietly mixing two people's words in one section.
"""

from collections.abc import Mapping
from typing import Any

from app.auth.models import Role, User
from app.cases.policy import Forbidden
from app.engine.conditions import Scope, compile_condition
from app.engine.definitions import Section, text_for
from app.engine.library import Exemplar


class NotTheirSection(Forbidden):
    """A save wrote into a section another role writes; the route keeps the refusal."""

    def __init__(self, message: str, *, field: str, record_id: int) -> None:
        super().__init__(message, field=field)
        self.record_id = record_id


def _writers(section: Section, scope: Scope, writer: User) -> str | None:
    """Who writes `section` when `writer` may not ("conference chair"), else None."""
    rule = section.written_by
    if rule is None or writer.role.value in rule.roles:
        return None
    if rule.when is not None and not compile_condition(rule.when)(scope):
        return None
    return " or the ".join(Role(role).label.lower() for role in rule.roles)


def others_fields(
    *,
    section: Section,
    answers: Mapping[str, Any],
    facts: Mapping[str, Any],
    writer: User,
) -> dict[str, str]:
    """Each field of `section` that `writer` may not write, with who does."""
    who = _writers(section, Scope(answers, facts), writer)
    return {} if who is None else {item.id: f"Written by the {who}" for item in section.fields}


def refuse_others(
    *,
    exemplar: Exemplar,
    answers: Mapping[str, Any],
    changed: Mapping[str, Any],
    facts: Mapping[str, Any],
    writer: User,
    record_id: int,
) -> None:
    """Refuse `changed` when it writes a section `writer`'s role does not write (its rule
    weighed over the answers as they would stand after the save)."""
    scope = Scope({**answers, **changed}, facts)
    for key in changed:
        section = exemplar.sections.get(exemplar.section_of.get(key, ""))
        who = _writers(section, scope, writer) if section is not None else None
        if who is None:
            continue
        label = text_for(exemplar.fields[key].label, "worker")
        raise NotTheirSection(
            f"Only the {who} may write '{label}'.", field=key, record_id=record_id
        )
