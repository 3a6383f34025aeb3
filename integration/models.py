"""Trigger–response integration (发起响应、信息推送、执行反馈, Turpan §18, Harbin §10) and bulk import.

- `Endpoint`: where a department's system (or the national credit platform) receives our pushes, with the
  shared secret that signs them and that signs its execution feedback to us.
- `Delivery`: one push of one event to one endpoint, written in the transaction of the event (an outbox of its
  own, DESIGN invariant 3); its `public_id` is the receiver's deduplication key, kept across retries and replays.
- `SanctionFeedback` / `SanctionExecution`: what an implementing department reports it did, and the comparison
  of its state with ours that the mismatch sweep escalates.
- `ImportBatch` / `ImportedRow`: a bulk import's report, and the natural keys that make re-importing a no-op.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models.outbox import LeasedRow


class Endpoint(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        "casework.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="endpoints",
        verbose_name=_("department"),
    )
    national = models.BooleanField(
        _("national credit platform"),
        default=False,
        help_text=_("Receives every result and sanction change (全国信用信息共享平台)."),
    )
    url = models.URLField(_("URL"), max_length=500)
    # Needed in clear to sign; never shown by the API, the admin list or a log line.
    secret = models.CharField(_("shared secret"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("push endpoint")
        verbose_name_plural = _("push endpoints")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(national=True) | models.Q(department__isnull=False),
                name="endpoint_department_or_national",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def department_label(self) -> str:
        return "national" if self.national else self.department.code


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Being sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(LeasedRow):
    public_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="deliveries")
    department = models.CharField(_("department"), max_length=40, db_index=True)  # code, or "national"
    event = models.CharField(_("event"), max_length=40, db_index=True)
    payload = models.JSONField()
    # Subject's division, case number and sanction: what supervisors search and scope the log by.
    division = models.CharField(max_length=6, blank=True)
    case_number = models.CharField(max_length=30, blank=True, db_index=True)
    sanction = models.UUIDField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    replayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replayed_at = models.DateTimeField(null=True, blank=True)
    replay_requested = models.BooleanField(default=False)  # the next attempt is a supervisor's replay

    STATE_PENDING, STATE_SENDING = DeliveryState.PENDING, DeliveryState.SENDING
    STATE_DONE, STATE_FAILED, DONE_AT = DeliveryState.DELIVERED, DeliveryState.FAILED, "delivered_at"

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due",
                condition=models.Q(state__in=["pending", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.department} ({self.public_id})"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    replay = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.delivery_id} @ {self.at:%Y-%m-%d %H:%M:%S}: {self.status or self.error[:40]}"


class TheirState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SUSPENDED = "suspended", _("Suspended")
    LIFTED = "lifted", _("Lifted")


class SanctionFeedback(models.Model):
    """One report by an implementing department (执行反馈): append-only, also written to the sanction's history."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sanction = models.ForeignKey("casework.Sanction", on_delete=models.PROTECT, related_name="feedback")
    state = models.CharField(_("their state"), max_length=10, choices=TheirState.choices)
    on = models.DateField(_("on"))
    reference = models.CharField(_("reference"), max_length=120)
    reported_by = models.CharField(_("reported by"), max_length=120)
    department = models.ForeignKey("casework.Department", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("execution feedback")
        verbose_name_plural = _("execution feedback")
        ordering = ["id"]

    def __str__(self):
        return f"{self.department_id}: {self.state} {self.on}"


class SanctionExecution(models.Model):
    """Our state against the implementer's: the latest feedback, and since when the two disagree."""

    sanction = models.OneToOneField("casework.Sanction", on_delete=models.PROTECT, related_name="execution")
    their_state = models.CharField(max_length=10, choices=TheirState.choices, blank=True)
    their_state_on = models.DateField(null=True, blank=True)
    their_reference = models.CharField(max_length=120, blank=True)
    mismatch_since = models.DateTimeField(null=True, blank=True)
    # The day the mismatch escalates (rule set `escalation.feedback_mismatch_days` working days later).
    escalate_on = models.DateField(null=True, blank=True)
    # Whether escalate_on is an estimate (counted into a year without a working-day calendar).
    escalate_on_provisional = models.BooleanField(default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["escalate_on"],
                name="execution_mismatch_due",
                condition=models.Q(escalated_at__isnull=True, escalate_on__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.sanction_id}: {self.their_state or '?'}"


class ImportBatch(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)  # imported before: re-importing changes nothing
    rejected_rows = models.PositiveIntegerField(default=0)
    subjects_created = models.PositiveIntegerField(default=0)
    records_created = models.PositiveIntegerField(default=0)
    sanctions_created = models.PositiveIntegerField(default=0)
    # [{"line": 12, "errors": [{"field": "subject_code", "reason": "…"}]}, …]
    rejected = models.JSONField(default=list)
    error = models.TextField(blank=True)  # the whole file was unreadable

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-id"]

    def __str__(self):
        return self.filename


class ImportedRow(models.Model):
    """Natural keys of what imports created: a record per (provider, document number, subject), a sanction
    per (record key, measure, implementer). A key already here is skipped, so a file imports once."""

    key = models.CharField(max_length=64, unique=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey("casework.CreditRecord", on_delete=models.PROTECT, related_name="+")
    sanction = models.ForeignKey(
        "casework.Sanction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return self.key
