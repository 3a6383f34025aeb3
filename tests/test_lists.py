"""Issue 13: lists that stay fast at any size, and the department queue read from one index.

- keyset pages (casework/keyset.py) walk every row exactly once, forwards and back, for every sort offered,
  on PostgreSQL and SQLite; a cursor from another list is refused;
- the API lists keep their JSON-array body and give the way on in a `Link` header;
- the copy of a task's due date on its row (`CaseTask.due_on`, the queue's index) equals the deadline's after
  every kind of change — a property over random sequences of operations;
- on PostgreSQL the queue is served by the partial index `casetask_queue` in order (EXPLAIN);
- a case-list page and a queue page cost the same number of queries for 5 rows as for 50;
- the directly built case and task representations equal DRF's generic ones.
"""

import random
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import selectors
from casework.api.cases import CaseOutSerializer
from casework.api.tasks import TaskOutSerializer
from casework.exceptions import Conflict
from casework.keyset import InvalidCursor, encode_cursor, keyset_page
from casework.models import Case, CaseTask, Department, TaskState, User
from casework.services.assignment import task_reassign
from casework.services.tasks import task_claim, task_complete, task_extend, task_unclaim

from .test_query_counts import add_record_and_file
from .web_world import add_supervisor, pdf, second_market_regulator
from .world import build_world

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL plans (EXPLAIN) and row counts"
)

MONDAY = "2026-11-23 10:00 +0800"


def filed_world(admin_api, cases: int):
    world = build_world(admin_api)
    for n in range(1, cases + 1):
        add_record_and_file(world, n)
    return world


def web_client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def walk(queryset, ordering, size):
    """Every page forwards, then every page back from the last; returns (forwards, backwards) row ids."""
    forwards, cursor, pages = [], None, []
    while True:
        page = keyset_page(queryset, ordering, cursor=cursor, size=size)
        pages.append(page)
        forwards += [row.pk for row in page]
        if not page.has_next:
            break
        cursor = page.next_cursor
    backwards, page = [], pages[-1]
    backwards = [row.pk for row in page]
    while page.has_previous:
        page = keyset_page(queryset, ordering, cursor=page.previous_cursor, size=size)
        backwards = [row.pk for row in page] + backwards
    return forwards, backwards


CASE_ORDERINGS = [
    ("-filed_at", "-id"),
    ("filed_at", "id"),
    ("number", "id"),
    ("-number", "-id"),
    ("kind", "-filed_at", "id"),  # mixed directions
    ("subject__name", "-id"),  # a related field
]


@pytest.mark.parametrize("ordering", CASE_ORDERINGS)
@pytest.mark.parametrize("size", [1, 2, 5])
def test_keyset_pages_walk_every_row_once_both_ways(admin_api, ordering, size):
    """Rule: a keyset page is "the rows after this one"; together the pages are the ordered list, once each.
    Cases filed in the same instant (ties on the first key) are where a naive cursor skips or repeats."""
    with time_machine.travel(MONDAY, tick=False):  # every case filed at the same instant: all ties
        filed_world(admin_api, 4)
    cases = Case.objects.all()
    expected = [c.pk for c in cases.order_by(*ordering)]
    forwards, backwards = walk(cases, ordering, size)
    assert forwards == expected
    assert backwards == expected


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        "e30",  # {}
        encode_cursor(("number", "id"), ["YY-2026-000001", 1]),  # another sort's cursor
        encode_cursor(("-filed_at", "-id"), [{"t": "yesterday"}, 1]),
        encode_cursor(("-filed_at", "-id"), [[1, 2], 1]),
        encode_cursor(("-filed_at", "-id"), ["2026-01-01T00:00:00+08:00"]),  # too short
    ],
)
def test_a_cursor_not_made_for_the_list_is_refused(cursor):
    with pytest.raises(InvalidCursor):
        keyset_page(Case.objects.all(), ("-filed_at", "-id"), cursor=cursor, size=5)


def _link(response, rel: str) -> str | None:
    for part in response.headers.get("Link", "").split(","):
        match = re.search(r'<([^>]+)>;\s*rel="(\w+)"', part)
        if match and match.group(2) == rel:
            return match.group(1).replace("http://testserver", "")
    return None


