"""Reading an import file row by row: CSV (UTF-8 with or without BOM, or GB18030/GBK) or XLSX (streamed with
openpyxl's read-only mode), into (line number, {column: text}) pairs."""

import codecs
import csv
import datetime
import io
from collections.abc import Iterator
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

COLUMNS = [
    "subject_code",
    "subject_name",
    "subject_kind",
    "kind",
    "severity",
    "provider",
    "decided_on",
    "document_number",
    "summary",
    "listed_until",
    "measure",
    "implementer",
    "effective_from",
    "operating_status",
]
REQUIRED_COLUMNS = {
    "subject_code",
    "kind",
    "severity",
    "provider",
    "decided_on",
    "document_number",
    "summary",
}
# The headers departments' own exports use (Chinese), beside the API's names.
ALIASES = {
    "统一社会信用代码": "subject_code",
    "主体代码": "subject_code",
    "主体名称": "subject_name",
    "主体类型": "subject_kind",
    "类别": "kind",
    "严重程度": "severity",
    "认定单位": "provider",
    "决定日期": "decided_on",
    "文号": "document_number",
    "摘要": "summary",
    "列入期限": "listed_until",
    "惩戒措施": "measure",
    "实施部门": "implementer",
    "生效日期": "effective_from",
    "惩戒生效日期": "effective_from",
    "经营状态": "operating_status",
    "登记状态": "operating_status",
}
XLSX_MAGIC = b"PK\x03\x04"


def _encoding(f: BinaryIO) -> str:
    """UTF-8 (a BOM is dropped) if the whole file decodes as UTF-8, else GB18030 (a superset of GBK)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    f.seek(0)
    try:
        while chunk := f.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"
    finally:
        f.seek(0)


def _header(names) -> list[str]:
    header = [ALIASES.get(str(n or "").strip(), str(n or "").strip().lower()) for n in names]
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise ValidationError(
            {
                "file": [
                    _("Columns missing from the first row: %(columns)s.")
                    % {"columns": ", ".join(sorted(missing))}
                ]
            }
        )
    return header


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(f: BinaryIO) -> Iterator[tuple[int, dict]]:
    text = io.TextIOWrapper(f, encoding=_encoding(f), newline="")
    try:
        reader = csv.reader(text)
        try:
            header = _header(next(reader))
        except StopIteration:
            raise ValidationError({"file": [_("The file is empty.")]}) from None
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, {name: _text(v) for name, v in zip(header, row, strict=False)}
    finally:
        text.detach()


def _xlsx_rows(f: BinaryIO) -> Iterator[tuple[int, dict]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(f, read_only=True, data_only=True)
    except Exception:
        raise ValidationError({"file": [_("The file is not a readable XLSX workbook.")]}) from None
    try:
        rows = workbook.active.iter_rows(values_only=True)
        try:
            header = _header(next(rows))
        except StopIteration:
            raise ValidationError({"file": [_("The file is empty.")]}) from None
        for line, row in enumerate(rows, start=2):
            if any(v not in (None, "") for v in row):
                yield line, {name: _text(v) for name, v in zip(header, row, strict=False)}
    finally:
        workbook.close()


def read_rows(f: BinaryIO) -> Iterator[tuple[int, dict]]:
    """Rows of a CSV or XLSX file (told apart by content, not name), blank rows skipped."""
    f.seek(0)
    is_xlsx = f.read(4) == XLSX_MAGIC
    f.seek(0)
    return _xlsx_rows(f) if is_xlsx else _csv_rows(f)
