"""Issue 11 / docs/domain.md §9.13: departments submit their month's data by the 20th of the next
month; a reminder goes before the 20th and an escalation after it, each once; supervisors see who is late."""

import pytest
import time_machine
from django.test import Client

from casework.models import HistoryEvent, MonthlySubmission
from casework.services.history import stream_of
from casework.services.reporting import monthly_reporting_sweep
from notifications.models import Outbox

from .web_world import add_supervisor
from .world import build_world

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10):
    return time_machine.travel(f"{day} {hour:02d}:00 +0800", tick=False)


def sweep(day: str) -> int:
    with at(day, 8):
        return monthly_reporting_sweep()


@pytest.fixture
def world(admin_api):
    with at("2026-10-30"):
        world = build_world(admin_api)
        world.head = add_supervisor()  # a supervisor of the district credit office
    return world


def standing(world, day: str, month: str = "2026-10") -> dict:
    with at(day):
        response = world.head_api.get("/api/v1/supervision/monthly-submissions/", {"month": month})
    assert response.status_code == 200, response.content
    return {row["department"]: row["status"] for row in response.json()}


def test_rule_13_a_department_that_misses_the_20th_shows_late(world):
    from rest_framework.test import APIClient

    world.head_api = APIClient()
    world.head_api.force_authenticate(world.head)
    owing = {"xy-market", "xy-tax", "xy-finance", "xy-court"}  # credit offices receive, they do not submit
    assert standing(world, "2026-11-10") == dict.fromkeys(owing, "due")

    with at("2026-11-18"):
        response = world["market"].post(
            "/api/v1/monthly-submissions/",
            {"department": "xy-market", "month": "2026-10", "covers": "行政处罚 42 条", "records": 42},
            format="json",
        )
        assert response.status_code == 201, response.content
        again = world["market"].post(
            "/api/v1/monthly-submissions/",
            {"department": "xy-market", "month": "2026-10", "covers": "again"},
            format="json",
        )
        assert again.status_code == 400 and "month" in again.json()
        other = world["market"].post(
            "/api/v1/monthly-submissions/",
            {"department": "xy-tax", "month": "2026-10", "covers": "税务"},
            format="json",
        )
        assert other.status_code == 400 and "department" in other.json()
        early = world["tax"].post(
            "/api/v1/monthly-submissions/",
            {"department": "xy-tax", "month": "2026-11", "covers": "未满月"},
            format="json",
        )
        assert early.status_code == 400 and "month" in early.json()
    assert MonthlySubmission.objects.filter(submitted_at__isnull=False).count() == 1

    # Before the 15th nothing; from the 15th one reminder per department that has not submitted, once.
    assert sweep("2026-11-14") == 0
    assert sweep("2026-11-18") == 3
    assert sweep("2026-11-19") == 0
    assert set(
        Outbox.objects.filter(event="monthly_submission_reminder").values_list(
            "recipient__username", flat=True
        )
    ) == {
        "tax",
        "finance",
        "court",
    }
    with at("2026-11-20", 17):  # the finance bureau makes it on the last day
        response = world["finance"].post(
            "/api/v1/monthly-submissions/",
            {"department": "xy-finance", "month": "2026-10", "covers": "政府采购限制 0 条"},
            format="json",
        )
        assert response.status_code == 201
    assert standing(world, "2026-11-20") == {
        "xy-market": "submitted",
        "xy-finance": "submitted",
        "xy-tax": "due",
        "xy-court": "due",
    }

    # The 21st: the tax bureau and the court missed the 20th — late, escalated once to the credit office.
    assert standing(world, "2026-11-21") == {
        "xy-tax": "late",
        "xy-court": "late",
        "xy-market": "submitted",
        "xy-finance": "submitted",
    }
    assert sweep("2026-11-21") == 2
    assert sweep("2026-11-23") == 0
    escalated = Outbox.objects.filter(event="monthly_submission_late")
    assert {o.recipient.username for o in escalated} == {"head"}
    assert escalated.count() == 2  # one per late department
    tax = MonthlySubmission.objects.get(department__code="xy-tax")
    assert list(HistoryEvent.objects.filter(stream=stream_of(tax)).values_list("action", flat=True)) == [
        "reminded",
        "escalated",
    ]
    with at("2026-11-24"):
        response = world["tax"].post(
            "/api/v1/monthly-submissions/",
            {"department": "xy-tax", "month": "2026-10", "covers": "纳税信用 D 级 5 户"},
            format="json",
        )
    assert response.status_code == 201
    assert standing(world, "2026-11-24")["xy-tax"] == "submitted_late"

    # The supervisors' page lists who is late.
    web = Client()
    with at("2026-11-24"):
        web.force_login(world.head)
        page = web.get("/supervision/reports/submissions/", {"month": "2026-10"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="submission-late"' in html and "鼓楼区法院" in html
    assert 'class="submission-submitted_late"' in html


def test_rule_13_only_supervisors_read_the_standing(world):
    with at("2026-11-21"):
        assert world["market"].get("/api/v1/supervision/monthly-submissions/").status_code == 403
        assert (
            world.admin.get("/api/v1/supervision/monthly-submissions/", {"month": "2026-13"}).status_code
            == 400
        )
