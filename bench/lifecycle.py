"""Benchmark: full objection lifecycles through the services, by two worker processes (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/lifecycle.py --lifecycles 400 --workers 2

Each lifecycle is what the API does for a clerk, minus HTTP: the subject files an objection on one record with
two sanctions, then every open step is claimed and decided by a reviewer of its department until the case is
closed (accept → … → the provider's decision). Prints lifecycles per second over both workers, the SQL queries
per lifecycle and per transaction (its largest), and the broker messages per lifecycle; the reference is
pgbench's simple-update TPS on the same machine in the same run.
"""

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

import django  # noqa: E402

django.setup()

from datetime import date  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.common import emit  # noqa: E402
from casework import outbox  # noqa: E402
from casework.models import CaseState, CaseTask, CreditRecord, Department, Subject, TaskState, User  # noqa: E402
from casework.services import records as record_services  # noqa: E402
from casework.services import sanctions as sanction_services  # noqa: E402
from casework.services.cases import case_file  # noqa: E402
from casework.services.tasks import task_claim, task_complete  # noqa: E402

# The decision each step gets, in order of preference: the path a founded objection takes.
DECISIONS = ("accept", "forward", "deleted", "corrected", "upheld")
EXTRA = {"corrected": {"correction": "更正后的记录"}}


def seed(lifecycles: int) -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE casework_department, casework_user, casework_subject, casework_creditrecord, "
            "casework_case, casework_historyevent, notifications_outbox, casework_casenumbersequence CASCADE"
        )
    departments = {}
    for code, name, kind, level, division, parent in [
        ("b-province", "福建省信用办", "credit_office", "province", "350000", None),
        ("b-city", "福州市信用办", "credit_office", "city", "350100", "b-province"),
        ("b-credit", "鼓楼区信用办", "credit_office", "district", "350102", "b-city"),
        ("b-market", "鼓楼区市场监管局", "market_regulation", "district", "350102", None),
        ("b-tax", "鼓楼区税务局", "tax", "district", "350102", None),
        ("b-finance", "鼓楼区财政局", "other", "district", "350102", None),
    ]:
        departments[code] = Department.objects.create(
            code=code, name=name, kind=kind, level=level, division=division, parent=departments.get(parent)
        )
    admin = User.objects.create(username="b-admin", role="admin", is_superuser=True)
    for code, department in departments.items():
        for n in range(3):  # a realistic department: several reviewers hear each message
            user = User.objects.create(username=f"{code}-{n}", role="reviewer")
            user.departments.add(department)
    subject = Subject.objects.create(
        kind="enterprise", code="91350102MA2Y3K4L5X", name="基准公司", division="350102"
    )
    filer = User.objects.create(username="b-subject", role="subject")
    filer.subjects.add(subject)
    for n in range(lifecycles):
        record = record_services.record_create(
            subject=subject,
            kind="admin_penalty",
            severity="general",
            provider=departments["b-market"],
            decided_on=date(2026, 3, 2),
            summary=f"基准处罚 {n}",
            actor=admin,
        )
        for measure, implementer in [("限制参与政府采购", "b-finance"), ("限制享受税收优惠", "b-tax")]:
            sanction_services.sanction_create(
                record=record, measure=measure, implementer=departments[implementer], actor=admin
            )


def lifecycle(record: CreditRecord, filer: User, reviewers: dict[int, User]) -> list[int]:
    """One objection from filing to closing; the SQL queries of each transaction."""
    queries: list[int] = []
    reset_queries()  # the query log keeps 9,000 entries: past that, every capture counts zero
    with CaptureQueriesContext(connection) as captured:
        case = case_file(
            actor=filer,
            subject=record.subject,
            kind="objection",
            records=[record],
            statement="记录有误",
            commitment_signed=True,
        )
    queries.append(len(captured.captured_queries))
    while True:
        task = CaseTask.objects.filter(case=case, state__in=[TaskState.OPEN, TaskState.CLAIMED]).first()
        if task is None:
            break
        user = reviewers[task.department_id]
        with CaptureQueriesContext(connection) as captured:
            task = task_claim(task=task, user=user)
        queries.append(len(captured.captured_queries))
        offered = task.flow_task.flow_task.decisions
        decision = next(name for name in DECISIONS if name in offered)
        with CaptureQueriesContext(connection) as captured:
            task_complete(task=task, user=user, decision=decision, note="基准", data=EXTRA.get(decision, {}))
        queries.append(len(captured.captured_queries))
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED, case.state
    return queries


def worker(record_ids: list[int], results) -> None:
    connections.close_all()  # a connection of its own, not the parent's
    filer = User.objects.get(username="b-subject")
    reviewers = {
        u.departments.get().pk: u for u in User.objects.filter(role="reviewer", username__endswith="-0")
    }
    sent = []
    outbox._dispatch = lambda ids: sent.append(1)  # count broker messages (one per transaction), send none
    per_lifecycle, largest, started = [], 0, time.perf_counter()
    for record in CreditRecord.objects.filter(pk__in=record_ids).select_related("subject").order_by("id"):
        queries = lifecycle(record, filer, reviewers)
        per_lifecycle.append(sum(queries))
        largest = max(largest, *queries)
    results.put((time.perf_counter() - started, len(record_ids), per_lifecycle, largest, len(sent)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lifecycles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    seed(args.lifecycles)
    ids = list(CreditRecord.objects.order_by("id").values_list("id", flat=True))
    connections.close_all()
    results = multiprocessing.get_context("fork").Queue()
    started = time.perf_counter()
    procs = [
        multiprocessing.get_context("fork").Process(target=worker, args=(ids[n :: args.workers], results))
        for n in range(args.workers)
    ]
    for proc in procs:
        proc.start()
    done = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - started
    count = sum(d[1] for d in done)
    queries = [q for d in done for q in d[2]]
    messages = sum(d[4] for d in done)
    from bench.run import pgbench_tps

    tps = pgbench_tps(os.environ["DATABASE_URL"], seconds=5)
    emit(
        "objection lifecycles (file → decide every step → closed), services, 2 workers",
        count / elapsed,
        "/s",
        reference=tps,
        reference_name="pgbench simple-update TPS",
        lifecycles=count,
        workers=args.workers,
        queries_per_lifecycle_median=statistics.median(queries),
        largest_transaction_queries=max(d[3] for d in done),
        broker_messages_per_lifecycle=round(messages / count, 2),
    )


if __name__ == "__main__":
    main()
