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
from collections.abc import Callable, Hashable, Iterator
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
            # Work is deferred to the end of the unit (`at_end`) only where that end is inside the
            # transaction: a unit opened outside one would end after its transactions committed.
            connection._casework_unit_atomic = connection.in_atomic_block
            connection._casework_unit_pending = []
            connection._casework_unit_guards = {}
            connection._casework_unit_last = set()
            if connection.in_atomic_block:
                connection.execute_wrappers.append(_guard)
            self.outermost = True
        else:
            self.outermost = False
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if not self.outermost:
            return
        try:
            if exc_type is None:
                _run_pending()
        finally:
            connection._casework_unit = None
            connection._casework_unit_pending = []
            connection._casework_unit_guards = {}
            if _guard in connection.execute_wrappers:
                connection.execute_wrappers.remove(_guard)


def _run_pending() -> None:
    last = getattr(connection, "_casework_unit_last", set())
    while connection._casework_unit_pending:
        waiting = connection._casework_unit_pending
        # Work marked `last` waits until nothing else is left: what the rest adds to it joins its batch.
        now = [(f, entry) for f, entry in waiting if f not in last] or waiting
        connection._casework_unit_pending = [pair for pair in waiting if pair not in now]
        batches: dict[Callable[[list[Any]], Any], list[Any]] = {}
        for flush, entry in now:
            if _valid(entry):  # dropped with a savepoint that rolled back: that work never happened
                batches.setdefault(flush, []).append(entry.value)
        for flush, items in batches.items():
            flush(items)


def _guard(execute, sql, params, many, context):
    """Before a statement that reads a table whose rows wait in the unit (`at_end(..., table=…)`), write
    them: what the unit wrote is always what it reads."""
    guards = getattr(connection, "_casework_unit_guards", None)
    if guards and isinstance(sql, str) and not getattr(connection, "_casework_unit_unguarded", False):
        for table, flush in list(guards.items()):
            if table in sql:
                run_now(flush)
    return execute(sql, params, many, context)


@contextlib.contextmanager
def unguarded() -> Iterator[None]:
    """Statements run in this block do not write the waiting rows first: for a reader that knows the rows it
    reads are not among them (a chain's head, read only for streams with nothing waiting)."""
    before = getattr(connection, "_casework_unit_unguarded", False)
    connection._casework_unit_unguarded = True
    try:
        yield
    finally:
        connection._casework_unit_unguarded = before


def pending(flush: Callable[[list[Any]], Any]) -> list[Any]:
    """The items waiting for `flush` in this unit of work (those of rolled-back savepoints left out)."""
    return [
        entry.value
        for waiting, entry in getattr(connection, "_casework_unit_pending", None) or ()
        if waiting is flush and _valid(entry)
    ]


def run_now(flush: Callable[[list[Any]], Any]) -> None:
    """Run `flush` now with the items waiting for it (if any), instead of at the end of the unit."""
    waiting = getattr(connection, "_casework_unit_pending", None)
    if not waiting:
        return
    mine = [(f, entry) for f, entry in waiting if f is flush]
    if not mine:
        return
    connection._casework_unit_pending = [(f, entry) for f, entry in waiting if f is not flush]
    items = [entry.value for _f, entry in mine if _valid(entry)]
    if items:
        flush(items)


def at_end(
    flush: Callable[[list[Any]], Any], item: Any, *, table: str | None = None, last: bool = False
) -> bool:
    """Have `flush([item, …])` run once, with every item given it in this unit of work (in their order), as
    the unit ends — still inside its transaction, so what `flush` writes commits or rolls back with the
    rest, and what it raises rolls the unit back. An item added in a savepoint that rolled back is dropped.

    `table`: the items are rows `flush` writes to that table; any statement of the unit naming the table
    runs `flush` first (`run_now`), so nothing the unit reads misses them. `last`: `flush` runs after every
    other deferred work of the unit, which may still add items to it (messages of events published at the
    end).

    Returns False, doing nothing, outside a unit of work (or in one opened outside a transaction): the
    caller then does the work at once.
    """
    if _table() is None or not getattr(connection, "_casework_unit_atomic", False):
        return False
    entry = _Entry(item)
    transaction.on_commit(entry)
    connection._casework_unit_pending.append((flush, entry))
    if table is not None:
        connection._casework_unit_guards[table] = flush
    if last:
        connection._casework_unit_last.add(flush)
    return True


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


def held_row(model: type[M], pk: Any) -> M | None:
    """The copy of a row this unit of work locked (`remember_row`), or None."""
    return recall(_row_key(model, pk))


def row(model: type[M], pk: Any, *, related: tuple[str, ...] = ()) -> M:
    """The row this unit of work locked, if it did (with whatever it read alongside), else a fresh read with
    `related`. For a subscriber: the row reflects every change the unit saved through that copy."""
    found = recall(_row_key(model, pk))
    if found is None:
        found = model._default_manager.select_related(*related).get(pk=pk)
    return found
