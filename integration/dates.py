"""Dates as departments write them in import files: one parser, bounded to a sane range.

Accepted (all Beijing calendar dates, no time of day):

- ISO and its everyday variants: 2026-03-02, 2026-3-2, 2026/3/2, 2026.3.2 (zh-CN Excel shows 2026/3/2);
- Chinese: 2026年3月2日 (full-width digits and spaces are folded first, so ２０２６年３月２日 too);
- compact: 20260302;
- Excel cells: a date or datetime cell (openpyxl gives datetime), or the cell's serial number when the sheet
  stored it without a date format (45718 = 2025-03-01; the 1900 date system Excel for Windows uses).

Anything else, or a date outside EARLIEST..LATEST (2000-01-01..2100-12-31, the same range as the bounded date
field of the API and web forms), raises ValueError with a message for the field. Keeping every date within
that range is what keeps date arithmetic (a listing period added to the decision date) far from year 9999.
"""

import datetime
import functools
import re
import unicodedata

from django.utils.translation import gettext as _

from casework.record_rules import EARLIEST, LATEST, date_range_error

__all__ = ["EARLIEST", "LATEST", "parse_date"]

# Excel's 1900 date system: serial 1 is 1900-01-01, and Excel counts a 1900-02-29 that never was, so serials
# after 60 are one day ahead of a plain count from 1899-12-31.
EXCEL_EPOCH = datetime.date(1899, 12, 30)

_SEPARATED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
# What may follow the date in a text cell that held a datetime: "2026-03-02 00:00:00", "2026/3/2 9:30".
_TIME = re.compile(r"(?:[\sT]*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def format_hint() -> str:
    return _("Give the date as YYYY-MM-DD (2026-03-02, 2026/3/2, 2026年3月2日 and 20260302 are read too).")


def in_range(value: datetime.date) -> datetime.date:
    """`value` itself, or ValueError when it lies outside EARLIEST..LATEST."""
    if message := date_range_error(value):
        raise ValueError(message)
    return value


def parse_date(value) -> datetime.date:
    """A date from an import cell: text in one of the forms above, a date/datetime, or an Excel serial number.

    Raises ValueError (its message is for the person who wrote the file) when the value is no date or lies
    outside 2000-01-01..2100-12-31.
    """
    if isinstance(value, datetime.datetime):
        return in_range(value.date())
    if isinstance(value, datetime.date):
        return in_range(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    return _parse_text(str(value))


@functools.lru_cache(maxsize=4096)  # a file's rows share few dates: parse each spelling once
def _parse_text(text: str) -> datetime.date:
    text = unicodedata.normalize("NFKC", text).strip()
    if _SERIAL.fullmatch(text):
        return _serial(float(text))
    for pattern in (_SEPARATED, _COMPACT):
        match = pattern.match(text)
        if match and _TIME.fullmatch(text, match.end()):
            try:
                day = datetime.date(*map(int, match.groups()))
            except ValueError:
                break  # 2026-13-45: a date's shape, but no date
            return in_range(day)
    raise ValueError(format_hint())


def _serial(number: float) -> datetime.date:
    if not number.is_integer():
        number = int(number)  # a datetime serial: the fraction is the time of day
    try:
        day = EXCEL_EPOCH + datetime.timedelta(days=int(number))
    except OverflowError:
        raise ValueError(format_hint()) from None
    return in_range(day)
