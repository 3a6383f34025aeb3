"""Issue 12, "real files people actually send": the example files of each kind (tests/files/) go through the
import service, the staff web import page and `manage.py import_records` alike; encodings, separators, XLSX
quirks, control characters and size limits each get a table of cases."""

import codecs
import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from casework.models import CreditRecord, Department, Sanction, Subject
from casework.services.history_verify import history_verify
from casework.services.registry import department_create, user_create
from integration.imports import records_import
from integration.models import ImportBatch

from .conftest import credit_code

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"
HEADER = ["subject_code", "subject_kind", "subject_name", "kind", "severity", "provider", "decided_on",
          "document_number", "summary"]  # fmt: skip


@pytest.fixture
def world(db):
    """The test world of the example files: provider xy-market, implementer xy-finance."""
    market = department_create(
        code="xy-market", name="市场监管局", kind="market_regulation", level="district", division="350102"
    )
    department_create(code="xy-finance", name="财政局", kind="other", level="district", division="350102")
    user, _ = user_create(
        username="clerk", password="a-long-password-1", role="reviewer", departments=[market]
    )
    return user


def rows(n: int = 3, **change) -> list[list[str]]:
    return [
        [credit_code(org=f"MA2Y{i:04d}1"), "enterprise", f"福州示例商贸有限公司{i}", "admin_penalty", "general",
         "xy-market", "2026-03-02", f"榕鼓市监罚〔2026〕{i}号", "未按规定公示年度报告"]
        for i in range(1, n + 1)
    ]  # fmt: skip


def text_file(body: list[list[str]], *, encoding: str, delimiter: str = ",", bom: bytes = b"") -> io.BytesIO:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows([HEADER, *body])
    return io.BytesIO(bom + out.getvalue().encode(encoding))


def run(f, name="upload.csv", actor=None) -> ImportBatch:
    return records_import(file=f, filename=name, actor=actor)


def file_error(f) -> str:
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        run(f)
    return " ".join(caught.value.message_dict["file"])


# --- the example files, three ways in -------------------------------------------------------------------------

