import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    WAITING = "waiting", _("Waiting for the subject")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


ACTIONABLE_TASK_STATES = (TaskState.OPEN, TaskState.CLAIMED)
FINISHED_TASK_STATES = (TaskState.DONE, TaskState.CANCELLED)


class CaseTask(models.Model):
    """A step of a case in one department's queue.

    The flow (viewflow) decides which step comes next; this row is what a department works: who holds it,
    by when, and what was decided. It wraps exactly one viewflow task.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="tasks")
    flow_task = models.OneToOneField(
        "viewflow.Task", on_delete=models.PROTECT, related_name="case_task", null=True, blank=True
    )
    step = models.CharField(_("step"), max_length=40)
    department = models.ForeignKey(
        "casework.Department", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("department")
    )
    state = models.CharField(_("state"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_tasks",
        verbose_name=_("assignee"),
    )
    deadline = models.OneToOneField("casework.Deadline", on_delete=models.PROTECT, related_name="task")
    # A copy of `deadline.due_on`, so that a department's queue — department, state, due date — is read from
    # ONE partial index on this table (`casetask_queue`) instead of sorting every open task by a column of
    # another table (issue 13: 200 ms → a few ms at 16k open tasks). Written only by
    # `services/deadlines.py` (`deadline_save`), in the transaction that moves the due date.
    due_on = models.DateField(_("due on"), editable=False)
    decision = models.CharField(_("decision"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["department", "state"]),
            # The queue: a department's actionable tasks, soonest due first (task_queue_for); partial, so
            # it holds only the open work, never the millions of finished tasks.
            models.Index(
                fields=["department", "due_on", "created_at", "id"],
                name="casetask_queue",
                condition=models.Q(state__in=["open", "claimed"]),
            ),
            # A reviewer's case scope (selectors.cases_visible_to: the cases their departments hold a task
            # of): read from this index alone, without visiting the task rows.
            models.Index(fields=["department", "case"], name="casetask_department_case"),
            # The queue sorted by step (web queue filter), the same open rows.
            models.Index(
                fields=["department", "step", "due_on", "id"],
                name="casetask_queue_step",
                condition=models.Q(state__in=["open", "claimed"]),
            ),
        ]

    def __str__(self):
        return f"{self.case.number}/{self.step}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_TASK_STATES
