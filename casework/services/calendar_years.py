"""Entering and correcting a year's working-day calendar (issue 11: calendar years as data with a lifecycle).

The State Council publishes next year's holidays and make-up working days (调休上班) in November or December.
An administrator enters them — through `manage.py calendar_year`, the staff API or the admin screen — as the
days that differ from Monday–Friday:

* a **holiday** is a Monday–Friday day off (a weekend day off is not listed: it is off anyway);
* a **workday** is a Saturday or Sunday make-up working day.

The text format read by `calendar_file_parse` has one day per line, `#` starts a comment, blank lines are
ignored::

    # 国务院办公厅关于2027年部分节假日安排的通知
    2027-01-01 holiday 元旦
    2027-02-07 workday 春节调休

Entering or correcting a year writes a `CalendarRevision` (the schedule before and after) and, after commit,
queues the Celery task that re-dates every date depending on the year (casework.services.redating). Errors are
Django ValidationErrors keyed by field (`year`, `notice`, `days`) whose `days` messages name the line or item.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework import calendar
from casework.exceptions import Conflict
from casework.models import CalendarDay, CalendarRevision, CalendarRevisionKind, CalendarYear, User

HOLIDAY, WORKDAY = "holiday", "workday"
KINDS = (HOLIDAY, WORKDAY)
# Years a schedule may be entered for: the first year of the library's data to a bound that catches typos.
FIRST_YEAR, LAST_YEAR = 2004, 2100


@dataclass(frozen=True)
class ScheduleDay:
    """One exception to Monday–Friday: a weekday holiday or a weekend make-up working day."""

    day: datetime.date
    kind: str  # HOLIDAY or WORKDAY
    name: str = ""

    def as_json(self) -> dict:
        return {"day": self.day.isoformat(), "kind": self.kind, "name": self.name}


def _at(label: str, problem: str) -> str:
    """ "line 3: …" / "第3行：…": a message that names where the problem is."""
    return _("%(where)s: %(problem)s") % {"where": label, "problem": problem}


def _weekday_name(day: datetime.date) -> str:
    return date_format(day, "l")


def day_problems(year: int, day: datetime.date, kind: str) -> list[str]:
    """What is wrong with listing `day` as `kind` in `year`'s schedule (empty when nothing is)."""
    problems = []
    if day.year != year:
        problems.append(
            _("%(day)s is not in %(year)d; enter it under its own calendar year.")
            % {"day": day.isoformat(), "year": year}
        )
    elif kind == WORKDAY and day.weekday() < 5:
        problems.append(
            _("%(day)s is a %(weekday)s: a make-up working day (workday) must be a Saturday or Sunday.")
            % {"day": day.isoformat(), "weekday": _weekday_name(day)}
        )
    elif kind == HOLIDAY and day.weekday() >= 5:
        problems.append(
            _("%(day)s is a %(weekday)s, a day off anyway: list only holidays that fall on Monday to Friday.")
            % {"day": day.isoformat(), "weekday": _weekday_name(day)}
        )
    return problems


def schedule_validate(year: int, days: list[ScheduleDay], labels: list[str] | None = None) -> None:
    """Refuse a schedule with a day outside the year, a weekday "workday", a weekend "holiday" or a day
    listed twice. `labels` name each entry in messages (e.g. "line 3"); default "item N" (1-based).

    Raises ValidationError({"days": [messages]}).
    """
    labels = labels or [_("item %(n)d") % {"n": i + 1} for i in range(len(days))]
    errors: list[str] = []
    seen: dict[datetime.date, str] = {}
    for label, entry in zip(labels, days, strict=True):
        for problem in day_problems(year, entry.day, entry.kind):
            errors.append(_at(label, problem))
        if entry.day in seen:
            errors.append(
                _at(
                    label,
                    _("%(day)s is already listed (%(first)s).")
                    % {"day": entry.day.isoformat(), "first": seen[entry.day]},
                )
            )
        else:
            seen[entry.day] = label
    if errors:
        raise ValidationError({"days": errors})


