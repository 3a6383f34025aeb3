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

from casework import calendar
from casework.calendar import (
    CalendarUnknown,
    add_working_days,
    calendar_known,
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


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    # The cache is per process: a year resolved (or overridden) in one test must not leak into the next,
    # and a rolled-back override sends no post_delete signal.
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def signals_connected():
    calendar.connect_signals()  # idempotent; the app config does the same in production


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


# --- years nobody has published ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_2027_is_unknown():
    with pytest.raises(CalendarUnknown) as caught:
        add_working_days(date(2026, 12, 28), 5)
    assert caught.value.year == 2027
    assert "2027" in str(caught.value)
    assert not calendar_known(2027)
    assert calendar_known(2026)
    with pytest.raises(CalendarUnknown):
        is_working_day(date(2027, 1, 4))
    with pytest.raises(CalendarUnknown):
        working_days_between(date(2026, 12, 1), date(2027, 1, 10))
    with pytest.raises(CalendarUnknown):
        add_working_days(date(2027, 3, 1), 0)


@pytest.mark.django_db
def test_a_deadline_inside_the_known_year_is_fine_near_the_end():
    # 12-29, 12-30, 12-31: three working days still fit in 2026.
    assert add_working_days(date(2026, 12, 28), 3) == date(2026, 12, 31)


def enter_2027():
    from casework.models.calendar import CalendarDay, CalendarYear

    year = CalendarYear.objects.create(year=2027, notice="Test notice for 2027")
    CalendarDay.objects.create(calendar=year, day=date(2027, 1, 1), is_working_day=False, name="New Year")
    CalendarDay.objects.create(calendar=year, day=date(2027, 1, 9), is_working_day=True, name="make-up")
    return year


@pytest.mark.django_db
def test_an_entered_2027_is_used(signals_connected):
    with pytest.raises(CalendarUnknown):
        add_working_days(date(2026, 12, 28), 5)
    enter_2027()  # the post_save signals clear the cached "unknown"
    assert calendar_known(2027)
    assert calendar.year_source(2027) == "override"
    # 12-29 1, 12-30 2, 12-31 3; 2027-1-1 (Fri) entered as a holiday; 1-2, 1-3 weekend; 1-4 4; 1-5 5.
    # Plain Monday–Friday counting would have said 1-4.
    assert add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 5)
    assert not is_working_day(date(2027, 1, 1))
    # The make-up Saturday: Thu 1-7 → Fri 1-8 (1) → Sat 1-9 (2); plain counting would have said Mon 1-11.
    assert is_working_day(date(2027, 1, 9))
    assert add_working_days(date(2027, 1, 7), 2) == date(2027, 1, 9)
    assert not is_working_day(date(2027, 1, 10))  # a Sunday not listed stays a day off
    assert is_working_day(date(2027, 3, 1))  # a Monday not listed stays a working day
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 10)) == 6  # 1-4..1-8 and 1-9


@pytest.mark.django_db
def test_deleting_an_entered_day_clears_the_cache(signals_connected):
    enter_2027()
    assert not is_working_day(date(2027, 1, 1))
    from casework.models.calendar import CalendarDay

    CalendarDay.objects.get(day=date(2027, 1, 1)).delete()
    assert is_working_day(date(2027, 1, 1))


@pytest.mark.django_db
def test_an_entered_year_without_exceptions_is_plain_monday_to_friday():
    from casework.models.calendar import CalendarYear

    CalendarYear.objects.create(year=2027, notice="no holidays at all")
    assert add_working_days(date(2027, 1, 1), 0) == date(2027, 1, 1)
    assert working_days_between(date(2027, 1, 1), date(2027, 1, 31)) == 20


@pytest.mark.django_db
def test_an_override_replaces_the_library_for_its_whole_year(signals_connected):
    from casework.models.calendar import CalendarDay, CalendarYear

    assert calendar.year_source(2026) == "library"
    year = CalendarYear.objects.create(year=2026, notice="corrected schedule")
    CalendarDay.objects.create(
        calendar=year, day=date(2026, 3, 2), is_working_day=False, name="made-up holiday"
    )
    assert calendar.year_source(2026) == "override"
    assert not is_working_day(date(2026, 3, 2))
    # Days the override does not list follow Monday–Friday, whatever the library says.
    assert is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 10))
    # Other years still come from the library.
    assert not is_working_day(date(2025, 10, 1))


