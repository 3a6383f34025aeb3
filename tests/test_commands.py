"""The management commands of the DESIGN contract: add_user, verify_history, demo."""

import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.management import demo_data
from casework.management.demo.runner import scenario_applies
from casework.management.history_check import ALTERED, BROKEN_LINK, MISSING, history_verify
from casework.models import (
    Case,
    CaseTask,
    CreditRecord,
    Deadline,
    Department,
    HistoryEvent,
    Sanction,
    Subject,
    TaskState,
    User,
)
from casework.services.registry import department_create, subject_create
from notifications.models import Outbox

from .conftest import credit_code

pytestmark = pytest.mark.django_db

HISTORY_TABLE = HistoryEvent._meta.db_table  # casework_historyevent


@pytest.fixture(autouse=True)
def _english():
    # Assertions read the English messages; the deployment default is zh-hans.
    with translation.override("en"):
        yield


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def run_demo() -> str:
    # pytest runs with DEBUG off, which the demo takes for a production database unless told otherwise.
    return run("demo", allow_production=True)


@pytest.fixture
def credit_office(db):
    return department_create(
        code="gl-credit", name="鼓楼区信用办", kind="credit_office", level="district", division="350102"
    )


def counts() -> dict[str, int]:
    models = (
        User,
        Token,
        Department,
        Subject,
        CreditRecord,
        Sanction,
        Case,
        CaseTask,
        Deadline,
        HistoryEvent,
    )
    return {model.__name__: model.objects.count() for model in models} | {"Outbox": Outbox.objects.count()}


# -- add_user ---------------------------------------------------------------------------------------------


def test_add_user_prints_the_token_alone_on_the_last_line_and_it_authenticates(credit_office):
    output = run(
        "add_user",
        "wang",
        "--password",
        "a-long-password-1",
        "--role",
        "reviewer",
        "--department",
        "gl-credit",
    )

    token = output.rstrip("\n").splitlines()[-1]
    user = User.objects.get(username="wang")
    assert token == Token.objects.get(user=user).key
    assert user.role == "reviewer" and list(user.departments.all()) == [credit_office]
    assert user.check_password("a-long-password-1")

    client = APIClient()
    assert client.get("/api/v1/tasks/").status_code in (401, 403)
    response = client.get("/api/v1/tasks/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200, response.content
    assert response.json() == []


def test_add_user_for_a_subject_finds_it_by_its_code_as_typed(db):
    code = credit_code()
    subject = subject_create(kind="enterprise", code=code, name="福州示例贸易有限公司")

    output = run(
        "add_user", "rep", "--password", "a-long-password-1", "--role", "subject",
        "--subject", code.lower(), "--email", "rep@example.com",
    )  # fmt: skip

    user = User.objects.get(username="rep")
    assert list(user.subjects.all()) == [subject] and user.email == "rep@example.com"
    assert output.splitlines()[-1] == Token.objects.get(user=user).key


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--role", "boss"], ["--role: Choose one of: subject, reviewer, supervisor, admin."]),
        (
            ["--role", "reviewer", "--department", "gl-credit", "--department", "no-such-office"],
            ["--department: No department has the code “no-such-office”."],
        ),
        (
            ["--role", "reviewer"],
            ["--department: A reviewer or supervisor belongs to at least one department."],
        ),
        (
            ["--role", "subject", "--subject", "91350102MA2Y3K4L5X"],
            ["--subject: No subject has the identifier"],
        ),
        (["--role", "admin", "--email", "not-an-address"], ["--email: Enter a valid email address."]),
    ],
)
def test_add_user_rejects_bad_input_with_a_clear_message_and_saves_nothing(credit_office, args, expected):
    before = counts()
    with pytest.raises(CommandError) as error:
        run("add_user", "wang", "--password", "a-long-password-1", *args)

    message = str(error.value)
    assert message.startswith("User “wang” was not created:")
    for text in expected:
        assert text in message
    assert "Traceback" not in message
    assert counts() == before


