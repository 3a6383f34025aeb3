"""The monthly report (月度通报) an office hands in: a page, and the same table as CSV, XLSX and PDF.

Figures come from `casework.statistics.monthly_report` (one row per department, the user's jurisdiction). This
module adds what makes it a document: Chinese column headers, a header block (title, period, jurisdiction,
date made), a totals row, rates as percentages, a chart, and a label on figures that are projected because the
month is not over yet.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Max
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import dates, exports, policies, selectors, statistics
from casework.models import Role
from casework.replica import supervision_read

from .base import allowed
from .charts import bar_chart

supervisor_only = allowed(policies.may_supervise)

FORMATS = ("html", "csv", "xlsx", "pdf")

# Column headers as an office writes them; a column the statistics add later shows under its own name
# until it is given one here.
HEADERS = {
    "department": gettext_lazy("Department"),
    "opened": gettext_lazy("Steps opened"),
    "completed": gettext_lazy("Steps completed"),
    "completed_on_time": gettext_lazy("Completed on time"),
    "on_time_rate": gettext_lazy("On-time rate"),
    "late_on_record": gettext_lazy("Late steps on its record (booked when 催办 fired)"),
    "open_overdue_at_month_end": gettext_lazy("Overdue and open at month end"),
    "remind": gettext_lazy("Reminders"),
    "overdue": gettext_lazy("Overdue notices (催办)"),
    "supervise": gettext_lazy("Supervision (督办)"),
}
RATES = {"on_time_rate"}
# Figures that describe the month's end: while the month runs they are projections from today's state.
MONTH_END = {"open_overdue_at_month_end"}


class BadMonth(ValueError):
    pass


@dataclass
class Report:
    month: date
    start: date
    end: date  # last day
    columns: list[str]
    headers: list[str]
    rows: list[dict]
    total: dict
    projected: bool  # the month is not over: month-end figures are projections
    jurisdiction: str
    made_on: date

    @property
    def title(self) -> str:
        return _("Monthly report on credit casework, %(year)d-%(month)02d") % {
            "year": self.month.year,
            "month": self.month.month,
        }

    def cells(self, row: dict) -> list[str]:
        return [_cell(column, row.get(column, "")) for column in self.columns]

    def table(self) -> list[list[str]]:
        return [self.cells(row) for row in self.rows] + [self.cells(self.total)]


def parse_month(value: str) -> date:
    """`YYYY-MM` → the month's first day, within the dates every input accepts (casework.dates). Anything
    else raises BadMonth (never a silent default)."""
    try:
        return dates.parse_month(value)
    except ValidationError as exc:
        raise BadMonth(value) from exc


def default_month(user, today: date) -> date:
    """The latest month before this one in which any step in the user's jurisdiction was opened or completed;
    last month when there is none."""
    this_month = today.replace(day=1)
    tasks = selectors.tasks_visible_to(user).filter(created_at__date__lt=this_month).order_by()
    latest = tasks.aggregate(opened=Max("created_at"), done=Max("completed_at"))
    moments = [timezone.localtime(m).date() for m in latest.values() if m is not None]
    moments = [m for m in moments if m < this_month]
    return max(moments).replace(day=1) if moments else (this_month - timedelta(days=1)).replace(day=1)


def build_report(user, month: date, today: date) -> Report:
    rows = statistics.monthly_report(user, month=month)
    columns = list(statistics.REPORT_COLUMNS)
    start, next_month = statistics.month_bounds(month)
    projected = today < next_month
    headers = [
        str(HEADERS.get(c, c)) + (_(" (projected)") if projected and c in MONTH_END else "") for c in columns
    ]
    total = {c: sum(r[c] for r in rows if isinstance(r.get(c), int)) for c in columns if c != "department"}
    total["department"] = _("Total")
    if "on_time_rate" in columns:
        done = total.get("completed", 0)
        total["on_time_rate"] = round(total.get("completed_on_time", 0) / done, 3) if done else ""
    if user.role == Role.ADMIN:
        jurisdiction = _("All departments")
    else:
        jurisdiction = "、".join(d.name for d in user.departments.order_by("code"))
    return Report(
        month=month,
        start=start,
        end=next_month - timedelta(days=1),
        columns=columns,
        headers=headers,
        rows=rows,
        total=total,
        projected=projected,
        jurisdiction=jurisdiction,
        made_on=today,
    )


def _cell(column: str, value) -> str:
    if column in RATES:
        return "—" if value in ("", None) else f"{value * 100:.1f}%"
    return str(value)


@supervisor_only
@supervision_read
def monthly_report(request):
    """GET ?month=YYYY-MM&format=html|csv|xlsx|pdf. No month: the latest month with work in it. A month or
    format that cannot be read answers 400 with a message saying what is expected."""
    today = timezone.localdate()
    fmt = request.GET.get("format", "html") or "html"
    raw = request.GET.get("month", "").strip()
    try:
        month = parse_month(raw) if raw else default_month(request.user, today)
    except BadMonth:
        return _bad_request(
            request, _("“%(value)s” is not a month. Write it as YYYY-MM, e.g. 2026-11.") % {"value": raw}
        )
    if fmt not in FORMATS:
        return _bad_request(
            request, _("Unknown format “%(value)s”: choose html, csv, xlsx or pdf.") % {"value": fmt}
        )
    report = build_report(request.user, month, today)
    name = f"monthly-report-{month:%Y-%m}"
    if fmt == "csv":
        return _csv(report, name)
    if fmt == "xlsx":
        return _xlsx(report, name)
    if fmt == "pdf":
        return _pdf(request, report, name)
    return render(request, "supervision/monthly_report.html", _context(report))


def _context(report: Report) -> dict:
    rated = [r for r in report.rows if isinstance(r.get("on_time_rate"), float)]
    return {
        "report": report,
        "table": report.table(),
        "chart": bar_chart(
            [(r["department"], r["on_time_rate"], _cell("on_time_rate", r["on_time_rate"])) for r in rated],
            maximum=1,
            title=_("On-time rate per department"),
        ),
    }


def _bad_request(request, message: str) -> HttpResponse:
    return render(request, "supervision/monthly_report_error.html", {"message": message}, status=400)


def _header_lines(report: Report) -> list[list[str]]:
    lines = [
        [report.title],
        [_("Period"), f"{report.start:%Y-%m-%d} — {report.end:%Y-%m-%d}"],
        [_("Jurisdiction"), report.jurisdiction],
        [_("Made on"), f"{report.made_on:%Y-%m-%d}"],
    ]
    if report.projected:
        lines.append([_("The month is not over: figures marked “projected” are as of the date made.")])
    return [*lines, []]


def _csv(report: Report, name: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(_header_lines(report))
    writer.writerow(report.headers)
    # casework.exports neutralises formula cells (a department named "=HYPERLINK(…)" stays text).
    writer.writerows([[exports.neutralise(cell) for cell in row] for row in report.table()])
    # The BOM lets Excel on Chinese Windows read the UTF-8 department names.
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _xlsx(report: Report, name: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{report.month:%Y-%m}"
    for line in _header_lines(report):
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(report.headers)
    for row in [*report.rows, report.total]:
        values = [exports.neutralise(row.get(c, "")) for c in report.columns]
        sheet.append(values)
        for column, cell in zip(report.columns, sheet[sheet.max_row], strict=True):
            if column in RATES and isinstance(cell.value, float):
                cell.number_format = "0.0%"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _pdf(request, report: Report, name: str) -> HttpResponse:
    """The stored PDF, or "being prepared" (202) while a worker makes it (web/report_pdf.py)."""
    from .report_pdf import pdf_key, pdf_ready, pdf_request

    language = translation.get_language() or settings.LANGUAGE_CODE
    key = pdf_key(request.user, report.month, language, report.made_on, report.projected)
    ready = pdf_ready(key)
    if request.GET.get("status"):
        return JsonResponse({"ready": ready})
    if ready:
        return FileResponse(default_storage.open(key, "rb"), as_attachment=True, filename=f"{name}.pdf")
    queued = pdf_request(request.user, report.month, language, report.made_on, key)
    query = {"month": f"{report.month:%Y-%m}", "format": "pdf"}
    return render(
        request,
        "supervision/monthly_report_pdf.html",
        {
            "report": report,
            "queued": queued,
            "download_url": f"{request.path}?{urlencode(query)}",
            "status_url": f"{request.path}?{urlencode(query | {'status': 1})}",
            "report_url": f"{request.path}?{urlencode({'month': query['month']})}",
        },
        status=202,
    )
