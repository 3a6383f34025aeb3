"""What the management-command tests share: running a command and counting what it created."""

import io

from django.core.management import call_command
from rest_framework.authtoken.models import Token

from casework.models import (
    Case,
    CaseTask,
    CreditRecord,
    Deadline,
    Department,
    HistoryEvent,
    Sanction,
    Subject,
    User,
)
from notifications.models import Outbox


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def run_demo() -> str:
    # pytest runs with DEBUG off, which the demo takes for a production database unless told otherwise.
    return run("demo", allow_production=True)


def counts() -> dict[str, int]:
    models = (
        User,
        Token,
        Department,
        Subject,
        CreditRecord,
        Sanction,
        Case,
        CaseTask,
        Deadline,
        HistoryEvent,
    )
    return {model.__name__: model.objects.count() for model in models} | {"Outbox": Outbox.objects.count()}