def test_add_user_lists_every_field_error_at_once(credit_office):
    with pytest.raises(CommandError) as error:
        run("add_user", "bad name!", "--password", "short", "--role", "reviewer", "--department", "nope")

    lines = str(error.value).splitlines()[1:]
    fields = {line.split(":")[0].strip() for line in lines}
    assert fields == {"USERNAME", "--password", "--department"}
    assert not User.objects.exists()


def test_add_user_refuses_a_taken_username(credit_office):
    run("add_user", "wang", "--password", "a-long-password-1", "--role", "admin")
    with pytest.raises(CommandError, match="USERNAME: This username is taken."):
        run("add_user", "wang", "--password", "a-long-password-1", "--role", "admin")
    assert User.objects.filter(username="wang").count() == 1


# -- verify_history ---------------------------------------------------------------------------------------


def chain_with_at_least(n: int) -> list[HistoryEvent]:
    """A stream with n or more events, in order (the demo's cases have long chains)."""
    for stream in HistoryEvent.objects.values_list("stream", flat=True).distinct().order_by("stream"):
        events = list(HistoryEvent.objects.filter(stream=stream).order_by("seq"))
        if len(events) >= n:
            return events
    raise AssertionError(f"no stream with {n} events")


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(HISTORY_TABLE)), params)


def test_verify_history_passes_on_a_fresh_demo():
    run_demo()
    output = run("verify_history")

    events = HistoryEvent.objects.count()
    chains = HistoryEvent.objects.values("stream").distinct().count()
    assert events > 50
    assert f"History verified: {events} events in {chains} chains, no break found." in output
    result = history_verify(chunk_size=7)  # chunk boundaries fall inside chains: the result must not change
    assert (result.ok, result.events, result.chains, result.first_break) == (True, events, chains, None)


def test_verify_history_finds_a_row_altered_in_the_database():
    run_demo()
    events = chain_with_at_least(3)
    target = events[1]
    # The model refuses updates (append-only), so the tampering goes around it, as an intruder's would.
    raw("UPDATE {table} SET note = %s WHERE id = %s", ["看起来没问题", target.pk])

    with pytest.raises(CommandError) as error:
        run("verify_history")

    message = str(error.value)
    assert f"stream {target.stream}, seq {target.seq}, event id {target.pk}" in message
    assert "altered content" in message
    result = history_verify()
    assert result.broken_chains == 1
    assert (result.first_break.event_id, result.first_break.problem) == (target.pk, ALTERED)


def test_verify_history_finds_an_altered_row_whose_hash_was_recomputed():
    run_demo()
    events = chain_with_at_least(3)
    target = events[1]
    target.note = "看起来没问题"
    raw(
        "UPDATE {table} SET note = %s, hash = %s WHERE id = %s",
        [target.note, target.compute_hash(), target.pk],
    )

    # The row now matches its own hash, but the next event still points at the original one.
    found = history_verify().first_break
    assert (found.stream, found.event_id, found.problem) == (target.stream, events[2].pk, BROKEN_LINK)


def test_verify_history_finds_a_deleted_middle_event():
    run_demo()
    events = chain_with_at_least(3)
    raw("DELETE FROM {table} WHERE id = %s", [events[1].pk])

    with pytest.raises(CommandError) as error:
        run("verify_history")

    assert f"stream {events[2].stream}, seq {events[2].seq}, event id {events[2].pk}" in str(error.value)
    assert "missing event" in str(error.value)
    found = history_verify().first_break
    assert (found.event_id, found.problem) == (events[2].pk, MISSING)
    assert f"seq {events[1].seq} of the stream is missing" in found.detail


def test_verify_history_finds_a_changed_prev_hash():
    run_demo()
    events = chain_with_at_least(2)
    raw("UPDATE {table} SET prev_hash = %s WHERE id = %s", ["f" * 64, events[1].pk])

    with pytest.raises(CommandError, match=f"event id {events[1].pk}"):
        run("verify_history")
    found = history_verify().first_break
    assert (found.stream, found.event_id, found.problem) == (events[1].stream, events[1].pk, BROKEN_LINK)


