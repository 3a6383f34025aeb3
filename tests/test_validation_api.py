"""Issue #2: bad identifiers answer 400 with a field message, in the request's language, and save nothing."""

import pytest

from casework.models import Department, Subject

from .conftest import client_for, credit_code, resident_id, resident_id_ending_in_x

pytestmark = pytest.mark.django_db

VALID = credit_code()


def post_subject(client, kind, code):
    return client.post("/api/v1/subjects/", {"kind": kind, "code": code, "name": "某某"}, format="json")


@pytest.mark.parametrize(
    ("kind", "code", "fragment"),
    [
        ("enterprise", VALID[:-1] + ("A" if VALID[-1] != "A" else "B"), "check character"),
        ("enterprise", VALID[:-1], "18 characters"),
        ("enterprise", VALID + "1", "18 characters"),
        ("enterprise", "91350100M000100I43", "I"),
        ("enterprise", "91350100M000100O43", "O"),
        ("enterprise", "91350100M000100S43", "S"),
        ("enterprise", "91350100M000100V43", "V"),
        ("enterprise", "91350100M000100Z43", "Z"),
        ("person", resident_id()[:-1] + ("0" if resident_id()[-1] != "0" else "1"), "check character"),
        ("person", "35010219800230123" + "X", "birth"),  # 30 February
        ("person", "35010219801301123" + "X", "birth"),  # month 13
        ("person", "35010220991231123" + "X", "birth"),  # born in the future
        ("person", "3501021980010112", "18"),
    ],
)
def test_invalid_codes_are_refused_with_a_field_message(admin_api, kind, code, fragment):
    response = post_subject(admin_api, kind, code)
    assert response.status_code == 400, response.content
    [message] = response.json()["code"]
    assert fragment.lower() in message.lower()
    assert Subject.objects.count() == 0


def test_messages_are_in_chinese_by_default(db):
    from casework.services.registry import user_create

    _, token = user_create(username="root", password="admin-pass-1", role="admin")
    response = post_subject(client_for(token, language="zh-hans"), "enterprise", VALID[:-1])
    assert response.status_code == 400
    [message] = response.json()["code"]
    assert "18" in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("enterprise", "91350100M000100Y43"),
        ("enterprise", VALID),
        ("person", resident_id()),
        ("person", resident_id_ending_in_x().lower()),
    ],
)
def test_valid_codes_are_accepted_and_persons_masked(admin_api, kind, code):
    response = post_subject(admin_api, kind, code)
    assert response.status_code == 201, response.content
    body = response.json()
    normalised = code.upper()
    expected = normalised[:6] + "********" + normalised[-4:] if kind == "person" else normalised
    assert body["code"] == expected
    assert Subject.objects.get().code == normalised


def test_department_field_errors_save_nothing(admin_api):
    response = admin_api.post(
        "/api/v1/departments/",
        {"code": "x", "name": "X", "kind": "police", "level": "district", "division": "35010"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "division"}
    assert Department.objects.count() == 0


def test_only_admins_create_departments(db):
    from casework.services.registry import department_create, user_create

    office = department_create(code="c", name="C", kind="credit_office", level="district", division="350102")
    _, token = user_create(
        username="rev", password="a-long-password-1", role="reviewer", departments=[office]
    )
    response = client_for(token).post(
        "/api/v1/departments/",
        {"code": "y", "name": "Y", "kind": "tax", "level": "district", "division": "350102"},
        format="json",
    )
    assert response.status_code == 403