def test_api_case_list_pages_with_link_headers_and_filters(admin_api):
    """GET /api/v1/cases/: a JSON array as before; `Link` leads on and back; kind/state filter; bad input
    is a field-level 400."""
    world = filed_world(admin_api, 5)
    numbers = list(Case.objects.order_by("-filed_at", "-id").values_list("number", flat=True))
    first = world.admin.get("/api/v1/cases/?page_size=2")
    assert first.status_code == 200 and isinstance(first.json(), list)
    assert [c["number"] for c in first.json()] == numbers[:2]
    assert _link(first, "prev") is None
    seen, response = [], first
    while True:
        seen += [c["number"] for c in response.json()]
        url = _link(response, "next")
        if url is None:
            break
        response = world.admin.get(url)
    assert seen == numbers
    back = world.admin.get(_link(response, "prev"))
    assert [c["number"] for c in back.json()] == numbers[2:4]
    assert world.admin.get("/api/v1/cases/?kind=repair").json() == []
    assert len(world.admin.get("/api/v1/cases/?kind=objection&state=filed").json()) == 5
    for query, field in [
        ("?cursor=garbage", "cursor"),
        ("?page_size=0", "page_size"),
        ("?page_size=201", "page_size"),
        ("?page_size=abc", "page_size"),
        ("?page_size=", "page_size"),
        ("?state=nonsense", "state"),
    ]:
        response = world.admin.get(f"/api/v1/cases/{query}")
        assert response.status_code == 400 and field in response.json(), (query, response.content)
    # A task-list cursor is not a case-list cursor.
    tasks = world["credit"].get("/api/v1/tasks/?page_size=1")
    task_cursor = re.search(r"cursor=([^&>]+)", _link(tasks, "next")).group(1)
    assert world.admin.get(f"/api/v1/cases/?cursor={task_cursor}").status_code == 400


@pytest.mark.parametrize(
    "path", ["/api/v1/tasks/", "/api/v1/subjects/", "/api/v1/records/", "/api/v1/deliveries/"]
)
def test_every_api_list_pages_by_cursor(admin_api, path):
    world = filed_world(admin_api, 3)
    client = world["credit"] if path == "/api/v1/tasks/" else world.admin
    everything = client.get(path).json()
    seen, response = [], client.get(f"{path}?page_size=1")
    while True:
        assert response.status_code == 200, response.content
        seen += response.json()
        url = _link(response, "next")
        if url is None:
            break
        response = client.get(url)
    assert seen == everything


# --- the queue's copy of the due date --------------------------------------------------------------------


def assert_queue_copy_is_true():
    """The invariant: every task's `due_on` is its deadline's (the source of truth)."""
    wrong = list(
        CaseTask.objects.exclude(due_on=F("deadline__due_on")).values_list("pk", "due_on", "deadline__due_on")
    )
    assert wrong == []


def _actionable(rng, states=(TaskState.OPEN, TaskState.CLAIMED)):
    tasks = list(
        CaseTask.objects.filter(state__in=states).select_related("case", "department").order_by("pk")
    )
    return rng.choice(tasks) if tasks else None


def _reviewer_of(department: Department) -> User:
    return department.members.filter(role="reviewer").order_by("pk").first()


def _op_claim(rng, world):
    task = _actionable(rng)
    if task:
        task_claim(task=task, user=_reviewer_of(task.department))


def _op_unclaim(rng, world):
    task = _actionable(rng, (TaskState.CLAIMED,))
    if task:
        task_unclaim(task=task, user=task.assignee)


def _op_decide(rng, world):
    task = _actionable(rng)
    if task is None:
        return
    user = task.assignee or _reviewer_of(task.department)
    decision = {"accept": rng.choice(["accept", "request_materials"]), "verify": "upheld"}.get(task.step)
    if decision:
        task_complete(task=task, user=user, decision=decision, note="请补充材料。依法核查，予以维持。")


