"""What supervisors watch: the overdue board and the cases whose due dates are not final yet."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import calendar, selectors
from casework.models import LADDER, Role

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


def _supervisor(request):
    if request.user.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied()


class OverdueBoardApi(APIView):
    @extend_schema(responses=OverdueTaskSerializer(many=True))
    def get(self, request):
        _supervisor(request)
        today = timezone.localdate()
        tasks = selectors.tasks_overdue_for(request.user, today=today).select_related("flow_task")[:500]
        return Response(OverdueTaskSerializer(tasks, many=True, context={"today": today}).data)


class ProvisionalCaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()


class ProvisionalDatesApi(APIView):
    """Cases whose due dates reach a year with no working-day calendar: enter the year to make them final."""

    @extend_schema(responses=ProvisionalCaseSerializer(many=True))
    def get(self, request):
        _supervisor(request)
        cases = selectors.cases_with_provisional_dates_for(request.user)[:500]
        return Response(ProvisionalCaseSerializer(cases, many=True).data)
