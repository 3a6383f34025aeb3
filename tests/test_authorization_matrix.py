"""Issue 12 "who may" and issue 9 item 3: the authorization matrix over the API.

Each cell is (who, action, how the actor relates to the object) → the status the API must answer. The kinds
of fault this table guards against: a role doing what only another may (403), something outside a scope
revealed (404 rather than 403), an administrator locked out of what they oversee, and a write that passes
because the actor can merely *see* the object (issue 12: any reviewer who could see a record added sanctions
to it; a supervisor reassigned to any department of any kind anywhere).

The world: district 350102 (鼓楼) with its credit office, a market regulator that provided record R, a
second market regulator (东街所) that can take over a verification, a tax bureau implementing sanction S on
R, the city credit office above; and a city elsewhere (350200, 厦门) with its own credit office and market
regulator. The subject's objection against R was accepted, so a verification task sits with the market
regulator.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
import time_machine

from casework.models import CaseTask, Department, HistoryEvent, Sanction
from casework.services.records import record_create
from casework.services.registry import department_create, subject_create, user_create
from casework.services.sanctions import sanction_create

from .conftest import client_for, credit_code, resident_id

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"
DECIDED_ON = date(2026, 11, 2)

DEPARTMENTS = [
    # code, kind, level, division, parent
    ("fz-city", "credit_office", "city", "350100", None),
    ("xy-credit", "credit_office", "district", "350102", "fz-city"),
    ("xy-market", "market_regulation", "district", "350102", None),
    ("xy-market-east", "market_regulation", "district", "350102", None),
    ("xy-tax", "tax", "district", "350102", None),
    ("xm-city", "credit_office", "city", "350200", None),
    ("xm-market", "market_regulation", "district", "350203", None),
]
STAFF = [
    # username, role, department
    ("credit", "reviewer", "xy-credit"),
    ("market", "reviewer", "xy-market"),
    ("market-2", "reviewer", "xy-market"),
    ("east", "reviewer", "xy-market-east"),
    ("tax", "reviewer", "xy-tax"),
    ("xm-reviewer", "reviewer", "xm-market"),
    ("office-head", "supervisor", "xy-credit"),
    ("market-head", "supervisor", "xy-market"),
    ("city-head", "supervisor", "fz-city"),
    ("xm-head", "supervisor", "xm-city"),
]


@dataclass
class World:
    clients: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)


@pytest.fixture
def world(db):
    with time_machine.travel(MONDAY, tick=False):
        w = World()
        departments: dict[str, Department] = {}
        for code, kind, level, division, parent in DEPARTMENTS:
            departments[code] = department_create(
                code=code,
                name=code,
                kind=kind,
                level=level,
                division=division,
                parent=departments.get(parent) if parent else None,
            )
        admin, token = user_create(username="admin", password="a-long-password-1", role="admin")
        w.clients["admin"] = client_for(token)
        for username, role, department in STAFF:
            _, token = user_create(
                username=username,
                password="a-long-password-1",
                role=role,
                departments=[departments[department]],
            )
            w.clients[username] = client_for(token)
        enterprise = subject_create(kind="enterprise", code=credit_code(), name="福州示例贸易有限公司")
        person = subject_create(kind="person", code=resident_id(), name="林晓明")  # no dealings with anyone
        elsewhere = subject_create(
            kind="enterprise", code=credit_code("350203", "MA2Y3K4L7"), name="厦门示例有限公司"
        )
        for username, subject in [("subject", enterprise), ("other-subject", elsewhere)]:
            _, token = user_create(
                username=username, password="a-long-password-1", role="subject", subjects=[subject]
            )
            w.clients[username] = client_for(token)
        record = record_create(
            subject=enterprise,
            kind="admin_penalty",
            severity="general",
            provider=departments["xy-market"],
            decided_on=DECIDED_ON,
            summary="未按规定公示年度报告 (闽榕市监罚〔2026〕12号)",
            actor=admin,
        )
        sanction = sanction_create(
            record=record, measure="限制享受税收优惠", implementer=departments["xy-tax"], actor=admin
        )
        record_create(
            subject=elsewhere,
            kind="admin_penalty",
            severity="general",
            provider=departments["xm-market"],
            decided_on=DECIDED_ON,
            summary="厦门的处罚",
            actor=admin,
        )
        filed = w.clients["subject"].post(
            "/api/v1/cases/",
            {
                "kind": "objection",
                "subject": str(enterprise.public_id),
                "records": [str(record.public_id)],
                "statement": "该处罚已被撤销, 记录有误。",
                "commitment_signed": True,
            },
            format="json",
        )
        assert filed.status_code == 201, filed.content
        accept = CaseTask.objects.get(step="accept")
        accepted = w.clients["credit"].post(
            f"/api/v1/tasks/{accept.public_id}/complete/", {"decision": "accept"}, format="json"
        )
        assert accepted.status_code == 200, accepted.content
        check = CaseTask.objects.get(step="self_check")
        forwarded = w.clients["credit"].post(
            f"/api/v1/tasks/{check.public_id}/complete/", {"decision": "forward"}, format="json"
        )
        assert forwarded.status_code == 200, forwarded.content
        w.ids = {
            "record": str(record.public_id),
            "sanction": str(sanction.public_id),
            "case": filed.json()["number"],
            "task": str(CaseTask.objects.get(step="verify").public_id),
            "enterprise": enterprise.name,
            "person": person.name,
            "elsewhere": elsewhere.name,
        }
        yield w


def request(world: World, action: str, target: str | None):
    """(method, path, body) of one action on the world's objects; `target` is the action's parameter."""
    ids = world.ids
    task = f"/api/v1/tasks/{ids['task']}/"
    return {
        "add_sanction": (
            "post",
            "/api/v1/sanctions/",
            {"record": ids["record"], "measure": "限制评优", "implementer": target},
        ),
        "enter_record": (
            "post",
            "/api/v1/records/",
            {
                "subject": _enterprise_id(),
                "kind": "admin_penalty",
                "severity": "minor",
                "provider": target,
                "decided_on": "2026-11-02",
                "summary": "另一处罚",
            },
        ),
        "read_record": ("get", f"/api/v1/records/{ids['record']}/", None),
        "read_sanction": ("get", f"/api/v1/sanctions/{ids['sanction']}/", None),
        "read_case": ("get", f"/api/v1/cases/{ids['case']}/", None),
        "read_task": ("get", task, None),
        "claim": ("post", task + "claim/", None),
        "extend": ("post", task + "extend/", {"days": 1, "reason": "需调取卷宗"}),
        "reassign": ("post", task + "reassign/", _reassign_body(target)),
        "overdue_board": ("get", "/api/v1/supervision/overdue/", None),
        "supplement": ("post", f"/api/v1/cases/{ids['case']}/supplement/", {"note": "补充"}),
        "feedback": (
            "post",
            f"/api/v1/sanctions/{ids['sanction']}/feedback/",
            {"state": "applied", "on": "2026-11-20", "reference": "榕税惩〔2026〕1号", "reported_by": "王五"},
        ),
        "deliveries": ("get", "/api/v1/deliveries/", None),
        "endpoints": ("get", "/api/v1/endpoints/", None),
        "create_department": (
            "post",
            "/api/v1/departments/",
            {"code": "xy-new", "name": "新部门", "kind": "other", "level": "district", "division": "350102"},
        ),
    }[action]


def _enterprise_id() -> str:
    from casework.models import Subject

    return str(Subject.objects.get(name="福州示例贸易有限公司").public_id)


def _reassign_body(target: str | None) -> dict:
    department, _, assignee = (target or "").partition("/")
    body = {"reason": "督办改派"}
    if department:
        body["department"] = department
    if assignee:
        body["assignee"] = assignee
    return body


def cell(actor: str, action: str, relation: str, expected: int, target: str | None = None):
    return pytest.param(actor, action, target, expected, id=f"{actor}|{action}|{relation}->{expected}")


MATRIX = [
    # Issue 12: a sanction is added by an administrator or a reviewer of the record's provider only.
    cell("admin", "add_sanction", "any record", 201, "xy-tax"),
    cell("market", "add_sanction", "reviewer of the provider, another implementer", 201, "xy-market-east"),
    cell("tax", "add_sanction", "reviewer of the implementer: sees the record", 403, "xy-tax"),
    cell("credit", "add_sanction", "reviewer of the receiving office: sees the record", 403, "xy-tax"),
    cell("east", "add_sanction", "reviewer who cannot see the record", 404, "xy-tax"),
    cell("office-head", "add_sanction", "supervisor", 403, "xy-tax"),
    cell("subject", "add_sanction", "the subject", 403, "xy-tax"),
    # Records are entered by their provider.
    cell("admin", "enter_record", "any provider", 201, "xy-market"),
    cell("market", "enter_record", "own department as provider", 201, "xy-market"),
    cell("tax", "enter_record", "another department as provider", 400, "xy-market"),
    cell("city-head", "enter_record", "supervisor", 403, "xy-market"),
    cell("subject", "enter_record", "the subject", 403, "xy-market"),
    # Reading: inside the scope 200, outside 404 (never 403: existence is not revealed).
    cell("admin", "read_record", "everything", 200),
    cell("tax", "read_record", "implements a sanction on it", 200),
    cell("east", "read_record", "no relation", 404),
    cell("xm-head", "read_record", "supervisor elsewhere", 404),
    cell("subject", "read_sanction", "own subject's", 200),
    cell("other-subject", "read_sanction", "another subject's", 404),
    cell("city-head", "read_case", "in the city's jurisdiction", 200),
    cell("xm-head", "read_case", "outside the jurisdiction", 404),
    cell("tax", "read_case", "holds no task, not the receiving office", 404),
    cell("admin", "read_task", "everything", 200),
    cell("market", "read_task", "own department's task", 200),
    cell("tax", "read_task", "another department's task", 404),
    cell("subject", "read_task", "the subject", 404),
    # Working a step: a reviewer of the task's department; an administrator sees it but decides nothing
    # (谁认定谁修复: the decision is the department's).
    cell("market", "claim", "reviewer of the department", 200),
    cell("market-2", "claim", "colleague in the department", 200),
    cell("tax", "claim", "reviewer elsewhere", 404),
    cell("admin", "claim", "administrator", 403),
    cell("office-head", "claim", "supervisor", 403),
    # Extending a time limit: supervisors in scope and administrators.
    cell("office-head", "extend", "credit office, in jurisdiction", 200),
    cell("market-head", "extend", "department head, in jurisdiction", 200),
    cell("admin", "extend", "administrator", 200),
    cell("xm-head", "extend", "supervisor elsewhere", 404),
    cell("market", "extend", "reviewer", 403),
    # Reassignment (issue 9: administrators can; issue 12: only to departments in the jurisdiction that can
    # hold the step — same kind and level; a colleague within the department for reviewers and heads). The
    # task here is the provider's verification, which keeps its department (docs/domain.md §9.8): across
    # departments only the refusal's order shows (404 out of scope, 403 by role, then 400 on `department`).
    cell("admin", "reassign", "a provider's step, to another department of its kind", 400, "xy-market-east"),
    cell("admin", "reassign", "a provider's step, elsewhere", 400, "xm-market"),
    cell("admin", "reassign", "a provider's step, to a colleague", 200, "/market-2"),
    cell("admin", "reassign", "to a department of another kind", 400, "xy-tax"),
    cell("office-head", "reassign", "credit office, a provider's step elsewhere", 400, "xy-market-east/east"),
    cell("office-head", "reassign", "credit office, a provider's step to a colleague", 200, "/market-2"),
    cell("office-head", "reassign", "credit office, another kind", 400, "xy-tax"),
    cell("office-head", "reassign", "credit office, a credit office", 400, "xy-credit"),
    cell("office-head", "reassign", "credit office, outside the jurisdiction", 403, "xm-market"),
    cell("city-head", "reassign", "city credit office, a provider's step elsewhere", 400, "xy-market-east"),
    cell("xm-head", "reassign", "supervisor elsewhere", 404, "xy-market-east"),
    cell("market-head", "reassign", "department head, to another department", 403, "xy-market-east"),
    cell("market-head", "reassign", "department head, to a colleague", 200, "/market-2"),
    cell("market", "reassign", "reviewer, to another department", 403, "xy-market-east"),
    cell("market", "reassign", "reviewer, to a colleague", 200, "/market-2"),
    cell("market", "reassign", "reviewer, to someone not in the department", 400, "/east"),
    cell("tax", "reassign", "reviewer of another department", 404, "/tax"),
    cell("subject", "reassign", "the subject", 404, "xy-market-east"),
    # Supervision pages: supervisors and administrators.
    cell("admin", "overdue_board", "administrator", 200),
    cell("xm-head", "overdue_board", "supervisor", 200),
    cell("market", "overdue_board", "reviewer", 403),
    cell("subject", "overdue_board", "the subject", 403),
    cell("admin", "deliveries", "administrator", 200),
    cell("city-head", "deliveries", "supervisor", 200),
    cell("tax", "deliveries", "reviewer", 403),
    # The subject's own acts: the subject (400 here: no materials asked for) — never staff.
    cell("subject", "supplement", "the subject", 400),
    cell("market", "supplement", "reviewer who sees the case", 403),
    cell("other-subject", "supplement", "another subject", 404),
    # Execution feedback: the implementing department.
    cell("tax", "feedback", "reviewer of the implementer", 201),
    cell("admin", "feedback", "administrator", 201),
    cell("market", "feedback", "reviewer of the provider: sees it", 403),
    cell("east", "feedback", "no relation", 404),
    # Administration.
    cell("admin", "endpoints", "administrator", 200),
    cell("office-head", "endpoints", "supervisor", 403),
    cell("admin", "create_department", "administrator", 201),
    cell("market", "create_department", "reviewer", 403),
]


@pytest.mark.parametrize(("actor", "action", "target", "expected"), MATRIX)
def test_authorization_matrix(world, actor, action, target, expected):
    method, path, body = request(world, action, target)
    client = world.clients[actor]
    with time_machine.travel(MONDAY, tick=False):
        if method == "get":
            response = client.get(path)
        else:
            response = getattr(client, method)(
                path, body, format="multipart" if action == "supplement" else "json"
            )
    assert response.status_code == expected, response.content.decode()[:500]
    if expected == 201 and action == "add_sanction":
        assert Sanction.objects.filter(measure="限制评优").exists()
    if action == "reassign" and expected == 200:
        [event] = HistoryEvent.objects.filter(action="reassigned")
        assert event.actor.username == actor  # the change carries its history, whoever made it


# Issue 12: subject lists are scoped to what a role needs. (who → the subjects they list)
SUBJECT_SCOPE = [
    ("admin", {"enterprise", "person", "elsewhere"}),
    ("credit", {"enterprise"}),  # requests filed at their credit office
    ("market", {"enterprise"}),  # records they provided, tasks they hold
    ("tax", {"enterprise"}),  # sanctions they implement
    ("east", set()),  # never dealt with anyone: not every subject of the district
    ("xm-reviewer", {"elsewhere"}),
    ("office-head", {"enterprise", "person"}),  # supervisors: their jurisdiction
    ("city-head", {"enterprise", "person"}),
    ("xm-head", {"elsewhere"}),
    ("subject", {"enterprise"}),
]


@pytest.mark.parametrize(("actor", "expected"), SUBJECT_SCOPE, ids=[a for a, _ in SUBJECT_SCOPE])
def test_subject_lists_are_scoped_to_what_a_role_needs(world, actor, expected):
    names = {s["name"] for s in world.clients[actor].get("/api/v1/subjects/").json()}
    assert names == {world.ids[key] for key in expected}


def test_a_reviewer_sees_a_subject_once_their_department_holds_a_task_on_it(world):
    """The 'holds tasks on' relation: a task held at 东街所 shows its subject there. (A provider's step no
    longer moves there, docs/domain.md §9.8; the row is placed directly, as a department-kind step would be.)"""
    CaseTask.objects.filter(public_id=world.ids["task"]).update(
        department=Department.objects.get(code="xy-market-east")
    )
    names = {s["name"] for s in world.clients["east"].get("/api/v1/subjects/").json()}
    assert names == {world.ids["enterprise"]}


def test_services_enforce_the_policy_whatever_the_interface(world):
    """The API's early answers are a courtesy; the services refuse on their own (an import, a command, a
    future interface cannot bypass the rule)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from casework.models import CreditRecord, User
    from casework.services.assignment import task_reassign

    record = CreditRecord.objects.get(public_id=world.ids["record"])
    tax = User.objects.get(username="tax")
    with pytest.raises(PermissionDenied):
        sanction_create(record=record, measure="限制评优", implementer=tax.departments.get(), actor=tax)
    task = CaseTask.objects.get(public_id=world.ids["task"])
    with pytest.raises(ValidationError) as refused:
        task_reassign(
            task=task,
            actor=User.objects.get(username="office-head"),
            reason="督办改派",
            department=Department.objects.get(code="xy-tax"),
        )
    assert "department" in refused.value.message_dict
    assert CaseTask.objects.get(pk=task.pk).department.code == "xy-market"


