"""Races at filing (PostgreSQL, real threads): two simultaneous filings on one record make one case and a
400 naming it (docs/domain.md §9.6); two simultaneous answers to one 补正 make one answer and a 409
(issue 12: every race loses cleanly)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Case, HistoryEvent, Material

from .conftest import client_for
from .test_races import race
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def subject_twice(world):
    """Two API clients of the subject's representative: one per thread (a client is not thread-safe)."""
    token = world["subject"]._credentials["HTTP_AUTHORIZATION"].removeprefix("Token ")
    return client_for(token), client_for(token)


def file_objection_with(client, world):
    return client.post(
        "/api/v1/cases/",
        {
            "kind": "objection",
            "subject": world.subject["id"],
            "records": [world.record["id"]],
            "statement": "该处罚已被撤销, 记录有误。",
            "commitment_signed": True,
        },
        format="json",
    )


def test_one_open_request_two_simultaneous_objections_on_one_record_make_one_case(admin_api):
    world = build_world(admin_api)
    first, second = subject_twice(world)

    responses = race(lambda: file_objection_with(first, world), lambda: file_objection_with(second, world))

    assert sorted(r.status_code for r in responses) == [201, 400]
    [won] = [r.json() for r in responses if r.status_code == 201]
    [lost] = [r.json() for r in responses if r.status_code == 400]
    assert won["number"] in " ".join(lost["records"])
    assert Case.objects.filter(kind="objection").count() == 1
    assert HistoryEvent.objects.filter(action="filed").count() == 1


def test_two_simultaneous_answers_to_one_supplement_request_one_wins_the_other_409(admin_api):
    world = build_world(admin_api)
    number = file_objection(world).json()["number"]
    [task] = queue(world["credit"])
    asked = world["credit"].post(
        f"/api/v1/tasks/{task['id']}/complete/",
        {"decision": "request_materials", "note": "请补充撤销决定书"},
        format="json",
    )
    assert asked.status_code == 200, asked.content
    first, second = subject_twice(world)
    url = f"/api/v1/cases/{number}/supplement/"

    def answer(client, name):
        upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
        return client.post(url, {"materials": [upload], "note": "补正"}, format="multipart")

    responses = race(lambda: answer(first, "a.pdf"), lambda: answer(second, "b.pdf"))

    assert sorted(r.status_code for r in responses) == [200, 409]
    assert Material.objects.filter(case__number=number, purpose="supplement").count() == 1
    assert HistoryEvent.objects.filter(action="receive_materials").count() == 1
