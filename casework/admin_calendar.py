"""Admin for administrator-entered working-day calendars (CalendarYear with its CalendarDay exceptions).

Imported from casework/admin.py; importing it registers the models with the default admin site. Saving or
deleting a year or a day clears the working-day cache through the signals of casework.calendar. Saving a year
records a CalendarRevision and queues its re-dating in Celery (casework.services.redating) after commit: the
administrator's request never re-dates cases itself. `manage.py calendar_year` and the API
/api/v1/calendar-years/ do the same with a whole schedule at once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casework import calendar as working_days
from casework.models.calendar import CalendarDay, CalendarYear
from casework.services.calendar_years import calendar_revision_record, day_problems, schedule_of


class CalendarDayInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        year = self.instance.year
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            day = form.cleaned_data.get("day")
            # A day of another year would silently never count: that year's notice belongs in its own entry.
            # A weekday "make-up day" or a weekend "holiday" is a slip in copying the notice: the same rules
            # as the command and the API (casework.services.calendar_years).
            if day is not None and year is not None:
                kind = "workday" if form.cleaned_data.get("is_working_day") else "holiday"
                for problem in day_problems(year, day, kind):
                    form.add_error("day", forms.ValidationError(problem, code="invalid_day"))


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayInlineFormSet
    fields = ("day", "is_working_day", "name")
    extra = 3
    verbose_name = _("exception to Monday–Friday")
    verbose_name_plural = _("exceptions to Monday–Friday")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "notice", "holiday_count", "make_up_day_count", "replaces_library", "entered_at")
    search_fields = ("notice",)
    readonly_fields = ("entered_by", "entered_at")
    fieldsets = (
        (
            None,
            {
                "fields": ("year", "notice", "entered_by", "entered_at"),
                # The State Council notice lists holiday blocks and make-up days (调休上班); only the days that
                # differ from Monday–Friday need entering.
                "description": _(
                    "List every day of the State Council notice that differs from the Monday–Friday rule: each "
                    "weekday holiday (leave “working day” unticked) and each weekend make-up working day (tick "
                    "“working day”). Days not listed follow Monday–Friday. A year entered here replaces the "
                    "built-in calendar for the whole year."
                ),
            },
        ),
    )
    inlines = (CalendarDayInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        return (
            super()
            .get_queryset(request)
            .select_related("entered_by")
            .annotate(
                # Counted the way casework.calendar reads them: a weekend "holiday" or a weekday "working
                # day" is redundant and changes nothing.
                holiday_total=Count(
                    "days", filter=Q(days__is_working_day=False, days__day__iso_week_day__lte=5)
                ),
                make_up_total=Count(
                    "days", filter=Q(days__is_working_day=True, days__day__iso_week_day__gte=6)
                ),
            )
        )

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarYear | None = None) -> tuple[str, ...]:
        # The year is the primary key: changing it would create a second year, not move this one.
        if obj is not None:
            return ("year", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description=_("weekday holidays"), ordering="holiday_total")
    def holiday_count(self, obj: CalendarYear) -> int:
        return obj.holiday_total

    @admin.display(description=_("make-up working days"), ordering="make_up_total")
    def make_up_day_count(self, obj: CalendarYear) -> int:
        return obj.make_up_total

    @admin.display(description=_("replaces the built-in calendar"), boolean=True)
    def replaces_library(self, obj: CalendarYear) -> bool:
        # True when chinese_calendar also has this year: the entry here wins, so the two should agree.
        return obj.year in working_days.library_years()

    def save_model(
        self, request: HttpRequest, obj: CalendarYear, form: forms.ModelForm, change: bool
    ) -> None:
        obj.entered_by = request.user
        # The schedule as it was, for the revision written once the inline days are saved.
        request._calendar_previous = schedule_of(obj.year) if change else []
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The signals already cleared the cache per row; clear again once the whole year is in place.
        working_days.clear_cache()
        # Every date depending on this year is re-dated by a Celery task queued after commit.
        calendar_revision_record(
            year=form.instance.year,
            actor=request.user,
            previous=getattr(request, "_calendar_previous", []),
            correct=change,
        )