def test_a_refusal_says_why_in_the_readers_language(world):
    body = {"record": world.ids["record"], "measure": "限制评优", "implementer": "xy-tax"}
    tax = world.clients["tax"]
    english = tax.post("/api/v1/sanctions/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    chinese = tax.post("/api/v1/sanctions/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.json() == {
        "detail": "Only an administrator or a reviewer of xy-market adds sanctions to this record."
    }
    assert chinese.json() == {"detail": "只有管理员或xy-market的经办人可以为该记录添加惩戒措施。"}
    reassign = f"/api/v1/tasks/{world.ids['task']}/reassign/"
    with time_machine.travel(MONDAY, tick=False):
        wrong_kind = world.clients["office-head"].post(
            reassign,
            {"department": "xy-tax", "reason": "督办"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    # docs/domain.md §9.8: the provider's verification keeps its department; the refusal names it.
    assert wrong_kind.json() == {
        "department": ["该环节由作出认定的xy-market办理（谁认定谁修复），只能改派给该部门的经办人。"]
    }


def test_the_web_forms_choices_are_exactly_what_the_service_accepts(world):
    """Issue 12's kind "the web form limits it, the API does not": for every user and every department, the
    department is offered (`reassign_targets`) if and only if the service's rule lets the task go there."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from casework import policies
    from casework.exceptions import NotVisible
    from casework.models import User

    task = CaseTask.objects.select_related("department", "flow_task").get(public_id=world.ids["task"])
    mismatches = []
    for user in User.objects.order_by("username"):
        offered = set(policies.reassign_targets(user, task))
        for department in Department.objects.order_by("code"):
            try:
                policies.ensure_may_reassign(user, task, department)
                accepted = True
            except (PermissionDenied, NotVisible, ValidationError):
                accepted = False
            if accepted != (department in offered):
                mismatches.append((user.username, department.code, accepted))
    assert mismatches == []
