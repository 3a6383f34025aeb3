"""Supervisors' dashboards (charts) and the monthly report as CSV or XLSX."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import exports, policies, statistics
from casework.dates import parse_month
from casework.models import CaseKind, CaseState

from .base import allowed
from .charts import bar_chart
from .labels import step_label

supervisor_only = allowed(policies.may_supervise)


def _pct(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.0f}%"


@supervisor_only
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
    totals: dict[str, tuple[int, int]] = {}
    for r in on_time:
        done, ok = totals.get(r["department"], (0, 0))
        totals[r["department"]] = (done + r["done"], ok + r["on_time"])
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
            "coverage": coverage,
            "coverage_chart": bar_chart(
                [(_("Trained blacklisted subjects"), coverage.rate or 0, _pct(coverage.rate))],
                maximum=1,
                target=coverage.target,
                title=_("Training coverage against the 50% target"),
            ),
            "default_month": (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"),
        },
    )


def _month(request) -> date:
    """`?month=YYYY-MM` within the date range (casework.dates); last month when not given."""
    if not request.GET.get("month"):
        return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    return parse_month(request.GET["month"])


@supervisor_only
def monthly_report(request):
    try:
        month = _month(request)
    except ValidationError as exc:
        messages.error(request, _("Month: %(message)s") % {"message": " ".join(exc.messages)})
        return redirect("supervision:dashboard")
    rows = statistics.monthly_report(request.user, month=month)
    name = f"monthly-report-{month:%Y-%m}"
    # casework.exports neutralises formula cells (a department named "=HYPERLINK(…)" stays text).
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(statistics.REPORT_COLUMNS, rows, title=month.strftime("%Y-%m")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(
        exports.csv_text(statistics.REPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
