"""docs/domain.md §9.5 / §9.9 — list-exit publicity is a clock: an objection holds it, keeping the working days
left, and an unfounded objection resumes it with them (holidays neither used nor counted; a re-dated estimate
keeps what was left)."""

from datetime import date

import pytest
import time_machine

from casework.calendar import add_working_days
from casework.models import HistoryEvent
from casework.services.list_exit import list_exit_publicity_sweep
from notifications.models import InboxMessage

from .publicity_world import OBJECTOR_NAME, STATEMENT, deliver, exit_of, object_via_api, to_publicity
from .test_list_exit_api import listed_world
from .test_repair_api import decide
from .web_world import user

pytestmark = pytest.mark.django_db


# -- publicity is a clock: a hold keeps the working days left ------------------------------------------------

# Verified on Monday 2026-11-23: the 5 working days of publicity are Tue 24 … Mon 30 November.
NOVEMBER = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("label", "objected_on", "left"),
    [
        ("the verification's own day (before day 1)", date(2026, 11, 23), 5),
        ("the first day", date(2026, 11, 24), 5),
        ("a middle day", date(2026, 11, 26), 3),
        ("the last day", date(2026, 11, 30), 1),
    ],
)
def test_an_unfounded_objection_resumes_publicity_with_the_days_left(admin_api, label, objected_on, left):
    """§9.5 / §9.9: the hold stops the publicity clock; the resumption restarts it with what was left.
    The day of the objection is given back (the public had not had it whole)."""
    with time_machine.travel(f"{NOVEMBER} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
        assert exit_of(number).publicity_until == add_working_days(NOVEMBER, 5)
    with time_machine.travel(f"{objected_on} 15:00 +0800", tick=False):
        object_via_api(world, number)
        held = exit_of(number)
        assert (held.state, held.publicity_days, held.publicity_until) == ("on_hold", left, None), label
    decided_on = date(2026, 12, 9)
    with time_machine.travel(f"{decided_on} 10:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 0  # a held period never ends
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
        resumed = exit_of(number)
        until = add_working_days(decided_on, left)
        assert (resumed.state, resumed.publicity_until, resumed.publicity_days) == ("publicity", until, left)
    with time_machine.travel(f"{until} 23:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 0  # the last day left is still publicity
    with time_machine.travel(f"{add_working_days(until, 1)} 09:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 1
        assert exit_of(number).state == "deciding"


def test_two_successive_objections_each_keep_what_the_other_left(admin_api):
    with time_machine.travel(f"{NOVEMBER} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):  # day 2: Tue 24 was used
        object_via_api(world, number)
        assert exit_of(number).publicity_days == 4
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
        assert exit_of(number).publicity_until == add_working_days(date(2026, 12, 1), 4)
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):  # Wed 2 December was used
        object_via_api(world, number, "另有欠款未清偿。")
        assert exit_of(number).publicity_days == 3
    with time_machine.travel("2026-12-08 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
        resumed = exit_of(number)
        assert (resumed.state, resumed.publicity_until) == (
            "publicity",
            add_working_days(date(2026, 12, 8), 3),
        )
    holds = HistoryEvent.objects.filter(case__number=number, action="hold").order_by("id")
    assert [h.data["publicity_days_left"] for h in holds] == [4, 3]


def test_a_holiday_is_not_a_day_of_publicity_nor_of_what_is_left(admin_api):
    """National Day 2026 (1–7 October) falls between the verification and the objection: the holiday is
    neither used nor counted; a decision on a holiday restarts the clock on the next working day."""
    verified = date(2026, 9, 28)  # Monday: publicity runs Tue 29, Wed 30, then after the holiday
    with time_machine.travel(f"{verified} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel("2026-10-08 10:00 +0800", tick=False):  # first working day after the holiday
        object_via_api(world, number)
        assert exit_of(number).publicity_days == 3  # 29 and 30 September were used
    with time_machine.travel("2026-10-09 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
        assert exit_of(number).publicity_until == add_working_days(date(2026, 10, 9), 3)


def test_a_founded_objection_refuses_the_exit_and_tells_the_listed_subject_the_result(admin_api):
    with time_machine.travel(f"{NOVEMBER} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
        object_via_api(world, number)
        decide(world["market"], "objection_verify", "founded", "经核实仍拖欠工资，不符合提前移出条件。")
        deliver()
    closed = exit_of(number)
    assert (closed.state, closed.outcome) == ("closed", "rejected")
    [told] = InboxMessage.objects.filter(recipient=user("subject"), outbox__event="list_exit_rejected")
    assert STATEMENT not in told.body and OBJECTOR_NAME not in told.body


def test_an_objection_after_the_period_ended_is_refused(admin_api):
    """The sweep runs once a day: between the period's end and the sweep, nothing is left to hold."""
    with time_machine.travel(f"{NOVEMBER} 10:00 +0800", tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel(f"{add_working_days(NOVEMBER, 6)} 08:00 +0800", tick=False):
        response = world["other_subject"].post(
            f"/api/v1/cases/{number}/publicity-objections/", {"statement": STATEMENT}, format="json"
        )
        assert response.status_code == 409
        assert exit_of(number).state == "publicity"


def test_a_resumed_publicity_is_redated_with_the_days_left_not_the_whole_period(
    admin_api, tmp_path, django_capture_on_commit_callbacks
):
    """A resumption that reaches a year without a calendar is an estimate; entering the year re-dates it from
    the resumption with the days that were left (`publicity_days`), not from the opening with all 5."""
    from .test_calendar_redating import SCHEDULE, enter

    with time_machine.travel("2026-12-21 10:00 +0800", tick=False):  # Monday: 22 … 28 December
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel("2026-12-23 10:00 +0800", tick=False):  # 22 December used
        object_via_api(world, number)
        assert exit_of(number).publicity_days == 4
    with time_machine.travel("2026-12-30 10:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议不成立")
    resumed = exit_of(number)
    # 31 December, then the estimate of 2027 (1 January off): 4, 5 and 6 January.
    assert (resumed.publicity_until, resumed.publicity_provisional) == (date(2027, 1, 6), True)
    enter("enter", SCHEDULE, tmp_path, django_capture_on_commit_callbacks)
    redated = exit_of(number)
    # With 4 January off: 31 December, 5, 6 and 7 January — four days, not the whole period's five.
    assert (redated.publicity_until, redated.publicity_provisional) == (date(2027, 1, 7), False)
    assert redated.publicity_from == date(2026, 12, 30) and redated.publicity_days == 4
