"""Reading an import file row by row into (line number, {column: text}) pairs.

What is read (told apart by content, never by the file's name):

- XLSX, streamed with openpyxl's read-only mode. The sheet's declared size (`<dimension ref="A1:I2">`) is never
  trusted: WPS and other generators write a stale one, and openpyxl then silently drops the rows and columns
  outside it. Date cells arrive as dates (see integration.dates for the text forms).
- CSV or tab-separated text (Excel's "Unicode text"), whichever the header line uses. Encodings: UTF-8 with or
  without BOM, UTF-16 with BOM (Excel's "Unicode text"), GB18030 (a superset of GBK and GB2312). A file that is
  none of these — a UTF-8 file with one name typed in Latin-1, say — is refused as a whole with a message on
  `file` naming the first line that cannot be read: guessing would store a mangled name.

Blank and whitespace-only rows are skipped in both. Limits (MAX_BYTES, MAX_ROWS; settings IMPORT_MAX_BYTES
and IMPORT_MAX_ROWS override them) refuse a larger file with a message on `file` before anything is written.
"""

import codecs
import csv
import datetime
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import shuanggongshi

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
}
XLSX_MAGIC = b"PK\x03\x04"
MAX_BYTES = 64 * 1024 * 1024  # a 200,000-row CSV is about 50 MiB
MAX_ROWS = 200_000
CHUNK = 1 << 20
# Where a line ends, for feeding csv.reader line by line: "\n", "\r\n", or a lone "\r" (old Mac files). A "\r"
# at the very end of a chunk waits for the next one, which may begin with its "\n".
_LINE_END = re.compile(r"(?<=\n)|(?<=\r)(?=[^\n])")

Row = tuple[int, dict[str, str]]


def limits() -> tuple[int, int]:
    """(bytes, rows): the largest import file accepted."""
    return (
        getattr(settings, "IMPORT_MAX_BYTES", MAX_BYTES),
        getattr(settings, "IMPORT_MAX_ROWS", MAX_ROWS),
    )


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _line_error(line: int, encoding_names: str) -> ValidationError:
    return _file_error(
        _(
            "Line %(line)s cannot be read as %(encodings)s text. Save the file as UTF-8 (or as Excel "
            "“Unicode text”), or correct that line, and import it again."
        )
        % {"line": line, "encodings": encoding_names}
    )


