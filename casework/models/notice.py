"""Written notices (告知书 / 决定书) as PDF: one per (case, kind, the history event it reports).

The row is written in the transaction of the event, in state `pending`; a Celery task renders it after commit
and stores the PDF once. The unique triple is what makes rendering and queueing idempotent: the same event can
never yield two notices, and a second render finds the first one's file and stops.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .outbox import LeasedRow


class NoticeKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Acceptance notice (受理通知书)")
    REFUSAL = "refusal", _("Refusal notice (不予受理通知书)")
    SUPPLEMENT = "supplement", _("Supplement request (补正告知书)")
    REPAIR_DECISION = "repair_decision", _("Repair decision (信用修复决定书)")
    OBJECTION_RESULT = "objection_result", _("Objection result (异议处理结果告知书)")
    LIST_EXIT = "list_exit", _("List-exit decision (移出决定书)")
    REVIEW_RESULT = "review_result", _("Review result (复核结果告知书)")
    BANKRUPTCY_DECISION = "bankruptcy_decision", _("Restructuring repair decision (破产重整信用修复决定书)")
    WITHDRAWAL = "withdrawal", _("Withdrawal notice (视为撤回告知书)")


class NoticeState(models.TextChoices):
    PENDING = "pending", _("Waiting to be rendered")
    RENDERING = "rendering", _("Being rendered")
    RENDERED = "rendered", _("Rendered")
    FAILED = "failed", _("Rendering failed")


def notice_path(instance: "Notice", filename: str) -> str:
    return f"notices/{instance.case.number}/{instance.public_id}.pdf"


class Notice(LeasedRow):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    # No database constraint: history is append-only and never deleted by the application; a row removed
    # behind its back must show as a broken chain in `verify_history`, not be hidden by a constraint error.
    event = models.ForeignKey(
        "casework.HistoryEvent",
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="+",
        verbose_name=_("reported event"),
    )
    # The notification event (notifications/messages.py) that triggered it: it picks the wording.
    occasion = models.CharField(_("occasion"), max_length=60)
    state = models.CharField(
        _("state"), max_length=10, choices=NoticeState.choices, default=NoticeState.PENDING
    )
    file = models.FileField(_("file"), upload_to=notice_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    # A render (~0.1–0.5 s) runs outside any transaction under a lease; the PDF is stored under the row's
    # lock only if none is stored yet (casework.outbox, casework.services.documents).
    STATE_PENDING, STATE_SENDING = NoticeState.PENDING, NoticeState.RENDERING
    STATE_DONE, STATE_FAILED, DONE_AT = NoticeState.RENDERED, NoticeState.FAILED, "rendered_at"

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "event"], name="notice_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="notice_pending_idx"),
            models.Index(
                fields=["next_attempt_at"],
                name="notice_due",
                condition=models.Q(state__in=["pending", "rendering"]),
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind}"
