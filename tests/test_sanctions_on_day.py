"""Issue 11 / docs/domain.md §9.12: sanctions bind from an effective date; "was this measure in
force on day D" and "which measures bound subject X on day D" are answered from history, for the whole
Beijing day (in force at any moment of it, with the changes during it)."""

import pytest
import time_machine

from casework.models import Sanction

from .world import build_world, created, file_objection, queue

pytestmark = pytest.mark.django_db


def at(moment: str):
    return time_machine.travel(f"{moment} +0800", tick=False)


@pytest.fixture
def suspended_at_0030(admin_api):
    """Sanctions since 2 March; an objection accepted at 00:30 Beijing time on 4 March suspends them."""
    with at("2026-03-02 10:00"):
        world = build_world(admin_api, decided_on="2026-03-02")
        file_objection(world)
        [task] = queue(world["credit"])
    with at("2026-03-04 00:30"):  # 2026-03-03 16:30 UTC: a UTC reading files it under the wrong day
        response = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json"
        )
        assert response.status_code == 200, response.content
    assert {s.state for s in Sanction.objects.all()} == {"suspended"}
    return world


def on_day(world, day: str) -> dict:
    response = world.admin.get(f"/api/v1/sanctions/{world.sanctions[0]['id']}/?on={day}")
    assert response.status_code == 200, response.content
    return response.json()["on_day"]


def test_rule_12_a_suspension_at_0030_beijing_leaves_the_measure_in_force_that_day(suspended_at_0030):
    world = suspended_at_0030
    before = on_day(world, "2026-03-03")
    assert (before["in_force"], before["state_at_start"], before["state_at_end"], before["changes"]) == (
        True,
        "active",
        "active",
        [],
    )
    day = on_day(world, "2026-03-04")
    assert (day["in_force"], day["state_at_start"], day["state_at_end"]) == (True, "active", "suspended")
    assert [(c["action"], c["from_state"], c["to_state"]) for c in day["changes"]] == [
        ("suspend", "active", "suspended")
    ]
    assert day["changes"][0]["at"].startswith("2026-03-04T00:30")
    after = on_day(world, "2026-03-05")
    assert (after["in_force"], after["state_at_start"], after["changes"]) == (False, "suspended", [])


def test_rule_12_which_measures_bound_the_subject_on_day_d(suspended_at_0030):
    world = suspended_at_0030
    url = f"/api/v1/subjects/{world.subject['id']}/sanctions/"
    bound = world.admin.get(url, {"in_force_on": "2026-03-04"}).json()
    assert sorted(s["measure"] for s in bound) == sorted(["限制参与政府采购", "限制享受税收优惠"])
    assert all(s["state_now"] == "suspended" and s["on_day"]["changes"] for s in bound)
    assert world.admin.get(url, {"in_force_on": "2026-03-05"}).json() == []
    assert world.admin.get(url, {"in_force_on": "2026-03-01"}).json() == []  # before the decision
    # The subject itself may ask about itself; another company may not.
    assert len(world["subject"].get(url, {"in_force_on": "2026-03-04"}).json()) == 2
    assert world["other_subject"].get(url, {"in_force_on": "2026-03-04"}).status_code == 404


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", ""])
def test_rule_12_a_bad_day_is_a_field_error(suspended_at_0030, bad):
    world = suspended_at_0030
    response = world.admin.get(f"/api/v1/subjects/{world.subject['id']}/sanctions/", {"in_force_on": bad})
    assert response.status_code == 400 and "in_force_on" in response.json()
    if bad:
        response = world.admin.get(f"/api/v1/sanctions/{world.sanctions[0]['id']}/", {"on": bad})
        assert response.status_code == 400 and "on" in response.json()


def test_rule_12_a_back_dated_effective_date_binds_from_that_date(admin_api):
    """Entered on 30 November for a decision of 2 March, binding from 10 March: in force on 15 March although
    its row (and its first history event) came eight months later; not yet on 9 March."""
    with at("2026-03-02 10:00"):
        world = build_world(admin_api, decided_on="2026-03-02")
    with at("2026-11-30 15:00"):
        sanction = created(
            world.admin.post(
                "/api/v1/sanctions/",
                {
                    "record": world.record["id"],
                    "measure": "限制高消费",
                    "implementer": "xy-market",
                    "effective_from": "2026-03-10",
                },
                format="json",
            )
        )
    assert sanction["effective_from"] == "2026-03-10"
    url = f"/api/v1/sanctions/{sanction['id']}/"
    assert world.admin.get(url, {"on": "2026-03-09"}).json()["on_day"] == {
        "on": "2026-03-09",
        "in_force": False,
        "state_at_start": None,
        "state_at_end": None,
        "changes": [],
    }
    day = world.admin.get(url, {"on": "2026-03-15"}).json()["on_day"]
    assert (day["in_force"], day["state_at_start"], day["changes"]) == (True, "active", [])
    # Without a date of its own a measure binds from its record's decision date.
    default = world.admin.get(f"/api/v1/sanctions/{world.sanctions[0]['id']}/", {"on": "2026-03-02"}).json()
    assert default["effective_from"] == "2026-03-02" and default["on_day"]["in_force"] is True
    listed = world.admin.get(
        f"/api/v1/subjects/{world.subject['id']}/sanctions/", {"in_force_on": "2026-03-09"}
    )
    assert sorted(s["measure"] for s in listed.json()) == sorted(["限制参与政府采购", "限制享受税收优惠"])


def test_rule_12_an_effective_date_before_the_decision_is_refused(admin_api):
    with at("2026-03-02 10:00"):
        world = build_world(admin_api, decided_on="2026-03-02")
        response = world.admin.post(
            "/api/v1/sanctions/",
            {"record": world.record["id"], "measure": "限制高消费", "implementer": "xy-market",
             "effective_from": "2026-03-01"},
            format="json",
        )  # fmt: skip
    assert response.status_code == 400 and "2026-03-02" in response.json()["effective_from"][0]
    assert not Sanction.objects.filter(measure="限制高消费").exists()


def test_rule_12_the_dossier_page_answers_for_a_day(suspended_at_0030):
    from django.test import Client

    from .web_world import add_supervisor

    world = suspended_at_0030
    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    web.force_login(add_supervisor())
    url = f"/supervision/subjects/{world.subject['id']}/"

    def answer(day: str) -> str:
        page = web.get(url, {"on": day})
        assert page.status_code == 200
        html = page.content.decode()
        return html[html.index('class="list in-force-on"') :].split("</table>")[0]

    suspended_day = answer("2026-03-04")
    assert suspended_day.count("<tr>") == 2 and "限制参与政府采购" in suspended_day
    assert "<time>00:30</time> active → suspended" in suspended_day
    assert "No measure was in force that day." in answer("2026-03-05")
    assert "Give a date as YYYY-MM-DD." in web.get(url, {"on": "03/04"}).content.decode()
