"""`manage.py add_user` (DESIGN contract): the token alone on the last line; bad input saves nothing."""

import pytest
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.models import (
    HistoryEvent,
    User,
)
from casework.services.registry import subject_create

from .command_support import counts, run
from .conftest import credit_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HISTORY_TABLE = HistoryEvent._meta.db_table  # casework_historyevent


def test_add_user_prints_the_token_alone_on_the_last_line_and_it_authenticates(credit_office):
    output = run(
        "add_user",
        "wang",
        "--password",
        "a-long-password-1",
        "--role",
        "reviewer",
        "--department",
        "gl-credit",
    )

    token = output.rstrip("\n").splitlines()[-1]
    user = User.objects.get(username="wang")
    assert token == Token.objects.get(user=user).key
    assert user.role == "reviewer" and list(user.departments.all()) == [credit_office]
    assert user.check_password("a-long-password-1")

    client = APIClient()
    assert client.get("/api/v1/tasks/").status_code in (401, 403)
    response = client.get("/api/v1/tasks/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200, response.content
    assert response.json() == []


def test_add_user_for_a_subject_finds_it_by_its_code_as_typed(db):
    code = credit_code()
    subject = subject_create(kind="enterprise", code=code, name="福州示例贸易有限公司")

    output = run(
        "add_user", "rep", "--password", "a-long-password-1", "--role", "subject",
        "--subject", code.lower(), "--email", "rep@example.com",
    )  # fmt: skip

    user = User.objects.get(username="rep")
    assert list(user.subjects.all()) == [subject] and user.email == "rep@example.com"
    assert output.splitlines()[-1] == Token.objects.get(user=user).key


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--role", "boss"], ["--role: Choose one of: subject, reviewer, supervisor, admin."]),
        (
            ["--role", "reviewer", "--department", "gl-credit", "--department", "no-such-office"],
            ["--department: No department has the code “no-such-office”."],
        ),
        (
            ["--role", "reviewer"],
            ["--department: A reviewer or supervisor belongs to at least one department."],
        ),
        (
            ["--role", "subject", "--subject", "91350102MA2Y3K4L5X"],
            ["--subject: No subject has the identifier"],
        ),
        (["--role", "admin", "--email", "not-an-address"], ["--email: Enter a valid email address."]),
    ],
)
def test_add_user_rejects_bad_input_with_a_clear_message_and_saves_nothing(credit_office, args, expected):
    before = counts()
    with pytest.raises(CommandError) as error:
        run("add_user", "wang", "--password", "a-long-password-1", *args)

    message = str(error.value)
    assert message.startswith("User “wang” was not created:")
    for text in expected:
        assert text in message
    assert "Traceback" not in message
    assert counts() == before


def test_add_user_lists_every_field_error_at_once(credit_office):
    with pytest.raises(CommandError) as error:
        run("add_user", "bad name!", "--password", "short", "--role", "reviewer", "--department", "nope")

    lines = str(error.value).splitlines()[1:]
    fields = {line.split(":")[0].strip() for line in lines}
    assert fields == {"USERNAME", "--password", "--department"}
    assert not User.objects.exists()


def test_add_user_refuses_a_taken_username(credit_office):
    run("add_user", "wang", "--password", "a-long-password-1", "--role", "admin")
    with pytest.raises(CommandError, match="USERNAME: This username is taken."):
        run("add_user", "wang", "--password", "a-long-password-1", "--role", "admin")
    assert User.objects.filter(username="wang").count() == 1
