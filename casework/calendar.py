"""Working-day arithmetic (工作日) for deadlines.

Which days are working days changes every year: the State Council General Office publishes the next year's
public holidays and make-up working days (调休上班, usually a Saturday or Sunday) in a notice in November or
December (for 2026: 《国务院办公厅关于2026年部分节假日安排的通知》 of 2025-11-04), under the
《全国年节及纪念日放假办法》. The sources, in order of precedence, for one year:

1. an administrator-entered `CalendarYear` (casework.models.calendar): listed `CalendarDay` rows are the
   exceptions (weekday holidays, weekend make-up days); every other day follows Monday–Friday. It replaces the
   library for that whole year, so a wrong or late library release can be corrected without a deployment;
2. the maintained `chinese_calendar` library (2004 to its newest release, 2026 in version 1.11);
3. nothing: `CalendarUnknown`. A deadline that reaches into a year nobody has published must say so; counting
   plain weekdays would give a silently wrong date (a week of National Day holidays is a week of deadline).

`add_working_days` and `working_days_between` (the ▶ contract) raise `CalendarUnknown`. Dates the system must
still show and act on before the year is published (due dates, case clocks, escalation levels, publicity ends,
execution-feedback escalations) come from `derive_working_days` / `derive_working_days_between`, the one place
that may estimate: an unknown year counts Monday–Friday minus the holidays whose date never moves
(`FIXED_HOLIDAYS`: 1 January, 1 May, 1–3 October), and the answer carries `provisional=True`. Whoever stores
such a date stores the flag with it; entering the year re-dates it (casework.services.calendar_years).

Each year is resolved once per process and cached (one query for the override rows); `clear_cache()` empties
the cache and runs whenever a CalendarYear or CalendarDay is saved or deleted (`connect_signals()`, called from
the app config). Other processes learn of an edit within `CACHE_SECONDS` at the latest.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar
from django.db import transaction
from django.utils.translation import gettext

__all__ = [
    "CACHE_SECONDS",
    "CalendarUnknown",
    "FIXED_HOLIDAYS",
    "Derived",
    "add_working_days",
    "calendar_known",
    "clear_cache",
    "connect_signals",
    "derive_calendar_days",
    "derive_working_days",
    "derive_working_days_between",
    "is_working_day",
    "library_years",
    "working_days_between",
    "year_source",
    "years_known",
]

# How long a resolved year (including "unknown") is trusted without asking the database again. Saves in this
# process clear the cache at once; this bounds how stale another worker process can be after an admin edit
# (or after a bulk edit that sends no signals).
CACHE_SECONDS = 300

_ONE_DAY = datetime.timedelta(days=1)

# (month, day) of the statutory holidays whose date is the same every year (《全国年节及纪念日放假办法》 art. 2:
# 元旦 1 January, 劳动节 1 May, 国庆节 1–3 October). The lunar holidays move, and the extra days and make-up
# days around every holiday are only known from the year's notice, so an estimate can honour these alone.
FIXED_HOLIDAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)})


class CalendarUnknown(Exception):  # the name (no "Error" suffix) is fixed by the DESIGN contract
    """No working-day calendar is known for `year`: neither entered by an administrator nor in the library."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            gettext(
                "No working-day calendar is known for %(year)d: the State Council has not published its "
                "holidays yet, or nobody has entered them. An administrator can enter the year under "
                "Calendar years."
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class Derived:
    """A derived date and whether it is an estimate (its count reached a year with no calendar).

    `provisional` dates are shown as such and re-dated when the year is entered; they are never passed off
    as the real date.
    """

    date: datetime.date
    provisional: bool = False

    def then(self, n: int) -> Derived:
        """n working days after this date; provisional if this date or the new count is."""
        later = derive_working_days(self.date, n)
        return Derived(later.date, later.provisional or self.provisional)


@dataclass(frozen=True)
class _Year:
    """One year's exceptions to the Monday–Friday rule."""

    year: int
    source: str  # "override" (administrator-entered), "library" (chinese_calendar) or "estimate"
    holidays: frozenset[datetime.date]  # weekdays that are not working days
    workdays: frozenset[datetime.date]  # weekend days that are working days (make-up days, 调休上班)

    def is_working_day(self, d: datetime.date) -> bool:
        if d in self.workdays:
            return True
        return d.weekday() < 5 and d not in self.holidays


