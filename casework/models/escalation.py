from django.db import models
from django.utils.translation import gettext_lazy as _


class EscalationLevel(models.TextChoices):
    """The ladder of docs/domain.md §5, in order: remind, remind again, 催办, 督办."""

    # xgettext:no-python-format
    REMIND = "remind", _("Reminder (60% of the time limit used)")
    REMIND_BEFORE_DUE = "remind_before_due", _("Reminder (one working day before the due date)")
    OVERDUE = "overdue", _("Overdue notice (催办)")
    SUPERVISE = "supervise", _("Supervision by the credit office (督办)")


LADDER = [level.value for level in EscalationLevel]


class EscalationEvent(models.Model):
    """One level of the ladder having fired for one deadline. The unique pair is what makes a level fire
    exactly once, whatever the number of sweeps racing over the same deadline."""

    # No index of its own: the unique (deadline, level) pair's index serves every lookup by deadline.
    # Neither foreign key is a constraint in the database (checked at commit, they cost 60,000 lookups for a
    # bad morning's 30,000 rows): the one writer, the escalation sweep, holds each row's deadline and case
    # locked FOR UPDATE to commit, and the department is that of the locked case's task, which the task's
    # own constraint holds. CASCADE and PROTECT still act in the ORM.
    deadline = models.ForeignKey(
        "casework.Deadline",
        on_delete=models.CASCADE,
        related_name="escalations",
        db_index=False,
        db_constraint=False,
    )
    level = models.CharField(_("level"), max_length=20, choices=EscalationLevel.choices)
    due_on = models.DateField(_("due on"))
    fired_at = models.DateTimeField(_("fired at"), auto_now_add=True)
    # The department that held the task when the level fired: a later reassignment must not move the
    # lateness to the new department (issue 11, the 通报 figures). Null only for rows older than the column.
    department = models.ForeignKey(
        "casework.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        db_constraint=False,
    )
    # A reminder whose moment passed while nothing swept (or that an earlier due date overtook) is recorded
    # without a message: nobody needs "due tomorrow" once the task is already overdue.
    skipped = models.BooleanField(default=False)
    # The level's day was an estimate (counted into a year without a working-day calendar) when it fired.
    provisional = models.BooleanField(_("provisional"), default=False)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [models.UniqueConstraint(fields=["deadline", "level"], name="escalation_fires_once")]

    def __str__(self):
        return f"{self.deadline_id}:{self.level}"
