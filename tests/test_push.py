"""Issue #6: results and sanction changes are pushed, signed, to a real HTTP server; a receiver that is down
for a while gets every delivery once it is back, exactly once per delivery id."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from integration.models import Delivery, DeliveryAttempt, DeliveryState
from integration.push import push_dispatch_due

from .conftest import client_for
from .receiver import Receiver, serve
from .world import build_world, created, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-11-23T10:00:00+08:00")
SECRETS = {"/national": "n" * 40, "/tax": "t" * 40, "/finance": "f" * 40}


@pytest.fixture
def receiver():
    receiver = Receiver(secrets=SECRETS)
    server, base = serve(receiver)
    receiver.base = base
    yield receiver
    server.shutdown()
    server.server_close()


def configure_endpoints(world, receiver):
    for name, department, national in [
        ("/national", None, True),
        ("/tax", "xy-tax", False),
        ("/finance", "xy-finance", False),
    ]:
        body = created(
            world.admin.post(
                "/api/v1/endpoints/",
                {
                    "name": name,
                    "department": department,
                    "national": national,
                    "url": receiver.base + name,
                    "secret": SECRETS[name],
                },
                format="json",
            )
        )
        assert "secret" not in body  # secrets never leave the server
    assert all("secret" not in e for e in world.admin.get("/api/v1/endpoints/").json())


def objection_deleted(world):
    """Accept an objection (both sanctions suspended), then find the record wrong (both revoked)."""
    number = created(file_objection(world))["number"]
    [task] = queue(world["credit"])
    world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
    forward_objection(world)
    [verify] = queue(world["market"])
    response = world["market"].post(
        f"/api/v1/tasks/{verify['id']}/complete/",
        {"decision": "deleted", "note": "经核实有误"},
        format="json",
    )
    assert response.status_code == 200, response.content
    return number


def test_every_delivery_arrives_signed_and_once_after_the_receiver_was_down(admin_api, receiver):
    with time_machine.travel(START, tick=False) as clock:
        world = build_world(admin_api)
        configure_endpoints(world, receiver)
        number = objection_deleted(world)

        # 2 sanctions × (suspended, revoked) × (national + implementer) + the result × (national + 2 implementers)
        deliveries = Delivery.objects.order_by("id")
        assert deliveries.count() == 11
        assert sorted({d.event for d in deliveries}) == [
            "objection.deleted",
            "sanction.revoked",
            "sanction.suspended",
        ]
        result = deliveries.get(event="objection.deleted", department="national")
        assert result.payload["data"]["case"] == number and result.payload["data"]["outcome"] == "deleted"

        # Down: every delivery is tried, refused with 503, and scheduled again with back-off (2, then 4 minutes).
        assert push_dispatch_due() == 0
        assert set(deliveries.values_list("state", "attempts")) == {("pending", 1)}
        clock.shift(timedelta(minutes=1))
        assert push_dispatch_due() == 0  # not due yet: nothing is sent before its back-off ends
        assert len(receiver.posts) == 11
        clock.shift(timedelta(minutes=2))
        assert push_dispatch_due() == 0
        assert set(deliveries.values_list("state", "attempts")) == {("pending", 2)}

        receiver.down = False
        clock.shift(timedelta(minutes=5))
        assert push_dispatch_due() == 11
        clock.shift(timedelta(days=1))
        assert push_dispatch_due() == 0  # delivered ones are never sent again

    assert set(deliveries.values_list("state", flat=True)) == {DeliveryState.DELIVERED}
    ok = [(path, delivery) for path, delivery, status in receiver.posts if status == 200]
    assert len(ok) == len(set(ok)) == 11  # each delivery id accepted exactly once
    assert set(receiver.accepted) == {str(d.public_id) for d in deliveries}
    assert {p for p, _d in ok} == {"/national", "/tax", "/finance"}
    tax = [d for p, d in ok if p == "/tax"]
    assert len(tax) == 2 + 1  # its sanction suspended and revoked, and the case result
    assert DeliveryAttempt.objects.filter(status=200).count() == 11
    assert DeliveryAttempt.objects.filter(status=503).count() == 22


def test_a_send_whose_worker_died_is_sent_again_with_the_same_delivery_id(admin_api, receiver):
    receiver.down = False
    with time_machine.travel(START, tick=False) as clock:
        world = build_world(admin_api)
        configure_endpoints(world, receiver)
        file_objection(world)
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        delivery = Delivery.objects.filter(department="xy-tax").get()
        # The worker posted, the receiver got it, and the worker died before recording the outcome: the lease
        # committed before the send is all that is left.
        assert push_dispatch_due() == 4
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.SENDING, lease_until=timezone.now() + timedelta(minutes=2)
        )
        assert push_dispatch_due() == 0  # another worker leaves a leased send alone
        clock.shift(timedelta(minutes=3))
        assert push_dispatch_due() == 1
    posts = [d for p, d, status in receiver.posts if p == "/tax"]
    assert posts == [str(delivery.public_id)] * 2  # the same id twice…
    assert len(receiver.accepted) == 4  # …which the receiver drops as a duplicate


def test_supervisors_search_the_delivery_log_and_replay_one(admin_api, receiver):
    receiver.down = False
    with time_machine.travel(START, tick=False):
        world = build_world(admin_api)
        configure_endpoints(world, receiver)
        objection_deleted(world)
        push_dispatch_due()
        supervisor = created(
            admin_api.post(
                "/api/v1/users/",
                {
                    "username": "head",
                    "password": "a-long-password-1",
                    "role": "supervisor",
                    "departments": ["xy-credit"],
                },
                format="json",
            )
        )
        head = client_for(supervisor["token"])
        log = head.get("/api/v1/deliveries/", {"event": "sanction.suspended", "department": "xy-tax"}).json()
        assert [(d["event"], d["department"], d["state"]) for d in log] == [
            ("sanction.suspended", "xy-tax", "delivered")
        ]
        assert (
            len(head.get("/api/v1/deliveries/", {"state": "delivered", "created_from": "2026-11-23"}).json())
            == 11
        )
        assert head.get("/api/v1/deliveries/", {"created_from": "2026-11-24"}).json() == []
        assert world["tax"].get("/api/v1/deliveries/").status_code == 403  # a reviewer does not read the log

        replayed = head.post(f"/api/v1/deliveries/{log[0]['id']}/replay/")
        assert replayed.status_code == 200 and replayed.json()["state"] == "pending"
        assert push_dispatch_due() == 1
    tax_posts = [d for p, d, s in receiver.posts if p == "/tax"]
    assert tax_posts.count(log[0]["id"]) == 2  # replayed with the same delivery id
    attempts = DeliveryAttempt.objects.filter(delivery__public_id=log[0]["id"]).order_by("id")
    assert [a.replay for a in attempts] == [False, True]
