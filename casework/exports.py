"""Spreadsheet exports (CSV, XLSX) that cannot run as formulas: every export goes through here.

A cell whose text begins with =, +, -, @, a tab or a carriage return is read by Excel, WPS and LibreOffice as a
formula ("CSV injection", OWASP): a department or subject name such as =HYPERLINK(…) would run on the clerk's
machine. Such text gets a leading apostrophe, which spreadsheets show as plain text. Numbers, dates and other
non-text values pass unchanged (a negative number is a number, not a formula).
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """`value` as safe spreadsheet content: text that a spreadsheet would run gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping]) -> str:
    """CSV (header + rows, each a mapping by column), every cell neutralised; with a BOM so that Excel on
    Chinese Windows reads UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(row.get(c, "")) for c in columns])
    return "\ufeff" + out.getvalue()


def xlsx_bytes(columns: Sequence[str], rows: Iterable[Mapping], *, title: str = "Sheet1") -> bytes:
    """An XLSX workbook of one sheet (header + rows), every cell neutralised: openpyxl would otherwise store
    text beginning with = as a formula."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append([neutralise(c) for c in columns])
    for row in rows:
        sheet.append([neutralise(row.get(c)) for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
