"""Notices as PDF: queued in the transaction of the event they report, rendered by Celery after commit.

A `Notice` is a leased row of the outbox kernel (casework.outbox, DESIGN invariant 3): it exists if and only if
its event does, is rendered after commit, and the beat sweep renders whatever commit-time dispatch missed
(broker down, worker killed). Rendering is idempotent: the row is unique per (case, kind, reported history
event), and the PDF is stored under the row's lock only if none is stored yet.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile

from casework import events, outbox, txmemo
from casework.documents.letters import letter_for_notice
from casework.documents.pdf import render_pdf_document
from casework.models import Case, HistoryEvent, Notice, NoticeKind

from .history import history_last_written, stream_of

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# Which subject notifications (notifications/messages.py) come with a written notice, and which one.
NOTICE_FOR_EVENT = {
    "case_accepted": NoticeKind.ACCEPTANCE,
    "repair_accepted": NoticeKind.ACCEPTANCE,
    "list_exit_accepted": NoticeKind.ACCEPTANCE,
    "case_refused": NoticeKind.REFUSAL,
    "case_materials_requested": NoticeKind.SUPPLEMENT,
    "case_withdrawn": NoticeKind.WITHDRAWAL,
    "repair_granted": NoticeKind.REPAIR_DECISION,
    "repair_rejected": NoticeKind.REPAIR_DECISION,
    "objection_upheld": NoticeKind.OBJECTION_RESULT,
    "objection_corrected": NoticeKind.OBJECTION_RESULT,
    "objection_deleted": NoticeKind.OBJECTION_RESULT,
    "objection_supplemented": NoticeKind.OBJECTION_RESULT,
    "objection_publication_stopped": NoticeKind.OBJECTION_RESULT,
    "objection_removed_from_list": NoticeKind.OBJECTION_RESULT,
    "review_decided": NoticeKind.REVIEW_RESULT,
    "list_exit_removed": NoticeKind.LIST_EXIT,
    "list_exit_rejected": NoticeKind.LIST_EXIT,
    # One notice per department and stage of a restructuring, in that department's name (docs/domain.md §9.8).
    "bankruptcy_decided": NoticeKind.BANKRUPTCY_DECISION,
}


def notice_on(event: events.CaseEvent) -> Notice | None:
    """Subscriber to the case events (casework/apps.py): the written notice, if the event calls for one."""
    if event.name not in NOTICE_FOR_EVENT:
        return None
    return notice_queue(case=txmemo.row(Case, event.case_id), event=event.name)


def notice_queue(*, case: Case, event: str) -> Notice | None:
    """Queue the notice an event calls for (none for most events), in the caller's transaction.

    The notice reports the latest event of the case's own history stream: the transition that the service
    calling us has just written.
    """
    kind = NOTICE_FOR_EVENT.get(event)
    if kind is None:
        return None
    written = history_last_written(case)
    if written is not None:
        # This unit of work has just written the event, so no notice reports it yet: no lookup first.
        notice, created = Notice.objects.create(case=case, kind=kind, event_id=written, occasion=event), True
    else:
        reported = HistoryEvent.objects.filter(stream=stream_of(case)).order_by("-seq").first()
        notice, created = Notice.objects.get_or_create(
            case=case, kind=kind, event=reported, defaults={"occasion": event}
        )
    if created:
        outbox.enqueue(OUTBOX_KIND, notice.pk)
    return notice


def _render(notice: Notice):
    """Render one notice's PDF (the outbox kernel's leased `send`, run outside any transaction); the result
    is stored under the row's lock, only if no PDF is stored yet (a render that lost a race is dropped)."""
    letter = letter_for_notice(notice)
    rendered = render_pdf_document(letter.template, {"letter": letter})

    def store(locked: Notice) -> None:
        if locked.file:
            return
        locked.file.save(f"{locked.public_id}.pdf", ContentFile(rendered.pdf), save=False)
        locked.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
        locked.size, locked.pages = len(rendered.pdf), rendered.pages

    return store


OUTBOX_KIND = "notice"


def outbox_kind() -> outbox.OutboxKind:
    return outbox.OutboxKind(
        name=OUTBOX_KIND,
        model=Notice,
        send=_render,
        max_attempts=MAX_ATTEMPTS,
        # A fresh notice is the commit-time message's to render; the sweep takes it after a minute.
        sweep_grace=timedelta(minutes=1),
        select_related=("case", "event"),
    )


def notice_render(notice_id: int) -> Notice | None:
    """Render and store one notice's PDF, once; the notice as it stands afterwards (None if there is none).
    A failed render is retried by the sweep after its back-off and given up after MAX_ATTEMPTS."""
    outbox.deliver(OUTBOX_KIND, notice_id)
    return Notice.objects.filter(pk=notice_id).first()


def notices_render_pending(*, limit: int = 50, older_than: timedelta | None = None) -> int:
    """Beat: render notices the commit-time dispatch missed; those younger than `older_than` (default: a
    minute) are left to it."""
    return outbox.sweep(OUTBOX_KIND, limit, grace=older_than)
