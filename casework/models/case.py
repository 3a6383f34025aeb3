import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .ruleset import CachedRuleSetDescriptor


class CaseKind(models.TextChoices):
    REPAIR = "repair", _("Credit repair")
    OBJECTION = "objection", _("Objection")
    LIST_EXIT = "list_exit", _("Serious-list exit")
    BANKRUPTCY_REPAIR = "bankruptcy_repair", _("Bankruptcy-restructuring repair")
    # 复核: the subject asks the credit office one level up to review an objection's result (docs/domain.md §9.4).
    REVIEW = "review", _("Review of an objection result (复核)")


# Case numbers read like the paper registers: 异议 YY, 修复 XF, 移出 YC, 破产 PC, 复核 FH.
CASE_NUMBER_PREFIX = {
    CaseKind.OBJECTION: "YY",
    CaseKind.REPAIR: "XF",
    CaseKind.LIST_EXIT: "YC",
    CaseKind.BANKRUPTCY_REPAIR: "PC",
    CaseKind.REVIEW: "FH",
}


class CaseState(models.TextChoices):
    FILED = "filed", _("Filed, awaiting acceptance")
    AWAITING_MATERIALS = "awaiting_materials", _("Awaiting supplementary materials")
    VERIFYING = "verifying", _("Under verification")
    CLOSED = "closed", _("Decided")
    REFUSED = "refused", _("Not accepted")
    # Repair: the favourable opinion goes up level by level (逐级上报) to where the rule set decides.
    REPORTING = "reporting", _("Reported to the higher credit office")
    # List exit: the intended removal is published (公示); an objection by anyone holds it.
    PUBLICITY = "publicity", _("Publicity period")
    ON_HOLD = "on_hold", _("Held by an objection")
    DECIDING = "deciding", _("Awaiting the decision")
    # Bankruptcy restructuring: stage 1, waiting for the plan to be carried out, stage 2.
    SHIELDING = "shielding", _("Records being shielded")
    AWAITING_COMPLETION = "awaiting_completion", _("Awaiting the plan's completion")
    REPAIRING = "repairing", _("Full repair under way")


# States in which a case is still running (used to keep one open case per record).
OPEN_CASE_STATES = (
    CaseState.FILED,
    CaseState.AWAITING_MATERIALS,
    CaseState.VERIFYING,
    CaseState.REPORTING,
    CaseState.PUBLICITY,
    CaseState.ON_HOLD,
    CaseState.DECIDING,
    CaseState.SHIELDING,
    CaseState.AWAITING_COMPLETION,
    CaseState.REPAIRING,
)


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Record upheld")
    CORRECTED = "corrected", _("Record corrected")
    DELETED = "deleted", _("Record deleted")
    # The six objection outcomes (《浙江省公共信用信息管理条例》 art. 30): the three above and these.
    SUPPLEMENTED = "supplemented", _("Record supplemented")
    PUBLICATION_STOPPED = "publication_stopped", _("Publication stopped")
    REMOVED_FROM_LIST = "removed_from_list", _("Removed from the list as wrongly listed")
    REPAIRED = "repaired", _("Credit repaired")
    REJECTED = "rejected", _("Refused, with reasons")
    REMOVED = "removed", _("Removed from the list")
    OBJECTION_FOUNDED = "objection_founded", _("Objection founded: exit refused")
    OBJECTION_UNFOUNDED = "objection_unfounded", _("Objection unfounded: exit proceeds")
    # 补正 left unanswered past its deadline: the request is treated as withdrawn (视为撤回, docs/domain.md §9.10).
    WITHDRAWN = "withdrawn", _("Treated as withdrawn (materials not supplied in time)")


