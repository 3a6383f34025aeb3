"""Monthly reporting by the 20th (docs/domain.md §9.13): departments submit, supervisors see who
is late."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.models import Role
from casework.services.reporting import monthly_submission_submit

from . import examples as ex
from .fields import DepartmentCodeField


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-10"})
class MonthField(serializers.Field):
    """A month as "YYYY-MM", stored as its first day."""

    default_error_messages = {"invalid": _("Give the month as YYYY-MM.")}

    def to_internal_value(self, data) -> date:
        try:
            year, month = (int(part) for part in str(data).split("-"))
            return date(year, month, 1)
        except ValueError:
            self.fail("invalid")

    def to_representation(self, value: date) -> str:
        return f"{value:%Y-%m}"


class SubmissionInSerializer(serializers.Serializer):
    department = DepartmentCodeField()
    month = MonthField(help_text="The month the data covers, YYYY-MM.")
    covers = serializers.CharField(max_length=2000, help_text="What the submission contains.")
    records = serializers.IntegerField(min_value=0, default=0, help_text="How many records it holds.")


class SubmissionOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    department = serializers.CharField(source="department.code")
    month = MonthField()
    due_on = serializers.DateField()
    submitted_at = serializers.DateTimeField()
    submitted_by = serializers.CharField(source="submitted_by.username")
    covers = serializers.CharField()
    records = serializers.IntegerField()


class StandingSerializer(serializers.Serializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    month = MonthField()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=["submitted", "submitted_late", "late", "due"])
    submitted_at = serializers.DateTimeField(source="submission.submitted_at", default=None, allow_null=True)
    covers = serializers.CharField(source="submission.covers", default="")
    reminded_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)


SUBMITTED = {
    "id": "6f1c2a0e-3d7b-4b8e-9a51-2c4d5e6f7a80",
    "department": "xy-market",
    "month": "2026-10",
    "due_on": "2026-11-20",
    "submitted_at": "2026-11-18T16:02:11+08:00",
    "submitted_by": "market",
    "covers": "行政处罚 42 条, 严重失信名单 3 条",
    "records": 45,
}


class MonthlySubmissionApi(APIView):
    @extend_schema(
        summary="Submit a department's monthly data (by the 20th of the next month)",
        description="A reviewer or head of the department (or an administrator) records that the month's data "
        "was submitted. One submission per department and month; the month must be over. Credit offices "
        "receive data and do not submit.",
        request=SubmissionInSerializer,
        responses={
            201: SubmissionOutSerializer,
            400: ex.bad_request(
                ("Already submitted", {"month": ["鼓楼区市场监管局已报送 2026-10 的数据。"]}),
                ("Bad month", {"month": ["请按 YYYY-MM 格式填写月份。"]}),
            ),
        },
        examples=[
            OpenApiExample(
                "October's data",
                value={
                    "department": "xy-market",
                    "month": "2026-10",
                    "covers": "行政处罚 42 条, 严重失信名单 3 条",
                    "records": 45,
                },
                request_only=True,
            ),
            OpenApiExample("Submitted", value=SUBMITTED, response_only=True),
        ],
    )
    def post(self, request):
        serializer = SubmissionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = monthly_submission_submit(actor=request.user, **serializer.validated_data)
        return Response(SubmissionOutSerializer(submission).data, status=status.HTTP_201_CREATED)


class MonthlySubmissionStandingApi(APIView):
    @extend_schema(
        summary="Who has submitted the month's data, and who is late (supervisors)",
        description="Every department in your jurisdiction that owes monthly data, late ones first. `status`: "
        "`submitted` (by the 20th), `submitted_late`, `late` (nothing yet and the 20th passed), `due`. "
        "Default month: last month.",
        parameters=[
            OpenApiParameter(
                "month",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description="YYYY-MM; default last month.",
                examples=[OpenApiExample("October", value="2026-10")],
            )
        ],
        responses={
            200: StandingSerializer(many=True),
            400: ex.bad_request(("Bad month", {"month": ["请按 YYYY-MM 格式填写月份。"]})),
            403: ex.FORBIDDEN,
        },
        examples=[
            OpenApiExample(
                "The tax bureau missed the 20th",
                value=[
                    {
                        "department": "xy-tax",
                        "department_name": "鼓楼区税务局",
                        "month": "2026-10",
                        "due_on": "2026-11-20",
                        "status": "late",
                        "submitted_at": None,
                        "covers": "",
                        "reminded_at": "2026-11-15T08:30:00+08:00",
                        "escalated_at": "2026-11-21T08:30:00+08:00",
                    }
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request):
        if request.user.role not in (Role.SUPERVISOR, Role.ADMIN):
            raise PermissionDenied()
        today = timezone.localdate()
        raw = request.query_params.get("month")
        if raw:
            try:
                month = MonthField().to_internal_value(raw)
            except serializers.ValidationError:
                raise ValidationError({"month": [_("Give the month as YYYY-MM.")]}) from None
        else:
            month = (today.replace(day=1) - date.resolution).replace(day=1)
        rows = selectors.monthly_submissions_for(request.user, month=month, today=today)
        return Response(StandingSerializer(rows, many=True).data)