def test_verify_history_counts_every_broken_chain_and_checks_one_stream_on_request():
    run_demo()
    first, second = (
        HistoryEvent.objects.filter(stream=stream).order_by("seq").first()
        for stream in HistoryEvent.objects.values_list("stream", flat=True).distinct().order_by("stream")[:2]
    )
    for event in (first, second):
        raw("UPDATE {table} SET action = %s WHERE id = %s", ["forged", event.pk])

    result = history_verify()
    assert result.broken_chains == 2 and [b.event_id for b in result.breaks] == [first.pk, second.pk]
    assert history_verify(max_breaks=1).broken_chains == 2
    untouched = HistoryEvent.objects.exclude(stream__in=[first.stream, second.stream]).first()
    assert "no break found" in run("verify_history", "--stream", untouched.stream)


def test_verify_history_of_an_unknown_stream_is_an_error_not_a_pass(db):
    # A mistyped stream must not read as "verified".
    with pytest.raises(CommandError, match="No history events in stream “case:YY-1999-000001”"):
        run("verify_history", "--stream", "case:YY-1999-000001")


# -- demo -------------------------------------------------------------------------------------------------


# Objections raised during a list exit's publicity: cases of their own, filed by the exit scenarios.
PUBLICITY_OBJECTIONS = 3


def demo_case_count() -> int:
    return len([spec for spec in demo_data.CASES if scenario_applies(spec)]) + PUBLICITY_OBJECTIONS


def test_demo_twice_changes_nothing_the_second_time():
    first = run_demo()
    after_first = counts()
    second = run_demo()

    assert counts() == after_first
    total = demo_case_count()
    assert Case.objects.count() == total
    assert f"cases: {total} created, 0 already there" in first
    assert f"cases: 0 created, {total} already there" in second
    assert run("verify_history")


def states_of(kind: str) -> set[tuple[str, str]]:
    return set(Case.objects.filter(kind=kind, objects_to=None).values_list("state", "outcome"))


def test_demo_creates_objection_cases_in_every_state():
    run_demo()

    cases = states_of("objection")
    assert cases == {
        ("filed", ""),
        ("awaiting_materials", ""),
        ("verifying", ""),
        ("closed", "upheld"),
        ("closed", "corrected"),
        ("closed", "deleted"),
        ("refused", ""),
    }
    # The 补正 case waits on the subject with its acceptance clock stopped.
    waiting = Case.objects.get(kind="objection", state="awaiting_materials").tasks.get()
    assert waiting.state == TaskState.WAITING and waiting.deadline.is_suspended
    # Verification suspends joint sanctions, but the court list stays in force (法释〔2017〕7号).
    verifying = {
        case.records.get().kind: case for case in Case.objects.filter(kind="objection", state="verifying")
    }
    assert set(verifying) == {"admin_penalty", "court_dishonest"}
    assert {s.state for s in Sanction.objects.filter(record__cases=verifying["admin_penalty"])} == {
        "suspended"
    }
    assert {s.state for s in Sanction.objects.filter(record__cases=verifying["court_dishonest"])} == {
        "active"
    }
    assert verifying["admin_penalty"].materials.filter(purpose="supplement").exists()
    assert {
        s.state
        for s in Sanction.objects.filter(record__cases__kind="objection", record__cases__outcome="deleted")
    } == {"revoked"}
    # Records of every kind and severity, sanctions implemented by several departments.
    assert set(CreditRecord.objects.values_list("kind", flat=True)) == {
        "admin_penalty",
        "serious_list",
        "court_dishonest",
    }
    assert set(CreditRecord.objects.values_list("severity", flat=True)) == {"minor", "general", "serious"}
    assert Sanction.objects.values("implementer").distinct().count() >= 4
    # Every change went through the services: history and outbox rows exist for it.
    assert HistoryEvent.objects.filter(action="reputation_restored").count() == 2
    assert Outbox.objects.exists()


