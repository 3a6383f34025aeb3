"""Forms of the three faces. They only parse input: every rule is checked by the service they call, whose
errors `web.base.run_service` puts next to the fields."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from casework.dates import BoundedFormDateField
from casework.identifiers import normalise_code, validate_credit_code
from casework.models import CaseKind, DossierEntryKind, Role, User
from casework.pending_uploads import pending_describe, pending_discard, pending_keep, pending_open
from casework.rules.common import COURT_DELETION_GROUNDS
from casework.uploads import inspect_upload

# Longest free text (a statement, a note, a reason): settings.CASEWORK_TEXT_MAX_CHARS, as on the API.
TEXT_MAX = settings.CASEWORK_TEXT_MAX_CHARS

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def get_context(self, name, value, attrs):
        # site.js checks size and type before anything is sent (the server checks again, from the content).
        # Read at each rendering, so the page's limit is always the one the server applies.
        limit = settings.CASEWORK_UPLOAD_MAX_BYTES
        checks = {
            "accept": ACCEPT,
            "data-max-bytes": str(limit),
            # In the reader's language; site.js fills in {name} and {limit}.
            "data-limit": filesizeformat(limit),
            "data-too-big": _("“{name}” is larger than {limit}: choose a smaller file."),
            "data-wrong-type": _("“{name}” is not a PDF, JPG or PNG file."),
            "data-empty": _("“{name}” is empty."),
        }
        return super().get_context(name, value, {**checks, **(attrs or {})})


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


# The re-rendered form sends a kept file back as "<field>__kept" = its token (web/kept_uploads.html).
KEPT_SUFFIX = "__kept"


class KeepsUploads:
    """For forms with MultipleFileFields: a file attached to a refused submission is kept for the next one.

    When the form, or the service it feeds (`web.base.run_service` → `add_error`), refuses the submission,
    every attached file that passes `inspect_upload` is stored for `owner` (casework/pending_uploads.py) and
    listed under its field as "已上传：name (size)" with a way to remove it; a file that does not pass gets its
    error under the field. The next submission brings the kept files back ahead of any new ones, so a
    second refusal loses nothing either. A kept file that expired or is not the user's is an error on its
    field, never silently dropped or used. Call `discard_kept()` once the submission succeeded.
    """

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self._checked = False  # full_clean has run: an error added from now on comes from the service
        self._kept_new = False
        self._opened: list = []
        for field in self._file_fields().values():
            field.kept = []

    def _file_fields(self) -> dict:
        return {name: f for name, f in self.fields.items() if isinstance(f, MultipleFileField)}

    def _listed(self, source, key: str) -> list:
        getlist = getattr(source, "getlist", None)
        value = getlist(key) if getlist else source.get(key)
        return list(value) if isinstance(value, list | tuple) else [value] if value else []

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self.owner is None:
            return
        for name, field in self._file_fields().items():
            for token in dict.fromkeys(self._listed(self.data, self.add_prefix(name) + KEPT_SUFFIX)):
                try:
                    field.kept.append(pending_describe(token, self.owner))
                except ValidationError as exc:
                    self.add_error(name, exc)
            if name in self.cleaned_data and field.kept:
                kept = [pending_open(k.token, self.owner) for k in field.kept]
                self._opened += kept
                self.cleaned_data[name] = kept + list(self.cleaned_data[name])
        self._checked = True
        if self._errors:
            self._keep_new_uploads()

    def add_error(self, field, error):
        super().add_error(field, error)
        if self._checked:  # the service refused what the form accepted: keep the files all the same
            self._keep_new_uploads()

    def _keep_new_uploads(self) -> None:
        if self._kept_new or self.owner is None:
            return
        self._kept_new = True
        for name, field in self._file_fields().items():
            for upload in self._listed(self.files, self.add_prefix(name)):
                try:
                    inspected = inspect_upload(upload)
                except ValidationError as exc:
                    known = self._errors.get(name, [])
                    missing = [m for m in exc.messages if m not in known]
                    if missing:
                        super().add_error(name, missing)
                    continue
                field.kept.append(pending_keep(upload, inspected, self.owner))

    def discard_kept(self) -> None:
        """After a successful submission: the kept files were stored with the case; delete the copies."""
        for handle in self._opened:
            handle.close()
        for field in self._file_fields().values():
            for kept in field.kept:
                pending_discard(kept.token, self.owner)


def upload_help() -> str:
    return _("PDF, JPG or PNG, at most %(limit)s each. The type is read from the file's content.") % {
        "limit": filesizeformat(settings.CASEWORK_UPLOAD_MAX_BYTES)
    }


class RecordChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, record):
        # The owner first: a user who represents several subjects sees whose record each one is.
        return (
            f"{record.subject.name} · {record.get_kind_display()} · {record.get_severity_display()} · "
            f"{record.decided_on} · {record.summary}"
        )


class CaseFileForm(KeepsUploads, forms.Form):
    """The guided filing form; which parts it shows depends on the kind of case."""

    subject = forms.ModelChoiceField(queryset=None, to_field_name="public_id", label=_("Subject"))
    records = RecordChoiceField(
        queryset=None,
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Records concerned"),
    )
    statement = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Your statement"),
        help_text=_(
            "What is wrong with the record, or what you have done to correct the behaviour, and why."
        ),
    )
    materials = MultipleFileField(label=_("Materials"))
    performance_proof = MultipleFileField(label=_("Proof that the obligations were performed"))
    training_certificate = MultipleFileField(label=_("Repair training certificate (信用修复培训)"))
    public_welfare_certificate = MultipleFileField(
        label=_("Public-welfare service certificate (社会公益服务)")
    )
    ruling = MultipleFileField(label=_("Court ruling approving the restructuring plan"))
    administrator = forms.BooleanField(required=False, label=_("Filed by the administrator (管理人)"))
    deletion_ground = forms.ChoiceField(
        required=False,
        label=_("Ground for deletion from the court list"),
        choices=[("", "—")] + sorted(COURT_DELETION_GROUNDS.items()),
    )
    commitment_signed = forms.BooleanField(
        required=False,
        label=_("I sign the credit commitment (信用承诺书)"),
    )

    FIELDS_BY_KIND = {
        CaseKind.OBJECTION: [],
        CaseKind.REPAIR: ["performance_proof", "training_certificate", "public_welfare_certificate"],
        CaseKind.LIST_EXIT: ["performance_proof", "deletion_ground"],
        CaseKind.BANKRUPTCY_REPAIR: ["ruling", "administrator"],
    }
    OPTIONAL = [
        "performance_proof",
        "training_certificate",
        "public_welfare_certificate",
        "ruling",
        "administrator",
        "deletion_ground",
    ]

    def __init__(self, *args, kind: str, subjects, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["subject"].queryset = subjects
        self.fields["records"].queryset = records
        for name in ("materials", *self.OPTIONAL):
            if isinstance(self.fields[name], MultipleFileField):
                self.fields[name].help_text = upload_help()
        for name in self.OPTIONAL:
            if name not in self.FIELDS_BY_KIND[kind]:
                del self.fields[name]

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["records"] = list(data.get("records") or [])
        return data


class SupplementForm(KeepsUploads, forms.Form):
    note = forms.CharField(
        required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note")
    )
    materials = MultipleFileField(label=_("Materials asked for"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].help_text = upload_help()


class ReviewRequestForm(KeepsUploads, forms.Form):
    """复核: the subject's reasons for asking the office one level up to review an objection's result; its
    files are kept across a refusal like every upload form's."""

    statement = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Why the result is wrong"),
        help_text=_("The credit office one level up reviews the result once; say what it should look at."),
    )
    materials = MultipleFileField(label=_("Materials"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].help_text = upload_help()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(widget=forms.RadioSelect, label=_("Decision"))
    note = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Reason"),
        help_text=_("Required for refusals and rejections; the subject will read it."),
    )
    correction = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Corrected record text"),
        help_text=_("Only for “Record corrected”."),
    )
    supplement = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("What is added to the record"),
        help_text=_("Only for “Record supplemented”."),
    )

    # The decision fields a step may require (flows/nodes.py `Decision.requires`), each shown only where one
    # of the step's decisions needs it.
    EXTRA_FIELDS = ("correction", "supplement")

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(d.name, d.label) for d in decisions]
        required = {name for d in decisions for name in d.requires}
        for name in self.EXTRA_FIELDS:
            if name not in required:
                del self.fields[name]

    def extra_data(self) -> dict:
        """The step's extra fields that were filled in, for the task's `data`."""
        return {name: self.cleaned_data[name] for name in self.EXTRA_FIELDS if self.cleaned_data.get(name)}


class ReassignForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="code", label=_("Department")
    )
    assignee = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="username", label=_("Reviewer"), empty_label=_("Anyone")
    )
    reason = forms.CharField(
        required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason")
    )

    def __init__(
        self,
        *args,
        departments,
        reviewers,
        across_departments: bool = True,
        keeps_department: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        if keeps_department:
            # A department's own step (docs/domain.md §9.8): another department is refused by name, not with
            # the generic "not one of the choices".
            self.fields["department"].error_messages["invalid_choice"] = keeps_department
            self.fields["department"].help_text = keeps_department
        if not across_departments:
            del self.fields["department"]
        self.fields["assignee"].queryset = reviewers
        self.fields["assignee"].label = _("Reviewer (grouped by department)")
        # One group per department, named, so a supervisor sees whose reviewer each one is.
        groups: dict[str, list] = {}
        for user in reviewers.prefetch_related("departments"):
            for department in user.departments.all():
                if department in departments:
                    groups.setdefault(department.name, []).append(
                        (user.username, f"{user.label()} ({user.username})")
                    )
        self.fields["assignee"].choices = [("", _("Anyone")), *sorted(groups.items())]


class ExtendForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=60, label=_("More working days"))
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason"),
        help_text=_("Recorded in the case history."),
    )


