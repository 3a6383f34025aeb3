"""What every page of the three faces shares: who may enter (asked of `casework.policies`), running a service
from a form, paging."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django_fsm import TransitionNotAllowed

from casework.exceptions import Conflict, NotVisible
from casework.keyset import InvalidCursor, KeysetPage, keyset_page
from casework.models import Role

PAGE_SIZE = 50

FACE_OF_ROLE = {
    Role.SUBJECT: "portal:home",
    Role.REVIEWER: "workspace:queue",
    Role.SUPERVISOR: "supervision:overdue",
    Role.ADMIN: "supervision:overdue",
}


def face_url(user) -> str:
    return resolve_url(FACE_OF_ROLE.get(user.role, "login"))


def home(request):
    """The front door: a signed-in user goes to their face, anyone else to the login page."""
    if request.user.is_authenticated:
        return redirect(face_url(request.user))
    return redirect("login")


def allowed(policy: Callable[[Any], bool]) -> Callable:
    """Let a signed-in user in when `policy(user)` (a `casework.policies` predicate) says so, else 403.

    Only the early answer: the services the page calls check their own policy again, on the locked rows.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not policy(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def roles_required(*roles: str) -> Callable:
    """A page for the given roles (prefer `allowed` with a policy, which says why in one place)."""
    return allowed(lambda user: user.role in roles)


def run_service(request, form, service: Callable[..., Any], **kwargs) -> Any | None:
    """Call a service on behalf of a form; its errors land next to the fields they concern.

    Services raise ValidationError dicts keyed by field; a key the form does not have becomes a form-wide
    error. A conflict (someone else acted first) becomes a message. Returns None when nothing was done.
    """
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    except (Conflict, TransitionNotAllowed) as exc:
        messages.error(request, str(getattr(exc, "message", Conflict.default_message)))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or str(Conflict.default_message))
    except NotVisible as exc:
        raise Http404 from exc
    return None


def run_action(request, service: Callable[..., Any], **kwargs) -> Any | None:
    """A button without a form (claim, unclaim): errors become messages."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (Conflict, TransitionNotAllowed) as exc:
        messages.error(request, str(getattr(exc, "message", Conflict.default_message)))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except NotVisible as exc:
        raise Http404 from exc
    return None


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def paginate_keyset(request, queryset, ordering, per_page: int | None = None) -> KeysetPage:
    """A keyset page (`?cursor=`; casework/keyset.py): for lists that grow with the province — cases, the
    queue, subjects — where a page number would need a COUNT and an OFFSET over the whole table. A cursor
    from another sort, or a damaged one, shows the first page."""
    size = per_page or PAGE_SIZE
    try:
        return keyset_page(queryset, ordering, cursor=request.GET.get("cursor"), size=size)
    except InvalidCursor:
        return keyset_page(queryset, ordering, cursor=None, size=size)


COUNT_CAP = 1000


def count_capped(queryset, cap: int | None = None) -> tuple[int, bool]:
    """How many rows, counting no further than `cap` (shown as "more than 1000"): a page view never counts
    the whole table. Returns (count, capped)."""
    cap = cap or COUNT_CAP
    n = queryset.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    return params.urlencode()