def _op_supplement(rng, world):
    case = Case.objects.filter(state="awaiting_materials").order_by("pk").first()
    if case:
        response = world["subject"].post(
            f"/api/v1/cases/{case.number}/supplement/", {"materials": [pdf()]}, format="multipart"
        )
        assert response.status_code == 200, response.content


def _op_extend(rng, world):
    task = _actionable(rng)
    if task:
        task_extend(task=task, user=world.head, days=rng.randint(1, 3), reason="调取原始卷宗")


def _op_reassign(rng, world):
    task = _actionable(rng)
    if task and task.department.code in ("xy-market", "xy-market-east"):
        other = "xy-market-east" if task.department.code == "xy-market" else "xy-market"
        target = Department.objects.get(code=other)
        task_reassign(task=task, actor=world.root, reason="督办改派", department=target)


def _op_file(rng, world):
    add_record_and_file(world, rng.randint(100, 10_000))


OPERATIONS = [_op_file, _op_claim, _op_unclaim, _op_decide, _op_supplement, _op_extend, _op_reassign]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_queue_copy_of_the_due_date_follows_every_change(admin_api, seed):
    """Property (issue 13): after any sequence of filing, claiming, handing back, deciding, 补正 and the
    subject's answer (the clock stops and runs again: the due date moves), extensions and reassignment, with
    days passing between them, each task's `due_on` equals its deadline's. Refused operations (409, 400)
    change nothing, the copy included."""
    rng = random.Random(seed)
    day = timezone.make_aware(timezone.datetime(2026, 11, 2, 10))
    with time_machine.travel(day, tick=False) as clock:
        world = build_world(admin_api)
        second_market_regulator()  # xy-market-east, with its reviewer market-east
        world.head = add_supervisor()
        world.root = User.objects.filter(role="admin").order_by("pk").first()
        add_record_and_file(world, 1)
        done = []
        for _ in range(24):
            operation = rng.choice(OPERATIONS)
            try:
                with transaction.atomic():
                    operation(rng, world)
                done.append(operation.__name__)
            except (Conflict, ValidationError):
                done.append(f"{operation.__name__} refused")
            assert_queue_copy_is_true()
            clock.shift(timedelta(days=rng.choice([0, 1, 3])))
    # The sequence really moved due dates (a supplement or an extension), or the property said little.
    assert any(name in done for name in ("_op_supplement", "_op_extend")), done


@on_postgresql
def test_the_queue_is_read_from_its_partial_index_in_order(admin_api):
    """EXPLAIN: the department queue is an index scan of `casetask_queue` that needs no sort and no join
    before the limit (the plan of issue 13 sorted every open task on the deadline's column)."""
    filed_world(admin_api, 3)
    reviewer = User.objects.get(username="credit")
    queue = selectors.task_queue_for(reviewer)[:50]
    assert '"casework_casetask"."due_on" ASC' in str(queue.query)
    with connection.cursor() as cursor, transaction.atomic():
        # Three rows would be read by a sequential scan; forbid it to see whether the index serves the
        # query at all (with a province's rows the planner chooses it by itself, bench/lists.py).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")  # a plan that must sort now costs 10^10
        sql, params = selectors.task_queue_for(reviewer).values("pk")[:50].query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "casetask_queue" in plan, plan
    assert "Sort" not in plan, plan


def test_a_case_list_page_costs_the_same_queries_for_5_and_50_cases(admin_api):
    world = filed_world(admin_api, 5)
    credit = web_client("credit")

    def counts():
        with CaptureQueriesContext(connection) as api:
            assert world.admin.get("/api/v1/cases/").status_code == 200
        with CaptureQueriesContext(connection) as web:
            assert head_client.get("/supervision/cases/").status_code == 200
        with CaptureQueriesContext(connection) as queue_api:
            assert world["credit"].get("/api/v1/tasks/").status_code == 200
        with CaptureQueriesContext(connection) as queue_web:
            assert credit.get("/workspace/").status_code == 200
        return [len(c.captured_queries) for c in (api, web, queue_api, queue_web)]

    head = add_supervisor()
    head_client = web_client(head.username)
    few = counts()
    for n in range(6, 51):
        add_record_and_file(world, n)
    assert Case.objects.count() == 50
    assert counts() == few


