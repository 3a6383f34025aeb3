"""Issue #6: bulk import of records and sanctions — row by row validation, a report of rejected rows with
reasons, all valid rows in together, and a second import of the same file adds nothing."""

import csv
import datetime
import io
import json
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.management import call_command

from casework.models import CreditRecord, Department, HistoryEvent, Role, Sanction, Subject
from casework.services.history import GENESIS, HISTORY_COLUMNS
from casework.services.history_verify import history_verify
from casework.services.registry import department_create, user_create
from integration.importfile import COLUMNS
from integration.imports import _FirstEvents, records_import

from .conftest import client_for, credit_code

pytestmark = pytest.mark.django_db

BAD_EVERY = 33  # 10,000 rows → 303 bad ones, about 3 %


@pytest.fixture
def departments(db):
    for code, kind in [("xy-market", "market_regulation"), ("xy-tax", "tax"), ("xy-credit", "credit_office")]:
        department_create(code=code, name=code, kind=kind, level="district", division="350102")


def row(n: int) -> dict:
    return {
        "subject_code": credit_code(org=f"MA{n:07d}"),
        "subject_name": f"示例企业{n}",
        "subject_kind": "",
        "kind": "admin_penalty",
        "severity": "general",
        "provider": "xy-market",
        "decided_on": "2026-03-02",
        "document_number": f"闽榕市监罚〔2026〕{n}号",
        "summary": "未按规定公示年度报告",
        "listed_until": "",
        "measure": "限制享受税收优惠",
        "implementer": "xy-tax",
    }


BREAKAGES = [
    (
        "subject_code",
        lambda r: {
            **r,
            "subject_code": r["subject_code"][:-1] + ("0" if r["subject_code"][-1] != "0" else "1"),
        },
    ),
    ("decided_on", lambda r: {**r, "decided_on": "2026-13-45"}),
    ("provider", lambda r: {**r, "provider": "nowhere"}),
    ("kind", lambda r: {**r, "kind": "speeding"}),
    ("implementer", lambda r: {**r, "implementer": "xy-nowhere"}),
    ("summary", lambda r: {**r, "summary": ""}),
]


