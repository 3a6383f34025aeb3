"""Supervision: which departments submitted their monthly data by the 20th, and which are late (docs/domain.md §9.13)."""

from datetime import date, timedelta

from django.shortcuts import render
from django.utils import timezone

from casework import selectors
from casework.models import Role
from casework.replica import supervision_read

from .base import roles_required

supervisor_only = roles_required(Role.SUPERVISOR, Role.ADMIN)


def _month(request, today: date) -> date:
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


@supervisor_only
@supervision_read
def monthly_submissions(request):
    today = timezone.localdate()
    month = _month(request, today)
    rows = selectors.monthly_submissions_for(request.user, month=month, today=today)
    return render(
        request,
        "supervision/monthly_submissions.html",
        {
            "rows": rows,
            "month": month,
            "late": sum(r["status"] == "late" for r in rows),
        },
    )
