"""Issue 14, supervision: reassign reachable from the board and the case page, a "due soon" section, the
extension a rule allows granted from the case page (service `task_extend`), reviewers grouped by department."""

import pytest
import time_machine
from django.test import Client

from casework.models import Case

from .web_world import add_supervisor, objection_at_verification, user

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


def client_of(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


@pytest.fixture
def verifying(admin_api):
    """An objection accepted on Monday: its verification (5 working days, up to 20) waits at the market office."""
    with time_machine.travel(MONDAY, tick=False):
        objection_at_verification(admin_api)
    add_supervisor()
    return Case.objects.get()


def test_the_case_page_offers_reassign_and_the_extension_the_rule_allows(verifying):
    task = verifying.tasks.get(step="verify")
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
        head = client_of("head")
        page = head.get(f"/supervision/cases/{verifying.number}/").content.decode()
        assert f"/supervision/tasks/{task.public_id}/reassign/" in page
        assert 'data-testid="extend-form"' in page and "15 more working days (20 in total)" in page

        due_before = task.deadline.due_on
        url = f"/supervision/tasks/{task.public_id}/extend/"
        no_reason = head.post(url, {"days": "3", "reason": ""})
        assert (
            no_reason.status_code == 400 and "Give the reason for the extension" in no_reason.content.decode()
        )
        too_many = head.post(url, {"days": "16", "reason": "材料复杂"})
        assert too_many.status_code == 400 and "At most 15 more working days" in too_many.content.decode()
        garbage = head.post(url, {"days": "abc", "reason": "材料复杂"})
        assert garbage.status_code == 400
        task.deadline.refresh_from_db()
        assert task.deadline.extended_days == 0 and task.deadline.due_on == due_before

        granted = head.post(url, {"days": "3", "reason": "涉及多个批次, 需调取档案"})
        assert granted.status_code == 302
    task.deadline.refresh_from_db()
    assert task.deadline.extended_days == 3 and task.deadline.due_on > due_before
    assert verifying.history.filter(action="extended").exists()


def test_the_board_lists_work_due_soon_with_a_reassign_link(verifying):
    task = verifying.tasks.get(step="verify")
    with time_machine.travel("2026-11-27 10:00 +0800", tick=False):  # Friday: due within three working days
        board = client_of("head").get("/supervision/")
    page = board.content.decode()
    assert list(board.context["due_soon"]) == [task]
    assert 'data-testid="due-soon-row"' in page and f"/supervision/tasks/{task.public_id}/reassign/" in page


def test_the_reassign_form_groups_reviewers_by_department(verifying):
    task = verifying.tasks.get(step="verify")
    page = client_of("head").get(f"/supervision/tasks/{task.public_id}/reassign/").content.decode()
    # The departments the task may go to (policies decide which), each a named group of its reviewers.
    assert '<optgroup label="鼓楼区市场监管局">' in page and "(market)</option>" in page
    assert "Reviewer (grouped by department)" in page


def test_a_dashboard_bar_drills_down_to_its_cases_and_no_label_is_clipped(verifying):
    head = client_of("head")
    page = head.get("/supervision/dashboard/").content.decode()
    link = "/supervision/cases/?kind=objection&amp;state=verifying"
    assert f'<a href="{link}" data-testid="chart-link">' in page
    # Labels sit on their own line from x=0: nothing is anchored at the end of a fixed-width label column.
    assert 'text-anchor="end"' not in page
    cases = head.get(link.replace("&amp;", "&"))
    assert [c.number for c in cases.context["page"]] == [verifying.number]
