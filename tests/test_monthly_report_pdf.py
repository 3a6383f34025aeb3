"""Issue 14: the monthly report's PDF is made by a Celery worker, not inside the web request (web/report_pdf.py).

The page answers "being prepared" (202) and queues one task; a real worker stores the PDF; the page then
serves it. One PDF per month, jurisdiction and language: asking again queues nothing and makes nothing twice;
another language or jurisdiction is another PDF; a month still running is made again the next day.
"""

import io
import threading
from datetime import date

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish, task_postrun
from django.core.files.storage import default_storage
from django.test import Client
from pypdf import PdfReader

from config.celery import app
from web.report_pdf import FOLDER, pdf_key, pdf_prepare

from .web_world import add_supervisor, user
from .world import build_world, file_objection

URL = "/supervision/reports/monthly/"
AFTER = "2026-12-03 10:00 +0800"
TASK = "web.tasks.monthly_report_pdf_task"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }


def stored() -> list[str]:
    try:
        months = default_storage.listdir(FOLDER)[0]
    except FileNotFoundError:
        return []
    return sorted(f"{m}/{n}" for m in months for n in default_storage.listdir(f"{FOLDER}/{m}")[1])


def client_of(username: str, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user(username))
    return client


def october(admin_api):
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
    add_supervisor()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_prepares_the_pdf_once_and_the_page_then_serves_it(admin_api):
    october(admin_api)
    head = client_of("head")
    published, done = [], threading.Event()

    def count(sender=None, **kwargs):
        if sender == TASK:
            published.append(sender)

    def finished(sender=None, task=None, **kwargs):
        if task.name == TASK:
            done.set()

    before_task_publish.connect(count, weak=False)
    task_postrun.connect(finished, weak=False)
    try:
        app.control.purge()  # a message another test left on the broker is not this test's task
        with time_machine.travel(AFTER, tick=True):
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
                first = head.get(URL, {"month": "2026-10", "format": "pdf"})
                again = head.get(URL, {"month": "2026-10", "format": "pdf"})  # still preparing: no 2nd task
                assert done.wait(timeout=60), "the worker did not prepare the PDF"
            status = head.get(URL, {"month": "2026-10", "format": "pdf", "status": 1}).json()
            ready = head.get(URL, {"month": "2026-10", "format": "pdf"})
            later = head.get(URL, {"month": "2026-10", "format": "pdf"})
    finally:
        before_task_publish.disconnect(count)
        task_postrun.disconnect(finished)

    assert first.status_code == 202 and again.status_code == 202
    page = first.content.decode()
    assert "正在生成 PDF" in page and 'data-testid="pdf-preparing"' in page
    assert published == [TASK]  # one task for two requests
    assert status == {"ready": True}
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert 'filename="monthly-report-2026-10.pdf"' in ready["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(ready.streaming_content))).pages)
    assert "合计" in text and "2026" in text
    assert later.status_code == 200 and len(stored()) == 1 and published == [TASK]


@pytest.mark.django_db
def test_one_pdf_per_month_jurisdiction_and_language(admin_api):
    """The key table: what makes another PDF, and what serves the stored one."""
    october(admin_api)
    head, admin = user("head"), user("admin")
    oct1, dec3, dec4 = date(2026, 10, 1), date(2026, 12, 3), date(2026, 12, 4)
    nov1, nov20, nov21 = date(2026, 11, 1), date(2026, 11, 20), date(2026, 11, 21)
    cases = [
        # (who, month, language, made on, projected) → same key as the first row?
        ((head, oct1, "zh-hans", dec3, False), True),
        ((head, oct1, "zh-hans", dec4, False), True),  # a month that is over: final, made once
        ((head, oct1, "en", dec3, False), False),  # another language
        ((admin, oct1, "zh-hans", dec3, False), False),  # another jurisdiction
        ((head, nov1, "zh-hans", nov20, True), False),  # another month
    ]
    first = pdf_key(*cases[0][0])
    for arguments, same in cases:
        assert (pdf_key(*arguments) == first) is same, arguments
    # A month still running is made again each day: its figures are "as of the date made".
    assert pdf_key(head, nov1, "zh-hans", nov20, True) != pdf_key(head, nov1, "zh-hans", nov21, True)

    with time_machine.travel(AFTER, tick=False):
        key = pdf_prepare(head.pk, oct1, "zh-hans", dec3)
        made = default_storage.get_modified_time(key)
        assert pdf_prepare(head.pk, oct1, "zh-hans", dec4) == key  # stored already: not made twice
    assert default_storage.get_modified_time(key) == made and len(stored()) == 1


@pytest.mark.django_db
def test_a_broker_that_refuses_says_so_and_the_next_request_tries_again(admin_api, monkeypatch):
    october(admin_api)
    from web import tasks

    calls = []

    def refuse(*args):
        calls.append(args)
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.monthly_report_pdf_task, "delay", refuse)
    head = client_of("head", "en")
    with time_machine.travel(AFTER, tick=False):
        first = head.get(URL, {"month": "2026-10", "format": "pdf"})
        head.get(URL, {"month": "2026-10", "format": "pdf"})
    assert first.status_code == 202 and "could not be started" in first.content.decode()
    assert len(calls) == 2  # nothing left marked as queued
