"""Everyone's in-app messages (the in-app channel of the outbox)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from notifications.models import InboxMessage
from notifications.services import inbox_mark_all_read, inbox_mark_read

from .base import paginate


@login_required
def inbox(request):
    messages = InboxMessage.objects.filter(recipient=request.user).select_related("case")
    if request.GET.get("unread"):
        messages = messages.filter(read_at__isnull=True)
    return render(
        request, "web/inbox.html", {"page": paginate(request, messages.order_by("-created_at", "-id"), 30)}
    )


@login_required
@require_POST
def inbox_read(request, public_id):
    message = get_object_or_404(InboxMessage, recipient=request.user, public_id=public_id)
    inbox_mark_read(message=message)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request):
    inbox_mark_all_read(user=request.user)
    return redirect("inbox")


def unread_count(request) -> dict:
    """Context processor: the unread badge in the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": InboxMessage.objects.filter(recipient=user, read_at__isnull=True).count()}
