"""Development only: the HTML a notice is rendered from, to work on the letter layout in a browser."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from casework import selectors
from casework.models import HistoryEvent, Notice, NoticeKind

from .letters import letter_for
from .pdf import render_to_pdf


@login_required
def letter_preview(request, number: str, kind: str):
    """`?pdf=1` renders the PDF too (slow; never do that in a request outside development)."""
    if not settings.DEBUG or kind not in NoticeKind.values:
        raise Http404
    case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
    notice = Notice.objects.filter(case=case, kind=kind).select_related("event").last()
    event = notice.event if notice else HistoryEvent.objects.filter(case=case).order_by("id").last()
    letter = letter_for(case, kind, event)
    if request.GET.get("pdf"):
        return HttpResponse(
            render_to_pdf(letter.template, {"letter": letter})[1], content_type="application/pdf"
        )
    return HttpResponse(render_to_string(letter.template, {"letter": letter}))
