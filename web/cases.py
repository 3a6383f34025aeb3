"""A case as every face shows it: its steps now and before, its clocks, materials, notices and history."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from casework import selectors
from casework.models import Case
from casework.uploads import download_name

from .notices import case_notices, diagram_url


def case_for(user, number: str) -> Case:
    cases = selectors.with_tasks_and_records(selectors.cases_visible_to(user))
    return get_object_or_404(cases.prefetch_related("materials", "records__provider"), number=number)


def timeline_context(case: Case) -> dict:
    tasks = sorted(case.tasks.all(), key=lambda t: (t.created_at, t.id))
    return {
        "case": case,
        "current_tasks": [t for t in tasks if not t.is_finished],
        "past_tasks": [t for t in tasks if t.is_finished],
        "clocks": sorted((d for d in case.deadlines.all() if d.purpose != "step"), key=lambda d: d.purpose),
        "history": selectors.history_of(case),
        "materials": list(case.materials.all()),
        "notices": case_notices(case),
        "diagram_url": diagram_url(case),
    }


def material_download(request, number: str, public_id):
    """A material of a case the user may see; served under its original name, never from a guessed path."""
    if not request.user.is_authenticated:
        raise Http404
    case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
    material = get_object_or_404(case.materials, public_id=public_id)
    # Always a download (never rendered in the browser), typed and named by the sniffed content; the
    # SecurityMiddleware adds X-Content-Type-Options: nosniff.
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=download_name(material.original_name, material.extension),
        content_type=material.content_type,
    )