def test_direct_representations_equal_drf_generic_ones(admin_api):
    """The case and task representations built directly (issue 13) give exactly DRF's output."""
    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):  # due dates into 2027: provisional
        world = filed_world(admin_api, 2)
        task = CaseTask.objects.order_by("pk").first()
        task_claim(task=task, user=User.objects.get(username="credit"))
        task_complete(
            task=CaseTask.objects.get(pk=task.pk), user=User.objects.get(username="credit"), decision="accept"
        )
    assert world  # built
    cases = selectors.for_case_list(Case.objects.all())
    for case in list(cases) + list(selectors.with_tasks_and_records(Case.objects.all())):
        direct = CaseOutSerializer(case).data
        generic = super(CaseOutSerializer, CaseOutSerializer(case)).to_representation(case)
        assert dict(direct) == dict(generic)
    # The case list reads its tasks as plain rows (selectors.attach_task_rows): the same representations.
    paged = selectors.attach_task_rows(list(selectors.for_case_list(Case.objects.all())))
    assert sum(len(case.page_task_rows) for case in paged) == CaseTask.objects.count()
    for case in paged:
        from_rows = CaseOutSerializer(case).data["tasks"]
        from_models = [dict(TaskOutSerializer(t).data) for t in case.tasks.all()]
        assert [dict(t) for t in from_rows] == from_models
        assert all(list(t) == list(TaskOutSerializer().fields) for t in from_rows)
    tasks = CaseTask.objects.select_related("case", "department", "deadline", "assignee", "flow_task")
    assert {t.state for t in tasks} >= {"done", "open"}
    for task in tasks:
        direct = TaskOutSerializer(task).data
        generic = super(TaskOutSerializer, TaskOutSerializer(task)).to_representation(task)
        assert dict(direct) == dict(generic)


@pytest.mark.parametrize("sort", ["", "due", "-due", "case", "-case", "step", "filed"])
def test_workspace_queue_pages_by_links_for_every_sort(admin_api, monkeypatch, sort):
    """The web queue: "Next"/"Previous" links (cursor) walk every task once in every offered sort; the count
    stops at its cap ("more than"); a cursor of another sort shows the first page, not an error."""
    import web.base

    filed_world(admin_api, 3)
    monkeypatch.setattr(web.base, "PAGE_SIZE", 1)
    monkeypatch.setattr(web.base, "COUNT_CAP", 2)
    credit = web_client("credit")
    url, seen = f"/workspace/?sort={sort}" if sort else "/workspace/", []
    while url:
        response = credit.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "More than 2 tasks" in html or "超过 2 个任务" in html
        seen += re.findall(r'href="/workspace/tasks/([0-9a-f-]{36})/"', html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = "/workspace/" + following.group(1).replace("&amp;", "&") if following else None
    queue = selectors.task_queue_for(User.objects.get(username="credit"))
    assert sorted(seen) == sorted(str(t.public_id) for t in queue) and len(seen) == 3
    other = keyset_page(queue, ("case__number", "id"), cursor=None, size=1).next_cursor
    assert credit.get(f"/workspace/?sort=due&cursor={other}").status_code == 200


@pytest.mark.parametrize("sort", ["", "number", "-number", "filed"])
def test_supervision_case_list_pages_by_links_for_every_sort(admin_api, monkeypatch, sort):
    import web.base

    with time_machine.travel(MONDAY, tick=False):  # filed in the same instant: ties on filed_at
        filed_world(admin_api, 3)
    monkeypatch.setattr(web.base, "PAGE_SIZE", 2)
    head = web_client(add_supervisor().username)
    url, seen = f"/supervision/cases/?sort={sort}" if sort else "/supervision/cases/", []
    while url:
        html = head.get(url).content.decode()
        seen += re.findall(r'href="/supervision/cases/([A-Z]{2}-\d{4}-\d+)/"', html)
        following = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = "/supervision/cases/" + following.group(1).replace("&amp;", "&") if following else None
    assert sorted(seen) == sorted(Case.objects.values_list("number", flat=True)) and len(seen) == 3
