"""The demo's date language: every day in the demo YAML is counted back from today, so the
children's ages and the records' timescales stay true whenever the demo is loaded.

A day is written as one of:

    NAME                                  a named day: `today`, `case_opened` (the day the
                                          records child's case opened), a day of the `timeline`
                                          in family.yaml, or one of the record's own `days`
    {days_before_today: N}                N calendar days ago
    {years_ago: Y, months: M}             a birthday Y years and M months ago (`months` may be
                                          left out; the day of the month is at most the 28th)
    {days_after: NAME, days: N}           N calendar days after a named day
    {working_days_after: NAME, days: N}   N working days after a named day (weekends and bank
                                          holidays skipped, as the timescales count them)

Any of the mappings may add `no_later_than: DAY` (a name or a mapping): the earlier of the two.

A date field's answer is a day; a text answer that must mention one is written
`{dated: "Seen on {pat_visit}."}`, each `{NAME}` becoming that day's date (app/demo/story.py).
"""

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from app.engine.loader import suggest
from app.timescales.calendar import add_working_days

Names = Mapping[str, date]


class DayError(ValueError):
    """A day the language cannot read, in words for the person editing the YAML."""


def years_ago(years: int, months: int = 0, today: date | None = None) -> date:
    """The day `years` and `months` before today; the 28th at most, so every month has it."""
    today = today or date.today()
    month = today.month - months
    year = today.year - years + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(today.day, 28))


def evaluate(day: Any, *, names: Names, today: date) -> date:
    """The date a day of the language stands for (see the module's docstring)."""
    if isinstance(day, str):
        return _named(day, names)
    if not isinstance(day, Mapping):
        raise DayError("write a day as a name or a mapping, e.g. {days_before_today: 3}")
    form = dict(day)
    cap = form.pop("no_later_than", None)
    found = _form(form, names, today)
    return found if cap is None else min(found, evaluate(cap, names=names, today=today))


def name_days(
    days: Mapping[str, Any], *, names: Names, today: date
) -> tuple[dict[str, date], dict[str, str]]:
    """`names` with `days` added in order (each may use those before it), and what failed."""
    known, failed = dict(names), {}
    for name, day in days.items():
        try:
            known[name] = evaluate(day, names=known, today=today)
        except DayError as error:
            failed[name] = str(error)
            known[name] = today  # a stand-in, so each use of a broken day is not reported again
    return known, failed


def _named(name: str, names: Names) -> date:
    if name not in names:
        raise DayError(f"'{name}' is not a named day{suggest(name, names)}")
    return names[name]


def _form(form: dict[str, Any], names: Names, today: date) -> date:
    leads = [key for key in form if key in _FORMS]
    if len(leads) != 1:
        raise DayError(f"write a day with one of: {', '.join(_FORMS)}")
    allowed, reader = _FORMS[leads[0]]
    extra = sorted(set(form) - allowed)
    if extra:
        raise DayError(f"'{extra[0]}' does not go with {leads[0]}")
    return reader(form, names, today)


def _count(form: dict[str, Any], key: str) -> int:
    value = form.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DayError(f"{key}: '{value}' is not a count (a whole number, 0 or more)")
    return value


def _before_today(form: dict[str, Any], names: Names, today: date) -> date:
    return today - timedelta(days=_count(form, "days_before_today"))


def _birthday(form: dict[str, Any], names: Names, today: date) -> date:
    return years_ago(_count(form, "years_ago"), _count(form, "months"), today)


def _after(form: dict[str, Any], names: Names, today: date) -> date:
    return _named(str(form["days_after"]), names) + timedelta(days=_count(form, "days"))


def _working_after(form: dict[str, Any], names: Names, today: date) -> date:
    return add_working_days(_named(str(form["working_days_after"]), names), _count(form, "days"))


Reader = Callable[[dict[str, Any], Names, date], date]
# Each form: the keys it may have, and how to read it.
_FORMS: dict[str, tuple[set[str], Reader]] = {
    "days_before_today": ({"days_before_today"}, _before_today),
    "years_ago": ({"years_ago", "months"}, _birthday),
    "days_after": ({"days_after", "days"}, _after),
    "working_days_after": ({"working_days_after", "days"}, _working_after),
}
