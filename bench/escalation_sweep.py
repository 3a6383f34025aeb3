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
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
# As in production: with DEBUG on, Django keeps (and renders) every query's SQL, arrays of 80,000 ids included.
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import emit  # noqa: E402
from casework.models import Case, Department, Subject, User  # noqa: E402
from casework.rules import active_rule_set  # noqa: E402
from casework.services.escalation import escalation_sweep  # noqa: E402
from notifications.models import Outbox  # noqa: E402

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
    # Realistic recipients: the department's reviewers (the tasks have no assignee) and its head hear the 催办,
    # each by in-app message and e-mail (8 outbox rows per level); the credit office's supervisor hears 督办.
    reviewer = None
    for n, role in enumerate(["reviewer", "reviewer", "reviewer", "supervisor"]):
        user = User.objects.create(username=f"bench-{role}-{n}", role=role, email=f"bench{n}@example.cn")
        user.departments.add(market)
        reviewer = reviewer or user
    officer = User.objects.create(username="bench-officer", role="supervisor", email="officer@example.cn")
    officer.departments.add(office)
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
                                           started_on, due_on, provisional, next_escalation_on,
                                           next_escalation_provisional)
            SELECT %s, 'step', 5, 0, 0, %s, %s, false, %s, false FROM generate_series(1, %s)
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
                                           started_on, due_on, provisional, next_escalation_on,
                                           next_escalation_provisional)
            SELECT (%s::bigint[])[1 + (g - 1) / %s], 'step', 5, 0, 0, %s, %s, false, %s, false
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


def prototype(today) -> None:
    """The reference: a minimal set-based sweep in plain SQL writing the same rows (three escalation rows, a
    history event with a sha256 hash after its stream's head, eight outbox rows per due deadline) and
    re-arming the deadlines, in one transaction that is rolled back. No ladder, no events, no Python per
    row: what the database alone needs for this much work on this machine, in this run."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(
            """
            CREATE TEMP TABLE due ON COMMIT DROP AS
            SELECT d.id, d.case_id, d.due_on, t.id AS task_id, t.public_id, t.department_id, c.number
            FROM casework_deadline d JOIN casework_casetask t ON t.deadline_id = d.id
            JOIN casework_case c ON c.id = d.case_id
            WHERE d.next_escalation_on <= %s
            """,
            [today],
        )
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM casework_case WHERE id IN (SELECT case_id FROM due) "
            "FOR UPDATE SKIP LOCKED) c"
        )
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM casework_deadline WHERE id IN (SELECT id FROM due) "
            "FOR UPDATE) d"
        )
        cursor.execute(
            """
            INSERT INTO casework_escalationevent (deadline_id, level, due_on, fired_at, department_id, skipped,
                                                  provisional)
            SELECT due.id, l.level, due.due_on, now(), due.department_id, l.level <> 'overdue', false
            FROM due CROSS JOIN unnest(ARRAY['remind', 'remind_before_due', 'overdue']) AS l(level)
            """
        )
        cursor.execute(
            """
            INSERT INTO casework_historyevent (stream, seq, case_id, at, actor_id, actor_label, action,
                from_state, to_state, note, data, rule_set_version, prev_hash, hash)
            SELECT s.stream, coalesce(h.seq, 0) + 1, due.case_id, now(), NULL, 'system', 'escalated:overdue',
                   'open', 'open', '催办', jsonb_build_object('level', 'overdue', 'due_on', due.due_on),
                   'bench', coalesce(h.hash, repeat('0', 64)),
                   encode(sha256(convert_to(s.stream || coalesce(h.hash, '') || due.id, 'UTF8')), 'hex')
            FROM due CROSS JOIN LATERAL (SELECT 'casetask:' || due.public_id AS stream) s
            LEFT JOIN LATERAL (SELECT seq, hash FROM casework_historyevent e WHERE e.stream = s.stream
                               ORDER BY seq DESC LIMIT 1) h ON true
            """
        )
        cursor.execute(
            """
            INSERT INTO notifications_outbox (public_id, event, channel, recipient_id, case_id, context,
                dedupe_key, state, created_at, attempts, next_attempt_at, last_error)
            SELECT gen_random_uuid(), 'task_overdue', ch.channel, u.id, due.case_id,
                   jsonb_build_object('number', due.number, 'step', 'verify', 'due_on', due.due_on),
                   '', 'pending', now(), 0, now(), ''
            FROM due JOIN casework_user_departments ud ON ud.department_id = due.department_id
            JOIN casework_user u ON u.id = ud.user_id
            CROSS JOIN unnest(ARRAY['inapp', 'email']) AS ch(channel)
            """
        )
        cursor.execute(
            "UPDATE casework_deadline d SET next_escalation_on = d.due_on + 7 FROM due WHERE d.id = due.id"
        )
        cursor.execute("ROLLBACK")


def timed(call) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def measure(runs: int) -> tuple[float, float, int]:
    """Medians of the sweep and of the prototype, interleaved run by run (the machine is shared)."""
    today = timezone.localdate()
    times, references, fired = [], [], 0
    for _ in range(runs):
        reset(today)
        references.append(timed(lambda: prototype(today)))
        began = time.perf_counter()
        fired = escalation_sweep(today=today)
        times.append(time.perf_counter() - began)
    return statistics.median(times), statistics.median(references), fired


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
    median, reference, fired = measure(args.runs)
    outbox_rows = Outbox.objects.count()
    print(
        f"open={args.open} due={args.due} fired={fired} seed={seeded:.1f}s "
        f"sweep_median={median:.2f}s per_due={median / max(1, args.due) * 1000:.2f}ms runs={args.runs} "
        f"prototype_median={reference:.2f}s outbox_rows={outbox_rows}"
    )
    emit(
        "escalation sweep (median)",
        median,
        "s",
        reference=reference,
        reference_name="set-based SQL prototype, same rows",
        open=f"{args.open:,}",
        outbox=f"{outbox_rows:,}",
        due=f"{args.due:,}",
        per_due=f"{median / max(1, args.due) * 1000:.2f} ms",
    )


if __name__ == "__main__":
    main()
