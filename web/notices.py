"""Links to a case's PDF notices and its process diagram, which the documents API serves."""

from django.urls import reverse

from casework.models import NoticeState


def case_notices(case) -> list[dict]:
    """The rendered notices of a case, each with its PDF address (a pending one appears once rendered)."""
    return [
        {"title": notice.get_kind_display(), "created_at": notice.created_at, "url": _pdf_url(case, notice)}
        for notice in case.notices.filter(state=NoticeState.RENDERED).order_by("created_at", "id")
    ]


def _pdf_url(case, notice) -> str:
    return reverse("api:case-notice-pdf", kwargs={"number": case.number, "public_id": notice.public_id})


def diagram_url(case) -> str:
    return reverse("api:case-diagram", kwargs={"number": case.number})
