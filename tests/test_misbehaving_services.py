"""Issue #12, services that misbehave: a broker that accepts connections and never answers, and a receiving
system that answers a push with a redirect. Both are real servers on 127.0.0.1."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.utils import timezone

from casework.models import Department
from config.celery import app, publish_gate
from integration.models import Delivery, DeliveryState, Endpoint
from integration.push import delivery_send
from notifications.models import Outbox

from .world import build_world, created, file_objection

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_broker():
    """A TCP server that accepts every connection and never sends a byte: Redis hung, or a firewall."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0", accepted
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.fixture
def broker_at(settings, monkeypatch):
    """Point the project's Celery app at another broker, with the production transport timeouts."""
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.broker_connection_timeout)

    def use(url: str):
        monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery prefers the environment to its settings
        app.conf.broker_url = url
        app.conf.broker_transport_options = {"visibility_timeout": 3600, **settings.BROKER_TIMEOUT_OPTIONS}
        app.conf.broker_connection_timeout = settings.CELERY_BROKER_CONNECTION_TIMEOUT
        app._pool = None  # forget connections to the previous broker
        app.amqp._producer_pool = None

    yield use
    app.conf.broker_url, app.conf.broker_transport_options, app.conf.broker_connection_timeout = saved
    app._pool = None
    app.amqp._producer_pool = None
    publish_gate.reset()


def test_broker_timeouts_are_bounded_in_settings():
    """Kind: an unbounded broker wait. Every socket operation to the broker gives up within seconds."""
    assert 0 < settings.CELERY_BROKER_SOCKET_TIMEOUT <= 2
    assert settings.BROKER_TIMEOUT_OPTIONS["socket_timeout"] <= 2
    assert settings.BROKER_TIMEOUT_OPTIONS["socket_connect_timeout"] <= 2
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 2
    assert settings.CELERY_TASK_PUBLISH_RETRY is False


@pytest.mark.django_db(transaction=True)  # real commits: the after-commit publishes run as in production
def test_a_silent_broker_never_holds_a_filing(admin_api, silent_broker, broker_at):
    """Kind: a request waiting on the broker. A filing that queues several messages after commit answers
    within ~2 s although the broker accepts connections and never answers; its rows are saved for the beat
    sweeps, which deliver them once the broker is back."""
    world = build_world(admin_api)
    url, accepted = silent_broker
    broker_at(url)
    started = time.monotonic()
    number = created(file_objection(world))["number"]
    elapsed = time.monotonic() - started
    assert accepted, "the filing did try the broker"
    assert elapsed < 2 * settings.CELERY_BROKER_SOCKET_TIMEOUT + 1.5, elapsed
    # Nothing lost: the messages wait in the outbox for the sweep.
    assert Outbox.objects.filter(case__number=number, state="pending").exists()


def test_after_one_failed_publish_the_next_ones_do_not_wait(silent_broker, broker_at):
    from notifications.tasks import outbox_deliver_task

    url, _accepted = silent_broker
    broker_at(url)
    with pytest.raises(Exception):  # noqa: B017 - kombu's error, whichever layer gives up first
        outbox_deliver_task.delay(1)
    started = time.monotonic()
    for _ in range(20):
        with pytest.raises(ConnectionError):
            outbox_deliver_task.delay(1)
    assert time.monotonic() - started < 0.5


class _Redirecting(BaseHTTPRequestHandler):
    hits: list

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.hits.append((self.path, dict(self.headers)))
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path == "/push":
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
        else:
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST  # noqa: N815 - urllib follows a 302 on POST as a GET

    def log_message(self, *args):
        pass


@pytest.fixture
def redirecting_server():
    hits: list = []
    handler = type("Handler", (_Redirecting,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_a_push_answered_with_a_redirect_is_not_delivered_and_nothing_follows_it(redirecting_server):
    """Kind: a non-2xx answer counted as delivered. A 302 is not a delivery: it is retried later, and
    neither the body nor the signed headers go to the redirect's target."""
    base, hits = redirecting_server
    department = Department.objects.create(
        code="xy-tax", name="税务局", kind="tax", level="district", division="350102"
    )
    endpoint = Endpoint.objects.create(name="tax", department=department, url=base + "/push", secret="t" * 40)
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        department="xy-tax",
        event="sanction.created",
        payload={"delivery_id": "x", "event": "sanction.created", "data": {}},
        next_attempt_at=timezone.now(),
    )
    assert delivery_send(delivery.pk) is False
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_status) == (DeliveryState.PENDING, 302)
    assert [path for path, _headers in hits] == ["/push"]  # /elsewhere never saw the signed message
