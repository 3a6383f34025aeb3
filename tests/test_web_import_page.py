"""Issue 14, import page: a template to start from, the format described, a warning (not green) when rows were
rejected."""

import pytest

from integration.importfile import COLUMNS

from .test_imports import BREAKAGES, row, write_csv
from .test_web_imports import reviewer, upload  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_the_template_and_the_format_page(client, reviewer):  # noqa: F811
    page = client.get("/workspace/imports/").content.decode()
    assert 'data-testid="import-template"' in page and 'data-testid="import-format"' in page
    template = client.get("/workspace/imports/template.csv")
    assert template.content.decode("utf-8-sig").strip() == ",".join(COLUMNS)
    formats = client.get("/workspace/imports/format/").content.decode()
    assert all(f"<code>{column}</code>" in formats for column in COLUMNS)


def test_rejected_rows_give_a_warning_not_a_success(client, reviewer, tmp_path):  # noqa: F811
    _, breakage = BREAKAGES[0]
    path = write_csv(tmp_path / "2026-11.csv", [row(1), breakage(row(2)), breakage(row(3))])
    report = client.get(upload(client, path)["Location"])
    page = report.content.decode()
    assert [m.level_tag for m in report.context["messages"]] == ["warning"]
    assert 'data-testid="rejected-warning"' in page
    clean = write_csv(tmp_path / "2026-12.csv", [row(4)])
    report = client.get(upload(client, clean)["Location"])
    assert [m.level_tag for m in report.context["messages"]] == ["success"]
    assert 'data-testid="rejected-warning"' not in report.content.decode()
