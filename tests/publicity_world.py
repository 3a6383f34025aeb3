"""Helpers for list-exit publicity and third-party objections (docs/domain.md §9.5): a list exit taken to
publicity, an objection filed against it by another company, and the portal client of a user."""

from django.test import Client

from casework.models import Case
from notifications.tasks import outbox_dispatch_due_task

from .test_list_exit_api import file_exit
from .test_repair_api import decide
from .web_world import user

STATEMENT = "该企业仍拖欠本人2025年10月至12月工资共计人民币18600元，尚未履行完毕。"
OBJECTOR_NAME = "另一家公司"  # the company the `other_subject` user represents


def web(username: str, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user(username))
    return client


def to_publicity(world) -> str:
    """File, accept and verify a list exit: its publicity opens today (the verification's day)."""
    response = file_exit(world)
    assert response.status_code == 201, response.content
    decide(world["credit"], "accept", "accept")
    decide(world["market"], "verify", "approve", "核查属实, 拟提前移出, 予以公示")
    return response.json()["number"]


def object_via_api(world, number: str, statement: str = STATEMENT) -> str:
    response = world["other_subject"].post(
        f"/api/v1/cases/{number}/publicity-objections/", {"statement": statement}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["number"]


def deliver() -> None:
    outbox_dispatch_due_task()


def exit_of(number: str) -> Case:
    return Case.objects.get(number=number)
