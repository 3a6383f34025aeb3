"""Notices as PDF: queued in the transaction of the event they report, rendered by Celery after commit.

The same outbox pattern as notifications (DESIGN invariant 3): the `Notice` row exists if and only if its
event does; `notice_render_task` renders it after commit, and `notices_render_pending` (beat) renders whatever
the commit-time dispatch missed (broker down, worker killed). Rendering is idempotent: the row is unique per
(case, kind, reported history event), and the PDF is stored under the row's lock only if none is stored yet.
"""

import functools
import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from casework import events
from casework.documents.letters import letter_for_notice
from casework.documents.pdf import render_pdf_document
from casework.models import Case, HistoryEvent, Notice, NoticeKind, NoticeState

from .history import stream_of

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# Which subject notifications (notifications/messages.py) come with a written notice, and which one.
NOTICE_FOR_EVENT = {
    "case_accepted": NoticeKind.ACCEPTANCE,
    "repair_accepted": NoticeKind.ACCEPTANCE,
    "list_exit_accepted": NoticeKind.ACCEPTANCE,
    "case_refused": NoticeKind.REFUSAL,
    "case_materials_requested": NoticeKind.SUPPLEMENT,
    "repair_granted": NoticeKind.REPAIR_DECISION,
    "repair_rejected": NoticeKind.REPAIR_DECISION,
    "objection_upheld": NoticeKind.OBJECTION_RESULT,
    "objection_corrected": NoticeKind.OBJECTION_RESULT,
    "objection_deleted": NoticeKind.OBJECTION_RESULT,
    "list_exit_removed": NoticeKind.LIST_EXIT,
    "list_exit_rejected": NoticeKind.LIST_EXIT,
}


def notice_on(event: events.CaseEvent) -> Notice | None:
    """Subscriber to the case events (casework/apps.py): the written notice, if the event calls for one."""
    if event.name not in NOTICE_FOR_EVENT:
        return None
    return notice_queue(case=Case.objects.get(pk=event.case_id), event=event.name)


def notice_queue(*, case: Case, event: str) -> Notice | None:
    """Queue the notice an event calls for (none for most events), in the caller's transaction.

    The notice reports the latest event of the case's own history stream: the transition that the service
    calling us has just written.
    """
    kind = NOTICE_FOR_EVENT.get(event)
    if kind is None:
        return None
    reported = HistoryEvent.objects.filter(stream=stream_of(case)).order_by("-seq").first()
    notice, created = Notice.objects.get_or_create(
        case=case, kind=kind, event=reported, defaults={"occasion": event}
    )
    if created:
        transaction.on_commit(functools.partial(_enqueue, notice.pk))
    return notice


def _enqueue(notice_id: int) -> None:
    from casework.tasks import notice_render_task

    try:
        notice_render_task.delay(notice_id)
    except Exception:  # the broker being down loses nothing: the beat sweep renders pending notices
        logger.warning("Could not enqueue notice %s; the periodic sweep will render it.", notice_id)


def notice_render(notice_id: int) -> Notice | None:
    """Render and store one notice's PDF, once. Rendering (~0.5 s) happens outside any transaction; the
    result is stored under the row's lock, and a render that lost a race is simply dropped."""
    notice = Notice.objects.select_related("case", "event").filter(pk=notice_id).first()
    if notice is None or notice.state == NoticeState.RENDERED:
        return notice
    try:
        letter = letter_for_notice(notice)
        rendered = render_pdf_document(letter.template, {"letter": letter})
    except Exception as exc:
        _record_failure(notice_id, exc)
        raise
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("case").get(pk=notice_id)
        if notice.state == NoticeState.RENDERED:
            return notice
        notice.file.save(f"{notice.public_id}.pdf", ContentFile(rendered.pdf), save=False)
        notice.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
        notice.size, notice.pages = len(rendered.pdf), rendered.pages
        notice.state, notice.rendered_at = NoticeState.RENDERED, timezone.now()
        notice.attempts += 1
        notice.last_error = ""
        notice.save()
    return notice


def _record_failure(notice_id: int, exc: Exception) -> None:
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        notice.attempts += 1
        notice.last_error = repr(exc)[:2000]
        if notice.attempts >= MAX_ATTEMPTS:
            notice.state = NoticeState.FAILED
        notice.save(update_fields=["attempts", "last_error", "state"])


def notices_render_pending(*, older_than: timedelta = timedelta(minutes=1), limit: int = 50) -> int:
    """Beat: render notices the commit-time dispatch missed. Those younger than `older_than` are left to it
    (rendering twice would be harmless, only wasted work)."""
    due = Notice.objects.filter(state=NoticeState.PENDING, created_at__lte=timezone.now() - older_than)
    rendered = 0
    for notice_id in due.order_by("created_at", "id").values_list("id", flat=True)[:limit]:
        try:
            notice = notice_render(notice_id)
        except Exception:
            logger.exception("Notice %s could not be rendered.", notice_id)
            continue
        rendered += notice is not None and notice.state == NoticeState.RENDERED
    return rendered