def test_demo_creates_repair_cases_in_every_state():
    """national-2026: the provider decides (no reporting upward) and minor records are repaired at once."""
    run_demo()

    assert states_of("repair") >= {
        ("filed", ""),
        ("awaiting_materials", ""),
        ("verifying", ""),
        ("closed", "repaired"),
        ("closed", "rejected"),
        ("refused", ""),
    }
    assert not Case.objects.filter(kind="repair", state="reporting").exists()
    repaired = Case.objects.filter(kind="repair", outcome="repaired")
    assert repaired.count() == 2  # one verified by the provider, one minor record repaired at once
    for case in repaired:
        assert {r.publicity for r in case.records.all()} == {"ended"}
        assert {s.state for s in Sanction.objects.filter(record__cases=case)} <= {"lifted"}
        assert case.history.filter(action="platform_queued").exists()
    assert Sanction.objects.filter(record__cases__in=repaired, state="lifted").count() == 2
    rejected = Case.objects.get(kind="repair", outcome="rejected")
    assert {s.state for s in Sanction.objects.filter(record__cases=rejected)} == {"active"}
    waiting = Case.objects.get(kind="repair", state="awaiting_materials").tasks.get()
    assert waiting.state == TaskState.WAITING and waiting.deadline.is_suspended
    repair_cases = Case.objects.filter(kind="repair")
    assert all(c.materials.filter(purpose="performance").exists() for c in repair_cases)


def test_demo_reports_repairs_level_by_level_where_the_rule_set_says_so(settings):
    """local-plan: district → city → province; the repaired case climbed every level, one waits at the district."""
    settings.CASEWORK_RULE_PROFILE = "local-plan"
    run_demo()

    assert ("reporting", "") in states_of("repair")
    reporting = Case.objects.get(kind="repair", state="reporting")
    [task] = reporting.tasks.filter(step="report_district")
    assert (task.department.code, task.state) == ("gl-credit", TaskState.CLAIMED)
    [repaired] = Case.objects.filter(kind="repair", outcome="repaired")  # no minor record repaired at once
    assert list(repaired.tasks.order_by("created_at", "id").values_list("step", "department__code")) == [
        ("accept", "gl-credit"),
        ("verify", "gl-tax"),
        ("report_district", "gl-credit"),
        ("report_city", "fz-credit"),
        ("report_province", "fj-credit"),
    ]
    assert Case.objects.count() == demo_case_count()
    counts_before = counts()
    run_demo()
    assert counts() == counts_before


def test_demo_creates_list_exit_cases_in_every_state():
    run_demo()

    assert states_of("list_exit") >= {
        ("filed", ""),
        ("awaiting_materials", ""),
        ("verifying", ""),
        ("refused", ""),
        ("publicity", ""),
        ("on_hold", ""),
        ("closed", "rejected"),
        ("closed", "removed"),
    }
    today = timezone.localdate()
    for case in Case.objects.filter(kind="list_exit", state__in=["publicity", "on_hold"]):
        assert case.publicity_until > today  # the 公示 period runs on the real clock
    # The exit on hold has its objection case open, waiting for the provider's verification.
    held = Case.objects.get(kind="list_exit", state="on_hold")
    [objection] = held.objections.all()
    assert (objection.kind, objection.state) == ("objection", "filed")
    assert objection.tasks.get().step == "objection_verify"
    assert set(
        Case.objects.filter(objects_to__isnull=False)
        .exclude(pk=objection.pk)
        .values_list("outcome", flat=True)
    ) == {"objection_founded", "objection_unfounded"}
    # The court list: deleted on a recorded ground, its sanction lifted.
    [court] = Case.objects.filter(kind="list_exit", records__kind="court_dishonest")
    assert (court.state, court.outcome, court.deletion_ground) == ("closed", "removed", "performed")
    assert {s.state for s in Sanction.objects.filter(record__cases=court)} == {"lifted"}
    # A listing that ended by itself at its expiry date: no case, its sanction lifted by the sweep.
    [expired] = CreditRecord.objects.filter(summary__contains="榕鼓市监列〔2025〕131号")
    assert expired.publicity == "ended" and expired.listed_until < today and not expired.cases.exists()
    assert {s.state for s in expired.sanctions.all()} == {"lifted"}
    assert HistoryEvent.objects.filter(action="listing_expired").count() == 1
    assert Outbox.objects.filter(event="list_exit_expired").exists()


