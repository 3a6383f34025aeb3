"""Celery tasks of the web app: thin, they call the module that does the work."""

from datetime import date

from celery import shared_task


@shared_task(name="web.tasks.monthly_report_pdf_task")
def monthly_report_pdf_task(user_id: int, month: str, language: str, made_on: str) -> str:
    """The monthly report's PDF for `user_id`'s jurisdiction (web/report_pdf.py); ISO dates. Idempotent."""
    from .report_pdf import pdf_prepare

    return pdf_prepare(user_id, date.fromisoformat(month), language, date.fromisoformat(made_on))
