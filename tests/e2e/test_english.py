"""Issue 14: the faces in English, the second language, at both widths. English labels are longer than
Chinese ones: the dashboard's escalation table widened its card to 1743 px at 1366 px (nowrap headers in a
grid cell). Every page is audited (overflow, console errors, 5xx, axe)."""

import pytest
import time_machine

from casework.models import Case
from casework.services.escalation import escalation_sweep
from tests.web_world import add_supervisor
from tests.world import build_world, file_objection

from .conftest import WIDTHS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))
def test_every_face_in_english_fits_the_screen(pages, admin_api, width):
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
    escalation_sweep()
    add_supervisor()
    number = Case.objects.get().number
    journeys = {
        "head": [
            "/supervision/",
            "/supervision/dashboard/",
            "/supervision/reports/monthly/",
            f"/supervision/cases/{number}/",
            "/supervision/cases/",
            "/supervision/subjects/",
        ],
        "credit": ["/workspace/", "/workspace/imports/", "/workspace/imports/format/"],
        "subject": ["/portal/", "/portal/cases/", f"/portal/cases/{number}/", "/portal/file/objection/"],
    }
    for username, urls in journeys.items():
        page = pages.sign_in(username, locale="en-US", width=width)
        for url in urls:
            page.goto(url)
            pages.audit(page)
