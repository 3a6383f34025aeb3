"""Figures for supervisors: on-time rates, case counts, handling times, training coverage, the monthly report.

Every figure starts from a selector, so a supervisor counts only their jurisdiction.
"""

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from casework import selectors
from casework.models import (
    LADDER,
    DossierEntry,
    DossierEntryKind,
    EscalationEvent,
    EscalationLevel,
    OperatingStatus,
    Publicity,
    RecordKind,
    TaskState,
)

# Qujiang plan §二(二)5: repair training must reach at least half of the blacklisted subjects still operating.
TRAINING_TARGET = 0.5


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def on_time_by_department_month(user, *, months: int = 6, today: date) -> list[dict]:
    since = month_bounds(today)[0]
    for _ in range(months - 1):
        since = (since - timedelta(days=1)).replace(day=1)
    rows = (
        selectors.tasks_visible_to(user)
        .filter(state=TaskState.DONE, completed_at__date__gte=since)
        .annotate(month=TruncMonth("completed_at"))
        .values("department__name", "month")
        .annotate(
            done=Count("id"), on_time=Count("id", filter=Q(completed_at__date__lte=F("deadline__due_on")))
        )
        .order_by("department__name", "month")
    )
    return [
        {
            "department": r["department__name"],
            "month": r["month"].strftime("%Y-%m"),
            "done": r["done"],
            "on_time": r["on_time"],
            "rate": r["on_time"] / r["done"] if r["done"] else None,
        }
        for r in rows
    ]


def cases_by_kind_and_state(user) -> list[dict]:
    return list(
        selectors.cases_visible_to(user)
        .order_by()
        .values("kind", "state")
        .annotate(n=Count("id", distinct=True))
    )


def median_handling_days_by_step(user, *, since: date) -> list[dict]:
    """Median time from a step's opening to its decision, in calendar days (to one decimal)."""
    durations: dict[str, list[float]] = {}
    done = (
        selectors.tasks_visible_to(user)
        .filter(state=TaskState.DONE, completed_at__date__gte=since)
        .values_list("step", "created_at", "completed_at")
    )
    for step, opened, completed in done.iterator():
        durations.setdefault(step, []).append((completed - opened).total_seconds() / 86400)
    return [
        {"step": step, "median_days": round(statistics.median(values), 1), "n": len(values)}
        for step, values in sorted(durations.items())
    ]


@dataclass(frozen=True)
class TrainingCoverage:
    listed: int
    trained: int
    target: float = TRAINING_TARGET

    @property
    def rate(self) -> float | None:
        return self.trained / self.listed if self.listed else None

    @property
    def met(self) -> bool:
        return self.rate is not None and self.rate >= self.target


def training_coverage(user) -> TrainingCoverage:
    """Qujiang plan §二(二)5 / docs/domain.md §9.14: trained share of the serious-list subjects
    still operating (在运营) — a deregistered or revoked enterprise can no longer be trained and is not counted."""
    listed = selectors.subjects_visible_to(user).filter(
        records__kind=RecordKind.SERIOUS_LIST,
        records__publicity=Publicity.PUBLISHED,
        operating_status=OperatingStatus.OPERATING,
    )
    listed_ids = listed.values("pk")
    trained = (
        DossierEntry.objects.filter(kind=DossierEntryKind.TRAINING, subject__in=listed_ids)
        .values("subject")
        .distinct()
        .count()
    )
    return TrainingCoverage(listed=listed.values("pk").distinct().count(), trained=trained)


def escalations_by_department_and_level(user, *, start: date, end: date) -> list[dict]:
    """Escalation levels that fired with a message in [start, end) (Beijing dates), per department that held
    the task WHEN the level fired (a later reassignment does not move them) and level, in ladder order."""
    rows = (
        selectors.escalations_visible_to(user)
        .filter(skipped=False, fired_at__date__gte=start, fired_at__date__lt=end)
        .values("department__name", "level")
        .annotate(n=Count("id"))
    )
    counts = {(r["department__name"], r["level"]): r["n"] for r in rows}
    return [
        {
            "department": name,
            "levels": [counts.get((name, level), 0) for level in LADDER],
            "total": sum(counts.get((name, level), 0) for level in LADDER),
        }
        for name in sorted({name for name, _level in counts})
    ]