def test_demo_creates_bankruptcy_cases_in_every_state():
    run_demo()

    assert states_of("bankruptcy_repair") >= {
        ("shielding", ""),
        ("awaiting_completion", ""),
        ("repairing", ""),
        ("closed", "repaired"),
        ("closed", "rejected"),
    }
    shielding = Case.objects.get(kind="bankruptcy_repair", state="shielding")
    shield_tasks = shielding.tasks.filter(step="shield")
    assert shield_tasks.count() == 3 and shield_tasks.filter(state=TaskState.DONE).count() == 1
    assert sorted(r.publicity for r in shielding.records.all()) == ["published", "published", "shielded"]
    waiting = Case.objects.get(kind="bankruptcy_repair", state="awaiting_completion")
    assert {r.publicity for r in waiting.records.all()} == {"shielded"}
    case_clocks = Deadline.objects.filter(case=waiting, purpose__in=["legal", "service"])
    assert case_clocks.count() == 2 and all(d.is_suspended for d in case_clocks)
    assert {s.state for s in Sanction.objects.filter(record__cases=waiting)} == {"lifted"}
    repairing = Case.objects.get(kind="bankruptcy_repair", state="repairing")
    assert repairing.materials.filter(purpose="completion").exists()
    assert sorted(repairing.tasks.filter(step="full_repair").values_list("state", flat=True)) == [
        TaskState.DONE,
        TaskState.OPEN,
        TaskState.OPEN,
    ]
    repaired = Case.objects.get(kind="bankruptcy_repair", outcome="repaired")
    assert {r.publicity for r in repaired.records.all()} == {"ended"}
    rejected = Case.objects.get(kind="bankruptcy_repair", outcome="rejected")
    assert {r.publicity for r in rejected.records.all()} == {"published"}
    assert {s.state for s in Sanction.objects.filter(record__cases=rejected)} == {"active"}
    assert all(c.by_administrator for c in Case.objects.filter(kind="bankruptcy_repair"))


def test_demo_subjects_carry_valid_identifiers_of_the_district():
    run_demo()
    subjects = Subject.objects.all()
    assert {s.kind for s in subjects} == {"enterprise", "person"}
    assert {s.division for s in subjects} == {"350102"}


def test_demo_prints_logins_that_work():
    output = run_demo()

    assert "http://127.0.0.1:8000/api/docs/" in output
    roles = {spec.role for spec in demo_data.USERS}
    assert roles == {"subject", "reviewer", "supervisor", "admin"}
    for spec in demo_data.USERS:
        [line] = [line for line in output.splitlines() if f" {spec.username} " in line]
        assert spec.role in line and demo_data.DEMO_PASSWORD in line
        assert APIClient().login(username=spec.username, password=demo_data.DEMO_PASSWORD)
    # The printed token of the market-regulation reviewer opens its queue: its own department's work, among it
    # the claimed verifications (an objection, a repair, a list exit).
    market = User.objects.get(username="demo-market")
    [line] = [line for line in output.splitlines() if " demo-market " in line]
    token = Token.objects.get(user=market).key
    assert token in line
    response = APIClient().get("/api/v1/tasks/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200, response.content
    tasks = response.json()
    assert {t["department"] for t in tasks} == {"gl-market"}
    claimed = [t["case"][:2] for t in tasks if (t["step"], t["state"]) == ("verify", "claimed")]
    assert sorted(claimed) == ["XF", "YC", "YY"]


def test_demo_refuses_to_run_with_debug_off_unless_told():
    with pytest.raises(CommandError, match="--allow-production"):
        run("demo")
    assert not User.objects.exists()


def test_demo_runs_in_a_year_without_a_working_day_calendar():
    # 2027's holidays are not published yet: deadlines are stored as provisional estimates, not refused.
    with time_machine.travel("2027-03-01 10:00 +0800", tick=False):
        run_demo()
    assert Case.objects.count() == demo_case_count()
    assert Deadline.objects.filter(provisional=True).exists()
    assert history_verify().ok
