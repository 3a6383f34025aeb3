"""docs/domain.md §9.10: a 补正 names a deadline (10 working days), the subject is reminded once before it (2
working days before), and after it the request is treated as withdrawn (视为撤回): the case closes with a
notice and history, and the marks and suspensions the request caused are undone. A late answer racing the
withdrawal: exactly one wins, the other gets 409."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from casework.calendar import add_working_days
from casework.exceptions import Conflict
from casework.models import Case, HistoryEvent, Notice, Sanction, User
from casework.services.cases import case_supplement
from casework.services.records import record_mark_disputed
from casework.services.sanctions import sanction_suspend
from casework.services.supplement import supplement_remind_due, supplement_withdraw_due
from notifications.models import Outbox

from .test_races import race
from .world import build_world, file_objection, queue

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MONDAY = date(2026, 11, 23)
DUE = date(2026, 12, 7)  # MONDAY + 10 working days (checked in the first test)
REMIND = date(2026, 12, 3)  # MONDAY + 8 working days: 2 working days before the deadline


def at(day: date, hour: int = 9):
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0800", tick=False)


def ask_for_materials(admin_api, *, mark: bool = True) -> tuple[dict, str]:
    """An objection filed and sent back for materials on MONDAY. With `mark`, the record carries the
    异议中 mark and its sanctions are suspended by this case, as filing does under the objection rules."""
    with at(MONDAY):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        [task] = queue(world["credit"])
        response = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "request_materials", "note": "请补充处罚决定撤销文书。"},
            format="json",
        )
        assert response.status_code == 200, response.content
        if mark:
            transaction.atomic(_mark)(number)
    return world, number


def _mark(number: str) -> None:
    case = Case.objects.get(number=number)
    [record] = case.records.all()
    if record.publicity == "published":
        record_mark_disputed(record=record, actor=None, case=case)
    for sanction in record.sanctions.filter(state="active"):
        sanction_suspend(sanction=sanction, actor=None, case=case, note="objection")


def answer(world, number: str):
    return world["subject"].post(
        f"/api/v1/cases/{number}/supplement/",
        {"materials": [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]},
        format="multipart",
    )


@pytest.mark.django_db
def test_supplement_deadline_is_named_in_the_api_the_message_and_the_notice(admin_api):
    """§9.10: the request names its deadline — 10 working days [product default], rule-set data."""
    world, number = ask_for_materials(admin_api, mark=False)
    assert (add_working_days(MONDAY, 10), add_working_days(MONDAY, 8)) == (DUE, REMIND)
    case = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert (case["state"], case["materials_due_on"]) == ("awaiting_materials", DUE.isoformat())
    stored = Case.objects.get(number=number)
    assert stored.rule_set.data["supplement"]["answer_days"] == 10
    assert stored.materials_remind_on == REMIND
    message = Outbox.objects.filter(event="case_materials_requested").first()
    assert message is not None and message.context["due_on"] == DUE.isoformat()
    notice = Notice.objects.get(case=stored, kind="supplement")
    from casework.documents.letters import letter_for_notice

    letter = letter_for_notice(notice)
    assert letter.due_on == "2026年12月7日"


@pytest.mark.django_db
def test_supplement_deadline_unanswered_closes_the_case_as_withdrawn_and_undoes_marks_and_suspensions(
    admin_api,
):
    world, number = ask_for_materials(admin_api)
    assert Sanction.objects.filter(state="suspended").count() == 2
    with at(DUE, hour=23):  # the last day is still in time: nothing happens
        assert supplement_withdraw_due() == 0
    with at(add_working_days(DUE, 1), hour=0):
        assert supplement_withdraw_due() == 1
        assert supplement_withdraw_due() == 0  # each case once
    case = Case.objects.get(number=number)
    assert (case.state, case.outcome) == ("closed", "withdrawn")
    assert case.process.status == "DONE"
    [record] = case.records.all()
    assert record.publicity == "published"  # the 异议中 mark is taken off
    assert set(Sanction.objects.values_list("state", flat=True)) == {"active"}  # in force again
    actions = list(case.history.values_list("action", flat=True))
    assert "withdraw" in actions and actions.count("resume") == 2 and "clear_dispute" in actions
    assert Notice.objects.filter(case=case, kind="withdrawal").count() == 1
    assert Outbox.objects.filter(event="case_withdrawn").exists()
    [task] = case.tasks.all()
    assert (task.state, task.decision) == ("cancelled", "withdrawn")
    # Nobody was late: every clock of the case is met, none stays paused.
    assert all(d.met_at is not None and d.suspended_since is None for d in case.deadlines.all())
    assert queue(world["credit"]) == []


@pytest.mark.django_db
def test_supplement_deadline_withdrawal_keeps_a_mark_another_case_made(admin_api):
    """Only what this request caused is undone: a suspension by another case stays."""
    world, number = ask_for_materials(admin_api, mark=False)
    other = Case.objects.exclude(number=number).first()
    assert other is None  # a single case in this world: simulate another case's suspension by hand
    sanction = Sanction.objects.order_by("id").first()
    case = Case.objects.get(number=number)
    with at(MONDAY), transaction.atomic():
        from casework.services.transitions import transition

        transition(sanction, "suspend", field="state", actor=None, case=None, note="court stay")
    with at(add_working_days(DUE, 1), hour=0):
        assert supplement_withdraw_due() == 1
    sanction.refresh_from_db()
    assert sanction.state == "suspended"
    assert Case.objects.get(pk=case.pk).outcome == "withdrawn"


@pytest.mark.django_db
def test_supplement_deadline_reminder_fires_once_before_it(admin_api):
    world, number = ask_for_materials(admin_api, mark=False)
    with at(date(2026, 12, 2), hour=8):  # the working day before the reminder day
        assert supplement_remind_due() == 0
    with at(REMIND, hour=8):
        assert supplement_remind_due() == 1
        assert supplement_remind_due() == 0
    with at(add_working_days(REMIND, 1), hour=8):
        assert supplement_remind_due() == 0
    case = Case.objects.get(number=number)
    assert case.history.filter(action="materials_reminded").count() == 1
    reminder = Outbox.objects.filter(event="case_materials_reminder").first()
    assert reminder is not None and reminder.context["due_on"] == DUE.isoformat()


@pytest.mark.django_db
def test_supplement_deadline_a_case_answered_in_time_is_neither_reminded_nor_withdrawn(admin_api):
    world, number = ask_for_materials(admin_api, mark=False)
    with at(DUE, hour=17):  # the last day counts
        assert answer(world, number).status_code == 200
    with at(add_working_days(DUE, 1), hour=8):
        assert supplement_remind_due() == 0
        assert supplement_withdraw_due() == 0
    assert Case.objects.get(number=number).state == "filed"


@pytest.mark.django_db
@pytest.mark.parametrize("swept", [False, True])
def test_supplement_deadline_an_answer_after_it_is_refused_with_409(admin_api, swept):
    world, number = ask_for_materials(admin_api, mark=False)
    day_after = add_working_days(DUE, 1)
    with at(day_after, hour=10):
        if swept:
            assert supplement_withdraw_due() == 1
        response = answer(world, number)
    assert response.status_code == 409, response.content
    assert Case.objects.get(number=number).materials.filter(purpose="supplement").count() == 0


@pytest.mark.django_db(transaction=True)
def test_supplement_deadline_a_late_answer_racing_the_withdrawal_exactly_one_wins(admin_api):
    """The answer comes at 23:59 on the last day while the sweep of the next day runs: one lock wins."""
    world, number = ask_for_materials(admin_api)
    subject_user = User.objects.get(username="subject")
    case = Case.objects.get(number=number)

    def late_answer():
        try:
            case_supplement(
                case=case,
                actor=subject_user,
                note="",
                materials=[SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")],
            )
            return "answered"
        except Conflict:
            return "409"

    with at(DUE, hour=23):
        results = race(late_answer, lambda: supplement_withdraw_due(today=add_working_days(DUE, 1)))
    case.refresh_from_db()
    assert sorted(map(str, results)) in (["0", "answered"], ["1", "409"])
    if "answered" in results:
        assert case.state == "filed" and case.outcome == ""
    else:
        assert (case.state, case.outcome) == ("closed", "withdrawn")
    assert HistoryEvent.objects.filter(case=case, action="withdraw").count() == (
        0 if "answered" in results else 1
    )


@pytest.mark.django_db(transaction=True)
def test_supplement_deadline_two_sweeps_at_once_withdraw_each_case_once(admin_api):
    ask_for_materials(admin_api)
    with at(add_working_days(DUE, 1), hour=0):
        results = race(lambda: supplement_withdraw_due(batch=1), lambda: supplement_withdraw_due(batch=1))
    assert sorted(results) == [0, 1]
    assert HistoryEvent.objects.filter(action="withdraw").count() == 1
    assert Notice.objects.filter(kind="withdrawal").count() == 1


@pytest.mark.django_db
def test_supplement_deadline_the_subjects_portal_page_names_it_and_then_the_withdrawal(admin_api):
    from django.test import Client

    world, number = ask_for_materials(admin_api, mark=False)
    portal = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    portal.force_login(User.objects.get(username="subject"))
    with at(MONDAY, hour=11):
        page = portal.get(f"/portal/cases/{number}/")
    assert page.status_code == 200
    assert "请于2026-12-07前（含当日）提交补正材料；逾期未补正的，视为撤回申请。" in page.content.decode()
    with at(add_working_days(DUE, 1), hour=0):
        supplement_withdraw_due()
    with at(add_working_days(DUE, 1), hour=9):
        page = portal.get(f"/portal/cases/{number}/")
    html = page.content.decode()
    assert "申请视为撤回" in html and "补正材料未在2026-12-07前提交" in html


def _file_repair(world):
    from .test_repair_api import file_repair

    return file_repair(world).json()["number"]


def _file_exit(world):
    from .test_list_exit_api import file_exit

    return file_exit(world).json()["number"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "build", "file"),
    [
        ("objection", lambda api: build_world(api), lambda w: file_objection(w).json()["number"]),
        ("repair", lambda api: build_world(api, severity="general"), _file_repair),
        (
            "list_exit",
            lambda api: build_world(api, kind="serious_list", severity="serious", decided_on="2025-06-02"),
            _file_exit,
        ),
    ],
    ids=["objection", "repair", "list exit"],
)
def test_supplement_deadline_every_kind_with_an_acceptance_step_is_withdrawn_the_same_way(
    admin_api, kind, build, file
):
    """Fix the kind: the withdrawal is one service for every flow that asks for materials at acceptance."""
    with at(MONDAY):
        world = build(admin_api)
        number = file(world)
        [task] = queue(world["credit"])
        response = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "request_materials", "note": "请补充材料。"},
            format="json",
        )
        assert response.status_code == 200, response.content
    with at(add_working_days(DUE, 1), hour=0):
        assert supplement_withdraw_due() == 1
    case = Case.objects.get(number=number)
    assert (case.kind, case.state, case.outcome) == (kind, "closed", "withdrawn")
    assert case.process.status == "DONE"
    assert Notice.objects.filter(case=case, kind="withdrawal").count() == 1
    assert not case.deadlines.filter(met_at__isnull=True).exists()
    assert queue(world["credit"]) == []


@pytest.mark.django_db(transaction=True)
def test_supplement_deadline_two_reminder_sweeps_at_once_remind_once(admin_api):
    _world, number = ask_for_materials(admin_api, mark=False)
    with at(REMIND, hour=8):
        results = race(lambda: supplement_remind_due(batch=1), lambda: supplement_remind_due(batch=1))
    assert sorted(results) == [0, 1]
    assert HistoryEvent.objects.filter(case__number=number, action="materials_reminded").count() == 1
