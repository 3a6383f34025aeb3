from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierEntryKind(models.TextChoices):
    """What a 一企一档 dossier keeps besides records and cases (Qujiang plan §二(二)3)."""

    INTERVIEW = "interview", _("Interview (约谈)")
    VISIT = "visit", _("Visit (走访)")
    TRAINING = "training", _("Repair training (信用修复培训)")
    CREDIT_REPORT = "credit_report", _("Credit report (信用报告)")


class DossierEntry(models.Model):
    """Something staff did with a subject, recorded in its dossier (一企一档)."""

    subject = models.ForeignKey(
        "casework.Subject", on_delete=models.PROTECT, related_name="dossier", verbose_name=_("subject")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DossierEntryKind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier entry")
        verbose_name_plural = _("dossier entries")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "subject"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"
