"""Administrator-entered working-day calendars, for years no maintained library knows yet.

The State Council publishes next year's holidays and make-up working days in November or December; until
`chinese-calendar` ships them, an administrator enters the year here. A year entered here overrides the
library for that whole year.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    notice = models.CharField(
        _("State Council notice"), max_length=200, help_text=_("The notice the schedule comes from.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """An exception to the weekday rule: a weekday holiday, or a weekend make-up working day (调休上班)."""

    calendar = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {'+' if self.is_working_day else '-'} {self.name}"


class CalendarRevisionKind(models.TextChoices):
    ENTERED = "entered", _("entered")
    CORRECTED = "corrected", _("corrected")


class CalendarRevision(models.Model):
    """One entry or correction of a year's calendar, and what re-dating it moved (append-only audit).

    `days` is the schedule as entered ([{"day": "2027-01-01", "kind": "holiday", "name": "元旦"}, …]);
    `previous` the schedule it replaced (empty for a first entry). The Celery re-dating fills `redated_at`
    and `report` ({"moved": [...], "counts": {...}}) once every dependent date is re-dated.
    """

    calendar = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarRevisionKind.choices)
    notice = models.CharField(_("State Council notice"), max_length=200)
    days = models.JSONField(default=list)
    previous = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    redated_at = models.DateTimeField(_("re-dated at"), null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("calendar revision")
        verbose_name_plural = _("calendar revisions")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.calendar_id} {self.kind} {self.at:%Y-%m-%d}"