# year -> (calendar or None for "unknown", monotonic time it was resolved)
_cache: dict[int, tuple[_Year | None, float]] = {}
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every resolved year; the next lookup reads the overrides and the library again."""
    with _cache_lock:
        _cache.clear()


def _days_of(year: int) -> Iterable[datetime.date]:
    d = datetime.date(year, 1, 1)
    while d.year == year:
        yield d
        d += _ONE_DAY


def _from_rows(year: int, rows: Iterable[tuple[datetime.date | None, bool | None]]) -> _Year:
    holidays, workdays = set(), set()
    for day, working in rows:
        # A year without any CalendarDay row yields one (None, None) row from the outer join: a year entered
        # with no exceptions at all is legitimate (plain Monday–Friday). Rows outside the year are ignored:
        # the admin form refuses them, and another year's notice must not leak into this one.
        if day is None or day.year != year:
            continue
        # Listing a weekend holiday or a weekday working day is redundant but harmless.
        if working and day.weekday() >= 5:
            workdays.add(day)
        elif not working and day.weekday() < 5:
            holidays.add(day)
    return _Year(year, "override", frozenset(holidays), frozenset(workdays))


def _from_library(year: int) -> _Year | None:
    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:  # the library raises this for every year it has no data for
        return None
    holidays, workdays = set(), set()
    for d in _days_of(year):
        working = chinese_calendar.is_workday(d)
        if working and d.weekday() >= 5:
            workdays.add(d)
        elif not working and d.weekday() < 5:
            holidays.add(d)
    return _Year(year, "library", frozenset(holidays), frozenset(workdays))


def _load(year: int) -> _Year | None:
    from casework.models.calendar import CalendarYear  # models import late: this module loads before apps

    # One query: the year joined with its days; no row at all means no override for the year.
    rows = list(CalendarYear.objects.filter(year=year).values_list("days__day", "days__is_working_day"))
    if rows:
        return _from_rows(year, rows)
    return _from_library(year)


def _year(year: int) -> _Year | None:
    now = time.monotonic()
    cached = _cache.get(year)
    if cached is not None and now - cached[1] < CACHE_SECONDS:
        return cached[0]
    resolved = _load(year)
    with _cache_lock:
        _cache[year] = (resolved, now)
    return resolved


def _calendar_for(year: int) -> _Year:
    resolved = _year(year)
    if resolved is None:
        raise CalendarUnknown(year)
    return resolved


def _estimate(year: int) -> _Year:
    """Monday–Friday without the fixed-date holidays: the best guess for a year nobody has published."""
    holidays = {datetime.date(year, m, d) for m, d in FIXED_HOLIDAYS}
    return _Year(year, "estimate", frozenset(h for h in holidays if h.weekday() < 5), frozenset())


def _calendar_or_estimate(year: int) -> _Year:
    return _year(year) or _estimate(year)


def _check_date(d: object, name: str) -> datetime.date:
    # A datetime is a date subclass but never equal to one, so it would never match a holiday: refuse it
    # rather than answer wrongly. Aware datetimes become dates with django.utils.timezone.localdate().
    if isinstance(d, datetime.datetime) or not isinstance(d, datetime.date):
        raise TypeError(f"{name} must be a datetime.date, not {type(d).__name__}")
    return d


def is_working_day(d: datetime.date) -> bool:
    """Whether `d` is a working day; raises CalendarUnknown if no calendar covers its year."""
    d = _check_date(d, "d")
    return _calendar_for(d.year).is_working_day(d)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start`.

    n = 0 returns `start` itself if it is a working day, else the next working day (a task filed on a holiday
    is due, at the earliest, on the next working day). Raises CalendarUnknown as soon as the count reaches a
    year without a calendar, and ValueError for negative n.
    """
    return _add(start, n, _calendar_for)[0]


def _add(start: datetime.date, n: int, calendar_for) -> tuple[datetime.date, bool]:
    """The n-th working day after `start` under `calendar_for(year)`; also whether an estimate was used."""
    d = _check_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    cal = calendar_for(d.year)
    estimated = cal.source == "estimate"
    remaining = n
    # n = 0: the start itself if it is a working day, else the next one.
    if remaining == 0:
        while not cal.is_working_day(d):
            d += _ONE_DAY
            if d.year != cal.year:
                cal = calendar_for(d.year)
                estimated |= cal.source == "estimate"
        return d, estimated
    while remaining:
        d += _ONE_DAY
        if d.year != cal.year:
            cal = calendar_for(d.year)
            estimated |= cal.source == "estimate"
        if cal.is_working_day(d):
            remaining -= 1
    return d, estimated


