"""The portal's third-party objection (docs/domain.md §9.5): anyone signed in to the portal finds a list exit
under publicity (公示) by the listed subject's credit code or the exit's case number, and objects to it with a
statement and evidence. The objector follows its objection like its own cases; the listed subject never
sees who objected or why."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from casework import selectors
from casework.services.list_exit import list_exit_objection_file

from .base import run_service
from .forms import PublicityObjectionForm, PublicitySearchForm
from .portal import subject_only


@subject_only
def publicity_search(request):
    """GET ?q=…: the exits under publicity that match; a bad credit code or number gets a field error."""
    form = PublicitySearchForm(request.GET if "q" in request.GET else None)
    found = None
    if form.is_bound and form.is_valid():
        found = list(selectors.exits_in_publicity(**form.cleaned_data["q"]))
    return render(
        request,
        "portal/publicity_search.html",
        {"form": form, "found": found},
        status=400 if form.errors else 200,
    )


@subject_only
def publicity_objection(request, number: str):
    exit_case = selectors.exits_in_publicity(number=number).first()
    if exit_case is None:
        raise Http404
    form = PublicityObjectionForm(request.POST or None, request.FILES or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        objection = run_service(
            request,
            form,
            list_exit_objection_file,
            exit_case=exit_case,
            actor=request.user,
            statement=form.cleaned_data["statement"],
            materials=form.cleaned_data["materials"],
        )
        if objection is not None:
            form.discard_kept()
            messages.success(
                request,
                _("Your objection %(number)s was filed; the list exit waits for its result.")
                % {"number": objection.number},
            )
            return redirect("portal:case-detail", number=objection.number)
    return render(
        request,
        "portal/publicity_objection.html",
        {"form": form, "exit_case": exit_case},
        status=400 if form.errors else 200,
    )
