from django.db import models
from django.utils.translation import gettext_lazy as _


class SuspensionReason(models.TextChoices):
    SUPPLEMENT = "supplement", _("Awaiting supplementary materials (补正)")
    VERIFICATION = "verification", _("Awaiting verification")
    COURT = "court", _("Court proceedings")
    PUBLICITY = "publicity", _("Publicity period (公示)")


class DeadlinePurpose(models.TextChoices):
    STEP = "step", _("Step time limit")
    LEGAL = "legal", _("Legal time limit")
    SERVICE = "service", _("Service norm")


class Deadline(models.Model):
    """A budget of working days, a start, and a ledger of suspensions (DESIGN invariant 4).

    `due_on` is derived — start + budget + extensions + suspended working days — and stored only so that
    queues and sweeps can use an index. It is `provisional` when the count reaches a year for which no
    working-day calendar is known yet: the date is then a weekday estimate, shown as such, never passed off
    as the real due date.
    """

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="deadlines")
    purpose = models.CharField(_("purpose"), max_length=10, choices=DeadlinePurpose.choices, default="step")
    budget_days = models.PositiveSmallIntegerField(_("budget (working days)"))
    # A budget in calendar days (the court's 15-day correction review, 法释〔2017〕7号 art. 11) instead of
    # working days: extensions and suspensions then count in calendar days too.
    calendar_days = models.BooleanField(_("budget in calendar days"), default=False)
    extended_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    suspended_days = models.PositiveSmallIntegerField(_("suspended (working days)"), default=0)
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"), null=True, db_index=True)
    provisional = models.BooleanField(_("provisional"), default=False)
    suspended_since = models.DateField(_("suspended since"), null=True, blank=True)
    met_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The day the next escalation level that has not fired yet falls due; None when nothing is armed
    # (met, suspended, or every level fired). The sweep reads only this index, so its cost grows with the
    # number of deadlines due, never with the number open.
    next_escalation_on = models.DateField(null=True, blank=True)
    # Whether that day is an estimate (counted into a year without a working-day calendar).
    next_escalation_provisional = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(
                fields=["due_on"], name="deadline_open_due", condition=models.Q(met_at__isnull=True)
            ),
            models.Index(
                fields=["next_escalation_on"],
                name="deadline_escalation_armed",
                condition=models.Q(next_escalation_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.due_on} ({self.budget_days})"

    @property
    def total_days(self) -> int:
        return self.budget_days + self.extended_days + self.suspended_days

    @property
    def is_suspended(self) -> bool:
        return self.suspended_since is not None


class DeadlineSuspension(models.Model):
    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.CharField(_("reason"), max_length=20, choices=SuspensionReason.choices)
    note = models.TextField(_("note"), blank=True)
    started_on = models.DateField(_("suspended on"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("working days suspended"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline suspension")
        verbose_name_plural = _("deadline suspensions")
        ordering = ["started_on", "id"]

    def __str__(self):
        return f"{self.get_reason_display()} {self.started_on}–{self.ended_on or ''}"
