"""The portal (信用主体): records and sanctions, filing, 补正, the case timeline, messages."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import policies, selectors
from casework.models import (
    CaseKind,
    CaseState,
    CreditRecord,
    Publicity,
    RecordKind,
    Sanction,
    SubjectKind,
)
from casework.rules import active_rule_set
from casework.services.cases import case_file, case_supplement
from casework.services.offices import office_above
from casework.services.review import review_file, review_refusals, review_window

from .base import allowed, paginate_keyset, query_without_page, run_service
from .cases import case_for, timeline_context
from .forms import CaseFileForm, ReviewRequestForm, SupplementForm

subject_only = allowed(policies.may_use_portal)

# History a subject has no use for: who in the office picked a task up, handed it back or passed it on, and the
# internal escalation ladder. Subjects see milestones, never reviewers' names (templates: `for_subject`).
INTERNAL_ACTIONS = (
    "opened",
    "claimed",
    "unclaimed",
    "reassigned",
    "completed",
)  # "completed": a step, read as the end


def subject_timeline(case) -> dict:
    """The case timeline as its subject reads it: milestones, no workflow states, no staff names."""
    history = (
        timeline_context(case)["history"]
        .exclude(action__in=INTERNAL_ACTIONS)
        .exclude(action__startswith="escalated:")
    )
    return timeline_context(case) | {"history": history, "for_subject": True}


KIND_FROM_SLUG = {
    "objection": CaseKind.OBJECTION,
    "repair": CaseKind.REPAIR,
    "list-exit": CaseKind.LIST_EXIT,
    "bankruptcy-repair": CaseKind.BANKRUPTCY_REPAIR,
}


@subject_only
def home(request):
    records = CreditRecord.objects.select_related("provider").prefetch_related(
        Prefetch("sanctions", queryset=Sanction.objects.select_related("implementer"))
    )
    subjects = selectors.subjects_visible_to(request.user).prefetch_related(
        Prefetch("records", queryset=records)
    )
    cases = (
        selectors.with_tasks_and_records(selectors.cases_visible_to(request.user))
        .select_related("subject")
        .order_by("-filed_at")
    )
    subjects = list(subjects)
    for subject in subjects:
        subject.offers = applications_open_to(subject)
    return render(
        request,
        "portal/home.html",
        {"subjects": subjects, "cases": cases[:10], "kinds": KIND_FROM_SLUG},
    )


def applications_open_to(subject) -> list[tuple[str, str]]:
    """(slug, label) of the requests this subject's published records allow, so the portal offers no button
    that can only end in a refusal: repair for the record kinds the rule set repairs, a list exit for list
    entries, bankruptcy-restructuring repair for an enterprise with published records. The filing service
    still decides (casework/services/eligibility.py)."""
    published = [r for r in subject.records.all() if r.publicity == Publicity.PUBLISHED]
    repairable = set(active_rule_set().case_rules(CaseKind.REPAIR).get("record_kinds", ()))
    offers = []
    if any(r.kind in repairable for r in published):
        offers.append(("repair", _("Apply for credit repair")))
    if any(r.kind in (RecordKind.SERIOUS_LIST, RecordKind.COURT_DISHONEST) for r in published):
        offers.append(("list-exit", _("Apply to leave the list")))
    if published and subject.kind == SubjectKind.ENTERPRISE:
        offers.append(("bankruptcy-repair", _("Bankruptcy-restructuring repair")))
    return offers


@subject_only
def case_list(request):
    cases = selectors.with_tasks_and_records(selectors.cases_visible_to(request.user)).select_related(
        "subject"
    )
    kind, state = request.GET.get("kind", ""), request.GET.get("state", "")
    subjects = selectors.subjects_visible_to(request.user).order_by("name")
    subject = request.GET.get("subject", "")
    chosen = next((s for s in subjects if str(s.public_id) == subject), None)  # a stranger's id: no filter
    if chosen is not None:
        cases = cases.filter(subject=chosen)
    if kind in CaseKind.values:
        cases = cases.filter(kind=kind)
    if state in CaseState.values:
        cases = cases.filter(state=state)
    order = {"filed": ("filed_at", "id"), "-filed": ("-filed_at", "-id"), "number": ("number", "id")}.get(
        request.GET.get("sort", ""), ("-filed_at", "-id")
    )
    return render(
        request,
        "portal/case_list.html",
        {
            "page": paginate_keyset(request, cases, order),
            "query": query_without_page(request),
            "kinds": CaseKind.choices,
            "states": CaseState.choices,
            "kind": kind,
            "state": state,
            "subjects": subjects,
            "subject": subject,
        },
    )


@subject_only
def case_new(request, kind_slug: str):
    """The filing form of one kind. The records offered are those that can apply to the kind
    (selectors.records_open_to_filing), of one owner at a time when the user represents several subjects
    (`?subject=`), each labelled with its owner; a clear note says when none apply."""
    kind = KIND_FROM_SLUG.get(kind_slug)
    if kind is None:
        raise Http404
    subjects = selectors.subjects_visible_to(request.user).order_by("name", "id")
    if kind == CaseKind.BANKRUPTCY_REPAIR:
        subjects = subjects.filter(kind=SubjectKind.ENTERPRISE)
    applicable = selectors.records_open_to_filing(request.user, kind, active_rule_set())
    wanted = (request.POST or request.GET).get("subject") or ""
    owners = list(subjects)
    owner = next((s for s in owners if str(s.public_id) == wanted), owners[0] if owners else None)
    records = applicable.filter(subject=owner) if owner is not None else applicable.none()
    initial = {"subject": owner.public_id if owner is not None else None}
    if request.GET.get("record"):
        initial["records"] = [request.GET["record"]]
    form = CaseFileForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        subjects=subjects,
        records=records,
        initial=initial,
        owner=request.user,
    )
    if request.method == "POST" and form.is_valid():
        case = run_service(
            request, form, case_file, actor=request.user, kind=kind, **form.service_arguments()
        )
        if case is not None:
            form.discard_kept()
            messages.success(request, _("Your request %(number)s was filed.") % {"number": case.number})
            return redirect("portal:case-detail", number=case.number)
    counts = {row["subject"]: row["n"] for row in applicable.values("subject").annotate(n=Count("id"))}
    return render(
        request,
        "portal/case_new.html",
        {
            "form": form,
            "kind": kind,
            "kind_slug": kind_slug,
            "kind_label": CaseKind(kind).label,
            "owner": owner,
            "owners": [(s, counts.get(s.pk, 0)) for s in owners],
            "none_apply": owner is not None and not records.exists(),
        },
        status=400 if form.errors else 200,
    )


def records_concerned(case) -> list:
    """The case's records with their sanctions (measure, state, implementer) as the portal case page shows
    them. A third party objecting to a list exit sees the records under publicity, not the listed subject's
    sanctions (docs/domain.md §9.5: publicity shows the intended removal, nothing more)."""
    sanctions = Sanction.objects.select_related("implementer").order_by("id")
    records = (
        case.records.select_related("provider")
        .prefetch_related(Prefetch("sanctions", queryset=sanctions))
        .order_by("id")
    )
    third_party = selectors.is_third_party_objection(case)
    return [(record, [] if third_party else list(record.sanctions.all())) for record in records]


def case_context(case) -> dict:
    return subject_timeline(case) | {
        "records_concerned": records_concerned(case),
        "third_party": selectors.is_third_party_objection(case),
    }


def review_offer(case, form=None) -> dict | None:
    """The 「申请复核」 card of a decided objection while its window is open (docs/domain.md §9.4): the last day,
    the office that decides, and the form. None where no review can be asked for (the service decides again)."""
    if case.kind != CaseKind.OBJECTION or review_refusals(case):
        return None
    window = review_window(case)
    return {
        "window": window,
        "office": office_above(case.receiving_office),
        "form": form or ReviewRequestForm(),
    }


@subject_only
def case_detail(request, number: str):
    case = case_for(request.user, number)
    context = case_context(case)
    context["supplement_form"] = SupplementForm() if case.state == CaseState.AWAITING_MATERIALS else None
    context["review_offer"] = review_offer(case)
    return render(request, "portal/case_detail.html", context)


@subject_only
@require_POST
def case_review_view(request, number: str):
    """「申请复核」: ask for the review of the objection `number`; errors (window closed, reviewed already)
    stand on the page next to the form."""
    case = case_for(request.user, number)
    form = ReviewRequestForm(request.POST, request.FILES, owner=request.user)
    if form.is_valid():
        review = run_service(
            request,
            form,
            review_file,
            objection=case,
            actor=request.user,
            statement=form.cleaned_data["statement"],
            materials=form.cleaned_data["materials"],
        )
        if review is not None:
            form.discard_kept()
            messages.success(
                request,
                _("Your review request %(number)s was filed with %(office)s.")
                % {"number": review.number, "office": review.receiving_office.name},
            )
            return redirect("portal:case-detail", number=review.number)
    context = case_context(case)
    context["supplement_form"] = None
    # The form stays on the page with its errors even where the window has just closed.
    context["review_offer"] = review_offer(case, form) or {
        "window": review_window(case),
        "office": office_above(case.receiving_office),
        "form": form,
    }
    return render(request, "portal/case_detail.html", context, status=400)


@subject_only
@require_POST
def case_supplement_view(request, number: str):
    case = case_for(request.user, number)
    form = SupplementForm(request.POST, request.FILES, owner=request.user)
    if form.is_valid():
        done = run_service(
            request,
            form,
            case_supplement,
            case=case,
            actor=request.user,
            note=form.cleaned_data["note"],
            materials=form.cleaned_data["materials"],
        )
        if done is not None:
            form.discard_kept()
            messages.success(request, _("Thank you: the materials were received and the clock runs again."))
            return redirect("portal:case-detail", number=number)
    context = case_context(case)
    context["supplement_form"] = form
    return render(request, "portal/case_detail.html", context, status=400)
