"""Issue #4: a real Celery worker is killed (SIGKILL) while it delivers and started again: every message ends up
delivered exactly once. The worker is a separate process on the configured broker (Redis in CI; a file-system
broker in a temporary folder where the tests run on the in-memory one) and the test database."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework.models import User
from notifications.models import Channel, InboxMessage, Outbox, OutboxState

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = 400
WAIT = 60  # seconds any one step may take before the test gives up


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_env(tmp_path):
    broker = settings.CELERY_BROKER_URL
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker if not broker.startswith("memory") else "filesystem://localhost/",
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    return env, f"kill-test-{os.getpid()}"


class Worker:
    """A worker process whose log lines are read on a thread, so the test can wait for one with a timeout."""

    def __init__(self, env, queue_name):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "-Q", queue_name],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if text in line:
                return line
        self.process.kill()
        raise AssertionError(f"the worker never logged {text!r}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT)


def dispatch(env, queue_name):
    """Publish the outbox sweep through the CLI, i.e. with the worker's own broker settings."""
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", "call", "notifications.tasks.outbox_dispatch_due_task",
         "--queue", queue_name],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=WAIT,
    )  # fmt: skip


def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_nothing(worker_env):
    env, queue_name = worker_env
    user = User.objects.create(username="recipient", role="subject")
    now = timezone.now()
    Outbox.objects.bulk_create(
        Outbox(
            event="case_filed",
            channel=Channel.INAPP,
            recipient=user,
            context={"number": f"YY-2026-{n:06d}"},
            next_attempt_at=now,
        )
        for n in range(MESSAGES)
    )

    first = Worker(env, queue_name)
    try:
        first.wait_for("ready")
        dispatch(env, queue_name)
        first.wait_for("outbox_dispatch_due_task")  # received: it is delivering now
        deadline = time.monotonic() + WAIT
        while InboxMessage.objects.count() < 40 and time.monotonic() < deadline:
            pass  # watch the database until the delivery is well under way
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=WAIT)
    finally:
        first.stop()
    delivered_at_kill = InboxMessage.objects.count()
    assert 40 <= delivered_at_kill < MESSAGES, "the worker was not killed in the middle of delivering"

    second = Worker(env, queue_name)
    try:
        second.wait_for("ready")
        dispatch(env, queue_name)
        second.wait_for("succeeded")
    finally:
        second.stop()

    assert InboxMessage.objects.count() == MESSAGES
    assert Outbox.objects.exclude(state=OutboxState.SENT).count() == 0
    contexts = sorted(InboxMessage.objects.values_list("title", flat=True))
    assert len(set(contexts)) == MESSAGES  # every message once, none twice
