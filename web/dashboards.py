"""Supervisors' dashboards (charts); the monthly report is web/reports.py."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import policies, statistics
from casework.models import CaseKind, CaseState, EscalationLevel
from casework.replica import supervision_read

from .base import allowed
from .charts import bar_chart
from .labels import step_label
from .reports import default_month

supervisor_only = allowed(policies.may_supervise)


def _pct(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


@supervisor_only
@supervision_read
def dashboard(request):
    today = timezone.localdate()
    on_time = statistics.on_time_by_department_month(request.user, today=today)
    months = sorted({r["month"] for r in on_time})
    departments = sorted({r["department"] for r in on_time})
    cells = {(r["department"], r["month"]): r for r in on_time}
    by_kind = statistics.cases_by_kind_and_state(request.user)
    kinds, states = dict(CaseKind.choices), dict(CaseState.choices)
    medians = statistics.median_handling_days_by_step(request.user, since=today - timedelta(days=365))
    coverage = statistics.training_coverage(request.user)
    # The chart books each late task to the department that held it when its 催办 fired (issue 11).
    since, until = date.fromisoformat(f"{months[0]}-01") if months else today, today + timedelta(days=1)
    booked = statistics.on_time_booked(request.user, start=since, end=until)
    totals = {name: (row["accountable"], row["on_time"]) for name, row in booked.items()}
    return render(
        request,
        "supervision/dashboard.html",
        {
            "on_time_chart": bar_chart(
                [
                    (d, ok / done if done else 0, _pct(ok / done if done else None))
                    for d, (done, ok) in sorted(totals.items())
                ],
                maximum=1,
                title=_("On-time rate per department"),
            ),
            "months": months,
            "on_time_rows": [(d, [cells.get((d, m)) for m in months]) for d in departments],
            "kind_chart": bar_chart(
                [
                    (
                        f"{kinds.get(r['kind'], r['kind'])} · {states.get(r['state'], r['state'])}",
                        r["n"],
                        str(r["n"]),
                        # Drill-down: the bar opens the cases it counts.
                        f"{reverse('supervision:case-list')}?{urlencode({'kind': r['kind'], 'state': r['state']})}",
                    )
                    for r in by_kind
                ],
                title=_("Cases by kind and state"),
            ),
            "median_chart": bar_chart(
                [
                    (
                        step_label(r["step"]),
                        r["median_days"],
                        _("%(d)s days (%(n)d)") % {"d": r["median_days"], "n": r["n"]},
                    )
                    for r in medians
                ],
                title=_("Median handling time per step"),
            ),
            "escalation_levels": [EscalationLevel(level).label for level in statistics.LADDER],
            "escalations": statistics.escalations_by_department_and_level(
                request.user, start=today - timedelta(days=365), end=until
            ),
            "coverage": coverage,
            "coverage_chart": bar_chart(
                [(_("Trained blacklisted subjects"), coverage.rate or 0, _pct(coverage.rate))],
                maximum=1,
                target=coverage.target,
                title=_("Training coverage against the 50% target"),
            ),
            "default_month": default_month(request.user, today).strftime("%Y-%m"),
        },
    )
