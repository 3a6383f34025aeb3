"""The monthly report's PDF, prepared by a Celery worker instead of inside the web request.

Rendering a PDF (WeasyPrint, cut CJK fonts) takes seconds; a request must not. `?format=pdf` answers the
stored PDF when it exists, else queues `web.tasks.monthly_report_pdf_task` and shows "being prepared" (202)
with a way to check again; the page polls `?status=1` and offers the download once it is there.

One PDF per month, jurisdiction and language (`pdf_key`): a month that is over is final, so its PDF is made
once; a month still running is made again each day (its figures are projections "as of the date made").
Preparing is idempotent: a stored PDF is never made twice, and a request queues at most one task per key
while one is pending (PDF_QUEUED_SECONDS).
"""

import hashlib
import logging
from datetime import date

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation

from casework.models import Role, User

logger = logging.getLogger(__name__)

FOLDER = "reports/monthly"
# How long a queued preparation keeps further requests from queueing another: after it, a task lost with
# its worker is queued again by the next request.
PDF_QUEUED_SECONDS = 300


def jurisdiction_key(user) -> str:
    """The same figures for the same departments: an administrator sees all, a supervisor their own."""
    if user.role == Role.ADMIN:
        return "all"
    codes = "|".join(sorted(user.departments.values_list("code", flat=True)))
    return hashlib.sha256(codes.encode()).hexdigest()[:16]


def pdf_key(user, month: date, language: str, made_on: date, projected: bool) -> str:
    """Storage name of the PDF: `reports/monthly/YYYY-MM/<jurisdiction>-<language>[-<made on>].pdf`."""
    day = f"-{made_on:%Y-%m-%d}" if projected else ""
    return f"{FOLDER}/{month:%Y-%m}/{jurisdiction_key(user)}-{language}{day}.pdf"


def pdf_ready(key: str) -> bool:
    return default_storage.exists(key)


def pdf_request(user, month: date, language: str, made_on: date, key: str) -> bool:
    """Queue the preparation unless one is already queued for `key`. True when queued (or already
    pending); False when the broker refused (the page says so and the next request tries again)."""
    from .tasks import monthly_report_pdf_task

    marker = f"monthly-report-pdf:{key}"
    if not cache.add(marker, True, timeout=PDF_QUEUED_SECONDS):
        return True
    try:
        monthly_report_pdf_task.delay(user.pk, month.isoformat(), language, made_on.isoformat())
    except Exception:  # broker down or paused (config/celery.py): nothing queued, nothing lost
        cache.delete(marker)
        logger.warning("could not queue the monthly report PDF %s", key, exc_info=True)
        return False
    return True


def pdf_prepare(user_id: int, month: date, language: str, made_on: date) -> str:
    """Render and store the PDF for this user's jurisdiction, unless it is stored already. Returns its key.

    Runs in the worker, in `language`, with the figures as of `made_on` (the Beijing date of the request)."""
    from casework.documents.pdf import render_pdf_document

    from .reports import _context, build_report

    user = User.objects.get(pk=user_id)
    with translation.override(language):
        report = build_report(user, month, made_on)
        key = pdf_key(user, month, language, made_on, report.projected)
        if default_storage.exists(key):
            return key
        rendered = render_pdf_document("letters/monthly_report.html", _context(report))
    stored = default_storage.save(key, ContentFile(rendered.pdf))
    if stored != key:  # another worker stored the same PDF meanwhile: keep one
        default_storage.delete(stored)
    return key
