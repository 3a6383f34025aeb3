"""Issue 14, portal as a subject reads it: milestones, not workflow states; no reviewers' names; 我的申请 with a
company column and filter. (Files kept across a validation error: tests/test_web_kept_uploads.py.)"""

import pytest
import time_machine
from django.test import Client

from casework.models import CaseTask
from casework.services.tasks import task_claim

from .web_world import objection_at_verification, user
from .world import build_world

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


def zh_client(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user(username))
    return client


@pytest.fixture
def accepted(admin_api):
    """An objection accepted by the credit office's reviewer (full name set), its verification claimed."""
    with time_machine.travel(MONDAY, tick=False):
        world = objection_at_verification(admin_api, reviewer_name="王芳")
        market = user("market")
        task_claim(task=CaseTask.objects.get(step="verify"), user=market)
    return world


def test_the_case_page_shows_milestones_without_workflow_states_or_staff(accepted):
    number = CaseTask.objects.first().case.number
    page = zh_client("subject").get(f"/portal/cases/{number}/").content.decode()
    for jargon in ("待认领", "已认领", "已办结", "王芳", "credit", "market"):
        assert jargon not in page, jargon
    assert "办理中" in page  # the open step, as a milestone


def test_my_cases_name_the_company_and_filter_by_it(accepted):
    subject = accepted.subject
    client = zh_client("subject")
    page = client.get("/portal/cases/").content.decode()
    assert "<th>企业</th>" in page and subject["name"] in page
    assert client.get("/portal/cases/", {"subject": "not-a-uuid"}).status_code == 200


def test_only_the_requests_a_subjects_records_allow_are_offered(admin_api):
    build_world(admin_api)  # one published administrative penalty, no list entry
    page = zh_client("subject").get("/portal/").content.decode()
    assert 'data-testid="apply-repair"' in page
    assert 'data-testid="apply-list-exit"' not in page
