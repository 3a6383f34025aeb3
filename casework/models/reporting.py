"""Monthly reporting (docs/domain.md §9.13, Qujiang plan): each department submits its month's
data by the 20th of the next month; the system reminds before the 20th and escalates after it."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlySubmission(models.Model):
    """One department's submission for one month covered, or the obligation to make it.

    The row exists from the first of: the submission, the reminder, the escalation. `reminded_at` and
    `escalated_at` are set once, under the row's lock, which is what makes each fire exactly once.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    department = models.ForeignKey(
        "casework.Department",
        on_delete=models.PROTECT,
        related_name="monthly_submissions",
        verbose_name=_("department"),
    )
    month = models.DateField(_("month covered"), help_text=_("The first day of the month the data covers."))
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    covers = models.TextField(_("what it covers"), blank=True)
    records = models.PositiveIntegerField(_("records submitted"), default=0)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("monthly submission")
        verbose_name_plural = _("monthly submissions")
        ordering = ["-month", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "month"], name="monthly_submission_once"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="monthly_submission_first_day"),
        ]

    def __str__(self):
        return f"{self.department_id} {self.month:%Y-%m}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None
