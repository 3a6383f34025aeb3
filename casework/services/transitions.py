from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed

from casework import txmemo
from casework.exceptions import Conflict
from casework.models import Case, User

from .history import history_heads_read, history_record

M = TypeVar("M", bound=models.Model)


# The rows a transition of each model reads next (the rule set a history event names, the department a
# message goes to): fetched in the locking read, so a lifecycle does not look each of them up again. Only
# the object's own row is locked (`of=("self",)`): departments and rule sets are read by every case.
LOCK_RELATED: dict[str, tuple[str, ...]] = {
    "case": ("rule_set", "receiving_office", "subject"),
    "sanction": ("implementer", "record__subject", "record__provider"),
    "creditrecord": ("provider", "subject"),
    "casetask": ("case__rule_set", "case__receiving_office", "department", "deadline", "assignee"),
}


# Rows a unit of work may take again from its memo once it locked them: their services change them only
# through the locked copy (a task is left out: the deadline services re-date tasks by a set-based update).
REUSED = frozenset({"case", "sanction", "creditrecord"})


def lock(obj: M) -> M:
    """Re-read `obj` under a row lock: the state a transition is decided on is the state it changes.

    The copy comes with the related rows in `LOCK_RELATED` (one query, one row locked). Inside a unit of
    work (`casework.txmemo`) a case, sanction or record this unit locked already is not read again: the
    lock is still held, and the unit changed the row only through that copy, which is returned.
    """
    return lock_pk(type(obj), obj.pk)


def lock_pk(model: type[M], pk: Any) -> M:
    """`lock` by primary key: the row of `model` with primary key `pk` (raises `model.DoesNotExist`)."""
    model_name = model._meta.model_name or ""
    if model_name in REUSED:
        held = txmemo.held_row(model, pk)
        if held is not None:
            return held
    related = LOCK_RELATED.get(model_name, ())
    rows = model._default_manager.select_for_update(of=("self",)).select_related(*related)
    locked = rows.get(pk=pk)
    txmemo.remember_row(locked)  # the subscribers of this unit of work read this copy (casework/txmemo.py)
    return locked


def lock_rows(rows: "models.QuerySet[M]") -> list[M]:
    """Lock every row of `rows` in one query (in its order), with the related rows of `LOCK_RELATED`: the
    rows a service is about to change one by one (the sanctions of a record), so that each `lock` (and each
    `transition`) after it takes the copy from the unit of work instead of reading the row again."""
    model_name = rows.model._meta.model_name or ""
    locked = list(rows.select_for_update(of=("self",)).select_related(*LOCK_RELATED.get(model_name, ())))
    for row in locked:
        txmemo.remember_row(row)
    history_heads_read(locked)  # each will get a history event: their chains' heads in one query
    return locked


def transition(
    obj: M,
    name: str,
    *,
    field: str,
    actor: User | None,
    case: Case | None,
    note: str = "",
    data: dict[str, Any] | None = None,
    action: str | None = None,
) -> M:
    """Run the django-fsm transition `name` on a freshly locked copy of `obj`, save, and write history.

    A transition the current state does not allow is a Conflict (409): someone else changed the thing first.
    """
    obj = lock(obj)
    method = getattr(obj, name)
    before = getattr(obj, field)
    if not can_proceed(method):
        raise Conflict(
            _("%(thing)s is %(state)s; it cannot be changed that way now.")
            % {
                "thing": str(obj._meta.verbose_name).capitalize(),
                "state": getattr(obj, f"get_{field}_display")(),
            }
        )
    method()
    try:
        # Only the state: a transition changes nothing else (django-fsm still checks the state it left).
        obj.save(update_fields=[field])
    except ConcurrentTransition as exc:
        raise Conflict() from exc
    history_record(
        target=obj,
        action=action or name,
        actor=actor,
        case=case,
        from_state=before,
        to_state=getattr(obj, field),
        note=note,
        data=data,
    )
    return obj
