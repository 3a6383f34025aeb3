"""Issue #6: execution feedback (执行反馈) from implementing departments, by token or signed by their system;
a state that still differs from ours after the rule set's limit escalates, once."""

import json
import secrets
import time
from datetime import datetime, timedelta

import pytest
import time_machine

from casework.calendar import add_working_days
from casework.models import HistoryEvent
from integration.feedback import feedback_mismatch_sweep
from integration.signing import sign_request
from notifications.models import Outbox

from .conftest import client_for
from .world import build_world, created, file_objection, queue

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-11-23T10:00:00+08:00")  # a Monday
SECRET = "s" * 40


def signed_post(client, path: str, body: dict, *, secret: str = SECRET, department: str = "xy-tax"):
    """A feedback request signed as docs/integration.md says: method, path, timestamp, nonce and body."""
    raw = json.dumps(body).encode()
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    return client.post(
        path,
        data=raw,
        content_type="application/json",
        HTTP_X_CASEWORK_DEPARTMENT=department,
        HTTP_X_CASEWORK_TIMESTAMP=timestamp,
        HTTP_X_CASEWORK_NONCE=nonce,
        HTTP_X_CASEWORK_SIGNATURE=sign_request(
            secret, method="POST", path=path, timestamp=timestamp, nonce=nonce, body=raw
        ),
    )


def setup(admin_api):
    world = build_world(admin_api)
    created(
        admin_api.post(
            "/api/v1/endpoints/",
            {"name": "tax", "department": "xy-tax", "url": "http://127.0.0.1:9/tax", "secret": SECRET},
            format="json",
        )
    )
    heads = {}
    for name, department in [("tax_head", "xy-tax"), ("credit_head", "xy-credit")]:
        user = created(
            admin_api.post(
                "/api/v1/users/",
                {
                    "username": name,
                    "password": "a-long-password-1",
                    "role": "supervisor",
                    "departments": [department],
                },
                format="json",
            )
        )
        heads[name] = client_for(user["token"])
    tax_sanction = next(s for s in world.sanctions if s["implementer"] == "xy-tax")
    return world, heads, f"/api/v1/sanctions/{tax_sanction['id']}/"


LIFTED = {"state": "lifted", "on": "2026-11-23", "reference": "榕税惩〔2026〕88号", "reported_by": "王五"}


def test_a_department_system_reports_with_a_valid_signature_and_a_bad_one_is_refused(admin_api):
    with time_machine.travel(START, tick=False):
        world, _heads, sanction = setup(admin_api)
        anonymous = world.admin.__class__()
        applied = {**LIFTED, "state": "applied"}
        response = signed_post(anonymous, sanction + "feedback/", applied)
        assert response.status_code == 201, response.content
        assert response.json()["signed"] is True and response.json()["mismatch"] is False

        bad = signed_post(anonymous, sanction + "feedback/", LIFTED, secret="x" * 40)
        assert bad.status_code == 401
        stale = anonymous.post(
            sanction + "feedback/",
            data=json.dumps(LIFTED),
            content_type="application/json",
            HTTP_X_CASEWORK_DEPARTMENT="xy-tax",
            HTTP_X_CASEWORK_TIMESTAMP=str(int(time.time()) - 3600),
            HTTP_X_CASEWORK_SIGNATURE="sha256=00",
        )
        assert stale.status_code == 401
        # Another department's secret cannot report on the tax bureau's measure.
        assert (
            signed_post(anonymous, sanction + "feedback/", LIFTED, department="xy-finance").status_code == 401
        )
        assert anonymous.post(sanction + "feedback/", LIFTED, format="json").status_code == 401

        detail = world.admin.get(sanction).json()
    assert (detail["our_state"], detail["their_state"], detail["their_state_on"]) == (
        "active",
        "applied",
        "2026-11-23",
    )
    [event] = [e for e in detail["history"] if e["action"] == "execution_feedback"]
    assert (event["from_state"], event["to_state"]) == ("active", "active")  # our state is not theirs


def test_token_feedback_only_from_the_implementing_department(admin_api):
    with time_machine.travel(START, tick=False):
        world, _heads, sanction = setup(admin_api)
        assert world["finance"].post(sanction + "feedback/", LIFTED, format="json").status_code in (403, 404)
        bad = world["tax"].post(sanction + "feedback/", {**LIFTED, "state": "gone", "on": "x"}, format="json")
        assert bad.status_code == 400 and set(bad.json()) == {"state", "on"}
        response = world["tax"].post(sanction + "feedback/", {**LIFTED, "state": "applied"}, format="json")
        assert response.status_code == 201 and response.json()["signed"] is False


def test_a_mismatch_older_than_the_limit_escalates_once_to_the_head_and_the_credit_office(admin_api):
    with time_machine.travel(START, tick=False) as clock:
        world, heads, sanction = setup(admin_api)
        world["tax"].post(sanction + "feedback/", {**LIFTED, "state": "applied"}, format="json")
        # The objection is accepted: we suspend the measure; the tax bureau still reports it applied.
        created(file_objection(world))
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        detail = world.admin.get(sanction).json()
        assert (detail["our_state"], detail["their_state"]) == ("suspended", "applied")
        assert detail["mismatch_since"] is not None

        limit = add_working_days(START.date(), 3)  # national-2026.8: escalation.feedback_mismatch_days = 3
        clock.move_to(datetime.combine(limit - timedelta(days=1), START.timetz()))
        assert feedback_mismatch_sweep() == 0
        clock.move_to(datetime.combine(limit, START.timetz()))
        # Both measures differ: tax reports "applied", finance has not reported at all.
        assert feedback_mismatch_sweep() == 2
        assert feedback_mismatch_sweep() == 0  # once per mismatch

    messages = Outbox.objects.filter(event="sanction_feedback_mismatch", channel="inapp")
    tax = [m.recipient.username for m in messages if m.context["department"] == "鼓楼区税务局"]
    assert sorted(tax) == ["credit_head", "tax_head"]
    # A department with no head registered: its reviewers hear it instead.
    finance = [m.recipient.username for m in messages if m.context["department"] == "鼓楼区财政局"]
    assert sorted(finance) == ["credit_head", "finance"]
    assert HistoryEvent.objects.filter(action="feedback_mismatch_escalated").count() == 2
    inbox = heads["tax_head"].get("/api/v1/inbox/").json()
    assert inbox["unread"] == 0  # delivered after commit by the outbox; the row is queued


def test_a_matching_report_ends_the_mismatch(admin_api):
    with time_machine.travel(START, tick=False) as clock:
        world, _heads, sanction = setup(admin_api)
        created(file_objection(world))
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        assert world.admin.get(sanction).json()["mismatch_since"] is not None  # no report yet
        response = world["tax"].post(sanction + "feedback/", {**LIFTED, "state": "suspended"}, format="json")
        assert response.json()["mismatch"] is False
        clock.shift(timedelta(days=30))
        assert feedback_mismatch_sweep() == 1  # finance's measure alone: it never reported
    [message] = Outbox.objects.filter(event="sanction_feedback_mismatch", recipient__username="finance")
    assert message.context["department"] == "鼓楼区财政局"