# file → (rows imported, rows rejected, fields of the rejected rows) or a fragment of the message on `file`
EXAMPLES = {
    "excel-unicode-text.txt": (3, 0, []),  # UTF-16 with BOM, tab-separated
    "gbk-chinese-dates.csv": (3, 0, []),  # GB18030, dates as 2026年3月2日
    "wps-stale-dimension.xlsx": (3, 0, []),  # <dimension ref="A1:I2">, a whitespace-only row
    "nul-in-a-cell.csv": (0, 1, ["summary"]),  # a NUL byte inside a summary (its only row)
    "utf8-with-one-latin1-name.csv": "Line 3",  # UTF-8 with one name in Latin-1: refused, naming the line
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_files_through_the_service(world, name):
    expected = EXAMPLES[name]
    with (FILES / name).open("rb") as f:
        if isinstance(expected, str):
            assert expected in file_error(f)
            assert ImportBatch.objects.count() == CreditRecord.objects.count() == 0  # nothing half-done
            return
        batch = run(f, name)
    imported, rejected, fields = expected
    assert (batch.imported_rows, batch.rejected_rows) == (imported, rejected), batch.rejected
    assert [e["field"] for r in batch.rejected for e in r["errors"]] == fields
    assert batch.finished_at is not None and batch.error == ""
    assert CreditRecord.objects.count() == imported
    if name.endswith(".xlsx"):  # the sanction columns beyond the declared dimension are read too
        assert Sanction.objects.filter(implementer__code="xy-finance").count() == 3
    assert history_verify().ok


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_files_through_the_web_page(client, world, name):
    client.force_login(world)
    upload = SimpleUploadedFile(name, (FILES / name).read_bytes())
    response = client.post("/workspace/imports/", {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    expected = EXAMPLES[name]
    if isinstance(expected, str):
        assert response.status_code == 400
        assert expected in response.content.decode()
        return
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.get()
    assert (batch.imported_rows, batch.rejected_rows) == expected[:2]
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_files_through_the_command(world, name, capsys):
    expected = EXAMPLES[name]
    if isinstance(expected, str):
        with pytest.raises(CommandError, match=expected), translation.override("en"):
            call_command("import_records", str(FILES / name))
        return
    call_command("import_records", str(FILES / name))
    out = capsys.readouterr().out
    assert f"imported  {expected[0]}" in out and f"rejected  {expected[1]}" in out


def test_example_files_through_the_api(world):
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(world)
    with (FILES / "utf8-with-one-latin1-name.csv").open("rb") as f:
        response = client.post("/api/v1/imports/", {"file": f}, format="multipart")
    assert response.status_code == 400 and "Line 3" in response.json()["file"][0]
    with (FILES / "excel-unicode-text.txt").open("rb") as f:
        response = client.post("/api/v1/imports/", {"file": f}, format="multipart")
    assert response.status_code == 201 and response.json()["imported_rows"] == 3


# --- encodings and separators ----------------------------------------------------------------------------------

READABLE = [
    ("utf-8", ",", b""),
    ("utf-8", ",", codecs.BOM_UTF8),
    ("utf-8", "\t", codecs.BOM_UTF8),
    ("gb18030", ",", b""),
    ("gbk", ",", b""),
    ("gbk", "\t", b""),
    ("utf-16-le", "\t", codecs.BOM_UTF16_LE),  # Excel's "Unicode text"
    ("utf-16-be", "\t", codecs.BOM_UTF16_BE),
    ("utf-16-le", ",", codecs.BOM_UTF16_LE),
]


@pytest.mark.parametrize(("encoding", "delimiter", "bom"), READABLE)
def test_readable_encodings_and_separators(world, encoding, delimiter, bom):
    batch = run(text_file(rows(), encoding=encoding, delimiter=delimiter, bom=bom))
    assert (batch.imported_rows, batch.rejected_rows) == (3, 0), batch.rejected
    assert set(Subject.objects.values_list("name", flat=True)) == {
        f"福州示例商贸有限公司{i}" for i in (1, 2, 3)
    }


def _latin1_in_line(n: int) -> io.BytesIO:
    body = rows(4)
    body[n - 2][2] = "\x00LATIN1\x00"
    data = text_file(body, encoding="utf-8").getvalue()
    return io.BytesIO(data.replace(b"\x00LATIN1\x00", "Café Lumière".encode("latin-1")))


def _csv_in(encoding: str, name: str) -> bytes:
    body = rows()
    for row in body:
        row[2], row[7], row[8] = name, "No.1", "summary"  # the names alone in the foreign encoding
    return text_file(body, encoding=encoding).getvalue()


UNREADABLE = [
    ("Latin-1 name in a UTF-8 file, line 3", _latin1_in_line(3), "Line 3"),
    ("Latin-1 name in a UTF-8 file, line 5", _latin1_in_line(5), "Line 5"),
    ("Shift-JIS names", io.BytesIO(_csv_in("shift_jis", "株式会社テスト商事")), "Line 2"),
    ("Windows-1252 names", io.BytesIO(_csv_in("cp1252", "Müller Straße GmbH")), "Line 2"),
    ("Big5 names", io.BytesIO(_csv_in("big5", "臺北測試貿易有限公司")), "Line 2"),
    ("EUC-KR names", io.BytesIO(_csv_in("euc-kr", "테스트 무역 주식회사")), "Line 2"),
    (
        "a lone surrogate in UTF-16",
        io.BytesIO(codecs.BOM_UTF16_LE + "a\tb\n".encode("utf-16-le") + b"\x00\xd8\n\x00"),
        "Line 2",
    ),  # noqa: E501
    ("an empty file", io.BytesIO(b""), "empty"),
    ("no header", io.BytesIO(b"\r\n\r\n"), "empty"),
]


@pytest.mark.parametrize(("case", "f", "fragment"), UNREADABLE, ids=[c[0] for c in UNREADABLE])
def test_unreadable_files_are_a_400_on_file_naming_the_line(world, case, f, fragment):
    assert fragment in file_error(f)
    assert ImportBatch.objects.count() == CreditRecord.objects.count() == 0


# --- XLSX ------------------------------------------------------------------------------------------------------


def test_xlsx_dates_in_every_form_and_whitespace_rows(world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    dates = [
        datetime.date(2026, 3, 2),  # a date cell
        datetime.datetime(2026, 3, 2, 0, 0),  # a datetime cell
        46083,  # the serial number of 2026-03-02, in a cell without a date format
        "2026年3月2日",
        "2026/3/2",
        "2026.3.2",
        "20260302",
        20260302,  # typed as a number
    ]
    for i, value in enumerate(dates, start=1):
        row = rows(len(dates))[i - 1]
        row[6] = value
        sheet.append(row)
        sheet.append(["  ", None, "\t"])  # whitespace-only: skipped like in CSV
    out = io.BytesIO()
    workbook.save(out)
    batch = run(out, "dates.xlsx")
    assert (batch.total_rows, batch.imported_rows, batch.rejected_rows) == (len(dates), len(dates), 0), (
        batch.rejected
    )
    assert set(CreditRecord.objects.values_list("decided_on", flat=True)) == {datetime.date(2026, 3, 2)}


# --- control characters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
@pytest.mark.parametrize("column", [2, 7, 8])  # name, document number, summary
def test_a_control_character_in_a_cell_is_a_row_error(world, char, column):
    body = rows()
    body[1][column] = body[1][column][:2] + char + body[1][column][2:]
    batch = run(text_file(body, encoding="utf-8"))
    assert (batch.imported_rows, batch.rejected_rows) == (2, 1)
    [rejected] = batch.rejected
    assert rejected["line"] == 3 and rejected["errors"][0]["field"] == HEADER[column]
    assert f"U+{ord(char):04X}" in rejected["errors"][0]["reason"]
    assert batch.finished_at is not None  # an import batch always finishes
    assert not any(char in r.summary + r.subject.name for r in CreditRecord.objects.all())


# --- size limits -----------------------------------------------------------------------------------------------


def test_a_file_over_the_row_limit_is_refused(world, settings):
    settings.IMPORT_MAX_ROWS = 2
    assert "more than 2 rows" in file_error(text_file(rows(3), encoding="utf-8"))
    assert CreditRecord.objects.count() == 0
    assert run(text_file(rows(2), encoding="utf-8")).imported_rows == 2


def test_a_file_over_the_byte_limit_is_refused(world, settings):
    settings.IMPORT_MAX_BYTES = 1024
    assert "MiB" in file_error(text_file(rows(20), encoding="utf-8"))
    assert CreditRecord.objects.count() == 0


def test_the_web_page_shows_the_size_message_on_the_file_field(client, world, settings):
    settings.IMPORT_MAX_ROWS = 1
    client.force_login(world)
    data = text_file(rows(2), encoding="utf-8").getvalue()
    response = client.post(
        "/workspace/imports/", {"file": SimpleUploadedFile("big.csv", data)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "more than 1 rows" in response.content.decode()
    assert Department.objects.count() == 2 and CreditRecord.objects.count() == 0


def test_a_broken_xlsx_is_a_400_on_file(world):
    good = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.save(good)
    data = good.getvalue()
    for broken in (data[: len(data) // 2], b"PK\x03\x04" + b"\x00" * 100):  # cut short; a zip header only
        assert "XLSX" in file_error(io.BytesIO(broken))
    assert ImportBatch.objects.count() == 0


def test_a_database_refusal_leaves_a_failed_finished_batch_and_nothing_written(world):
    """Fault kind: the database refuses the rows (here a real constraint, as a NUL byte once did on
    PostgreSQL). The batch still ends — failed, with the reason — nothing of its rows is written, and the
    uploader gets a 400 on `file`."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE casework_creditrecord ADD CONSTRAINT refuse_boom CHECK (summary <> 'boom')"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER refuse_boom BEFORE INSERT ON casework_creditrecord WHEN NEW.summary = 'boom' "
                "BEGIN SELECT RAISE(ABORT, 'refuse_boom'); END"
            )
    body = rows(3)
    body[2][8] = "boom"
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        run(text_file(body, encoding="utf-8"))
    assert "nothing was imported" in caught.value.message_dict["file"][0]
    batch = ImportBatch.objects.get()
    assert batch.finished_at is not None and "refuse_boom" in batch.error
    assert CreditRecord.objects.count() == Subject.objects.count() == Sanction.objects.count() == 0
