"""Forms of the three faces. They only parse input: every rule is checked by the service they call, whose
errors `web.base.run_service` puts next to the fields."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from casework.dates import BoundedFormDateField
from casework.models import CaseKind, DossierEntryKind, Role, User
from casework.rules.common import COURT_DELETION_GROUNDS

# Longest free text (a statement, a note, a reason): settings.CASEWORK_TEXT_MAX_CHARS, as on the API.
TEXT_MAX = settings.CASEWORK_TEXT_MAX_CHARS

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        # site.js checks size and type before anything is sent (the server checks again, from the content).
        limit = settings.CASEWORK_UPLOAD_MAX_BYTES
        attrs = {
            "accept": ACCEPT,
            "data-max-bytes": str(limit),
            # Lazy: rendered in the reader's language; site.js fills in {name} and {limit}.
            "data-limit": filesizeformat(limit),
            "data-too-big": _("“{name}” is larger than {limit}: choose a smaller file."),
            "data-wrong-type": _("“{name}” is not a PDF, JPG or PNG file."),
        }
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def upload_help() -> str:
    return _("PDF, JPG or PNG, at most %(limit)s each. The type is read from the file's content.") % {
        "limit": filesizeformat(settings.CASEWORK_UPLOAD_MAX_BYTES)
    }


class RecordChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, record):
        return f"{record.get_kind_display()} · {record.get_severity_display()} · {record.decided_on} · {record.summary}"


class CaseFileForm(forms.Form):
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


class SupplementForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note")
    )
    materials = MultipleFileField(label=_("Materials asked for"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].help_text = upload_help()


class ReviewRequestForm(forms.Form):
    """复核: the subject's reasons for asking the office one level up to review an objection's result."""

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
