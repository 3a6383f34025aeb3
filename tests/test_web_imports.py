"""Issue #6: staff upload the monthly import files in the web interface and read the report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import CreditRecord, User
from casework.services.registry import department_create, user_create

from .test_imports import BREAKAGES, row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(db, client):
    market = None
    for code, kind in [("xy-market", "market_regulation"), ("xy-tax", "tax"), ("xy-credit", "credit_office")]:
        department = department_create(code=code, name=code, kind=kind, level="district", division="350102")
        market = department if code == "xy-market" else market
    user, _ = user_create(
        username="clerk", password="a-long-password-1", role="reviewer", departments=[market]
    )
    client.force_login(user)
    return user


def upload(client, path):
    with path.open("rb") as f:
        return client.post("/workspace/imports/", {"file": SimpleUploadedFile(path.name, f.read())})


def test_staff_upload_a_file_and_read_the_report(client, reviewer, tmp_path):
    field, breakage = BREAKAGES[0]  # a wrong check character in the credit code
    path = write_csv(tmp_path / "2026-11.csv", [row(1), breakage(row(2)), row(3)])

    response = upload(client, path)
    assert response.status_code == 302
    report = client.get(response["Location"])
    page = report.content.decode()
    assert report.status_code == 200
    assert '<dd data-testid="imported">2</dd>' in page and '<dd data-testid="rejected">1</dd>' in page
    assert f"<code>{field}</code>" in page and "<td>3</td>" in page  # line 3 of the file (after the header)
    assert CreditRecord.objects.count() == 2

    again = client.get(upload(client, path)["Location"]).content.decode()
    assert '<dd data-testid="imported">0</dd>' in again and '<dd data-testid="unchanged">2</dd>' in again
    assert CreditRecord.objects.count() == 2
    listing = client.get("/workspace/imports/").content.decode()
    assert listing.count('data-testid="import-row"') == 2


def test_an_unreadable_file_is_a_field_error_and_saves_nothing(client, reviewer):
    response = client.post(
        "/workspace/imports/", {"file": SimpleUploadedFile("records.csv", b"no,such,columns\n1,2,3\n")}
    )
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert CreditRecord.objects.count() == 0


def test_subjects_cannot_import(client, db):
    user = User.objects.create(username="someone", role="subject")
    client.force_login(user)
    assert client.get("/workspace/imports/").status_code == 403
