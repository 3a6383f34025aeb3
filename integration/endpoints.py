"""Push endpoints (接收地址): registering and changing where a department's system — or the national credit
platform — receives our pushes. Administrators only; every change is written to the endpoint's history
chain (`endpoint:<uuid>`), which `verify_history` checks like any other (DESIGN invariants 1 and 2).

The shared secret is never written to the history: a rotation is recorded as `secret_rotated`.
"""

from typing import Any

from django.db import transaction

from casework import policies
from casework.models import Department, User
from casework.services.history import history_record

from .models import Endpoint

# The fields an administrator sets; `secret` is handled apart because it must never reach a log or history.
FIELDS = ("name", "department", "national", "url", "active")


def _shown(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "name": endpoint.name,
        "department": endpoint.department.code if endpoint.department is not None else None,
        "national": endpoint.national,
        "url": endpoint.url,
        "active": endpoint.active,
    }


@transaction.atomic
def endpoint_create(
    *,
    actor: User,
    name: str,
    url: str,
    secret: str,
    department: Department | None = None,
    national: bool = False,
    active: bool = True,
) -> Endpoint:
    """Register an endpoint. Raises `PermissionDenied` for anyone but an administrator and a field
    `ValidationError` for a row the model refuses (e.g. neither a department nor the national platform)."""
    policies.ensure_may_administer(actor)
    endpoint = Endpoint(
        name=name, url=url, secret=secret, department=department, national=national, active=active
    )
    endpoint.full_clean()
    endpoint.save()
    history_record(
        target=endpoint,
        action="endpoint_created",
        actor=actor,
        to_state="active" if endpoint.active else "inactive",
        data=_shown(endpoint),
    )
    return endpoint


@transaction.atomic
def endpoint_change(*, endpoint: Endpoint, actor: User, **changes: Any) -> Endpoint:
    """Change any of `name`, `department`, `national`, `url`, `active` and `secret` (a rotation), under the
    row's lock; the history event holds the fields before and after (never the secret)."""
    policies.ensure_may_administer(actor)
    endpoint = (
        Endpoint.objects.select_for_update(of=("self",)).select_related("department").get(pk=endpoint.pk)
    )
    before = _shown(endpoint)
    unknown = set(changes) - {*FIELDS, "secret"}
    if unknown:
        raise TypeError(f"endpoint_change() got unexpected fields: {sorted(unknown)}")
    rotated = "secret" in changes and changes["secret"] != endpoint.secret
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.full_clean()
    endpoint.save()
    after = _shown(endpoint)
    changed = {
        name: {"before": before[name], "after": after[name]} for name in FIELDS if before[name] != after[name]
    }
    if changed or rotated:
        history_record(
            target=endpoint,
            action="endpoint_changed",
            actor=actor,
            from_state="active" if before["active"] else "inactive",
            to_state="active" if endpoint.active else "inactive",
            data={"changed": changed, "secret_rotated": rotated},
        )
    return endpoint
