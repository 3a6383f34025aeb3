"""Blocker of issue 14: the workspace queue's every filter, search and sort answers on both databases.

Fault kind: a query SQLite refuses (a compound statement whose parts carry ORDER BY/LIMIT) passed on
PostgreSQL only. This table runs every queue parameter on whichever database the run uses; CI runs it on
PostgreSQL and on the embedded SQLite default.
"""

import pytest
from django.test import Client

from casework.models import Case

from .web_world import user
from .world import build_world, file_objection

pytestmark = pytest.mark.django_db


@pytest.fixture
def credit(admin_api):
    world = build_world(admin_api)
    assert file_objection(world).status_code == 201
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("credit"))
    return world, client


def searches(world) -> list[tuple[str, bool]]:
    case = Case.objects.get()
    subject = world.subject
    return [
        (case.number, True),  # a full number: the prefix index path
        (case.number.lower(), True),
        (case.number[-6:], True),  # part of a number: icontains
        (subject["name"][:3], True),  # the subject's name
        (subject["code"], True),  # its credit code
        (subject["code"].lower(), True),
        ("YY-1999-", False),
        ("无此企业", False),
        ("%", False),  # LIKE wildcards are data, not patterns
        ("'; drop table x; --", False),
    ]


def test_every_search_answers_and_finds_the_case(credit):
    world, client = credit
    number = Case.objects.get().number
    for query, found in searches(world):
        response = client.get("/workspace/", {"q": query})
        assert response.status_code == 200, query
        assert (number in response.content.decode()) is found, query


@pytest.mark.parametrize("sort", ["due", "-due", "case", "step", "filed", "nonsense"])
@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"state": "open"},
        {"state": "claimed"},
        {"mine": "true"},
        {"overdue": "true"},
        {"kind": "objection"},
    ],
)
def test_every_filter_and_sort_with_a_search_answers(credit, sort, extra):
    world, client = credit
    response = client.get("/workspace/", {"q": world.subject["name"][:3], "sort": sort} | extra)
    assert response.status_code == 200
