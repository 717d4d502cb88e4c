from datetime import date

from app.timescales.calendar import (
    add_months,
    add_working_days,
    bank_holidays_between,
    is_working_day,
    working_days_between,
)
from app.timescales.due import count


def test_weekends_and_bank_holidays_do_not_count() -> None:
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 26))  # Saturday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute
    assert is_working_day(date(2026, 12, 29))


def test_ten_working_days_over_christmas() -> None:
    # Wednesday 23 Dec 2026: 24, 29, 30, 31 Dec count (25 and 28 Dec, 1 Jan are bank holidays),
    # then 4-8 Jan and Monday 11 Jan.
    assert add_working_days(date(2026, 12, 23), 10) == date(2027, 1, 11)


def test_historic_holidays_are_used() -> None:
    # 2002 had the Golden Jubilee bank holiday on Tuesday 4 June.
    assert not is_working_day(date(2002, 6, 4))
    assert is_working_day(date(2003, 6, 3))


def test_between_is_the_inverse_of_add() -> None:
    start = date(2026, 3, 30)  # Easter 2026 falls in the next fortnight
    for days in (1, 5, 10, 35, 45):
        assert working_days_between(start, add_working_days(start, days)) == days


def test_dates_are_read_as_people_type_them_here() -> None:
    from app.timescales.calendar import typed_date

    assert typed_date("3/11/2026") == date(2026, 11, 3)  # day first, as in the UK
    assert typed_date("2026-11-03") == date(2026, 11, 3)
    assert typed_date("31/02/2026") is None
    assert typed_date("Jade") is None


def test_months_keep_the_day_or_take_the_shorter_months_last() -> None:
    assert add_months(date(2026, 3, 2), 3) == date(2026, 6, 2)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)  # a leap year
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 1), -3) == date(2026, 9, 1)


def test_a_count_in_each_unit() -> None:
    start = date(2026, 12, 18)  # a Friday
    assert count(start, 10, "working_days") == date(2027, 1, 6)
    assert count(start, 6, "weeks") == date(2027, 1, 29)
    assert count(start, 20, "days") == date(2027, 1, 7)
    assert count(start, 3, "months") == date(2027, 3, 18)


def test_the_skipped_holidays_are_the_weekday_ones() -> None:
    # Boxing Day 2026 is a Saturday: the holiday skipped is its substitute, Monday 28th.
    skipped = bank_holidays_between(date(2026, 12, 18), date(2027, 1, 6))
    assert skipped == [date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1)]
