"""Supervisors are told, once a day, which cases have due dates that are not final because a year's
working-day calendar has not been entered (issue: a deadline reaching such a year is provisional everywhere)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from casework import calendar, events
from casework.models import Case, CaseState, Deadline, Role, User
from casework.selectors import cases_with_provisional_dates_for

LISTED = 30


def calendar_warnings_send(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    estimated = set(
        Deadline.objects.filter(provisional=True, met_at__isnull=True).values_list("due_on", flat=True)
    ) | set(
        # A list-exit publicity end is estimated the same way (calendar.derive_working_days).
        Case.objects.filter(state=CaseState.PUBLICITY, publicity_provisional=True).values_list(
            "publicity_until", flat=True
        )
    )
    years = sorted({d.year for d in estimated if d} - set(calendar.years_known()))
    if not years:
        return 0
    sent = 0
    for supervisor in User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("id"):
        numbers = list(
            cases_with_provisional_dates_for(supervisor).values_list("number", flat=True)[: LISTED + 1]
        )
        if not numbers:
            continue
        shown = "、".join(numbers[:LISTED]) + (" …" if len(numbers) > LISTED else "")
        with transaction.atomic():
            queued = events.publish(  # False: today's warning had gone out already
                events.CalendarWarning(
                    on=today,
                    count=len(numbers),
                    cases=shown,
                    years="、".join(map(str, years)),
                    recipient_ids=(supervisor.pk,),
                )
            )
        sent += queued
    return sent
