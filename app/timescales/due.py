"""Due dates from declared rules: counting a length from a clock start, and saying why.

Pure date arithmetic over what a rule declares; the records domain finds the clock starts.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from app.timescales.calendar import (
    add_months,
    add_working_days,
    bank_holidays_between,
    holiday_name,
)

# "Due this week": due today or within the next six days, so a Friday shows next Thursday too.
SOON_DAYS = 6
UNIT_WORDS = {"working_days": "working days", "days": "days", "weeks": "weeks", "months": "months"}
CALENDAR = "England and Wales bank holidays"
DAY_ZERO = "the clock-start day is day 0; counting starts the working day after"


@dataclass(frozen=True)
class Due:
    """One thing due for a child, with everything "why is this due?" answers."""

    on: date
    what: str
    rule_id: str
    rule: str
    clock_start: date
    clock_label: str  # the answer the clock started from, as the worker reads it
    source_title: str
    source_record_id: int | None  # None: a care event on the child's looked-after page
    counted: str  # "3 months after", "set by the record"
    skipped: tuple[tuple[date, str], ...] = ()  # bank holidays a working-day count passed over
    day_zero: str | None = None

    def status(self, today: date) -> str:
        """overdue (the day after it was due), due (this week), or later."""
        if self.on < today:
            return "overdue"
        return "due" if self.on <= today + timedelta(days=SOON_DAYS) else "later"


def count(start: date, length: int, unit: str) -> date:
    """The date `length` units after `start`, on the England and Wales calendar."""
    if unit == "working_days":
        return add_working_days(start, length)
    if unit == "months":
        return add_months(start, length)
    return start + timedelta(days=length * (7 if unit == "weeks" else 1))


def skipped(start: date, on: date, unit: str) -> tuple[tuple[date, str], ...]:
    """The bank holidays a working-day count skipped between the clock start and the due date."""
    if unit != "working_days":
        return ()
    return tuple((day, holiday_name(day)) for day in bank_holidays_between(start, on))


def counted_words(length: int | None, unit: str | None) -> str:
    if length is None or unit is None:
        return "set by the record"
    return f"{length} {UNIT_WORDS[unit]} after"