@pytest.mark.django_db
def test_one_query_per_year_then_cached(django_assert_num_queries):
    with django_assert_num_queries(1):
        is_working_day(date(2026, 5, 6))
    with django_assert_num_queries(0):
        add_working_days(date(2026, 1, 5), 60)
        working_days_between(date(2026, 1, 1), date(2026, 12, 31))
    with django_assert_num_queries(1):
        add_working_days(date(2025, 12, 31), 1)  # 2025 is new to the cache
    calendar.clear_cache()
    with django_assert_num_queries(1):
        is_working_day(date(2026, 5, 6))


@pytest.mark.django_db
def test_the_cache_expires(monkeypatch):
    from casework.models.calendar import CalendarYear

    with pytest.raises(CalendarUnknown):
        is_working_day(date(2027, 1, 4))
    # Entered by another process: no signal reaches this one (bulk_create sends none either) ...
    CalendarYear.objects.bulk_create([CalendarYear(year=2027, notice="from another process")])
    with pytest.raises(CalendarUnknown):
        is_working_day(date(2027, 1, 4))
    # ... but once the cached verdict is older than CACHE_SECONDS, the year is looked up again.
    monkeypatch.setattr(calendar, "CACHE_SECONDS", 0)
    assert is_working_day(date(2027, 1, 4))


@pytest.mark.django_db
def test_years_known():
    from casework.models.calendar import CalendarYear

    assert set(range(2004, 2027)) <= calendar.years_known()
    assert 2027 not in calendar.years_known()
    CalendarYear.objects.create(year=2027, notice="entered")
    assert 2027 in calendar.years_known()


# --- the admin -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_list_counts_holidays_and_make_up_days(rf):
    from django.contrib import admin

    from casework.admin_calendar import CalendarYearAdmin
    from casework.models.calendar import CalendarDay, CalendarYear

    year = enter_2027()
    # Redundant rows (a Saturday holiday, a Monday working day) change nothing and are not counted.
    CalendarDay.objects.create(calendar=year, day=date(2027, 1, 2), is_working_day=False, name="New Year")
    CalendarDay.objects.create(calendar=year, day=date(2027, 1, 4), is_working_day=True, name="")
    model_admin = CalendarYearAdmin(CalendarYear, admin.site)
    row = model_admin.get_queryset(rf.get("/")).get(year=2027)
    assert model_admin.holiday_count(row) == 1
    assert model_admin.make_up_day_count(row) == 1
    assert model_admin.replaces_library(row) is False
    assert model_admin.replaces_library(CalendarYear(year=2026)) is True
    assert not is_working_day(date(2027, 1, 2))
    assert is_working_day(date(2027, 1, 4))


@pytest.mark.django_db
def test_admin_refuses_a_day_of_another_year():
    from django.forms import inlineformset_factory

    from casework.admin_calendar import CalendarDayInlineFormSet
    from casework.models.calendar import CalendarDay, CalendarYear

    FormSet = inlineformset_factory(
        CalendarYear, CalendarDay, formset=CalendarDayInlineFormSet, fields=("day", "is_working_day", "name")
    )
    data = {
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-0-day": "2027-01-01",
        "days-0-is_working_day": "",
        "days-0-name": "New Year",
        "days-1-day": "2028-01-01",
        "days-1-is_working_day": "",
        "days-1-name": "wrong year",
    }
    formset = FormSet(data, instance=CalendarYear(year=2027, notice="x"), prefix="days")
    assert not formset.is_valid()
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors["day"][0].startswith("2028-01-01")


@pytest.mark.django_db
def test_admin_enters_a_year_through_the_add_form(admin_client, admin_user, signals_connected):
    from django.urls import reverse

    from casework.models.calendar import CalendarYear

    url = reverse("admin:casework_calendaryear_add")
    with pytest.raises(CalendarUnknown):
        is_working_day(date(2027, 1, 1))
    response = admin_client.post(
        url,
        {
            "year": "2027",
            "notice": "国务院办公厅关于2027年部分节假日安排的通知",
            "days-TOTAL_FORMS": "2",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
            "days-0-day": "2027-01-01",
            "days-0-name": "元旦",
            "days-1-day": "2027-01-09",
            "days-1-is_working_day": "on",
            "days-1-name": "调休上班",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    year = CalendarYear.objects.get(year=2027)
    assert year.entered_by == admin_user
    assert year.days.count() == 2
    assert not is_working_day(date(2027, 1, 1))
    assert is_working_day(date(2027, 1, 9))
    changelist = admin_client.get(reverse("admin:casework_calendaryear_changelist"))
    assert changelist.status_code == 200
    assert "国务院办公厅关于2027年部分节假日安排的通知" in changelist.content.decode()
