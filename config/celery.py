import logging
import os
import threading
import time

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

logger = logging.getLogger(__name__)


class BrokerPaused(ConnectionError):
    """Publishing is paused after a broker failure; the beat sweeps pick up the saved rows."""


class _PublishGate:
    """After one failed publish, this process publishes nothing for a short pause.

    Every `.delay()` of the project runs after commit inside a request, and each is bounded by the broker's
    socket timeouts (settings: CELERY_BROKER_SOCKET_TIMEOUT). A request that queues ten messages to a
    broker that accepts connections and never answers would still wait ten timeouts; with the gate it waits
    one. Nothing is lost: every task is also found by a beat sweep from its saved row.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paused_until = 0.0

    def check(self) -> None:
        if time.monotonic() < self._paused_until:
            raise BrokerPaused("The broker failed a moment ago; publishing is paused.")

    def failed(self, pause_seconds: float) -> None:
        with self._lock:
            self._paused_until = time.monotonic() + pause_seconds

    def reset(self) -> None:
        with self._lock:
            self._paused_until = 0.0


publish_gate = _PublishGate()


class BoundedPublishTask(Task):
    """A task whose publishing never holds the caller longer than one broker timeout per pause."""

    def apply_async(self, *args, **kwargs):
        if self.app.conf.task_always_eager:
            return super().apply_async(*args, **kwargs)
        publish_gate.check()
        try:
            return super().apply_async(*args, **kwargs)
        except Exception:
            from django.conf import settings

            publish_gate.failed(getattr(settings, "CELERY_PUBLISH_PAUSE_SECONDS", 30))
            logger.warning("Publishing to the broker failed; pausing publishes.", exc_info=True)
            raise


app = Celery("casework", task_cls=BoundedPublishTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
