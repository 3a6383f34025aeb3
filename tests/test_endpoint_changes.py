"""Issue 9 item 3: "an API view writes endpoints directly". Push endpoints are now registered and changed by
a service (DESIGN invariant 1), each change with its history event (invariant 2) — and never the secret."""

import pytest

from casework.models import HistoryEvent
from casework.services.history_verify import history_verify
from integration.models import Endpoint

pytestmark = pytest.mark.django_db

SECRET = "7f3c0a9e5b2d4c8e9a1f6b3d2c7e8a9f"


def test_registering_and_changing_an_endpoint_is_recorded_in_its_history_without_the_secret(admin_api):
    created = admin_api.post(
        "/api/v1/endpoints/",
        {
            "name": "国家平台",
            "national": True,
            "url": "https://platform.example.gov.cn/push",
            "secret": SECRET,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    endpoint = Endpoint.objects.get()
    changed = admin_api.patch(
        f"/api/v1/endpoints/{created.json()['id']}/", {"active": False, "secret": "n" * 40}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    events = list(HistoryEvent.objects.filter(stream=f"endpoint:{endpoint.public_id}").order_by("seq"))
    assert [e.action for e in events] == ["endpoint_created", "endpoint_changed"]
    assert all(e.actor.username == "admin" for e in events)
    assert events[1].data == {
        "changed": {"active": {"before": True, "after": False}},
        "secret_rotated": True,
    }
    assert all(SECRET not in str(e.data) and "n" * 40 not in str(e.data) for e in events)
    assert history_verify().ok


def test_an_endpoint_the_model_refuses_is_a_field_error_and_nothing_is_saved(admin_api):
    response = admin_api.patch(
        "/api/v1/endpoints/00000000-0000-0000-0000-000000000000/", {"active": False}, format="json"
    )
    assert response.status_code == 404
    created = admin_api.post(
        "/api/v1/endpoints/",
        {"name": "税务", "url": "https://tax.example.gov.cn/push", "secret": SECRET},
        format="json",
    )
    assert created.status_code == 400 and "department" in created.json()
    assert not Endpoint.objects.exists() and not HistoryEvent.objects.exists()
