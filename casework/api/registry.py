"""Subjects, credit records and sanctions: the registry the cases are about."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.exceptions import NotVisible
from casework.models import RecordKind, Role, Severity, SubjectKind
from casework.services.records import record_create
from casework.services.registry import subject_create
from casework.services.sanctions import sanction_create

from .fields import DepartmentCodeField, HistoryEventSerializer, PublicIdField
from .permissions import IsAdminOrReviewer


class SubjectInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubjectKind.choices)
    code = serializers.CharField(max_length=40, trim_whitespace=True)
    name = serializers.CharField(max_length=200)


class SubjectOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    code = serializers.CharField(source="display_code", help_text="A person's resident ID is masked.")
    name = serializers.CharField()
    division = serializers.CharField()


class SubjectListApi(APIView):
    permission_classes = [IsAdminOrReviewer]

    @extend_schema(responses=SubjectOutSerializer(many=True))
    def get(self, request):
        subjects = selectors.subjects_visible_to(request.user).order_by("name")[:500]
        return Response(SubjectOutSerializer(subjects, many=True).data)

    @extend_schema(request=SubjectInSerializer, responses={201: SubjectOutSerializer})
    def post(self, request):
        serializer = SubjectInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subject = subject_create(**serializer.validated_data)
        return Response(SubjectOutSerializer(subject).data, status=status.HTTP_201_CREATED)


class SanctionBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    measure = serializers.CharField()
    implementer = serializers.CharField(source="implementer.code")
    state = serializers.CharField()


class RecordInSerializer(serializers.Serializer):
    subject = PublicIdField(queryset=selectors.Subject.objects.all())
    kind = serializers.ChoiceField(choices=RecordKind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    provider = DepartmentCodeField()
    decided_on = serializers.DateField()
    summary = serializers.CharField()
    listed_until = serializers.DateField(
        required=False,
        help_text="List entries: the last day on the list; by default the rule period (3 years, court list 2).",
    )

    def validate_provider(self, provider):
        user = self.context["request"].user
        if user.role != Role.ADMIN and not user.departments.filter(pk=provider.pk).exists():
            raise serializers.ValidationError(_("You can enter records only for your own department."))
        return provider


class RecordOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    subject = serializers.UUIDField(source="subject.public_id")
    kind = serializers.CharField()
    severity = serializers.CharField()
    provider = serializers.CharField(source="provider.code")
    decided_on = serializers.DateField()
    summary = serializers.CharField()
    listed_until = serializers.DateField()
    publicity = serializers.CharField()
    sanctions = SanctionBriefSerializer(many=True)


class RecordListApi(APIView):
    permission_classes = [IsAdminOrReviewer]

    @extend_schema(responses=RecordOutSerializer(many=True))
    def get(self, request):
        records = selectors.records_visible_to(request.user).prefetch_related("sanctions__implementer")[:500]
        return Response(RecordOutSerializer(records, many=True).data)

    @extend_schema(request=RecordInSerializer, responses={201: RecordOutSerializer})
    def post(self, request):
        serializer = RecordInSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        record = record_create(actor=request.user, **serializer.validated_data)
        return Response(RecordOutSerializer(record).data, status=status.HTTP_201_CREATED)


class RecordDetailApi(APIView):
    @extend_schema(responses=RecordOutSerializer)
    def get(self, request, public_id):
        record = get_object_or_404(selectors.records_visible_to(request.user), public_id=public_id)
        return Response(RecordOutSerializer(record).data)


class SanctionInSerializer(serializers.Serializer):
    record = PublicIdField(queryset=selectors.CreditRecord.objects.all())
    measure = serializers.CharField(max_length=200)
    implementer = DepartmentCodeField()


class SanctionOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    record = serializers.UUIDField(source="record.public_id")
    measure = serializers.CharField()
    implementer = serializers.CharField(source="implementer.code")
    state = serializers.CharField()
    # Execution feedback (issue 6): our state beside what the implementing department last reported.
    our_state = serializers.CharField(source="state")
    their_state = serializers.CharField(source="execution.their_state", default=None, allow_null=True)
    their_state_on = serializers.DateField(source="execution.their_state_on", default=None)
    mismatch_since = serializers.DateTimeField(source="execution.mismatch_since", default=None)


class SanctionDetailSerializer(SanctionOutSerializer):
    history = serializers.SerializerMethodField()

    @extend_schema_field(HistoryEventSerializer(many=True))
    def get_history(self, sanction):
        return HistoryEventSerializer(selectors.history_of(sanction), many=True).data


class SanctionListApi(APIView):
    permission_classes = [IsAdminOrReviewer]

    @extend_schema(request=SanctionInSerializer, responses={201: SanctionOutSerializer})
    def post(self, request):
        serializer = SanctionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if (
            not selectors.records_visible_to(request.user)
            .filter(pk=serializer.validated_data["record"].pk)
            .exists()
        ):
            raise NotVisible()
        sanction = sanction_create(actor=request.user, **serializer.validated_data)
        return Response(SanctionOutSerializer(sanction).data, status=status.HTTP_201_CREATED)


class SanctionDetailApi(APIView):
    @extend_schema(responses=SanctionDetailSerializer)
    def get(self, request, public_id):
        sanction = get_object_or_404(selectors.sanctions_visible_to(request.user), public_id=public_id)
        return Response(SanctionDetailSerializer(sanction).data)
