from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed

from casework.exceptions import Conflict
from casework.models import Case, User

from .history import history_record

M = TypeVar("M", bound=models.Model)


def lock(obj: M) -> M:
    """Re-read `obj` under a row lock: the state a transition is decided on is the state it changes."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


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
            % {"thing": obj._meta.verbose_name.capitalize(), "state": getattr(obj, f"get_{field}_display")()}
        )
    method()
    try:
        obj.save()
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