class Case(ConcurrentTransitionMixin, models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    subject = models.ForeignKey(
        "casework.Subject", on_delete=models.PROTECT, related_name="cases", verbose_name=_("subject")
    )
    records = models.ManyToManyField("casework.CreditRecord", related_name="cases", verbose_name=_("records"))
    statement = models.TextField(_("statement"))
    # Empty where nobody signed one: a third party objecting to a list exit signs no commitment.
    commitment_signed_at = models.DateTimeField(_("credit commitment signed at"), null=True, blank=True)
    receiving_office = models.ForeignKey(
        "casework.Department",
        on_delete=models.PROTECT,
        related_name="received_cases",
        verbose_name=_("receiving credit office"),
    )
    rule_set = models.ForeignKey("casework.RuleSet", on_delete=models.PROTECT, verbose_name=_("rule set"))
    state = FSMField(
        _("state"), default=CaseState.FILED, choices=CaseState.choices, protected=True, max_length=20
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    materials_requested = models.TextField(_("materials requested"), blank=True)
    # 补正 deadline (docs/domain.md §9.10), Beijing dates: the last day the materials may arrive, the day the
    # reminder falls due, and when it went out (set once: the reminder fires once whatever the sweeps).
    materials_due_on = models.DateField(_("materials due on"), null=True, blank=True)
    materials_due_provisional = models.BooleanField(_("materials due date provisional"), default=False)
    materials_remind_on = models.DateField(_("materials reminder on"), null=True, blank=True)
    materials_reminded_at = models.DateTimeField(_("materials reminder sent at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="filed_cases",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    # An objection against a list exit during its publicity period holds that exit until it is decided.
    objects_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
        verbose_name=_("objection against"),
    )
    # A review (复核) names the objection whose result it reviews; the objection lists its review (at most one).
    review_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("review of"),
    )
    publicity_until = models.DateField(_("publicity ends on"), null=True, blank=True)
    # The publicity period's start and whether its end is an estimate (a year without a working-day
    # calendar): entering the year re-dates the end from these.
    publicity_from = models.DateField(_("publicity starts on"), null=True, blank=True)
    publicity_provisional = models.BooleanField(_("publicity end provisional"), default=False)
    # Publicity is a clock (docs/domain.md §9.5): the working days it runs from `publicity_from` — the rule
    # set's period, or what an objection's hold left of it. While held, `publicity_from` and
    # `publicity_until` are empty and this is the budget left for the resumption.
    publicity_days = models.PositiveSmallIntegerField(_("publicity working days"), null=True, blank=True)
    by_administrator = models.BooleanField(_("filed by the administrator (管理人)"), default=False)
    deletion_ground = models.CharField(_("deletion ground"), max_length=30, blank=True)
    completion_reported_at = models.DateTimeField(_("plan completion reported at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-filed_at"]
        indexes = [
            models.Index(fields=["state", "kind"]),
            # Keyset pages of the case lists (issue 13), newest or oldest first, with each filter the lists
            # offer (kind, state, receiving office) leading its own index.
            models.Index(fields=["filed_at", "id"], name="case_filed"),
            models.Index(fields=["kind", "filed_at", "id"], name="case_kind_filed"),
            models.Index(fields=["state", "filed_at", "id"], name="case_state_filed"),
            models.Index(fields=["receiving_office", "filed_at", "id"], name="case_office_filed"),
            # The 补正 sweep reads only cases waiting for materials.
            models.Index(
                fields=["materials_due_on"],
                name="case_awaiting_materials_due",
                condition=models.Q(state="awaiting_materials"),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def supplement_used(self) -> bool:
        """补正 is asked for once (一次性告知): all missing materials in one request."""
        return bool(self.materials_requested)

    @transition(field=state, source=CaseState.FILED, target=CaseState.AWAITING_MATERIALS)
    def request_materials(self):
        pass

    @transition(field=state, source=CaseState.AWAITING_MATERIALS, target=CaseState.FILED)
    def receive_materials(self):
        pass

    @transition(field=state, source=CaseState.AWAITING_MATERIALS, target=CaseState.CLOSED)
    def withdraw(self):
        """The 补正 deadline passed without the materials: the request is treated as withdrawn."""

    @transition(field=state, source=CaseState.FILED, target=CaseState.REFUSED)
    def refuse(self):
        pass

    @transition(field=state, source=CaseState.FILED, target=CaseState.VERIFYING)
    def accept(self):
        pass

    @transition(field=state, source=CaseState.VERIFYING, target=CaseState.CLOSED)
    def close(self):
        pass

    # -- repair, list exit, bankruptcy --------------------------------------------------------------------

    @transition(field=state, source=CaseState.VERIFYING, target=CaseState.REPORTING)
    def report_up(self):
        pass

    @transition(field=state, source=CaseState.VERIFYING, target=CaseState.PUBLICITY)
    def open_publicity(self):
        pass

    @transition(field=state, source=CaseState.PUBLICITY, target=CaseState.ON_HOLD)
    def hold(self):
        pass

    @transition(field=state, source=CaseState.ON_HOLD, target=CaseState.PUBLICITY)
    def release_hold(self):
        pass

    @transition(field=state, source=CaseState.PUBLICITY, target=CaseState.DECIDING)
    def end_publicity(self):
        pass

    @transition(field=state, source=CaseState.FILED, target=CaseState.SHIELDING)
    def start_shielding(self):
        pass

    @transition(field=state, source=CaseState.SHIELDING, target=CaseState.AWAITING_COMPLETION)
    def await_completion(self):
        pass

    @transition(field=state, source=CaseState.AWAITING_COMPLETION, target=CaseState.REPAIRING)
    def start_full_repair(self):
        pass

    @transition(
        field=state,
        source=[
            CaseState.FILED,  # court deletion
            CaseState.VERIFYING,
            CaseState.REPORTING,
            CaseState.ON_HOLD,
            CaseState.DECIDING,
            CaseState.SHIELDING,
            CaseState.REPAIRING,
        ],
        target=CaseState.CLOSED,
    )
    def conclude(self):
        pass


# A case reads its rule set on nearly every step; the row never changes, so it comes from the process's copy.
Case.rule_set = CachedRuleSetDescriptor(Case._meta.get_field("rule_set"))  # type: ignore[assignment]


class CaseNumberSequence(models.Model):
    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="case_number_sequence_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class MaterialPurpose(models.TextChoices):
    FILING = "filing", _("Filed with the application")
    SUPPLEMENT = "supplement", _("Supplementary material (补正)")
    PERFORMANCE = "performance", _("Proof of performance")
    TRAINING = "training", _("Repair training certificate (信用修复培训)")
    PUBLIC_WELFARE = "public_welfare", _("Public-welfare service certificate (社会公益服务)")
    RULING = "ruling", _("Court ruling approving the restructuring plan")
    COMPLETION = "completion", _("Report of the plan's completion")
    OBJECTION = "objection", _("Objection against a list exit")


def material_path(instance: "Material", filename: str) -> str:
    # Stored under a random name: the subject's file name is kept as data, never trusted as a path.
    return f"materials/{instance.case.number}/{instance.public_id}.{instance.extension}"


class Material(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="materials")
    purpose = models.CharField(_("purpose"), max_length=20, choices=MaterialPurpose.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_path)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=60)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title