def reviewers_of(departments):
    return (
        User.objects.filter(role=Role.REVIEWER, is_active=True, departments__in=departments)
        .distinct()
        .order_by("username")
    )


class DossierEntryForm(forms.Form):
    kind = forms.ChoiceField(choices=DossierEntryKind.choices, label=_("Kind"))
    on = BoundedFormDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note")
    )


# A case number as printed on notices: two letters, the year, six digits (YC-2026-000031).
CASE_NUMBER = re.compile(r"^[A-Z]{2}-\d{4}-\d{6}$")


class PublicitySearchForm(forms.Form):
    """Find a list exit under publicity (公示) by the listed subject's credit code or the exit's case number."""

    q = forms.CharField(
        max_length=40,
        label=_("Credit code or case number"),
        help_text=_("The listed subject's unified social credit code, or the case number of the list exit."),
    )

    def clean_q(self) -> dict:
        """{"number": …} or {"code": …}, normalised; a field error names what was expected."""
        value = normalise_code(self.cleaned_data["q"])
        if CASE_NUMBER.match(value):
            return {"number": value}
        try:
            return {"code": validate_credit_code(value)}
        except forms.ValidationError as exc:
            if re.match(r"^[A-Z]{2}-", value):  # meant as a case number
                raise forms.ValidationError(
                    _("A case number reads like YC-2026-000031: two letters, the year and six digits.")
                ) from exc
            raise


class PublicityObjectionForm(KeepsUploads, forms.Form):
    """A third party's objection against a list exit during its publicity; the service checks every rule."""

    statement = forms.CharField(
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("Your objection"),
        help_text=_(
            "Why this subject should not leave the list (facts, dates, amounts). The listed subject is told "
            "that an objection was filed and its result, never who filed it or what it says."
        ),
    )
    materials = MultipleFileField(label=_("Evidence"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].help_text = upload_help()
