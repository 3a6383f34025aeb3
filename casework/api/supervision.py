"""What supervisors watch: the overdue board and the cases whose due dates are not final yet."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import calendar, selectors
from casework.models import LADDER
from casework.replica import supervision_read_method

from . import examples as ex
from .permissions import IsSupervisorOrAdmin
from .tasks import TaskOutSerializer


class OverdueTaskSerializer(TaskOutSerializer):
    overdue_working_days = serializers.SerializerMethodField()
    escalation = serializers.SerializerMethodField(help_text="The highest ladder level that fired.")

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_overdue_working_days(self, task):
        try:
            return calendar.working_days_between(task.deadline.due_on, self.context["today"])
        except calendar.CalendarUnknown:
            return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_escalation(self, task):
        fired = [e.level for e in task.deadline.escalations.all() if not e.skipped]
        return max(fired, key=LADDER.index) if fired else None


class OverdueBoardApi(APIView):
    permission_classes = [IsSupervisorOrAdmin]

    @extend_schema(
        summary="Overdue board (supervisors)",
        description="Late tasks in your jurisdiction (administrators: everywhere) with their overdue working days and the highest escalation "
        "level reached (`supervise` = 督办). 403 for other roles.",
        responses={200: OverdueTaskSerializer(many=True), 403: ex.FORBIDDEN},
        examples=[
            OpenApiExample(
                "Verification five working days late",
                value={
                    **ex.TASK,
                    "case": "XF-2026-000045",
                    "step": "verify",
                    "department": "xy-market",
                    "state": "claimed",
                    "assignee": "market-li",
                    "due_on": "2026-03-20",
                    "decisions": ["approve", "reject"],
                    "overdue_working_days": 5,
                    "escalation": "supervise",
                },
                response_only=True,
            )
        ],
    )
    @supervision_read_method
    def get(self, request):
        today = timezone.localdate()
        tasks = selectors.tasks_overdue_for(request.user, today=today).select_related("flow_task")[:500]
        return Response(OverdueTaskSerializer(tasks, many=True, context={"today": today}).data)


class ProvisionalCaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()


class ProvisionalDatesApi(APIView):
    """Cases whose due dates reach a year with no working-day calendar: enter the year to make them final."""

    permission_classes = [IsSupervisorOrAdmin]

    @extend_schema(
        summary="Cases with provisional due dates (supervisors)",
        responses={200: ProvisionalCaseSerializer(many=True), 403: ex.FORBIDDEN},
        examples=[
            OpenApiExample(
                "A list exit reaching 2027",
                value={"number": "YC-2026-000031", "kind": "list_exit", "state": "publicity"},
                response_only=True,
            )
        ],
    )
    def get(self, request):
        cases = selectors.cases_with_provisional_dates_for(request.user)[:500]
        return Response(ProvisionalCaseSerializer(cases, many=True).data)
