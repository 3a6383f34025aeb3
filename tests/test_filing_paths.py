"""Issue 9 item 2 / issue 10: every entry opens its case the same way (number, rule set, both clocks, history,
flow), routing follows the office tree (docs/domain.md §9.11), one open request per record and kind
(item 6), and a rule set's step `department` decides where the task goes (issue 9 item 6)."""

import copy

import pytest
import time_machine

from casework import rules
from casework.models import Case, DeadlinePurpose, HistoryEvent

from .conftest import client_for, credit_code
from .test_list_exit_api import listed_world, to_publicity
from .test_repair_api import file_repair
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


def clocks_of(number: str) -> set[str]:
    return set(Case.objects.get(number=number).deadlines.values_list("purpose", flat=True))


def test_an_objection_during_list_exit_publicity_has_both_clocks_and_no_fabricated_commitment(admin_api):
    """Fault kind: an entry that opened its case its own way (issue 9 item 2)."""
    with time_machine.travel(MONDAY, tick=False):
        world = listed_world(admin_api)
        exit_number = to_publicity(world)
        response = world["other_subject"].post(
            f"/api/v1/cases/{exit_number}/publicity-objections/", {"statement": "仍拖欠货款"}, format="json"
        )
    assert response.status_code == 201, response.content
    objection = Case.objects.get(number=response.json()["number"])
    assert objection.commitment_signed_at is None  # the objector signed nothing
    assert clocks_of(objection.number) >= {DeadlinePurpose.LEGAL, DeadlinePurpose.SERVICE}
    filed = HistoryEvent.objects.get(stream=f"case:{objection.number}", action="filed")
    assert filed.data["objects_to"] == exit_number and filed.data["rule_set"] == objection.rule_set.version
    # A subject's own filing still records the commitment it signed.
    exit_case = Case.objects.get(number=exit_number)
    assert exit_case.commitment_signed_at is not None


def _city_world(admin_api, division: str):
    """The API world plus an enterprise registered at `division`, represented by a portal user."""
    world = build_world(admin_api)
    code = credit_code(division, org="MA2Y3K4L7")
    subject = admin_api.post(
        "/api/v1/subjects/", {"kind": "enterprise", "code": code, "name": "福州市级企业"}, format="json"
    ).json()
    user = admin_api.post(
        "/api/v1/users/",
        {"username": "city-subject", "password": "a-long-password-1", "role": "subject", "subjects": [code]},
        format="json",
    ).json()
    record = admin_api.post(
        "/api/v1/records/",
        {
            "subject": subject["id"],
            "kind": "admin_penalty",
            "severity": "general",
            "provider": "xy-market",
            "decided_on": "2026-03-02",
            "summary": "市级登记企业的处罚",
        },
        format="json",
    ).json()
    world.subject, world.record = subject, record
    world.clients["subject"] = client_for(user["token"])
    return world


@pytest.mark.parametrize(
    "division",
    [
        "350100",  # a city-level code (docs/domain.md example 91350100M000100Y43): the city's own office
        "350105",  # a district of the city without a credit office: the nearest office up the tree
    ],
)
def test_routing_a_city_registered_enterprise_lands_at_the_city_credit_office(admin_api, division):
    """docs/domain.md §9.11: the district's credit office, else the city's, else the province's."""
    with time_machine.travel(MONDAY, tick=False):
        world = _city_world(admin_api, division)
        response = file_objection(world)
        assert response.status_code == 201, response.content
        assert Case.objects.get(number=response.json()["number"]).receiving_office.code == "xy-city"
        [task] = queue(world["city"])
        assert (task["step"], task["department"]) == ("accept", "xy-city")
        assert queue(world["credit"]) == []


def test_routing_a_district_with_its_own_office_stays_there(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
    assert Case.objects.get(number=number).receiving_office.code == "xy-credit"


@pytest.mark.parametrize("kind", ["objection", "repair"])
def test_one_open_request_per_record_and_kind_names_the_open_case(admin_api, kind):
    """docs/domain.md §9.6: a second filing on a record with an open request of its kind is a 400."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        file = file_objection if kind == "objection" else file_repair
        first = file(world)
        assert first.status_code == 201, first.content
        second = file(world)
    assert second.status_code == 400, second.content
    assert first.json()["number"] in " ".join(second.json()["records"])
    assert Case.objects.filter(kind=kind).count() == 1


def test_an_open_request_of_another_kind_does_not_block(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        assert file_repair(world).status_code == 201
        assert file_objection(world).status_code == 201


@pytest.mark.parametrize(
    ("department", "code", "queue_of"), [("city_office", "xy-city", "city"), ("court", "xy-court", "court")]
)
def test_editing_a_steps_department_in_the_rule_set_moves_the_task(
    admin_api, monkeypatch, department, code, queue_of
):
    """Issue 9 item 6: the rule key `department` is read; no flow hard-codes where a step goes."""
    edited = copy.deepcopy(rules.PROFILES["national-2026"])
    edited["version"] = f"national-2026.edited-{department}"
    edited["case_kinds"]["objection"]["steps"]["verify"]["department"] = department
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        file_objection(world)  # filed under the shipped rules: verification at the provider
        monkeypatch.setitem(rules.PROFILES, "national-2026", edited)
        world.record = admin_api.post(
            "/api/v1/records/",
            {
                "subject": world.subject["id"],
                "kind": "admin_penalty",
                "severity": "general",
                "provider": "xy-market",
                "decided_on": "2026-03-02",
                "summary": "另一处罚",
            },
            format="json",
        ).json()
        edited_number = file_objection(world).json()["number"]
        for step, decision in [("accept", "accept"), ("self_check", "forward")]:
            for task in [t for t in queue(world["credit"]) if t["step"] == step]:
                response = world["credit"].post(
                    f"/api/v1/tasks/{task['id']}/complete/", {"decision": decision}, format="json"
                )
                assert response.status_code == 200, response.content
    [shipped] = queue(world["market"])
    [moved] = queue(world[queue_of])
    assert shipped["step"] == moved["step"] == "verify"
    assert moved["case"] == edited_number and moved["department"] == code


def test_routing_a_repair_received_by_the_city_office_reports_from_the_city_up(admin_api, settings):
    """Items 11 and 逐级上报 (Turpan §16): no district level below a city-received case; city, then province."""
    settings.CASEWORK_RULE_PROFILE = "local-plan"
    with time_machine.travel(MONDAY, tick=False):
        world = _city_world(admin_api, "350100")
        response = file_repair(world)
        assert response.status_code == 201, response.content
        number = response.json()["number"]
        steps = []
        for client, step in [("city", "accept"), ("market", "verify"), ("city", "report_city")]:
            [task] = [t for t in queue(world[client]) if t["case"] == number]
            steps.append((task["step"], task["department"]))
            decision = "accept" if step == "accept" else "approve"
            done = world[client].post(
                f"/api/v1/tasks/{task['id']}/complete/", {"decision": decision, "note": "同意"}, format="json"
            )
            assert done.status_code == 200, done.content
        [last] = queue(world["province"])
    assert steps == [("accept", "xy-city"), ("verify", "xy-market"), ("report_city", "xy-city")]
    assert (last["step"], last["department"]) == ("report_province", "xy-province")
    assert queue(world["credit"]) == []


def test_routing_a_province_without_any_credit_office_is_a_field_error(admin_api, english):
    with time_machine.travel(MONDAY, tick=False):
        world = _city_world(admin_api, "440103")
        response = file_objection(world)
    assert response.status_code == 400
    assert response.json()["subject"] == ["No credit office is registered for division 440103 or above it."]
    assert Case.objects.count() == 0
