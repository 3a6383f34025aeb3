"""Values remembered for the rest of one unit of work (a service call such as deciding a step): a transition
asks for the same thing several times — a stream's head, a department's staff, the platform endpoints — and
the answer cannot change under the locks it holds.

Nothing is remembered outside a unit (`with txmemo.unit():` or `@txmemo.unit()` on a service), so code that
runs many operations in one transaction (a test, a data migration, the demo builder) reads afresh each time.
Inside a unit an entry also lives only as long as a no-op on-commit callback registered with it: Django drops
that callback when the transaction commits or rolls back, and when the savepoint it was registered in rolls
back. So a value never outlives the work that produced it. Code that writes history rows other than through
`history_record` must not run inside a unit (bulk writers run in transactions of their own).
"""

import contextlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import connection, models, transaction

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)


class _Entry:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self) -> None:  # the on-commit callback: its presence is the signal, it does nothing
        return None


class unit(contextlib.ContextDecorator):
    """Open a unit of work (nested units join the outer one)."""

    def _recreate_cm(self) -> "unit":  # a fresh instance per decorated call (calls nest and recurse)
        return type(self)()

    def __enter__(self) -> "unit":
        if getattr(connection, "_casework_unit", None) is None:
            connection._casework_unit = {}
            self.outermost = True
        else:
            self.outermost = False
        return self

    def __exit__(self, *exc: object) -> None:
        if self.outermost:
            connection._casework_unit = None


def _table() -> dict[Hashable, _Entry] | None:
    if not connection.in_atomic_block:
        return None
    return getattr(connection, "_casework_unit", None)


def _valid(entry: _Entry) -> bool:
    return any(callback is entry for _sids, callback, _robust in connection.run_on_commit)


def recall(key: Hashable) -> Any | None:
    """The value remembered under `key` in this unit of work, or None."""
    table = _table()
    entry = table.get(key) if table is not None else None
    return entry.value if entry is not None and _valid(entry) else None


def remember(key: Hashable, value: T) -> T:
    """Remember `value` under `key` for the rest of this unit of work (if one is open); returns it."""
    table = _table()
    if table is not None:
        entry = _Entry(value)
        table[key] = entry
        transaction.on_commit(entry)
    return value


def memo(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per unit of work for `key` (None is not remembered)."""
    found = recall(key)
    return found if found is not None else remember(key, compute())


def _row_key(model: type[models.Model], pk: Any) -> tuple[str, str, Any]:
    return ("row", model._meta.label, pk)


def remember_row(obj: models.Model) -> None:
    """Remember a row this unit of work holds locked (`services.transitions.lock` calls this), so a subscriber
    that needs it does not read it again."""
    remember(_row_key(type(obj), obj.pk), obj)


def row(model: type[M], pk: Any, *, related: tuple[str, ...] = ()) -> M:
    """The row this unit of work locked, if it did (with whatever it read alongside), else a fresh read with
    `related`. For a subscriber: the row reflects every change the unit saved through that copy."""
    found = recall(_row_key(model, pk))
    if found is None:
        found = model._default_manager.select_related(*related).get(pk=pk)
    return found
