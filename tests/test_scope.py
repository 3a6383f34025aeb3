"""Who sees what (DESIGN contract): subjects their own cases, reviewers their departments' queues,
supervisors their jurisdiction (read-only), and the API docs for everyone signed in."""

from datetime import date

import pytest
import time_machine

from casework.models import Department, Sanction
from casework.selectors import sanction_state_on
from casework.services.registry import department_create, user_create

from .conftest import client_for
from .world import build_world, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db


def supervisor(code: str, division: str, level: str):
    parent = Department.objects.get(code="xy-credit") if level == "district" else None
    department = Department.objects.filter(code=code).first() or department_create(
        code=code, name=code, kind="credit_office", level=level, division=division, parent=parent
    )
    _, token = user_create(
        username=f"sup-{code}", password="a-long-password-1", role="supervisor", departments=[department]
    )
    return client_for(token)


def test_supervisors_read_their_jurisdiction_and_cannot_decide(admin_api):
    world = build_world(admin_api)
    number = file_objection(world).json()["number"]
    city = supervisor("fz-credit", "350100", "city")
    province = supervisor("fj-credit", "350000", "province")
    elsewhere = supervisor("xm-credit", "350200", "city")
    district = supervisor("xy-credit", "350102", "district")

    for client in (city, province, district):
        assert client.get(f"/api/v1/cases/{number}/").status_code == 200
    assert elsewhere.get(f"/api/v1/cases/{number}/").status_code == 404
    assert [c["number"] for c in city.get("/api/v1/cases/").json()] == [number]
    assert elsewhere.get("/api/v1/cases/").json() == []

    [task] = queue(district)  # the district head sees the office's queue …
    response = district.post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
    assert response.status_code == 403  # … but supervisors change nothing but assignment


def test_subject_users_cannot_write_the_registry(admin_api):
    world = build_world(admin_api)
    response = world["subject"].post(
        "/api/v1/records/",
        {
            "subject": world.subject["id"],
            "kind": "admin_penalty",
            "severity": "minor",
            "provider": "xy-market",
            "decided_on": "2026-01-05",
            "summary": "x",
        },
        format="json",
    )
    assert response.status_code == 403
    assert world["subject"].get(f"/api/v1/records/{world.record['id']}/").status_code == 200
    assert world["other_subject"].get(f"/api/v1/records/{world.record['id']}/").status_code == 404


def test_a_reviewer_enters_records_only_for_their_department(admin_api):
    world = build_world(admin_api)
    response = world["tax"].post(
        "/api/v1/records/",
        {
            "subject": world.subject["id"],
            "kind": "admin_penalty",
            "severity": "minor",
            "provider": "xy-market",
            "decided_on": "2026-01-05",
            "summary": "x",
        },
        format="json",
    )
    assert response.status_code == 400 and "provider" in response.json()


def test_whether_a_sanction_was_in_force_on_a_day_comes_from_history(admin_api):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        world = build_world(admin_api)
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        file_objection(world)
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        forward_objection(world)
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False):
        [verify] = queue(world["market"])
        world["market"].post(
            f"/api/v1/tasks/{verify['id']}/complete/",
            {"decision": "deleted", "note": "处罚已撤销"},
            format="json",
        )
    sanction = Sanction.objects.get(public_id=world.sanctions[0]["id"])
    # Entered on 20 November for a decision of 2 March: it binds from the decision (docs/domain.md §9.12).
    assert sanction_state_on(sanction, date(2026, 3, 1)) is None
    assert sanction_state_on(sanction, date(2026, 11, 19)) == "active"
    assert sanction_state_on(sanction, date(2026, 11, 20)) == "active"
    assert sanction_state_on(sanction, date(2026, 11, 24)) == "suspended"
    assert sanction_state_on(sanction, date(2026, 11, 26)) == "revoked"


def test_openapi_schema_and_docs_are_served(admin_api):
    schema = admin_api.get("/api/schema/")
    assert schema.status_code == 200
    body = schema.content.decode()
    for path in ("/api/v1/cases/", "/api/v1/tasks/{public_id}/complete/", "/api/v1/departments/"):
        assert path in body
    assert "request_materials" in body  # each step's decisions are documented
    assert admin_api.get("/api/docs/").status_code == 200


def test_not_found_says_nothing_about_what_exists_in_the_readers_language(admin_api):
    world = build_world(admin_api)
    number = file_objection(world).json()["number"]
    for language, text in [("zh-hans", "未找到。"), ("en", "Not found.")]:
        response = world["other_subject"].get(f"/api/v1/cases/{number}/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 404 and response.json() == {"detail": text}
