"""Working days: the State Council schedules for 2025 and 2026, deadline arithmetic, administrator overrides.

Sources of the facts asserted here, cross-checked by the first tests against both libraries:
- 《国务院办公厅关于2025年部分节假日安排的通知》 国办发明电〔2024〕12号 (2024-11-12): New Year 1-1 off; Spring
  Festival 1-28..2-4 off, 1-26 (Sun) and 2-8 (Sat) worked; Qingming 4-4..4-6 off; Labour Day 5-1..5-5 off, 4-27
  (Sun) worked; Dragon Boat 5-31..6-2 off; National Day and Mid-Autumn 10-1..10-8 off, 9-28 (Sun) and 10-11
  (Sat) worked.
- 《国务院办公厅关于2026年部分节假日安排的通知》 (2025-11-04): New Year 1-1..1-3 off, 1-4 (Sun) worked; Spring
  Festival 2-15..2-23 off, 2-14 (Sat) and 2-28 (Sat) worked; Labour Day 5-1..5-5 off, 5-9 (Sat) worked;
  Mid-Autumn 9-25..9-27 off; National Day 10-1..10-7 off, 9-20 (Sun) and 10-10 (Sat) worked.

Tests that call casework.calendar need the database (it looks for administrator overrides first); the
library-only tests do not.
"""

import datetime
from datetime import date

import chinese_calendar
import holidays
import pytest

from casework.calendar import (
    add_working_days,
    is_working_day,
    working_days_between,
)

ONE_DAY = datetime.timedelta(days=1)


def days(first: date, last: date) -> list[date]:
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


def span(first: str, last: str) -> list[date]:
    return days(date.fromisoformat(first), date.fromisoformat(last))


# (day, is it a working day?) — every make-up day and every holiday of 2025 and 2026 that falls on a weekday,
# plus the ends of each holiday block.
SCHEDULE = {
    2025: {
        "off": [
            "2025-01-01",
            *map(str, span("2025-01-28", "2025-02-04")),
            "2025-04-04",
            *map(str, span("2025-05-01", "2025-05-05")),
            *map(str, span("2025-05-31", "2025-06-02")),
            *map(str, span("2025-10-01", "2025-10-08")),
        ],
        "make_up": ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    2026: {
        "off": [
            *map(str, span("2026-01-01", "2026-01-03")),
            *map(str, span("2026-02-15", "2026-02-23")),
            *map(str, span("2026-04-04", "2026-04-06")),
            *map(str, span("2026-05-01", "2026-05-05")),
            *map(str, span("2026-06-19", "2026-06-21")),
            *map(str, span("2026-09-25", "2026-09-27")),
            *map(str, span("2026-10-01", "2026-10-07")),
        ],
        "make_up": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    },
}
OFF = [(year, date.fromisoformat(d)) for year, s in SCHEDULE.items() for d in s["off"]]
MAKE_UP = [(year, date.fromisoformat(d)) for year, s in SCHEDULE.items() for d in s["make_up"]]


# --- the libraries themselves (no database) ------------------------------------------------------------------


@pytest.mark.parametrize(("year", "day"), OFF, ids=str)
def test_libraries_agree_on_days_off(year, day):
    assert not chinese_calendar.is_workday(day)
    assert not holidays.China(years=year).is_working_day(day)


@pytest.mark.parametrize(("year", "day"), MAKE_UP, ids=str)
def test_libraries_agree_on_make_up_days(year, day):
    assert day.weekday() >= 5, "a make-up working day is a Saturday or Sunday"
    assert chinese_calendar.is_workday(day)
    assert holidays.China(years=year).is_working_day(day)
    assert day in holidays.China(years=year).weekend_workdays


def test_the_schedule_lists_every_exception():
    # Every weekday off and every weekend day worked in 2025–2026, per chinese_calendar, is in SCHEDULE.
    listed_off = {d for _, d in OFF}
    listed_make_up = {d for _, d in MAKE_UP}
    for d in days(date(2025, 1, 1), date(2026, 12, 31)):
        working = chinese_calendar.is_workday(d)
        if d.weekday() < 5 and not working:
            assert d in listed_off, d
        if d.weekday() >= 5 and working:
            assert d in listed_make_up, d


def test_2026_09_28_is_an_ordinary_monday():
    # The 2026 make-up Sunday before National Day is 20 September; 28 September 2026 is a Monday.
    assert date(2026, 9, 28).weekday() == 0
    assert chinese_calendar.is_workday(date(2026, 9, 28))
    assert chinese_calendar.is_workday(date(2026, 9, 20))


@pytest.mark.parametrize("year", [2025, 2026])
def test_chinese_calendar_and_holidays_agree_on_every_day(year):
    # holidays.China expresses make-up days (weekend_workdays), so the whole working/non-working verdict is
    # compared, not only the holiday list.
    cn = holidays.China(years=year)
    disagreements = [
        d
        for d in days(date(year, 1, 1), date(year, 12, 31))
        if chinese_calendar.is_workday(d) != cn.is_working_day(d)
    ]
    assert disagreements == []
    # And every day holidays.China names as a holiday is a day off for chinese_calendar.
    assert [d for d in cn if not chinese_calendar.is_workday(d)] == list(cn)


def test_pinned_chinese_calendar_covers_2004_to_2026():
    # What the fallback to CalendarUnknown relies on: the library raises instead of guessing. When a release
    # adds 2027, the 2027 tests below must move to the next unknown year.
    chinese_calendar.is_workday(date(2004, 1, 1))
    chinese_calendar.is_workday(date(2026, 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 1))


# --- casework.calendar against the schedule ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "day"), OFF, ids=str)
def test_days_off(year, day):
    assert not is_working_day(day)


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "day"), MAKE_UP, ids=str)
def test_make_up_days_are_working_days(year, day):
    assert is_working_day(day)