def write_csv(path, rows, encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def generated(n: int):
    rows, bad = [], {}
    for i in range(n):
        r = row(i)
        if i % BAD_EVERY == 7:
            field, breakage = BREAKAGES[(i // BAD_EVERY) % len(BREAKAGES)]
            r = breakage(r)
            bad[i + 2] = field  # line 1 is the header
        rows.append(r)
    return rows, bad


def test_ten_thousand_rows_with_three_percent_bad(departments, tmp_path):
    rows, bad = generated(10_000)
    path = write_csv(tmp_path / "records.csv", rows)
    with path.open("rb") as f:
        report = records_import(file=f, filename=path.name, actor=None)

    assert report.total_rows == 10_000
    assert report.rejected_rows == len(bad) == 303
    assert {r["line"]: r["errors"][0]["field"] for r in report.rejected} == bad
    assert all(r["errors"][0]["reason"] for r in report.rejected)
    good = 10_000 - len(bad)
    assert (report.imported_rows, report.records_created, report.sanctions_created) == (good, good, good)
    assert CreditRecord.objects.count() == Sanction.objects.count() == Subject.objects.count() == good
    # History as if each had been entered by hand: one "created" event per record and per sanction, chained.
    assert HistoryEvent.objects.filter(action="created", seq=1).count() == 2 * good
    assert history_verify().ok

    with path.open("rb") as f:
        again = records_import(file=f, filename=path.name, actor=None)
    assert (again.imported_rows, again.unchanged_rows, again.rejected_rows) == (0, good, len(bad))
    assert CreditRecord.objects.count() == Sanction.objects.count() == good
    assert HistoryEvent.objects.count() == 2 * good


def test_xlsx_and_gbk_and_a_second_measure_on_a_known_record(departments, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "主体名称", "类别", "严重程度", "认定单位", "决定日期", "文号", "摘要"])
    first = row(1)
    sheet.append(
        [first["subject_code"], "甲公司", "serious_list", "serious", "xy-market", None, "文1", "列入名单"]
    )
    sheet.cell(row=2, column=6).value = datetime.date(2025, 5, 6)  # a real date cell
    workbook.save(tmp_path / "records.xlsx")
    with (tmp_path / "records.xlsx").open("rb") as f:
        report = records_import(file=f, filename="records.xlsx", actor=None)
    assert (report.imported_rows, report.rejected_rows) == (1, 0), report.rejected
    record = CreditRecord.objects.get()
    assert record.decided_on.isoformat() == "2025-05-06"
    assert record.listed_until.isoformat() == "2028-05-06"  # the rule set's 3 years, as record_create

    # The same record again (same document number) with a measure: only the sanction is new. GBK encoded.
    gbk = {
        **row(1),
        "kind": "serious_list",
        "severity": "serious",
        "document_number": "文1",
        "summary": "列入名单",
        "decided_on": "2025-05-06",
        "listed_until": "2028-05-06",
    }
    path = write_csv(tmp_path / "gbk.csv", [gbk], encoding="gbk")
    with path.open("rb") as f:
        report = records_import(file=f, filename=path.name, actor=None)
    assert (report.records_created, report.sanctions_created, report.rejected_rows) == (0, 1, 0), (
        report.rejected
    )
    assert Sanction.objects.get().record == record


def test_a_conflicting_duplicate_and_a_missing_column(departments, tmp_path):
    one = row(1)
    path = write_csv(tmp_path / "dup.csv", [one, {**one, "severity": "serious"}, one])
    with path.open("rb") as f:
        report = records_import(file=f, filename=path.name, actor=None)
    assert [r["line"] for r in report.rejected] == [3]
    assert report.rejected[0]["errors"][0]["field"] == "document_number"
    assert (report.imported_rows, report.unchanged_rows) == (1, 1)  # line 4 repeats line 2

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        records_import(file=io.BytesIO(b"subject_code,kind\n1,2\n"), filename="x.csv", actor=None)


def test_staff_upload_through_the_api_and_read_the_report(departments, tmp_path):
    user, token = user_create(
        username="market",
        password="a-long-password-1",
        role=Role.REVIEWER,
        departments=list(Department.objects.filter(code="xy-market")),
    )
    client = client_for(token)
    path = write_csv(tmp_path / "upload.csv", [row(1), {**row(2), "provider": "xy-tax"}])
    with path.open("rb") as f:
        response = client.post("/api/v1/imports/", {"file": f}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["imported_rows"], body["rejected_rows"]) == (1, 1)
    assert body["rejected"] == [
        {
            "line": 3,
            "errors": [
                {"field": "provider", "reason": "You can import records only for your own department."}
            ],
        }
    ]
    assert client.get(f"/api/v1/imports/{body['id']}/").json() == body
    assert client.post("/api/v1/imports/", {}, format="multipart").status_code == 400


def test_the_command_shows_progress_and_the_report(departments, tmp_path, capsys):
    path = write_csv(tmp_path / "cmd.csv", [row(1), {**row(2), "decided_on": "yesterday"}])
    call_command("import_records", str(path))
    out, err = capsys.readouterr()
    assert "imported  1" in out and "rejected  1" in out and "line 3: decided_on" in out
    assert "rows" in err and "\r[" in err


@pytest.mark.parametrize("actor", [None, SimpleNamespace(pk=7, label=lambda: "张三 “审核” (xy-market)")])
def test_import_history_hash_is_the_verifiers_hash(actor):
    """Issue 13: the import hashes its events from constant pieces around the stream and the data; each hash
    must still be exactly HistoryEvent.compute_hash of the row written, or history_verify reports a break."""
    at = datetime.datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=datetime.UTC)
    events = _FirstEvents(actor=actor, at=at, to_state="published")
    data = {
        "document_number": '闽榕市监罚〔2026〕1号 "\\\t',
        "listed_until": None,
        "n": 3,
        "nested": {"b": 1, "a": [2]},
    }
    row = events.event("creditrecord:6f1c8c1e-2f0a-4a59-9a5e-0b5f4e1f3d21", data)
    written = SimpleNamespace(**dict(zip(HISTORY_COLUMNS, row, strict=True)))
    written.data = json.loads(written.data)
    assert written.hash == HistoryEvent.compute_hash(written)
    assert (written.seq, written.prev_hash, written.actor_id) == (1, GENESIS, actor.pk if actor else None)


def test_reimport_queries_do_not_grow_with_the_file(departments, tmp_path):
    """Issue 13: a re-import finds what exists with a fixed number of queries (natural keys and subjects as
    array parameters on PostgreSQL), not one query per thousand keys: 300 rows and 3,000 rows cost the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("array parameters are PostgreSQL's; elsewhere the look-ups go 1,000 keys a query")
    counts = []
    for n in (300, 3_000):
        path = write_csv(tmp_path / f"records-{n}.csv", [row(i) for i in range(n)])
        with path.open("rb") as f:
            records_import(file=f, filename=path.name, actor=None)
        with path.open("rb") as f, CaptureQueriesContext(connection) as queries:
            again = records_import(file=f, filename=path.name, actor=None)
        assert (again.imported_rows, again.unchanged_rows) == (0, n)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
