"""`manage.py demo`: idempotent demo data, cases of every kind in every state, driven through the services."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework import selectors, statistics
from casework.management import demo_data
from casework.management.demo import history
from casework.management.demo.base import HISTORY_FIRMS
from casework.management.demo.runner import scenario_applies
from casework.models import (
    Case,
    CreditRecord,
    Deadline,
    EscalationEvent,
    EscalationLevel,
    HistoryEvent,
    Sanction,
    Subject,
    TaskState,
    User,
)
from casework.services.history_verify import history_verify
from notifications.models import Outbox

from .command_support import counts, run, run_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HISTORY_TABLE = HistoryEvent._meta.db_table  # casework_historyevent


# Objections raised during a list exit's publicity: cases of their own, filed by the exit scenarios.
PUBLICITY_OBJECTIONS = 3
REVIEWS = 1  # 复核 cases, filed on a demo objection's result (demo/review.py)
# Back-dated cases that ended by a date passing (demo/lapsed.py): the 补正 treated as withdrawn.
LAPSED_CASES = 1


def demo_case_count() -> int:
    scenarios = len([spec for spec in demo_data.CASES if scenario_applies(spec)])
    return scenarios + PUBLICITY_OBJECTIONS + REVIEWS + len(history.SCENARIOS) + LAPSED_CASES


def scenario_cases():
    """The cases of the scenarios of every state (filed today), not the months of back-dated history."""
    return Case.objects.exclude(subject__code__in=[firm.code for firm in HISTORY_FIRMS])


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
    return set(scenario_cases().filter(kind=kind, objects_to=None).values_list("state", "outcome"))


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
        ("closed", "supplemented"),
        ("closed", "removed_from_list"),
        ("closed", "publication_stopped"),  # settled by the credit office's self-check (docs/domain.md §9.1)
        ("closed", "withdrawn"),
        ("refused", ""),
    }
    self_checked = scenario_cases().get(kind="objection", outcome="publication_stopped")
    assert not self_checked.tasks.filter(step="verify").exists()
    assert self_checked.tasks.get(step="self_check").department.kind == "credit_office"
    # The 补正 case waits on the subject with its acceptance clock stopped.
    waiting = scenario_cases().get(kind="objection", state="awaiting_materials").tasks.get()
    assert waiting.state == TaskState.WAITING and waiting.deadline.is_suspended
    # Verification suspends joint sanctions, but the court list stays in force (法释〔2017〕7号).
    verifying = {
        case.records.get().kind: case for case in scenario_cases().filter(kind="objection", state="verifying")
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
    restored = HistoryEvent.objects.filter(
        action="reputation_restored", case__in=scenario_cases().filter(kind="objection")
    )
    # corrected, deleted, supplemented, removed from the list, and the self-check's publication stopped
    assert restored.count() == 5
    assert Outbox.objects.exists()


def test_demo_creates_repair_cases_in_every_state():
    """national-2026: the provider decides (no reporting upward), minor records included (谁认定谁修复)."""
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
    assert repaired.count() == 2  # both decided by the provider, one of them a minor record
    for case in repaired:
        assert list(case.tasks.order_by("id").values_list("step", flat=True)) == ["accept", "verify"]
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
    [repaired] = Case.objects.filter(kind="repair", outcome="repaired")  # no simplified minor check here
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
    for case in Case.objects.filter(kind="list_exit", state="publicity"):
        assert case.publicity_until > today  # the 公示 period runs on the real clock
    for case in Case.objects.filter(kind="list_exit", state="on_hold"):
        # docs/domain.md §9.5: the hold stopped the clock; what was left waits for the resumption.
        assert case.publicity_until is None and case.publicity_days >= 1
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


def test_demo_history_fills_every_board_escalation_level_and_month():
    """Issue 14: months of back-dated work through the services, so the boards are not empty or trivial."""
    run_demo()
    today = timezone.localdate()
    supervisor = User.objects.get(username="demo-supervisor")

    assert selectors.tasks_overdue_for(supervisor, today=today).count() >= 3
    fired = set(EscalationEvent.objects.filter(skipped=False).values_list("level", flat=True))
    assert fired == set(EscalationLevel.values)

    on_time = statistics.on_time_by_department_month(supervisor, today=today)
    assert len({row["month"] for row in on_time}) >= 6
    done = sum(row["done"] for row in on_time)
    assert 0 < sum(row["on_time"] for row in on_time) < done  # some late: the rate is not a trivial 100 %
    medians = statistics.median_handling_days_by_step(supervisor, since=today - timedelta(days=365))
    by_step = {row["step"]: row["median_days"] for row in medians}
    assert by_step["accept"] > 0 and by_step["verify"] > 0

    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    report = statistics.monthly_report(supervisor, month=last_month)
    assert sum(row["completed"] for row in report) > 0 and sum(row["opened"] for row in report) > 0


def test_demo_shows_a_review_decided_by_the_office_one_level_up():
    """Issue 10, docs/domain.md §9.4: a 复核 linked to its objection, decided by the credit office above the one
    that received the objection, which changed the result."""
    output = run_demo()
    review = Case.objects.get(kind="review")
    objection = review.review_of
    assert (objection.kind, objection.state, objection.outcome) == ("objection", "closed", "upheld")
    assert objection.receiving_office.code == "gl-credit"
    assert review.receiving_office.code == "fz-credit" == objection.receiving_office.parent.code
    assert (review.state, review.outcome) == ("closed", "deleted")
    assert review.tasks.get().department.code == "fz-credit"
    assert review.number in output and objection.number in output


def test_demo_shows_a_withdrawn_supplement_and_a_publication_that_ended_by_itself():
    """docs/domain.md §9.10 and §9.7, back-dated and driven by the sweeps beat runs."""
    output = run_demo()
    withdrawn = scenario_cases().get(kind="objection", outcome="withdrawn")
    assert withdrawn.materials_due_on < timezone.localdate()
    assert withdrawn.materials_reminded_at is not None
    assert withdrawn.notices.filter(kind="withdrawal").exists()
    [record] = withdrawn.records.all()
    assert record.publicity == "published"  # the 异议中 mark it caused is gone
    assert {s.state for s in record.sanctions.all()} == {"active"}  # the suspension it caused is undone
    actions = set(withdrawn.history.values_list("action", flat=True))
    assert {"request_materials", "materials_reminded", "clear_dispute", "resume", "withdraw"} <= actions
    ended = CreditRecord.objects.get(summary__contains="榕鼓税简罚〔2026〕132号")
    assert ended.publicity == "ended" and ended.severity == "minor"
    assert HistoryEvent.objects.filter(
        stream=f"creditrecord:{ended.public_id}", action="publication_period_ended"
    ).exists()
    assert withdrawn.number in output and "132号" in output
