"""Issue 11: the import carries a sanction's effective date (docs/domain.md §9.12) and a subject's operating status
(docs/domain.md §9.14), validated field by field like every other column."""

import csv
import datetime
import io

import pytest

from casework import selectors
from casework.models import HistoryEvent, Role, Sanction, Subject
from casework.services.registry import department_create, user_create
from integration.imports import records_import

from .conftest import credit_code

pytestmark = pytest.mark.django_db


def csv_bytes(rows: list[dict]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


def row(n: int, **extra) -> dict:
    return {
        "统一社会信用代码": credit_code(org=f"MA{n:07d}"),
        "主体名称": f"示例企业{n}",
        "类别": "serious_list",
        "严重程度": "serious",
        "认定单位": "xy-market",
        "决定日期": "2026-03-02",
        "文号": f"闽榕市监罚〔2026〕{n}号",
        "摘要": "列入严重违法失信名单",
        "惩戒措施": "限制参与政府采购",
        "实施部门": "xy-tax",
        **extra,
    }


def test_rule_12_and_14_effective_date_and_operating_status_come_in_with_the_import(db):
    for code, kind in [("xy-market", "market_regulation"), ("xy-tax", "tax")]:
        department_create(code=code, name=code, kind=kind, level="district", division="350102")
    rows = [
        row(1, 生效日期="2026-03-10", 经营状态="吊销"),
        row(2, 生效日期="", 经营状态=""),
        row(3, 生效日期="2026-03-01", 经营状态="在营"),  # before the decision
        row(4, 生效日期="2026-03-05", 经营状态="歇业了"),
    ]
    report = records_import(file=csv_bytes(rows), filename="records.csv", actor=None)
    assert {r["line"]: [e["field"] for e in r["errors"]] for r in report.rejected} == {
        4: ["effective_from"],
        5: ["operating_status"],
    }
    first, second = (Sanction.objects.get(record__subject__code=rows[i]["统一社会信用代码"]) for i in (0, 1))
    assert (first.effective_from, second.effective_from) == (
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 2),
    )
    assert Subject.objects.get(code=rows[0]["统一社会信用代码"]).operating_status == "revoked"
    assert Subject.objects.get(code=rows[1]["统一社会信用代码"]).operating_status == "operating"
    admin, _ = user_create(username="root", password="a-long-password-1", role=Role.ADMIN)
    subject = Subject.objects.get(code=rows[0]["统一社会信用代码"])
    assert selectors.subject_sanctions_on_day(admin, subject, datetime.date(2026, 3, 9)) == []
    assert len(selectors.subject_sanctions_on_day(admin, subject, datetime.date(2026, 3, 10))) == 1

    # A later file says the second company was deregistered: its status changes, with history.
    again = records_import(file=csv_bytes([row(2, 经营状态="注销")]), filename="update.csv", actor=None)
    assert again.rejected_rows == 0
    changed = Subject.objects.get(code=rows[1]["统一社会信用代码"])
    assert changed.operating_status == "deregistered"
    event = HistoryEvent.objects.get(stream=f"subject:{changed.public_id}")
    assert (event.action, event.from_state, event.to_state) == (
        "operating_status",
        "operating",
        "deregistered",
    )
