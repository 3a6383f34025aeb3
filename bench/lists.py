"""Benchmark: the case list and the department queue at a province's size (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/lists.py --cases 1000000 --requests 30

Seeds N cases (2.7 tasks each, every task with its deadline and its viewflow task; 1 case in 20 still open,
its last task open; one market-regulation department holds 16k open tasks per 1M cases) with set-based
`INSERT … SELECT generate_series` inside PostgreSQL — the same speed as COPY, without shipping rows through
Python — then measures, in the same run:

- `GET /api/v1/cases/` first page (50 cases) for an administrator, a supervisor (a city: half the province),
  a credit-office reviewer and a market reviewer, plain and with each filter the case lists offer (kind,
  state); the reference is `GET /api/v1/departments/`;
- the department queue, as the selector behind the workspace and `GET /api/v1/tasks/` reads it (first 50
  tasks of the market department, 16k open), beside viewflow's stock `Task.objects.queue` (first 50) and the
  queue as it was read before issue 13 (sorted on the deadline's column, joined before the limit);
- the whole workspace page and `GET /api/v1/tasks/?page_size=50`, for the record.

Prints medians and p95 (milliseconds); `bench/run.py` collects the RESULT lines.
"""

import argparse
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from tqdm import tqdm  # noqa: E402

from bench.common import column_defaults_in_database, emit  # noqa: E402
from casework import selectors  # noqa: E402
from casework.models import ACTIONABLE_TASK_STATES, Case, CaseTask, Department, User  # noqa: E402
from casework.rules import active_rule_set  # noqa: E402

DISTRICTS = 20
PASSWORD = "bench-password-1"
OBJECTION_FLOW = "flows/objection.ObjectionFlow"


def _users() -> dict[str, User]:
    users = {}
    for name, role, departments, superuser in [
        ("admin", "admin", [], True),
        ("supervisor", "supervisor", ["city-co-3501"], False),
        ("co-reviewer", "reviewer", ["co-01"], False),
        ("market-reviewer", "reviewer", ["mk-01"], False),
    ]:
        user = User.objects.create(username=f"bench-{name}", role=role, is_superuser=superuser)
        user.set_password(PASSWORD)
        user.save()
        user.departments.set(Department.objects.filter(code__in=departments))
        users[name] = user
    return users


def _district_division(d: int) -> str:
    return f"35{'01' if d <= DISTRICTS // 2 else '02'}{d:02d}"