def on_time_booked(user, *, start: date, end: date) -> dict[str, dict]:
    """On-time figures per department over [start, end), each late task booked where it was late.

    A task whose 催办 (overdue level) fired is late on the record of the department that held it when it fired,
    in the month it fired — also if it was then reassigned and finished elsewhere (issue 11: the 通报 figures).
    A task finished without such a level is on time or late on the record of the department that finished it.
    Returns {department name: {"accountable": n, "on_time": n, "late": n, "rate": float | None}}.
    """
    figures: dict[str, dict] = {}

    def book(name: str, on_time: bool) -> None:
        row = figures.setdefault(name, {"accountable": 0, "on_time": 0, "late": 0, "rate": None})
        row["accountable"] += 1
        row["on_time" if on_time else "late"] += 1

    fired = selectors.escalations_visible_to(user).filter(level=EscalationLevel.OVERDUE)
    for name in fired.filter(fired_at__date__gte=start, fired_at__date__lt=end).values_list(
        "department__name", flat=True
    ):
        book(name, False)
    escalated = EscalationEvent.objects.filter(level=EscalationLevel.OVERDUE).values("deadline_id")
    done = (
        selectors.tasks_visible_to(user)
        .filter(state=TaskState.DONE, completed_at__date__gte=start, completed_at__date__lt=end)
        .exclude(deadline_id__in=escalated)
        .annotate(on_time=Q(completed_at__date__lte=F("deadline__due_on")))
        .values_list("department__name", "on_time")
    )
    for name, on_time in done:
        book(name, bool(on_time))
    for row in figures.values():
        row["rate"] = row["on_time"] / row["accountable"] if row["accountable"] else None
    return figures


REPORT_COLUMNS = [
    "department",
    "opened",
    "completed",
    "completed_on_time",
    "on_time_rate",
    "late_on_record",
    "open_overdue_at_month_end",
    "remind",
    "overdue",
    "supervise",
]


def monthly_report(user, *, month: date) -> list[dict]:
    """One row per department: work opened and done in the month, timeliness, escalations fired."""
    start, end = month_bounds(month)
    tasks = selectors.tasks_visible_to(user).order_by()
    counts = tasks.values("department__name").annotate(
        opened=Count("id", filter=Q(created_at__date__gte=start, created_at__date__lt=end)),
        completed=Count("id", filter=Q(completed_at__date__gte=start, completed_at__date__lt=end)),
        completed_on_time=Count(
            "id",
            filter=Q(
                completed_at__date__gte=start,
                completed_at__date__lt=end,
                completed_at__date__lte=F("deadline__due_on"),
            ),
        ),
        # The one definition of overdue (selectors.task_overdue_q), on the month's last day: a clock paused
        # for 补正 then is on time here as on the board.
        open_overdue_at_month_end=Count("id", filter=selectors.task_overdue_q(end - timedelta(days=1))),
    )
    # Escalations and lateness on the record of the department that held the task when its level fired.
    levels: dict[tuple[str, str], int] = {
        (row["department"], level): n
        for row in escalations_by_department_and_level(user, start=start, end=end)
        for level, n in zip(LADDER, row["levels"], strict=True)
    }
    booked = on_time_booked(user, start=start, end=end)
    names = {row["department__name"]: row for row in counts}
    empty = {"opened": 0, "completed": 0, "completed_on_time": 0, "open_overdue_at_month_end": 0}
    rows = []
    for name in sorted(set(names) | set(booked) | {n for n, _level in levels}):
        row = names.get(name, empty)
        rate = booked.get(name, {}).get("rate")
        rows.append(
            {
                "department": name,
                "opened": row["opened"],
                "completed": row["completed"],
                "completed_on_time": row["completed_on_time"],
                "on_time_rate": round(rate, 3) if rate is not None else "",
                "late_on_record": booked.get(name, {}).get("late", 0),
                "open_overdue_at_month_end": row["open_overdue_at_month_end"],
                "remind": levels.get((name, "remind"), 0) + levels.get((name, "remind_before_due"), 0),
                "overdue": levels.get((name, "overdue"), 0),
                "supervise": levels.get((name, "supervise"), 0),
            }
        )
    return rows
