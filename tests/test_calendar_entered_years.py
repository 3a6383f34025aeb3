"""Working days for years no library knows: unknown years raise, administrator-entered years are used.

Until chinese-calendar ships a year, the State Council notice is entered in the admin (CalendarYear with its
CalendarDay exceptions); the entered year then replaces any library for that whole year.
"""

from datetime import date

import pytest

from casework import calendar
from casework.calendar import (
    CalendarUnknown,
    add_working_days,
    calendar_known,
    is_working_day,
    working_days_between,
)

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
