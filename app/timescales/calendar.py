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


DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})\s*$")


def typed_date(text: str) -> date | None:
    """A date as people type it here: 23/11/2026 (day first), 23.11.2026, or 2026-11-23."""
    match = DAY_MONTH_YEAR.match(text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        return date.fromisoformat(text.strip())
    except ValueError:
        return None
