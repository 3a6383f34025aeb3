"""Re-dating after a calendar year is entered or corrected (issue 11; run by a Celery task, never in a request).

Every stored date derived by counting working days depends on the calendars of the years its count crossed:
step due dates and case clocks (`Deadline.due_on`), the next escalation level (`Deadline.next_escalation_on`),
list-exit publicity ends (`Case.publicity_until`) and, through `redater_register`, dates of other apps
(execution-feedback escalations in integration.feedback). When year Y is entered or corrected, each such date
that is still ahead of its event (open deadline, case in publicity, unescalated mismatch) and whose count can
reach Y is derived again — provisional and confirmed dates alike, so a correction moves confirmed dates too.
Each change (a different date or flag) is written to the owner's history with from → to, and reported.

The report (`calendar_redate`'s return value, also stored on the CalendarRevision) is
`{"year": 2027, "revision": 3, "checked": 40, "moved": [{"what": "step", "case": "YY-2026-000123",
"from": "2027-01-04", "to": "2027-01-05", "was_provisional": true, "provisional": false}, …],
"counts": {"step": 1, …}}`; `what` is one of step, legal, service, escalation, publicity, feedback.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework import calendar
from casework.models import (
    CalendarRevision,
    Case,
    CaseKind,
    CaseState,
    Deadline,
    DeadlinePurpose,
    HistoryEvent,
)

from .deadlines import deadline_derive_due, deadline_save, publicity_end
from .history import history_record

# (year=, actor=, revision=) -> (moved entries, rows checked); registered by other apps in their ready().
Redater = Callable[..., tuple[list[dict], int]]
_redaters: dict[str, Redater] = {}


def redater_register(name: str, redater: Redater) -> None:
    """Let another app re-date its own derived dates when a year changes (idempotent per name)."""
    _redaters[name] = redater


# A stored date (None when nothing is armed) and its provisional flag.
Dated = tuple[datetime.date | None, bool]


def moved_entry(what: str, before: Dated, after: Dated, **where) -> dict:
    """One line of the report."""
    return {
        "what": what,
        **where,
        "from": _iso(before[0]),
        "to": _iso(after[0]),
        "was_provisional": before[1],
        "provisional": after[1],
    }


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def depends_on(year: int, field: str, flag: str, start: str) -> Q:
    """Rows whose `field` date may depend on `year`: the count starts no later than the year and ends in it or
    after, or the date is an estimate (any estimate may move once more years are known)."""
    return Q(**{f"{start}__lte": datetime.date(year, 12, 31)}) & (
        Q(**{f"{field}__gte": datetime.date(year, 1, 1)}) | Q(**{flag: True})
    )


def calendar_redate(*, revision_id: int) -> dict:
    """Re-date every date depending on the revision's year; record and return the report (see module).

    Safe to run twice: each row is re-derived under its lock and only a change is written.
    """
    revision = CalendarRevision.objects.select_related("by").get(pk=revision_id)
    if revision.redated_at:  # a redelivered task (acks_late): the work is done and reported
        return revision.report
    year, actor = revision.calendar_id, revision.by
    calendar.clear_cache()  # this worker may hold the year as it was before the revision
    moved: list[dict] = []
    checked = 0
    steps: list[Redater] = [_redate_deadlines, _redate_publicity, *_redaters.values()]
    for step in steps:
        rows, found = step(year=year, actor=actor, revision=revision)
        moved += rows
        checked += found
    report = {
        "year": year,
        "revision": revision.pk,
        "checked": checked,
        "moved": moved,
        "counts": dict(Counter(row["what"] for row in moved)),
    }
    CalendarRevision.objects.filter(pk=revision.pk).update(redated_at=timezone.now(), report=report)
    return report


PENDING_AFTER = datetime.timedelta(minutes=10)


def calendar_redate_pending(*, now: datetime.datetime | None = None) -> int:
    """Beat: run every re-dating queued more than PENDING_AFTER ago that has not finished (its message was
    lost, or its worker died). Returns how many ran. A resumed run reports what it moved itself; history
    holds every change."""
    now = now or timezone.now()
    pending = CalendarRevision.objects.filter(redated_at__isnull=True, at__lt=now - PENDING_AFTER)
    ran = 0
    for pk in pending.order_by("id").values_list("pk", flat=True):
        calendar_redate(revision_id=pk)
        ran += 1
    return ran


def _redate_deadlines(*, year: int, actor, revision: CalendarRevision) -> tuple[list[dict], int]:
    pending = list(
        Deadline.objects.filter(met_at__isnull=True)
        .filter(
            depends_on(year, "due_on", "provisional", "started_on")
            | depends_on(year, "next_escalation_on", "next_escalation_provisional", "started_on")
        )
        .order_by("pk")
        .values_list("pk", "case_id")
    )
    moved = []
    for pk, case_pk in pending:
        with transaction.atomic():
            # Lock order of every service: the case, then its deadline.
            case = Case.objects.select_for_update(of=("self",)).select_related("rule_set").get(pk=case_pk)
            deadline = Deadline.objects.select_for_update(of=("self",)).select_related("task").get(pk=pk)
            if deadline.met_at:
                continue
            deadline.case = case
            due_before: Dated = (deadline.due_on, deadline.provisional)
            level_before: Dated = (deadline.next_escalation_on, deadline.next_escalation_provisional)
            deadline_derive_due(deadline)
            _fill_suspension_ledger(deadline)
            due_after: Dated = (deadline.due_on, deadline.provisional)
            level_after: Dated = (deadline.next_escalation_on, deadline.next_escalation_provisional)
            if due_before == due_after and level_before == level_after:
                continue
            deadline_save(
                deadline,
                [
                    "due_on",
                    "provisional",
                    "suspended_days",
                    "next_escalation_on",
                    "next_escalation_provisional",
                ],
            )
            rows = []
            where = {"case": case.number, "deadline": deadline.pk}
            if due_before != due_after:
                rows.append(moved_entry(str(deadline.purpose), due_before, due_after, **where))
            if level_before != level_after:
                rows.append(moved_entry("escalation", level_before, level_after, **where))
            task = getattr(deadline, "task", None) if deadline.purpose == DeadlinePurpose.STEP else None
            confirmed = due_before[1] and not due_after[1]
            history_record(
                target=task or case,
                action=(
                    ("due_date_confirmed" if confirmed else "due_date_redated")
                    if task
                    else ("case_clock_confirmed" if confirmed else "case_clock_redated")
                ),
                actor=actor,
                case=case,
                from_state=task.state if task else case.state,
                to_state=task.state if task else case.state,
                note=f"{_iso(due_before[0])} → {_iso(due_after[0])}",
                data={
                    "calendar_year": year,
                    "calendar_revision": revision.pk,
                    "purpose": str(deadline.purpose),
                    # The first two keys were written by earlier releases: readers of old events use them.
                    "provisional_due_on": _iso(due_before[0]),
                    "due_on": _iso(due_after[0]),
                    "was_provisional": due_before[1],
                    "provisional": due_after[1],
                    "next_escalation_on": {"from": _iso(level_before[0]), "to": _iso(level_after[0])},
                },
            )
            moved += rows
    return moved, len(pending)


def _fill_suspension_ledger(deadline: Deadline) -> None:
    """Pauses that ended in a year unknown at the time have no working-day count yet: count them now."""
    for suspension in deadline.suspensions.filter(ended_on__isnull=False, working_days__isnull=True):
        if suspension.ended_on is None:  # filtered out above; for the type checker
            continue
        try:
            suspension.working_days = calendar.working_days_between(
                suspension.started_on, suspension.ended_on
            )
        except calendar.CalendarUnknown:
            continue
        suspension.save(update_fields=["working_days"])


def _publicity_start(case: Case) -> datetime.date | None:
    if case.publicity_from:
        return case.publicity_from
    # Opened before publicity_from was stored: the day the publicity was opened, from the case's history.
    opened = HistoryEvent.objects.filter(case=case, action="open_publicity").order_by("-id").first()
    return timezone.localdate(opened.at) if opened else None


def _redate_publicity(*, year: int, actor, revision: CalendarRevision) -> tuple[list[dict], int]:
    pending = list(
        Case.objects.filter(kind=CaseKind.LIST_EXIT, state=CaseState.PUBLICITY, publicity_until__isnull=False)
        .filter(
            Q(publicity_until__gte=datetime.date(year, 1, 1)) | Q(publicity_provisional=True),
            Q(publicity_from__isnull=True) | Q(publicity_from__lte=datetime.date(year, 12, 31)),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    moved = []
    for pk in pending:
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).select_related("rule_set").get(pk=pk)
            if case.state != CaseState.PUBLICITY:
                continue
            start = _publicity_start(case)
            if start is None:  # no record of when it opened: nothing to count from, leave the date as set
                continue
            before: Dated = (case.publicity_until, case.publicity_provisional)
            # The days the clock runs from `start`: after an objection's hold, what the hold left (§9.5).
            days = case.publicity_days or case.rule_set.case_rules(case.kind)["publicity_days"]
            end = publicity_end(start, days)
            after: Dated = (end.date, end.provisional)
            if before == after:
                continue
            case.publicity_from, case.publicity_until, case.publicity_provisional = start, *after
            case.save(update_fields=["publicity_from", "publicity_until", "publicity_provisional"])
            history_record(
                target=case,
                action="publicity_end_redated",
                actor=actor,
                case=case,
                from_state=case.state,
                to_state=case.state,
                note=f"{_iso(before[0])} → {_iso(after[0])}",
                data={
                    "calendar_year": year,
                    "calendar_revision": revision.pk,
                    "publicity_until": {"from": _iso(before[0]), "to": _iso(after[0])},
                    "was_provisional": before[1],
                    "provisional": after[1],
                },
            )
            moved.append(moved_entry("publicity", before, after, case=case.number))
    return moved, len(pending)
