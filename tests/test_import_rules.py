"""Issue 12: one set of rules per field on every entry path (records API, import, services), dates read in
the forms people write and bounded, identifiers normalised everywhere, the subject kind never guessed."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.identifiers import compute_credit_code_check, compute_resident_id_check, normalise_code
from casework.models import CreditRecord, Subject, User
from casework.services.records import record_create
from casework.services.registry import department_create
from integration.dates import parse_date
from integration.imports import records_import

from .conftest import credit_code, resident_id, resident_id_ending_in_x
from .test_import_files import HEADER, text_file

pytestmark = pytest.mark.django_db
D = datetime.date

# --- one date parser, bounded ----------------------------------------------------------------------------------

DATES = [
    ("2026-03-02", D(2026, 3, 2)),
    ("2026-3-2", D(2026, 3, 2)),
    ("2026/3/2", D(2026, 3, 2)),  # zh-CN Excel's display form
    ("2026/03/02", D(2026, 3, 2)),
    ("2026.3.2", D(2026, 3, 2)),
    ("2026年3月2日", D(2026, 3, 2)),
    ("2026 年 3 月 2 日", D(2026, 3, 2)),
    ("２０２６年３月２日", D(2026, 3, 2)),  # full-width digits
    ("20260302", D(2026, 3, 2)),
    ("46083", D(2026, 3, 2)),  # an Excel serial number
    ("46083.5", D(2026, 3, 2)),  # a serial with a time of day
    ("2026-03-02 00:00:00", D(2026, 3, 2)),  # a datetime written as text
    ("2026/3/2 9:30", D(2026, 3, 2)),
    (D(2026, 3, 2), D(2026, 3, 2)),  # a date cell
    (datetime.datetime(2026, 3, 2, 15, 0), D(2026, 3, 2)),  # a datetime cell
    (46083, D(2026, 3, 2)),  # a numeric cell
    ("2000-01-01", D(2000, 1, 1)),
    ("2100-12-31", D(2100, 12, 31)),
]
NOT_DATES = [
    ("2026-13-45", "YYYY-MM-DD"),
    ("2026-02-30", "YYYY-MM-DD"),
    ("yesterday", "YYYY-MM-DD"),
    ("3/2/2026", "YYYY-MM-DD"),
    ("2026-03-02x", "YYYY-MM-DD"),
    ("", "YYYY-MM-DD"),
    ("9999-06-01", "outside 2000-01-01 to 2100-12-31"),  # add_months past year 9999 before
    ("1999-12-31", "outside"),
    ("2101-01-01", "outside"),
    ("99999", "outside"),  # a serial far in the future
    (D(9999, 12, 31), "outside"),
]


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_dates_in_the_forms_people_write(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "fragment"), NOT_DATES)
def test_not_a_date_or_out_of_range_is_a_field_message(text, fragment):
    with translation.override("en"), pytest.raises(ValueError, match=fragment):
        parse_date(text)


# --- one set of field rules, on every path ---------------------------------------------------------------------

# (field, changes to a valid record) → the field that must be refused, on the API and in the import alike
RULES = [
    ("decided_on", {"decided_on": "2099-01-01"}),  # in the future
    ("decided_on", {"decided_on": "9999-06-01", "kind": "serious_list"}),  # far beyond any listing period
    ("decided_on", {"decided_on": "1999-12-31"}),
    ("listed_until", {"kind": "serious_list", "listed_until": "2025-01-01"}),  # ends before the decision
    ("listed_until", {"kind": "serious_list", "listed_until": "2101-01-01"}),
    ("summary", {"summary": ""}),
    ("summary", {"summary": "长" * 4001}),
]
VALID = {
    "kind": "admin_penalty",
    "severity": "general",
    "decided_on": "2026-03-02",
    "summary": "未按规定公示年报",
}


@pytest.fixture
def market(db):
    return department_create(
        code="xy-market", name="市场监管局", kind="market_regulation", level="district", division="350102"
    )


@pytest.mark.parametrize(("field", "change"), RULES)
def test_the_records_api_and_the_import_refuse_the_same_values(admin_api, market, field, change):
    code = credit_code()
    response = admin_api.post("/api/v1/subjects/", {"kind": "enterprise", "code": code, "name": "甲"})
    subject = response.json()["id"]
    response = admin_api.post(
        "/api/v1/records/", {**VALID, "subject": subject, "provider": "xy-market", **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    row = {**VALID, **change}
    body = [
        [
            code,
            "enterprise",
            "甲",
            row["kind"],
            "general",
            "xy-market",
            row["decided_on"],
            "文1",
            row["summary"],
        ]
    ]
    header = HEADER + (["listed_until"] if "listed_until" in row else [])
    if "listed_until" in row:
        body[0].append(row["listed_until"])
    batch = records_import(file=_file(header, body), filename="x.csv", actor=None)
    assert batch.rejected_rows == 1 and field in {e["field"] for e in batch.rejected[0]["errors"]}
    with pytest.raises(ValidationError) as caught:  # the service itself, for callers without a serializer
        record_create(
            subject=Subject.objects.get(code=code),
            kind=row["kind"],
            severity="general",
            provider=market,
            decided_on=parse_or_raw(row["decided_on"]),
            summary=row["summary"],
            actor=User.objects.get(username="admin"),
            listed_until=parse_or_raw(row.get("listed_until")),
        )
    assert field in caught.value.message_dict
    assert CreditRecord.objects.count() == 0


def parse_or_raw(text):
    return datetime.date.fromisoformat(text) if text else None


def _file(header, body) -> io.BytesIO:
    import csv

    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return io.BytesIO(out.getvalue().encode())


# --- the same identifier however it was typed, on every path ---------------------------------------------------

TYPED = [
    (
        "full-width digits and letters",
        lambda c: c.translate({ord(ch): ord(ch) + 0xFEE0 for ch in c if "!" <= ch <= "~"}),
    ),
    ("lowercase", str.lower),
    ("embedded spaces", lambda c: f"{c[:8]} {c[8:]}"),
    ("ideographic spaces U+3000", lambda c: f"\u3000{c[:6]}\u3000{c[6:]}\u3000"),
]


@pytest.mark.parametrize(("case", "typed"), TYPED, ids=[t[0] for t in TYPED])
def test_one_record_however_its_keys_were_typed(market, case, typed):
    code, person = credit_code(), resident_id_ending_in_x()
    first = [
        [code, "enterprise", "甲公司", "admin_penalty", "general", "xy-market", "2026-03-02", "榕罚〔2026〕1号", "摘要"],
        [person, "person", "林某", "admin_penalty", "general", "xy-market", "2026-03-02", "榕罚〔2026〕2号", "摘要"],
    ]  # fmt: skip
    assert (
        records_import(file=text_file(first, encoding="utf-8"), filename="a.csv", actor=None).imported_rows
        == 2
    )
    again = [list(r) for r in first]
    for r in again:
        r[0] = typed(r[0])
        r[5] = typed(r[5])  # the provider's department code
        r[7] = typed(r[7])  # the document number, part of the record's natural key
    batch = records_import(file=text_file(again, encoding="utf-8"), filename="b.csv", actor=None)
    assert (batch.imported_rows, batch.unchanged_rows, batch.rejected_rows) == (0, 2, 0), batch.rejected
    assert Subject.objects.count() == CreditRecord.objects.count() == 2


@pytest.mark.parametrize(("case", "typed"), TYPED, ids=[t[0] for t in TYPED])
def test_the_api_stores_and_recognises_the_normalised_code(admin_api, market, case, typed):
    code = credit_code()
    response = admin_api.post("/api/v1/subjects/", {"kind": "enterprise", "code": typed(code), "name": "甲"})
    assert response.status_code == 201 and response.json()["code"] == code
    again = admin_api.post("/api/v1/subjects/", {"kind": "enterprise", "code": code, "name": "甲"})
    assert again.status_code == 400 and "code" in again.json()  # the same subject, already registered
    record = {**VALID, "subject": response.json()["id"], "provider": typed("xy-market")}
    assert admin_api.post("/api/v1/records/", record, format="json").status_code == 201
    assert normalise_code(typed(code)) == code


# --- the subject kind is never guessed; a new person needs a name ----------------------------------------------


def both_kinds() -> str:
    """An 18-digit value valid as a unified social credit code AND as a resident ID number."""
    for seq in range(1000):
        first17 = f"110105199001{seq % 28 + 1:02d}{seq:03d}"
        check = compute_resident_id_check(first17)
        if check != "X" and compute_credit_code_check(first17) == check:
            return first17 + check
    raise AssertionError("no such value in the range tried")


def test_a_code_valid_as_both_kinds_needs_its_kind(market):
    code = both_kinds()
    rows = [
        [code, "", "某某", "admin_penalty", "general", "xy-market", "2026-03-02", "文1", "摘要"],  # asked
        [code, "person", "某某", "admin_penalty", "general", "xy-market", "2026-03-02", "文2", "摘要"],
    ]
    batch = records_import(file=text_file(rows, encoding="utf-8"), filename="x.csv", actor=None)
    assert [(r["line"], r["errors"][0]["field"]) for r in batch.rejected] == [(2, "subject_kind")]
    assert Subject.objects.get(code=code).kind == "person"
    # Once registered, the subject's own kind decides (the documented rule): no need to ask again.
    batch = records_import(file=text_file(rows[:1], encoding="utf-8"), filename="y.csv", actor=None)
    assert (batch.imported_rows, batch.rejected_rows) == (1, 0), batch.rejected


def test_a_new_person_without_a_name_is_a_row_error(market):
    person = resident_id()
    rows = [[person, "person", "", "admin_penalty", "general", "xy-market", "2026-03-02", "文1", "摘要"]]
    batch = records_import(file=text_file(rows, encoding="utf-8"), filename="x.csv", actor=None)
    assert [e["field"] for e in batch.rejected[0]["errors"]] == ["subject_name"]
    assert Subject.objects.count() == 0
    rows[0][2] = "林某"
    assert (
        records_import(file=text_file(rows, encoding="utf-8"), filename="y.csv", actor=None).imported_rows
        == 1
    )
    rows[0][2], rows[0][7] = "", "文2"  # now known: the name may be left out
    assert (
        records_import(file=text_file(rows, encoding="utf-8"), filename="z.csv", actor=None).imported_rows
        == 1
    )


@pytest.mark.parametrize(("case", "typed"), TYPED, ids=[t[0] for t in TYPED])
def test_the_web_search_finds_a_subject_however_its_code_was_typed(client, market, case, typed):
    from casework.services.registry import subject_create, user_create

    subject = subject_create(kind="enterprise", code=credit_code(), name="甲公司")
    head, _ = user_create(username="head", password="a-long-password-1", role="admin", departments=[market])
    client.force_login(head)
    response = client.get("/supervision/subjects/", {"q": typed(subject.code)})
    assert response.status_code == 200 and subject in response.context["page"].object_list