def seed(cases: int) -> dict[str, User]:
    call_command("migrate", verbosity=0)
    column_defaults_in_database()
    rule_set = active_rule_set()
    steps = [
        "Departments and users",
        "Subjects",
        "Cases",
        "Deadlines",
        "Processes",
        "viewflow tasks",
        "Case tasks",
        "ANALYZE",
    ]
    bar = tqdm(total=len(steps), desc="seed", unit="step", file=sys.stderr)
    Department.objects.create(code="city-co-3501", name="市信用办", kind="credit_office", level="city",
                              division="350100")  # fmt: skip
    for d in range(1, DISTRICTS + 1):
        division = _district_division(d)
        Department.objects.create(code=f"co-{d:02d}", name=f"区信用办{d}", kind="credit_office",
                                  level="district", division=division)  # fmt: skip
        Department.objects.create(code=f"mk-{d:02d}", name=f"区市场监管局{d}", kind="market_regulation",
                                  level="district", division=division)  # fmt: skip
    users = _users()
    offices = {d.code: d.pk for d in Department.objects.all()}
    co = [offices[f"co-{d:02d}"] for d in range(1, DISTRICTS + 1)]
    mk = [offices[f"mk-{d:02d}"] for d in range(1, DISTRICTS + 1)]
    bar.update()
    subjects = max(1, cases // 10)
    params = {
        "n": cases,
        "s": subjects,
        "co": co,
        "mk": mk,
        "big": offices["mk-01"],
        "admin": users["admin"].pk,
        "rule_set": rule_set.pk,
        "districts": DISTRICTS,
        "flow": OBJECTION_FLOW,
    }
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # the settings cap statements for web requests

        def run(sql: str) -> None:
            cursor.execute(sql, params)
            bar.update()

        # Subject i lives in district 1 + i % 20; its case's office is that district's credit office.
        run(
            """
            INSERT INTO casework_subject (id, public_id, kind, code, name, division, created_at, operating_status)
            SELECT i, gen_random_uuid(), 'enterprise', '91' || lpad(i::text, 16, '0'), '基准企业' || i,
                   '35' || CASE WHEN (i %% %(districts)s) < %(districts)s / 2 THEN '01' ELSE '02' END
                        || lpad((1 + i %% %(districts)s)::text, 2, '0'),
                   now(), 'operating'
            FROM generate_series(1, %(s)s) AS i
            """
        )
        # Case g: subject 1 + g % s; kinds in turn within every district (g / 20); one in 20 still open (verifying), filed 30 s apart.
        run(
            """
            INSERT INTO casework_case (id, number, kind, statement, commitment_signed_at, state, outcome,
                decision_reason, materials_requested, filed_at, closed_at, filed_by_id, receiving_office_id,
                rule_set_id, subject_id, by_administrator, deletion_ground, publicity_provisional)
            SELECT g, 'YY-2026-' || lpad(g::text, 7, '0'),
                   (ARRAY['objection', 'repair', 'list_exit', 'bankruptcy_repair'])[1 + (g / 20) %% 4],
                   'bench', now(), CASE WHEN g %% 20 = 0 THEN 'verifying' ELSE 'closed' END,
                   CASE WHEN g %% 20 = 0 THEN '' ELSE 'upheld' END, '', '',
                   now() - (%(n)s - g) * interval '30 seconds',
                   CASE WHEN g %% 20 = 0 THEN NULL ELSE now() END,
                   %(admin)s, (%(co)s::bigint[])[1 + ((1 + g %% %(s)s) %% %(districts)s)], %(rule_set)s,
                   1 + g %% %(s)s, false, '', false
            FROM generate_series(1, %(n)s) AS g
            """
        )
        # Tasks: 3 for 7 cases in 10, else 2 (2.7 a case); task k of case g gets id = row number.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_task AS
            SELECT row_number() OVER (ORDER BY g, j) AS id, g AS case_id, j,
                   (j = k AND g %% 20 = 0) AS open, k, c.filed_at, c.receiving_office_id,
                   1 + ((1 + g %% %(s)s) %% %(districts)s) AS district
            FROM generate_series(1, %(n)s) AS g
            JOIN casework_case c ON c.id = g
            CROSS JOIN LATERAL (SELECT CASE WHEN g %% 10 < 7 THEN 3 ELSE 2 END AS k) kk
            CROSS JOIN LATERAL generate_series(1, kk.k) AS j
            """,
            params,
        )
        run(
            """
            INSERT INTO casework_deadline (id, case_id, purpose, budget_days, extended_days, suspended_days,
                started_on, due_on, provisional, met_at, next_escalation_provisional, calendar_days)
            SELECT id, case_id, 'step', 15, 0, 0, filed_at::date, filed_at::date + 21 + (id %% 40)::int,
                   false, CASE WHEN open THEN NULL ELSE filed_at END, false, false
            FROM bench_task
            """
        )
        run(
            """
            INSERT INTO viewflow_process (id, flow_class, status, created, finished, data)
            SELECT id, %(flow)s, CASE WHEN id %% 20 = 0 THEN 'NEW' ELSE 'DONE' END, filed_at,
                   CASE WHEN id %% 20 = 0 THEN NULL ELSE filed_at END, '{}'
            FROM casework_case;
            INSERT INTO flows_caseprocess (process_ptr_id, case_id) SELECT id, id FROM casework_case
            """
        )
        run(
            """
            INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, finished, token,
                                       process_id, data)
            SELECT id, %(flow)s || CASE WHEN j = 1 THEN '.accept' ELSE '.verify' END, 'HUMAN',
                   CASE WHEN open THEN 'NEW' ELSE 'DONE' END, filed_at + j * interval '1 hour',
                   CASE WHEN open THEN NULL ELSE filed_at END, 'start', case_id, '{}'
            FROM bench_task
            """
        )
        # An open last task: 8 in 25 of them at the market department mk-01 (16k per 1M cases).
        run(
            """
            INSERT INTO casework_casetask (id, public_id, case_id, flow_task_id, step, department_id, state,
                                           deadline_id, due_on, decision, note, created_at, completed_at)
            SELECT t.id, gen_random_uuid(), t.case_id, t.id,
                   CASE WHEN t.j = 1 THEN 'accept' ELSE 'verify' END,
                   CASE WHEN t.open AND (t.case_id / 20) %% 25 < 8 THEN %(big)s
                        WHEN t.j = 1 THEN t.receiving_office_id
                        ELSE (%(mk)s::bigint[])[t.district] END,
                   CASE WHEN t.open THEN 'open' ELSE 'done' END,
                   t.id, t.filed_at::date + 21 + (t.id %% 40)::int,
                   CASE WHEN t.open THEN '' ELSE 'accept' END, '',
                   t.filed_at + t.j * interval '1 hour', CASE WHEN t.open THEN NULL ELSE t.filed_at END
            FROM bench_task t
            """
        )
        for table in ("casework_subject", "casework_case", "casework_deadline", "casework_casetask",
                      "viewflow_process", "viewflow_task"):  # fmt: skip
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cursor.execute("DROP TABLE bench_task")
        run("VACUUM ANALYZE")
    bar.close()
    return users


def timed(fn, requests: int) -> tuple[float, float]:
    fn()  # warm: the first request pays for imports and caches
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def get(client: Client, url: str):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="measure the data already seeded")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this on PostgreSQL (DATABASE_URL=postgres://…).")
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    began = time.perf_counter()
    if args.reuse:
        users = {
            u.username.removeprefix("bench-"): u for u in User.objects.filter(username__startswith="bench-")
        }
    else:
        users = seed(args.cases)
    seeded = time.perf_counter() - began
    cases = Case.objects.count() if args.reuse else args.cases
    open_big = CaseTask.objects.filter(department__code="mk-01", state__in=ACTIONABLE_TASK_STATES).count()
    tasks = CaseTask.objects.count()
    print(f"cases={cases:,} tasks={tasks:,} open at mk-01={open_big:,} seeded in {seeded:.0f}s", flush=True)
    scale = {"cases": f"{cases:,}", "tasks": f"{tasks:,}"}
    n = args.requests

    admin = client_for(users["admin"])
    reference, _ = timed(get(admin, "/api/v1/departments/"), n)
    ref = {"reference": reference, "reference_name": "GET /api/v1/departments/"}
    for who in ("admin", "supervisor", "co-reviewer", "market-reviewer"):
        client = client_for(users[who])
        for label, query in [
            ("", ""),
            ("kind", "?kind=repair"),
            ("state open", "?state=verifying"),
            ("state closed", "?state=closed"),
            ("kind+state", "?kind=objection&state=verifying"),
        ]:
            p50, p95 = timed(get(client, f"/api/v1/cases/{query}"), n)
            name = f"GET /api/v1/cases/ {who}{' ' + label if label else ''} (p50)"
            print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
            emit(name, p50, "ms", **ref, p95=f"{p95:.1f} ms", **scale)

    # The department queue: the selector as the workspace and GET /tasks/ read it, the first 50.
    reviewer = users["market-reviewer"]
    from viewflow.workflow.models import Task

    from flows.bankruptcy import BankruptcyRepairFlow
    from flows.list_exit import ExitObjectionFlow, ListExitFlow
    from flows.objection import ObjectionFlow
    from flows.repair import RepairFlow

    flows = [ObjectionFlow, RepairFlow, ListExitFlow, ExitObjectionFlow, BankruptcyRepairFlow]
    stock_rows = len(list(Task.objects.queue(flows, users["admin"])[:50]))
    # The reference really reads tasks: a full page once the province has 50 open ones.
    assert stock_rows == min(50, CaseTask.objects.filter(state__in=ACTIONABLE_TASK_STATES).count()), (
        stock_rows
    )
    stock, stock95 = timed(lambda: list(Task.objects.queue(flows, users["admin"])[:50]), n)

    def before():
        return list(
            CaseTask.objects.filter(
                department__in=reviewer.departments.all(), state__in=ACTIONABLE_TASK_STATES
            )
            .select_related("case", "department", "deadline", "assignee")
            .order_by("deadline__due_on", "created_at", "id")[:50]
        )

    old, old95 = timed(before, max(5, n // 3))
    p50, p95 = timed(lambda: list(selectors.task_queue_for(reviewer)[:50]), n)
    print(f"queue selector: p50 {p50:.1f} p95 {p95:.1f}; viewflow stock p50 {stock:.1f} p95 {stock95:.1f}; "
          f"before issue 13 p50 {old:.1f} p95 {old95:.1f}", flush=True)  # fmt: skip
    emit("department queue selector, 16k open (p95)", p95, "ms", reference=stock95,
         reference_name="viewflow Task.objects.queue, p95", p50=f"{p50:.1f} ms", before_p50=f"{old:.0f} ms",
         before_p95=f"{old95:.0f} ms", open_tasks=f"{open_big:,}", **scale)  # fmt: skip
    # Like for like with the stock queue, which returns bare task rows: the same selector without the case,
    # department, deadline and assignee that the workspace and the API then show beside each task.
    rows50, rows95 = timed(lambda: list(selectors.task_queue_for(reviewer).select_related(None)[:50]), n)
    print(f"queue selector, task rows only: p50 {rows50:.1f} p95 {rows95:.1f}", flush=True)
    emit("department queue, task rows like the stock queue's, 16k open (p95)", rows95, "ms", reference=stock95,
         reference_name="viewflow Task.objects.queue, p95", p50=f"{rows50:.1f} ms", **scale)  # fmt: skip
    market = client_for(reviewer)
    for name, url in [
        ("workspace queue page", "/workspace/"),
        ("GET /api/v1/tasks/", "/api/v1/tasks/?page_size=50"),
    ]:
        p50, p95 = timed(get(market, url), n)
        print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms", flush=True)
        emit(f"{name}, 16k open (p50)", p50, "ms", **ref, p95=f"{p95:.1f} ms", **scale)
    # A later page: the cursor of page 1 leads to page 2 at the same cost (no OFFSET).
    # (a small seed may hold a single page of 50; pages of 5 then still show the cursor at work)
    size = 50 if open_big > 50 else 5
    link = market.get(f"/api/v1/tasks/?page_size={size}")["Link"]
    second = link.split(";")[0].strip("<>").replace("http://testserver", "")
    p50, p95 = timed(get(market, second), n)
    emit("GET /api/v1/tasks/ page 2, 16k open (p50)", p50, "ms", **ref, p95=f"{p95:.1f} ms", **scale)
    explain = (
        CaseTask.objects.filter(Q(department=reviewer.departments.get()), state__in=ACTIONABLE_TASK_STATES)
        .order_by(*selectors.QUEUE_ORDER)[:50]
        .explain()
    )
    print(explain, flush=True)


if __name__ == "__main__":
    main()
