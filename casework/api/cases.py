"""Cases: filing, reading (with tasks and full history), and the subject's answer to a 补正 request."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.models import CaseKind, Role
from casework.rules.common import COURT_DELETION_GROUNDS
from casework.services.cases import COMMITMENT_REQUIRED, case_file, case_supplement

from .fields import HistoryEventSerializer, PublicIdField
from .tasks import TaskOutSerializer


class CaseInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseKind.choices)
    subject = PublicIdField(queryset=selectors.Subject.objects.all())
    records = PublicIdField(queryset=selectors.CreditRecord.objects.all(), many=True, allow_empty=False)
    statement = serializers.CharField()
    commitment_signed = serializers.BooleanField(
        help_text="The subject signs the credit commitment (信用承诺书); required.", default=False
    )
    materials = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    performance_proof = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Repair and list exit: proof that the obligations were performed (required for them).",
    )
    training_certificate = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Repair: the repair training certificate (信用修复培训) where the rule set asks for one.",
    )
    public_welfare_certificate = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Repair, a person: public-welfare service (社会公益服务) in place of training, where allowed.",
    )
    ruling = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Bankruptcy repair: the court's ruling approving the restructuring plan (required).",
    )
    administrator = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Bankruptcy repair: filed by the enterprise's administrator (管理人).",
    )
    deletion_ground = serializers.ChoiceField(
        choices=sorted(COURT_DELETION_GROUNDS),
        required=False,
        default="",
        allow_blank=True,
        help_text="List exit from the court list: the ground for deletion (法释〔2017〕7号 art. 10).",
    )

    def validate_commitment_signed(self, signed: bool) -> bool:
        if not signed:
            raise serializers.ValidationError(COMMITMENT_REQUIRED)
        return signed


class MaterialSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    purpose = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DeadlineSerializer(serializers.Serializer):
    purpose = serializers.CharField(help_text="`legal` time limit or internal `service` norm (shorter).")
    budget_days = serializers.IntegerField()
    extended_days = serializers.IntegerField()
    suspended_days = serializers.IntegerField()
    started_on = serializers.DateField()
    due_on = serializers.DateField()
    provisional = serializers.BooleanField()
    paused = serializers.BooleanField(source="is_suspended")
    met = serializers.SerializerMethodField()

    def get_met(self, deadline) -> bool:
        return deadline.met_at is not None


class CaseOutSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    outcome = serializers.CharField()
    subject = serializers.UUIDField(source="subject.public_id")
    records = serializers.SerializerMethodField()
    rule_set = serializers.CharField(source="rule_set.version")
    receiving_office = serializers.CharField(source="receiving_office.code")
    decision_reason = serializers.CharField()
    materials_requested = serializers.CharField()
    filed_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField()
    tasks = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, case):
        clocks = [d for d in case.deadlines.all() if d.purpose != "step"]
        return DeadlineSerializer(sorted(clocks, key=lambda d: d.purpose), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_records(self, case):
        return [record.public_id for record in case.records.all()]

    @extend_schema_field(TaskOutSerializer(many=True))
    def get_tasks(self, case):
        return TaskOutSerializer(case.tasks.all(), many=True).data


class CaseDetailSerializer(CaseOutSerializer):
    materials = MaterialSerializer(many=True)
    history = serializers.SerializerMethodField()

    @extend_schema_field(HistoryEventSerializer(many=True))
    def get_history(self, case):
        return HistoryEventSerializer(selectors.history_of(case), many=True).data


class CaseListApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=CaseOutSerializer(many=True))
    def get(self, request):
        cases = selectors.with_tasks_and_records(selectors.cases_visible_to(request.user)).order_by(
            "-filed_at"
        )
        return Response(CaseOutSerializer(cases[:200], many=True).data)

    @extend_schema(
        request=CaseInSerializer,
        responses={201: CaseOutSerializer},
        description=(
            "File a case of any kind. A repair or list exit filed before the rule set's minimum period is "
            "refused with 400: `records` says why and `reapply_on` holds the date from which to apply again "
            "(the subject also receives it as a notice)."
        ),
    )
    def post(self, request):
        serializer = CaseInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_file(actor=request.user, **serializer.validated_data)
        return Response(CaseOutSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, number):
        cases = selectors.with_tasks_and_records(selectors.cases_visible_to(request.user))
        case = get_object_or_404(cases.prefetch_related("materials"), number=number)
        return Response(CaseDetailSerializer(case).data)


class SupplementSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    materials = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class CaseSupplementApi(APIView):
    """The subject answers a 补正 request with the materials asked for; the stopped clock runs again."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=SupplementSerializer, responses=CaseOutSerializer)
    def post(self, request, number):
        case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
        if request.user.role not in (Role.SUBJECT, Role.ADMIN):
            return Response(status=status.HTTP_403_FORBIDDEN)
        serializer = SupplementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_supplement(case=case, actor=request.user, **serializer.validated_data)
        return Response(CaseOutSerializer(case).data)
