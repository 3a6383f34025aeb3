"""Supervision reads from a read replica, when one is configured.

The supervision pages — the overdue board, the case and subject lists, the dashboard and the monthly reports —
only read, and a second of replication lag does them no harm; at a province's scale they are the heavy reads
worth taking off the primary. Everything else stays on the primary: every service (locks, the history chain,
the outbox) and every page a user acts from, so nobody acts on a stale row.

Configure with `DATABASE_REPLICA_URL` (a streaming replica of `DATABASE_URL`); without it, the router routes
nothing and every read goes to `default`. A view opts in with `@supervision_read` (function views) or
`supervision_read_method` on an `APIView`'s `get`. Only safe methods are routed, only the casework and
workflow tables (never sessions or sign-in bookkeeping), and never inside a transaction on the primary.

See docs/operations.md ("A read replica for supervision reads").
"""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import connections
from django.utils.decorators import method_decorator

REPLICA = "replica"
# The tables a supervision page reads; sessions, messages, axes and the like stay on the primary.
ROUTED_APPS = frozenset({"casework", "viewflow", "flows", "notifications", "integration"})

_reading: ContextVar[bool] = ContextVar("supervision_read", default=False)


def replica_configured() -> bool:
    """True when the supervision pages read from the replica (settings.CASEWORK_SUPERVISION_READS_FROM)."""
    return settings.CASEWORK_SUPERVISION_READS_FROM == REPLICA


def supervision_read(view: Callable) -> Callable:
    """Decorate a function view: its GET/HEAD reads go to the replica (when configured), nothing else changes.

    Put it under the permission decorator, so the user is checked against the primary first.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not replica_configured():
            return view(request, *args, **kwargs)
        token = _reading.set(True)
        try:
            # (the routed views render with `render()` and build API data in the view, so every read is here)
            return view(request, *args, **kwargs)
        finally:
            _reading.reset(token)

    return wrapper


supervision_read_method = method_decorator(supervision_read)


class SupervisionReadRouter:
    """Django database router: reads of the routed apps go to the replica while a supervision view runs."""

    def db_for_read(self, model, **hints):
        if not _reading.get() or not replica_configured() or model._meta.app_label not in ROUTED_APPS:
            return None
        if connections["default"].in_atomic_block:  # reading inside a write: the primary's own rows
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return None  # always the primary

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: its rows relate as the primary's do

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary's schema by replication