@pytest.mark.django_db
def test_every_day_of_2025_and_2026_matches_the_library():
    for d in days(date(2025, 1, 1), date(2026, 12, 31)):
        assert is_working_day(d) == chinese_calendar.is_workday(d), d


@pytest.mark.django_db
def test_add_working_days_over_national_day_2026():
    # 9-30 (Wed) 1; 10-1..10-7 off; 10-8 (Thu) 2; 10-9 (Fri) 3; 10-10 (Sat, make-up) 4; 10-11 (Sun) off; 10-12 5.
    assert add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 12)
    assert add_working_days(date(2026, 9, 29), 4) == date(2026, 10, 10)
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


@pytest.mark.django_db
def test_add_working_days_over_spring_festival_2025():
    # 1-24 (Fri); 1-25 (Sat) off; 1-26 (Sun, make-up) 1; 1-27 (Mon) 2; 1-28..2-4 off; 2-5 (Wed) 3.
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)
    assert add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)
    # 2-6 (Thu) 4; 2-7 (Fri) 5; 2-8 (Sat, make-up) 6; 2-9 (Sun) off; 2-10 (Mon) 7.
    assert add_working_days(date(2025, 1, 24), 6) == date(2025, 2, 8)
    assert add_working_days(date(2025, 1, 24), 7) == date(2025, 2, 10)


@pytest.mark.django_db
def test_add_zero_working_days():
    assert add_working_days(date(2026, 10, 1), 0) == date(2026, 10, 8)  # holiday: the next working day
    assert add_working_days(date(2026, 10, 10), 0) == date(2026, 10, 10)  # make-up Saturday: itself
    assert add_working_days(date(2026, 9, 29), 0) == date(2026, 9, 29)  # an ordinary Tuesday: itself
    assert add_working_days(date(2026, 10, 11), 0) == date(2026, 10, 12)  # an ordinary Sunday


@pytest.mark.django_db
def test_add_working_days_crosses_a_year_end():
    # 2025-12-31 (Wed); 2026-1-1..1-3 off; 1-4 (Sun, make-up) 1; 1-5 (Mon) 2.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert add_working_days(date(2025, 12, 31), 2) == date(2026, 1, 5)


@pytest.mark.django_db
def test_add_working_days_refuses_bad_arguments():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1)
    with pytest.raises(TypeError):
        add_working_days(datetime.datetime(2026, 3, 2, 9, 0), 1)  # a datetime, on purpose
    with pytest.raises(TypeError):
        add_working_days(date(2026, 3, 2), 1.0)


@pytest.mark.django_db
def test_working_days_between_basics():
    d = date(2026, 3, 2)  # a Monday
    assert working_days_between(d, d) == 0
    assert working_days_between(d, d - ONE_DAY) == 0
    assert working_days_between(d, d + ONE_DAY) == 1
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1  # Fri → Mon: only Monday
    assert working_days_between(date(2026, 3, 1), date(2026, 3, 31)) == 22
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 1  # National Day: only 10-8
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 11)) == 3  # 10-8, 10-9, 10-10 (Sat)
    assert working_days_between(date(2025, 12, 31), date(2026, 1, 4)) == 1  # the make-up Sunday
    # Only the days after start count, so start's own year need not be known.
    assert working_days_between(date(2003, 12, 31), date(2004, 1, 2)) == 1  # 1-1 is New Year


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2025, 2026])
def test_working_days_in_a_whole_year(year):
    expected = sum(chinese_calendar.is_workday(d) for d in days(date(year, 1, 1), date(year, 12, 31)))
    assert working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == expected


@pytest.mark.django_db
def test_working_days_between_over_two_years():
    expected = sum(chinese_calendar.is_workday(d) for d in days(date(2025, 1, 1), date(2026, 12, 31)))
    assert working_days_between(date(2024, 12, 31), date(2026, 12, 31)) == expected


def brute_force_add(start: date, n: int) -> date:
    d = start
    if n == 0:
        while not chinese_calendar.is_workday(d):
            d += ONE_DAY
        return d
    while n:
        d += ONE_DAY
        n -= chinese_calendar.is_workday(d)
    return d


@pytest.mark.django_db
def test_add_and_between_agree_over_2025_and_2026():
    for start in days(date(2025, 1, 1), date(2026, 11, 30)):
        for n in (0, 1, 2, 3, 5, 7, 10, 15, 20):
            due = add_working_days(start, n)
            assert due == brute_force_add(start, n), (start, n)
            if n:
                assert working_days_between(start, due) == n, (start, n)
                assert working_days_between(start, due - ONE_DAY) == n - 1, (start, n)
            elif is_working_day(start):
                assert working_days_between(start, due) == 0
