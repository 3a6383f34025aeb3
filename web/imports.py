"""Bulk import for departments' staff: upload a CSV or XLSX file of records and sanctions, read the report.

The same service as `POST /api/v1/imports/` and `manage.py import_records`: every row validated, the valid rows
in together, the rejected ones listed with their line, field and reason; a file imported twice changes nothing.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import policies
from integration.imports import records_import
from integration.selectors import batches_visible_to

from .base import allowed, paginate, run_service

staff_only = allowed(policies.may_write_registry)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy("The first row names the columns; see the integration guide for the format."),
    )


@staff_only
def import_list(request):
    form, status = ImportForm(), 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            batch = run_service(
                request, form, records_import, file=upload, filename=upload.name, actor=request.user
            )
            if batch is not None:
                messages.success(
                    request,
                    _("%(file)s: %(imported)s rows imported, %(unchanged)s unchanged, %(rejected)s rejected.")
                    % {
                        "file": batch.filename,
                        "imported": batch.imported_rows,
                        "unchanged": batch.unchanged_rows,
                        "rejected": batch.rejected_rows,
                    },
                )
                return redirect("workspace:import-detail", batch.public_id)
        status = 400
    page = paginate(request, batches_visible_to(request.user).order_by("-id"))
    return render(request, "workspace/imports.html", {"form": form, "page": page}, status=status)


@staff_only
def import_detail(request, public_id):
    batch = get_object_or_404(batches_visible_to(request.user), public_id=public_id)
    rejected = paginate(request, batch.rejected, per_page=100)
    return render(request, "workspace/import_detail.html", {"batch": batch, "page": rejected})
