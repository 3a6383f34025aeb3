"""Calendar-month arithmetic on Beijing dates (no working days here: those are `casework.calendar`)."""

import calendar as _months
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 Jan + 1 month = 28/29 Feb).

    Used for the rules counted in months or years: earliest repair application, listing periods.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _months.monthrange(year, month)[1]))


def iso_or_none(day: date | None) -> str | None:
    """A stored date as history data writes it (ISO 8601), or None where there is none (a paused clock)."""
    return day.isoformat() if day is not None else None


def required_date(day: date | None) -> date:
    """A date the caller's path guarantees (a running step's due date, a listing's end): say so loudly if not."""
    if day is None:
        raise ValueError("A date this step depends on is missing.")
    return day
