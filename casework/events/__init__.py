"""Domain events: what a case, a record or a sanction tells the rest of the system, and how it is told.

Every event is a frozen dataclass registered under an `EventName`. Its fields are its whole payload, typed,
keyword-only and without defaults: an event built without a field it needs is a `TypeError` (or, for a
value of the wrong type, `None` included, a `ValueError`) at the line that builds it — never an empty gap
in a message sent later. Payloads hold plain values (ids, numbers, names, dates), not model instances, so
they can be rendered, stored and compared without a database.

The publishing rule (ADR 0003):

* `publish(event)` runs every subscriber **inside the publishing transaction**, synchronously. A subscriber
  may only *write rows* there: outbox messages, platform deliveries, PDF notices, execution-tracking state.
  The rows exist if and only if the change that published the event commits, so nothing is lost and nothing
  is sent for a change that rolled back. An exception in a subscriber rolls the change back with it.
* Nothing that talks to a broker or the network runs in the transaction: each of those rows dispatches
  itself with `transaction.on_commit` (the outbox kernel), and the beat sweeps deliver what a dispatch missed.
* `subscribe(..., after_commit=True)` is for handlers that need nothing durable (a cache to drop, a log
  line); they run after commit, once, and are lost if the process dies in between.
* `publish` outside any transaction opens one for its subscribers, so their rows still commit together.

Subscribers register in their app's `AppConfig.ready()`; `casework` imports none of them (the import graph is
tested), the same way `casework.workflows` lets the flows app register its flows.
"""

# The kernel, then one module per domain; every event is reachable as `events.<Name>`, as before the split.
from .accountability import *  # noqa: F403
from .base import (  # noqa: F401
    _AFTER_COMMIT,
    _IN_TRANSACTION,
    ALL_KINDS,
    BANKRUPTCY,
    LIST_EXIT,
    OBJECTION,
    REGISTRY,
    REPAIR,
    REVIEW,
    CaseEvent,
    Event,
    EventName,
    Handler,
    Reasoned,
    publish,
    publish_at_end,
    publish_many,
    subscribe,
)
from .cases import *  # noqa: F403
from .sanctions import *  # noqa: F403
from .tasks import *  # noqa: F403
