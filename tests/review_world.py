"""Helpers for the review (复核) tests: an objection decided through the API, and the review asked of it."""

import time_machine

from .world import build_world, created, file_objection

CLIENT_OF = {
    "xy-credit": "credit",
    "xy-market": "market",
    "xy-tax": "tax",
    "xy-court": "court",
    "xy-city": "city",
    "xy-province": "province",
}
ACCEPTING = ("accept", "forward", "verify")  # whatever the objection flow's intermediate steps call "go on"


def case_of(world, number: str, client: str = "subject") -> dict:
    response = world[client].get(f"/api/v1/cases/{number}/")
    assert response.status_code == 200, response.content
    return response.json()


def open_tasks(world, number: str) -> list[dict]:
    tasks = world.admin.get(f"/api/v1/cases/{number}/").json()["tasks"]
    return [t for t in tasks if t["state"] in ("open", "claimed")]


def complete(world, task: dict, decision: str, note: str = "经核实。", **data) -> None:
    client = world[CLIENT_OF[task["department"]]]
    response = client.post(
        f"/api/v1/tasks/{task['id']}/complete/", {"decision": decision, "note": note, **data}, format="json"
    )
    assert response.status_code == 200, response.content


def decide_objection(world, number: str, outcome: str, **data) -> dict:
    """Walk the objection's steps (acceptance, any forwarding) to its verification and decide `outcome`."""
    for _step in range(6):
        tasks = open_tasks(world, number)
        if not tasks:
            break
        [task] = tasks
        if outcome in task["decisions"]:
            complete(world, task, outcome, **data)
            continue
        going_on = [d for d in task["decisions"] if d in ACCEPTING or d.startswith("forward")]
        complete(world, task, going_on[0])
    case = case_of(world, number)
    assert case["state"] == "closed" and case["outcome"] == outcome, case
    return case


def decided_objection(
    admin_api,
    outcome: str = "upheld",
    at: str = "2026-09-29 10:00 +0800",
    record_kind="admin_penalty",
    **data,
):
    with time_machine.travel(at, tick=False):
        world = build_world(admin_api, kind=record_kind)
        number = created(file_objection(world))["number"]
        decide_objection(world, number, outcome, **data)
    return world, number


def ask_review(
    world, number: str, client: str = "subject", statement: str = "原核实意见有误, 请上一级复核。"
):
    return world[client].post(f"/api/v1/cases/{number}/review/", {"statement": statement}, format="json")