def derive_working_days(start: datetime.date, n: int) -> Derived:
    """The n-th working day after `start` (as `add_working_days`), estimated where a year is unknown.

    The only function that may estimate a date: a year without a calendar counts Monday–Friday minus
    `FIXED_HOLIDAYS`, so an estimate never falls on 1 January, 1 May or 1–3 October. `provisional` is True
    when any year the count touched was estimated. Beijing dates; n in working days; never raises
    CalendarUnknown (TypeError/ValueError for bad arguments as `add_working_days`).
    """
    day, estimated = _add(start, n, _calendar_or_estimate)
    return Derived(day, estimated)


def derive_calendar_days(start: datetime.date, n: int) -> Derived:
    """The n-th calendar day after `start` (Beijing dates): budgets the law counts in calendar days (the
    court's 15-day correction review, 法释〔2017〕7号 art. 11). Never an estimate: no calendar is needed."""
    _check_date(start, "start")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative number of days, got {n!r}")
    return Derived(start + datetime.timedelta(days=n))


def derive_working_days_between(start: datetime.date, end: datetime.date) -> tuple[int, bool]:
    """Working days in (start, end] as `working_days_between`, estimated where a year is unknown.

    Returns (count, provisional); the estimate for an unknown year is the one `derive_working_days` uses.
    """
    start = _check_date(start, "start")
    end = _check_date(end, "end")
    if end <= start:
        return 0, False
    return _between(start, end, _calendar_or_estimate)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """The number of working days in the half-open interval (start, end]; 0 if end <= start.

    So that working_days_between(d, add_working_days(d, n)) == n for n >= 1. Raises CalendarUnknown if any
    year in the interval has no calendar.
    """
    start = _check_date(start, "start")
    end = _check_date(end, "end")
    if end <= start:
        return 0
    return _between(start, end, _calendar_for)[0]


def _between(start: datetime.date, end: datetime.date, calendar_for) -> tuple[int, bool]:
    count, estimated = 0, False
    after = start + _ONE_DAY  # the interval is (start, end]: start's own year may not be needed at all
    for year in range(after.year, end.year + 1):
        cal = calendar_for(year)
        estimated |= cal.source == "estimate"
        first = max(after, datetime.date(year, 1, 1))
        last = min(end, datetime.date(year, 12, 31))
        # Whole weeks hold 5 weekdays each; only the remainder and the year's exceptions need a day-by-day look.
        span = (last - first).days + 1
        weeks, rest = divmod(span, 7)
        count += weeks * 5
        for i in range(rest):
            if (first + datetime.timedelta(days=weeks * 7 + i)).weekday() < 5:
                count += 1
        count -= sum(1 for h in cal.holidays if first <= h <= last)
        count += sum(1 for w in cal.workdays if first <= w <= last)
    return count, estimated


def year_source(year: int) -> str | None:
    """Where `year`'s calendar comes from: "override", "library", or None if unknown."""
    resolved = _year(year)
    return resolved.source if resolved else None


def calendar_known(year: int) -> bool:
    """Whether working days can be counted in `year` (entered by an administrator or in the library)."""
    return _year(year) is not None


def years_known() -> set[int]:
    """Every year with a calendar: the library's years and the administrator-entered ones."""
    from casework.models.calendar import CalendarYear

    return set(library_years()) | set(CalendarYear.objects.values_list("year", flat=True))


def library_years() -> range:
    """The years the installed chinese_calendar release covers (2004–2026 in version 1.11)."""
    years = {d.year for d in chinese_calendar.holidays}
    return range(min(years), max(years) + 1)


def _calendar_changed(sender, **kwargs) -> None:
    clear_cache()
    # Clear once more after commit: a lookup in another thread between the save and the commit may have
    # cached the old rows.
    transaction.on_commit(clear_cache)


def connect_signals() -> None:
    """Clear the cache whenever an administrator saves or deletes a calendar year or day.

    Call from AppConfig.ready(); connecting twice is harmless (dispatch_uid). Queryset update() and
    bulk_create() send no signals: call clear_cache() after them (other processes catch up within
    CACHE_SECONDS).
    """
    from django.db.models.signals import post_delete, post_save

    from casework.models.calendar import CalendarDay, CalendarYear

    for model in (CalendarYear, CalendarDay):
        for signal in (post_save, post_delete):
            signal.connect(
                _calendar_changed,
                sender=model,
                dispatch_uid=f"casework.calendar.clear_cache.{model.__name__}.{signal is post_save}",
            )
