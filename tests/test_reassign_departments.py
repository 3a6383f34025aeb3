"""docs/domain.md §9.8 (谁认定谁修复): a department's own part of a case — a per-department branch (bankruptcy
shielding, one task per provider) or any step whose department comes from the record's provider — keeps its
department. Reassignment moves it between people of that department; a move elsewhere is refused on
`department` with a message naming the department, on the API and the web form alike. A step the rules place
by kind and level (the receiving credit office's acceptance) still moves to a department of that kind.

Regression: moving the market regulator's bankruptcy `shield` task to the court closed the case `repaired`
while the market record was still published and its sanction active.
"""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client

from casework.models import Case, CaseTask, CreditRecord, Department, User
from casework.services.assignment import task_reassign
from casework.services.registry import department_create

from .test_bankruptcy_api import file_bankruptcy, restructuring_world
from .test_list_exit_api import file_exit, listed_world
from .test_repair_api import decide, file_repair
from .web_world import second_market_regulator
from .world import build_world, file_objection

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"
TARGETS = ("own", "xy-market-east", "xy-tax", "xy-court", "xy-credit", "xy-credit-east")


class _Undo(Exception):
    pass


def _moved(task: CaseTask, target: str) -> str:
    """Try the move as an administrator (who may cross every department); 'ok' or the refused field. The
    move is rolled back either way, so every target is tried on the same task."""
    admin = User.objects.get(username="admin")
    department = task.department if target == "own" else Department.objects.get(code=target)
    try:
        with transaction.atomic():
            task_reassign(task=task, actor=admin, reason="督办改派", department=department)
            raise _Undo
    except _Undo:
        return "ok"
    except ValidationError as refused:
        return ",".join(sorted(refused.message_dict))


def _extra_departments():
    second_market_regulator()
    department_create(
        code="xy-credit-east",
        name="台江区信用办",
        kind="credit_office",
        level="district",
        division="350103",
        parent=Department.objects.get(code="xy-city"),
    )


def _objection(admin_api):
    world = build_world(admin_api)
    file_objection(world)
    decide(world["credit"], "accept", "accept")
    return [CaseTask.objects.get(step="verify")]


def _repair(admin_api):
    world = build_world(admin_api, severity="general")
    assert file_repair(world).status_code == 201
    decide(world["credit"], "accept", "accept")
    return [CaseTask.objects.get(step="verify")]


def _list_exit(admin_api):
    world = listed_world(admin_api)
    assert file_exit(world).status_code == 201
    decide(world["credit"], "accept", "accept")
    return [CaseTask.objects.get(step="verify")]


def _bankruptcy(admin_api):
    world = restructuring_world(admin_api)
    assert file_bankruptcy(world).status_code == 201
    return list(CaseTask.objects.filter(step="shield").order_by("department__code"))


def _acceptance(admin_api):
    world = build_world(admin_api)
    file_objection(world)
    return [CaseTask.objects.get(step="accept")]


REFUSED_ELSEWHERE = {target: ("ok" if target == "own" else "department") for target in TARGETS}
TABLE = [
    # (case and step, what each target answers)
    ("objection verify (provider)", _objection, REFUSED_ELSEWHERE),
    ("repair verify (provider)", _repair, REFUSED_ELSEWHERE),
    ("list-exit verify (provider)", _list_exit, REFUSED_ELSEWHERE),
    ("bankruptcy shield, each department's branch", _bankruptcy, REFUSED_ELSEWHERE),
    (
        "acceptance (receiving credit office, placed by kind and level)",
        _acceptance,
        {**REFUSED_ELSEWHERE, "xy-credit": "ok", "xy-credit-east": "ok"},
    ),
]


@pytest.mark.parametrize(("name", "build", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_reassignment_a_departments_own_step_keeps_its_department(admin_api, name, build, expected):
    with time_machine.travel(MONDAY, tick=False):
        tasks = build(admin_api)
        _extra_departments()
        for task in tasks:
            own = task.department.code
            answers = {target: _moved(task, target) for target in TARGETS}
            wanted = {t: ("ok" if t == own else e) for t, e in expected.items()}
            assert answers == wanted, (name, own)
            assert CaseTask.objects.get(pk=task.pk).department.code == own


def test_reassignment_the_market_shield_moved_to_the_court_is_refused_and_nothing_is_repaired(admin_api):
    """The fault as found: the shield branch of the market regulator handed to the court."""
    with time_machine.travel(MONDAY, tick=False):
        world = restructuring_world(admin_api)
        number = file_bankruptcy(world).json()["number"]
        shield = CaseTask.objects.get(step="shield", department__code="xy-market")
        api = admin_api.post(
            f"/api/v1/tasks/{shield.public_id}/reassign/",
            {"department": "xy-court", "reason": "督办改派"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert api.status_code == 400
        assert api.json() == {
            "department": [
                "This step belongs to 鼓楼区市场监管局, the department that made the finding (谁认定谁修复); it can "
                "only go to a colleague there."
            ]
        }
        web = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        web.force_login(User.objects.get(username="admin"))
        url = f"/supervision/tasks/{shield.public_id}/reassign/"
        offered = {d.code for d in web.get(url).context["form"].fields["department"].queryset}
        assert offered == {"xy-market"}
        page = web.post(url, {"department": "xy-court", "reason": "督办改派"})
        assert page.status_code == 400
        assert page.context["form"].errors["department"] == [
            "该环节由作出认定的鼓楼区市场监管局办理（谁认定谁修复），只能改派给该部门的经办人。"
        ]
        decide(world["court"], "shield", "shield", "")
        decide(world["tax"], "shield", "shield", "")
    case = Case.objects.get(number=number)
    assert case.state == "shielding" and case.outcome == ""  # the market regulator's branch is still open
    market = CreditRecord.objects.get(provider__code="xy-market")
    assert market.publicity == "published"
    assert set(market.sanctions.values_list("state", flat=True)) == {"active"}
    assert CaseTask.objects.get(pk=shield.pk).department.code == "xy-market"
