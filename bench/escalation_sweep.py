"""Benchmark: one escalation sweep over many open deadlines of which some are due (issue #4).

The claim under test: a sweep's time grows with the number of deadlines due, not with the number open,
because it reads only the partial index on `next_escalation_on`.

Run on PostgreSQL (a scratch database; it is migrated and filled here):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/escalation_sweep.py --open 1000000 --due 10000 --runs 3

Deadlines are inserted with `generate_series` (seconds for a million); the due ones each belong to a real
task of a real case, so every fired level writes its history and outbox rows exactly as in production.
Between runs the fired levels are undone by SQL so each run sweeps the same work. Prints medians.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("CELERY_BROKER_URL", "memory://localhost/")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import emit  # noqa: E402
from casework.models import Case, Department, Subject, User  # noqa: E402
from casework.rules import active_rule_set  # noqa: E402
from casework.services.escalation import escalation_sweep  # noqa: E402

TASKS_PER_CASE = 100


def seed(open_count: int, due_count: int) -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE casework_escalationevent, casework_historyevent, notifications_outbox, "
            "casework_casetask, casework_deadlinesuspension, casework_deadline, casework_case_records, "
            "casework_case, casework_subject, casework_department, casework_user_departments, "
            "casework_user_subjects, casework_user, casework_casenumbersequence CASCADE"
        )
    office = Department.objects.create(
        code="bench-co", name="信用办", kind="credit_office", level="district", division="350102"
    )
    market = Department.objects.create(
        code="bench-mr", name="市场监管局", kind="market_regulation", level="district", division="350102"
    )
    reviewer = User.objects.create(username="bench-reviewer", role="reviewer")
    reviewer.departments.add(market)
    subject = Subject.objects.create(
        kind="enterprise", code="91350102MA2Y3K4L5X", name="基准公司", division="350102"
    )
    rule_set = active_rule_set()
    cases = [
        Case(
            number=f"YY-2026-{n:06d}",
            kind="objection",
            subject=subject,
            statement="bench",
            commitment_signed_at=timezone.now(),
            receiving_office=office,
            rule_set=rule_set,
            state="verifying",
            filed_by=reviewer,
        )
        for n in range(max(1, -(-due_count // TASKS_PER_CASE)) + 1)
    ]
    Case.objects.bulk_create(cases)
    filler_case, due_cases = cases[0].pk, [c.pk for c in cases[1:]]
    today = timezone.localdate()
    with connection.cursor() as cursor:
        # Open deadlines that are not due: armed for a day far ahead, as most of a province's are.
        cursor.execute(
            """
            INSERT INTO casework_deadline (case_id, purpose, budget_days, extended_days, suspended_days,
                                           started_on, due_on, provisional, next_escalation_on)
            SELECT %s, 'step', 5, 0, 0, %s, %s, false, %s FROM generate_series(1, %s)
            """,
            [
                filler_case,
                today,
                today + timedelta(days=400),
                today + timedelta(days=300),
                open_count - due_count,
            ],
        )
        # Due deadlines: started 12 days ago with 5 working days, so the 催办 level is due today.
        started = today - timedelta(days=12)
        cursor.execute(
            """
            INSERT INTO casework_deadline (case_id, purpose, budget_days, extended_days, suspended_days,
                                           started_on, due_on, provisional, next_escalation_on)
            SELECT (%s::bigint[])[1 + (g - 1) / %s], 'step', 5, 0, 0, %s, %s, false, %s
            FROM generate_series(1, %s) AS g
            RETURNING id
            """,
            [
                due_cases,
                TASKS_PER_CASE,
                started,
                today - timedelta(days=3),
                today - timedelta(days=1),
                due_count,
            ],
        )
        cursor.execute(
            """
            INSERT INTO casework_casetask (public_id, case_id, step, department_id, state, deadline_id,
                                           decision, note, created_at)
            SELECT gen_random_uuid(), d.case_id, 'verify', %s, 'open', d.id, '', '', now()
            FROM casework_deadline d WHERE d.case_id <> %s
            """,
            [market.pk, filler_case],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def reset(today) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM casework_escalationevent")
        cursor.execute("DELETE FROM notifications_outbox")
        cursor.execute("DELETE FROM casework_historyevent WHERE action LIKE 'escalated:%%'")
        cursor.execute(
            "UPDATE casework_deadline SET next_escalation_on = %s WHERE case_id <> (SELECT min(id) FROM casework_case)",
            [today - timedelta(days=1)],
        )
        cursor.execute("VACUUM ANALYZE casework_deadline") if not connection.in_atomic_block else None


def measure(runs: int) -> tuple[float, int]:
    today = timezone.localdate()
    times, fired = [], 0
    for _ in range(runs):
        reset(today)
        began = time.perf_counter()
        fired = escalation_sweep(today=today)
        times.append(time.perf_counter() - began)
    return statistics.median(times), fired


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (DATABASE_URL=postgres://…); SQLite says nothing about a province.")
    began = time.perf_counter()
    seed(args.open, args.due)
    seeded = time.perf_counter() - began
    median, fired = measure(args.runs)
    print(
        f"open={args.open} due={args.due} fired={fired} seed={seeded:.1f}s "
        f"sweep_median={median:.2f}s per_due={median / max(1, args.due) * 1000:.2f}ms runs={args.runs}"
    )
    emit(
        "escalation sweep (median)",
        median,
        "s",
        open=f"{args.open:,}",
        due=f"{args.due:,}",
        per_due=f"{median / max(1, args.due) * 1000:.2f} ms",
    )


if __name__ == "__main__":
    main()
