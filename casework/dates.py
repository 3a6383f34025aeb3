"""The one range every date a person types must fall in, and the parsers and fields that enforce it.

Dates entered by people (a decision date, a feedback date, a report month, a search bound) are accepted
from 2000-01-01 to 2100-12-31. Outside that range nothing the product computes is meaningful (credit records
start with the 2014 plan; the working-day calendar is known a year ahead), and arithmetic on the far edge
(`date.max` + a listing period, a report for 9999-12) would overflow into a 500. Every entry path — API,
web forms, query strings, imports — uses these, so the message is the same everywhere.
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def out_of_range_message() -> str:
    return _("Give a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST.isoformat(),
        "latest": LATEST.isoformat(),
    }


def validate_date_in_range(value: date) -> None:
    """Raise ValidationError(code="date_range") for a date outside EARLIEST..LATEST."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(out_of_range_message(), code="date_range")


def parse_date(text: str) -> date:
    """`YYYY-MM-DD` within the range, or ValidationError with a message for the field."""
    try:
        value = date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError(_("Give a date as YYYY-MM-DD."), code="invalid") from None
    validate_date_in_range(value)
    return value


def parse_month(text: str) -> date:
    """`YYYY-MM` within the range → the first day of that month, or ValidationError."""
    parts = (text or "").strip().split("-")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= len(p) <= 4 for p in parts):
        raise ValidationError(_("Give a month as YYYY-MM."), code="invalid")
    try:
        value = date(int(parts[0]), int(parts[1]), 1)
    except ValueError:
        raise ValidationError(_("Give a month as YYYY-MM."), code="invalid") from None
    validate_date_in_range(value)
    return value


class BoundedDateField(serializers.DateField):
    """DRF: an ISO date within EARLIEST..LATEST (documented in the schema)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(_drf_range)

    def get_value(self, dictionary):
        # DRF reads an optional form or query value that is empty (`?created_to=`) as "not given"; an empty
        # date is not a date, and the schema says so: refuse it (400) instead of silently ignoring it.
        value = super().get_value(dictionary)
        if value is empty and html.is_html_input(dictionary) and dictionary.get(self.field_name) == "":
            return ""
        return value


def _drf_range(value: date) -> None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise serializers.ValidationError(out_of_range_message(), code="date_range")


class BoundedFormDateField(forms.DateField):
    """Django forms: a date within EARLIEST..LATEST."""

    default_validators = [validate_date_in_range]
