from django.db import models
from viewflow.workflow.models import Process


class CaseProcess(Process):
    """The viewflow process of one case; the business data stays on `casework.Case` (viewflow cookbook)."""

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="process")

    class Meta:
        verbose_name = "case process"
