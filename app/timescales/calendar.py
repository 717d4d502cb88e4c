"""Working days on the England-and-Wales calendar: weekends and bank holidays do not count.

The holiday tables come from the `holidays` package, which keeps past years too, so a record from
2006 is judged by 2006's bank holidays.
"""

import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

# Scotland and Northern Ireland have other bank holidays; this system serves England and Wales.
SUBDIVISIONS = {"england": "ENG", "wales": "WLS"}


@lru_cache(maxsize=64)
def _bank_holidays(country: str, year: int) -> frozenset[date]:
    table = holidays.country_holidays("GB", subdiv=SUBDIVISIONS[country], years=year)
    return frozenset(table)


def is_working_day(day: date, *, country: str = "england") -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(country, day.year)


def add_working_days(start: date, days: int, *, country: str = "england") -> date:
    """The date `days` working days after `start` (the clock-start day itself is day 0)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, country=country):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, *, country: str = "england") -> int:
    """Working days after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start, country=country)
    return sum(
        is_working_day(start + timedelta(days=offset), country=country)
        for offset in range(1, (end - start).days + 1)
    )


def bank_holidays_between(start: date, end: date, *, country: str = "england") -> list[date]:
    """Weekday bank holidays after `start` up to and including `end`: what a working-day count
    skipped (one on a Saturday was not a working day anyway)."""
    years = range(start.year, end.year + 1)
    found = {day for year in years for day in _bank_holidays(country, year)}
    return sorted(day for day in found if start < day <= end and day.weekday() < 5)


def holiday_name(day: date, *, country: str = "england") -> str:
    table = holidays.country_holidays("GB", subdiv=SUBDIVISIONS[country], years=day.year)
    return str(table.get(day, "bank holiday"))


def add_months(start: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 Jan → 28 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(start.day, last))


DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4}|\d{2})$")
DAY_NAMED_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4}|\d{2})$")
MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
# A two-digit year is this century's unless that would be more than five years ahead ("85").
YEARS_AHEAD = 5


def typed_date(text: str) -> date | None:
    """A date as people type it: 23/11/2026 or 23/11/26 (day first), 23.11.2026, 2026-11-23,
    "1 October 2025", "1st Oct 25"."""
    plain = " ".join(text.lower().split())
    try:
        if match := DAY_MONTH_YEAR.match(plain):
            return date(_year(match[3]), int(match[2]), int(match[1]))
        if (match := DAY_NAMED_MONTH_YEAR.match(plain)) and (month := _month(match[2])):
            return date(_year(match[3]), month, int(match[1]))
        return date.fromisoformat(plain)
    except ValueError:
        return None


def _year(digits: str) -> int:
    if len(digits) == 4:
        return int(digits)
    this_century = date.today().year // 100 * 100 + int(digits)
    return this_century if this_century <= date.today().year + YEARS_AHEAD else this_century - 100


def _month(word: str) -> int | None:
    """A month by its name or a short form of at least three letters ("oct", "sept")."""
    found = [n for n, name in enumerate(MONTHS, 1) if len(word) >= 3 and name.startswith(word)]
    return found[0] if len(found) == 1 else None