def _first_utf8_error(f: BinaryIO) -> tuple[int, int] | None:
    """None if the whole file is UTF-8; else (line, byte offset) of the first byte that is not."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    f.seek(0)
    offset, line = 0, 1
    try:
        while chunk := f.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                # exc.object is the decoder's pending bytes plus this chunk: count the lines before the error.
                pending = len(exc.object) - len(chunk)
                return line + exc.object.count(b"\n", 0, exc.start), offset - pending + exc.start
            offset += len(chunk)
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return line, offset
        return None
    finally:
        f.seek(0)


GB_FAMILY = {"gb18030", "gbk", "gb2312", "cp936"}
DETECTION_SAMPLE = 1 << 20  # bytes: enough text for charset-normalizer to judge, bounded time for big files


def detect_encoding(f: BinaryIO) -> str:
    """The codec name to read a text file with, or a ValidationError on `file` naming the first bad line.

    A BOM decides (UTF-8, UTF-16). Else a file that is UTF-8 throughout is UTF-8. Else charset-normalizer
    judges the first MiB (whole lines) among every encoding it knows: the file is read as GB18030 only if
    GB18030/GBK is its best answer. Shift-JIS, Big5, Latin-1, or UTF-8 with one line in another encoding
    would decode as GB18030 too, into mojibake names; they are refused instead.
    """
    f.seek(0)
    head = f.read(4)
    f.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the codec reads the BOM and drops it
    bad = _first_utf8_error(f)
    if bad is None:
        return "utf-8"
    import charset_normalizer

    sample = f.read(DETECTION_SAMPLE)
    f.seek(0)
    if len(sample) == DETECTION_SAMPLE and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]  # never judge half a character
    match = charset_normalizer.from_bytes(sample).best()
    if match is not None and match.encoding in GB_FAMILY:
        return "gb18030"
    raise _line_error(bad[0], "UTF-8, UTF-16 or GB18030 (GBK)")


def _text_lines(f: BinaryIO, encoding: str) -> Iterator[str]:
    """The file's lines (ends kept), decoded strictly; an undecodable byte is a ValidationError naming its
    line."""
    decoder = codecs.getincrementaldecoder(encoding)()
    yielded, pending = 0, ""
    f.seek(0)
    while True:
        chunk = f.read(CHUNK)
        final = not chunk
        try:
            text = pending + decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:
            before = pending + exc.object[: exc.start].decode(encoding, errors="replace")
            raise _line_error(yielded + len(_LINE_END.split(before)), encoding.upper()) from None
        pieces = _LINE_END.split(text)
        pending = pieces.pop()  # an unfinished line, or "" after a line end
        yielded += len(pieces)
        yield from pieces
        if final:
            if pending:
                yield pending
            return


def _header(names) -> tuple[list[str], Callable[[dict], dict] | None]:
    """Canonical column names, and for a file in the 双公示 layout the function turning its rows into ours."""
    cells = [str(n or "").strip().lstrip("\ufeff") for n in names]
    if shuanggongshi.is_layout(cells):
        return shuanggongshi.columns(cells), shuanggongshi.to_record
    header = [ALIASES.get(c, c.lower()) for c in cells]
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise _file_error(
            _("Columns missing from the first row: %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        )
    return header, None


def _text(value) -> str:
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(header, translate, numbered_rows) -> Iterator[Row]:
    """Named, non-blank rows, at most MAX_ROWS of them."""
    max_rows = limits()[1]
    count = 0
    for line, cells in numbered_rows:
        texts = [_text(v) for v in cells]
        if not any(texts):  # blank and whitespace-only rows, in CSV and XLSX alike
            continue
        count += 1
        if count > max_rows:
            raise _file_error(
                _("The file has more than %(max)s rows; split it into files of at most %(max)s rows.")
                % {"max": max_rows}
            )
        raw = dict(zip(header, texts, strict=False))
        yield line, translate(raw) if translate else raw


def _csv_rows(f: BinaryIO) -> Iterator[Row]:
    encoding = detect_encoding(f)
    lines = _text_lines(f, encoding)
    first = next(lines, "")
    if not first.strip():
        raise _file_error(_("The file is empty."))
    # Excel's "Unicode text" (and many tools' TSV export) separate columns by tabs; everyone else by commas.
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(_prepend(first, lines), delimiter=delimiter)
    try:
        header, translate = _header(next(reader))
        yield from _rows(header, translate, ((reader.line_num, row) for row in reader))
    except csv.Error as exc:
        raise _file_error(
            _("Line %(line)s is not well-formed CSV: %(reason)s.") % {"line": reader.line_num, "reason": exc}
        ) from None


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _xlsx_rows(f: BinaryIO) -> Iterator[Row]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(f, read_only=True, data_only=True)
        sheet = workbook.active
        # The declared <dimension> is whatever the generator wrote (WPS: often A1:I2 for any size); forget it
        # so that openpyxl reads every row and column that is really there.
        sheet.reset_dimensions()
    except Exception:
        raise _file_error(_("The file is not a readable XLSX workbook.")) from None
    try:
        rows = sheet.iter_rows(values_only=True)
        try:
            header, translate = _header(next(rows))
        except StopIteration:
            raise _file_error(_("The file is empty.")) from None
        yield from _rows(header, translate, enumerate(rows, start=2))
    except ValidationError:
        raise
    except Exception:
        # A workbook whose sheet XML breaks off half-way: the same answer as one that does not open at all.
        raise _file_error(_("The file is not a readable XLSX workbook.")) from None
    finally:
        workbook.close()


def read_rows(f: BinaryIO) -> Iterator[Row]:
    """Rows of a CSV, tab-separated or XLSX file, blank rows skipped, each as (line, {column: text}).

    Raises ValidationError on `file` (nothing is read further) for a file too large, in an unknown encoding,
    with a line that cannot be decoded or parsed, or without the required columns.
    """
    f.seek(0, 2)
    size = f.tell()
    f.seek(0)
    max_bytes = limits()[0]
    if size > max_bytes:
        raise _file_error(
            _("The file has %(size)s MiB; at most %(max)s MiB can be imported at once. Split it.")
            % {"size": round(size / 2**20, 1), "max": round(max_bytes / 2**20, 1)}
        )
    is_xlsx = f.read(4) == XLSX_MAGIC
    f.seek(0)
    return _xlsx_rows(f) if is_xlsx else _csv_rows(f)