def calendar_file_parse(text: str, year: int) -> list[ScheduleDay]:
    """Read the text format (see the module docstring) and validate it for `year`.

    Raises ValidationError({"days": ["line 3: …", …]}) naming every bad line at once.
    """
    days, labels, errors = [], [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        label = _("line %(n)d") % {"n": number}
        parts = line.split(None, 2)
        if len(parts) < 2:
            errors.append(
                _at(label, _("expected “YYYY-MM-DD holiday|workday name”, got “%(line)s”.") % {"line": line})
            )
            continue
        try:
            day = datetime.date.fromisoformat(parts[0])
        except ValueError:
            errors.append(_at(label, _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": parts[0]}))
            continue
        kind = parts[1].lower()
        if kind not in KINDS:
            errors.append(
                _at(label, _("“%(value)s” is neither “holiday” nor “workday”.") % {"value": parts[1]})
            )
            continue
        days.append(ScheduleDay(day, kind, parts[2].strip() if len(parts) > 2 else ""))
        labels.append(label)
    try:
        schedule_validate(year, days, labels)
    except ValidationError as exc:
        errors.extend(exc.message_dict["days"])
    if errors:
        raise ValidationError({"days": errors})
    return days


def schedule_of(year: int) -> list[ScheduleDay]:
    """The entered schedule of `year` (empty if none), by day."""
    return [
        ScheduleDay(day, WORKDAY if working else HOLIDAY, name)
        for day, working, name in CalendarDay.objects.filter(calendar_id=year)
        .order_by("day")
        .values_list("day", "is_working_day", "name")
    ]


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                "year": [
                    _("Enter a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
                ]
            }
        )


def calendar_year_save(
    *, year: int, notice: str, days: list[ScheduleDay], actor: User | None, correct: bool
) -> CalendarRevision:
    """Enter (`correct=False`) or correct (`correct=True`) `year`'s schedule; queue its re-dating.

    Entering a year that is already entered, or correcting one that is not, is a ValidationError on `year`
    (nothing is saved); losing a race to enter the same year is a Conflict (409). The schedule replaces the library for the whole year. After commit the Celery task
    `casework.tasks.calendar_redate_task` re-dates every derived date that depends on the year (provisional
    and confirmed ones alike) and records what moved on the returned revision.
    """
    _check_year(year)
    notice = (notice or "").strip()
    if not notice:
        raise ValidationError({"notice": [_("Name the State Council notice the schedule comes from.")]})
    if len(notice) > 200:
        raise ValidationError({"notice": [_("At most 200 characters.")]})
    schedule_validate(year, days)
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=year).first()
        if existing is None and correct:
            raise ValidationError(
                {"year": [_("%(year)d has not been entered yet; enter it first.") % {"year": year}]}
            )
        if existing is not None and not correct:
            raise ValidationError(
                {"year": [_("%(year)d is already entered; correct it instead.") % {"year": year}]}
            )
        previous = [d.as_json() for d in schedule_of(year)] if existing else []
        if existing is None:
            try:
                with transaction.atomic():  # two administrators entering the same year at once: one wins
                    entry = CalendarYear.objects.create(year=year, notice=notice, entered_by=actor)
            except IntegrityError as exc:
                raise Conflict(
                    _("%(year)d is already entered; correct it instead.") % {"year": year},
                    code="already_entered",
                ) from exc
        else:
            entry = existing
            entry.notice, entry.entered_by = notice, actor
            entry.save(update_fields=["notice", "entered_by", "entered_at"])
        CalendarDay.objects.filter(calendar=entry).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar=entry, day=d.day, is_working_day=d.kind == WORKDAY, name=d.name[:60])
            for d in sorted(days, key=lambda d: d.day)
        )
        revision = CalendarRevision.objects.create(
            calendar=entry,
            kind=CalendarRevisionKind.CORRECTED if correct else CalendarRevisionKind.ENTERED,
            notice=notice,
            days=[d.as_json() for d in sorted(days, key=lambda d: d.day)],
            previous=previous,
            by=actor,
        )
        # bulk_create sends no signal: forget the cached year now and, for lookups racing the commit, again.
        calendar.clear_cache()
        transaction.on_commit(calendar.clear_cache)
        calendar_redate_enqueue(revision)
    return revision


def calendar_revision_record(
    *, year: int, actor: User | None, previous: list[ScheduleDay], correct: bool
) -> CalendarRevision:
    """Record a revision for a schedule saved elsewhere (the admin screen's forms) and queue its re-dating."""
    entry = CalendarYear.objects.get(year=year)
    revision = CalendarRevision.objects.create(
        calendar=entry,
        kind=CalendarRevisionKind.CORRECTED if correct else CalendarRevisionKind.ENTERED,
        notice=entry.notice,
        days=[d.as_json() for d in schedule_of(year)],
        previous=[d.as_json() for d in previous],
        by=actor,
    )
    calendar_redate_enqueue(revision)
    return revision


def calendar_redate_enqueue(revision: CalendarRevision) -> None:
    """Queue the re-dating of `revision`'s year once the current transaction commits (never inline)."""
    from casework.tasks import calendar_redate_task  # tasks import services: import late

    transaction.on_commit(lambda: calendar_redate_task.delay(revision.pk))
