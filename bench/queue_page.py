"""Benchmark: the reviewer's queue page with 100k open tasks in the database (issue #5).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/queue_page.py --tasks 100000 --requests 20

Seeds N open tasks of one department (spread over cases of 100 tasks, due dates spread over a year) with
`generate_series`, then requests the workspace queue — plain, filtered to overdue, sorted latest-due-first and
searched by case number — through Django's test client signed in as a reviewer. Prints the median time and the
SQL queries of each page (the query count is also held constant by tests/test_web_workspace.py).
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import column_defaults_in_database, emit  # noqa: E402
from casework.models import Case, Department, Subject, User  # noqa: E402
from casework.rules import active_rule_set  # noqa: E402

TASKS_PER_CASE = 100


def seed(tasks: int) -> User:
    call_command("migrate", verbosity=0)
    column_defaults_in_database()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE casework_escalationevent, casework_historyevent, notifications_outbox, casework_casetask, "
            "casework_deadlinesuspension, casework_deadline, casework_case_records, casework_case, "
            "casework_subject, casework_department, casework_user_departments, casework_user_subjects, "
            "casework_user, casework_casenumbersequence CASCADE"
        )
    office = Department.objects.create(
        code="bench-co", name="信用办", kind="credit_office", level="district", division="350102"
    )
    reviewer = User.objects.create(username="bench-reviewer", role="reviewer")
    reviewer.set_password("bench-password-1")
    reviewer.save()
    reviewer.departments.add(office)
    subject = Subject.objects.create(
        kind="enterprise", code="91350102MA2Y3K4L5X", name="基准公司", division="350102"
    )
    rule_set, now = active_rule_set(), timezone.now()
    Case.objects.bulk_create(
        Case(
            number=f"YY-2026-{n:06d}", kind="objection", subject=subject, statement="bench",
            commitment_signed_at=now, receiving_office=office, rule_set=rule_set, filed_by=reviewer,
        )
        for n in range(1, tasks // TASKS_PER_CASE + 2)
    )  # fmt: skip
    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH cases AS (SELECT array_agg(id ORDER BY id) AS ids FROM casework_case),
            deadlines AS (
                INSERT INTO casework_deadline (case_id, purpose, budget_days, extended_days, suspended_days,
                                               started_on, due_on, provisional, calendar_days, next_escalation_provisional)
                SELECT cases.ids[1 + (g - 1) / %s], 'step', 2, 0, 0, %s, %s + (g %% 365) - 60, false, false, false
                FROM generate_series(1, %s) AS g, cases
                RETURNING id, case_id, due_on
            )
            INSERT INTO casework_casetask (public_id, case_id, step, department_id, state, deadline_id,
                                           due_on, decision, note, created_at)
            SELECT gen_random_uuid(), case_id, 'accept', %s, 'open', id, due_on, '', '', now() FROM deadlines
            """,
            [TASKS_PER_CASE, today - timedelta(days=60), today, tasks, office.pk],
        )
        cursor.execute("ANALYZE")
    return reviewer


def measure(client: Client, url: str, requests: int) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (DATABASE_URL=postgres://…).")
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    seed(args.tasks)
    client = Client()
    assert client.login(username="bench-reviewer", password="bench-password-1")
    # Reference, same run: a small list every role may read (no queue, no join).
    reference, _ = measure(client, "/api/v1/departments/", args.requests)
    for label, url in [
        ("queue", "/workspace/"),
        ("overdue", "/workspace/?overdue=true"),
        ("latest due", "/workspace/?sort=-due"),
        ("search", "/workspace/?q=YY-2026-000500"),
        ("page 50", "/workspace/?page=50"),
    ]:
        median, queries = measure(client, url, args.requests)
        print(f"tasks={args.tasks} page={label!r} median={median * 1000:.0f}ms queries={queries}")
        emit(
            f"queue page: {label} (median)",
            median * 1000,
            "ms",
            reference=reference * 1000,
            reference_name="GET /api/v1/departments/",
            tasks=f"{args.tasks:,}",
            queries=queries,
        )


if __name__ == "__main__":
    main()
