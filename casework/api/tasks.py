"""Task queues and the verbs on a task: claim, unclaim, complete (409 when someone else acted first)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.models import User
from casework.services.assignment import task_reassign
from casework.services.tasks import task_claim, task_complete, task_extend, task_unclaim

from .fields import DepartmentCodeField


class TaskOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = serializers.CharField(source="case.number")
    step = serializers.CharField()
    department = serializers.CharField(source="department.code")
    state = serializers.CharField()
    assignee = serializers.CharField(source="assignee.username", default=None)
    due_on = serializers.DateField(source="deadline.due_on")
    due_provisional = serializers.BooleanField(
        source="deadline.provisional",
        help_text="True when the due date reaches a year with no working-day calendar yet: an estimate.",
    )
    due_note = serializers.SerializerMethodField()
    paused = serializers.BooleanField(source="deadline.is_suspended")
    decision = serializers.CharField()
    decisions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_due_note(self, task):
        if task.deadline.provisional:
            return str(
                _("Provisional: the working-day calendar for %(year)s has not been published yet.")
                % {"year": task.deadline.due_on.year}
            )
        return None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_decisions(self, task):
        if task.is_finished or task.flow_task is None:
            return []
        return list(task.flow_task.flow_task.decisions)


class TaskQueueApi(APIView):
    @extend_schema(responses=TaskOutSerializer(many=True))
    def get(self, request):
        tasks = selectors.task_queue_for(request.user).select_related("flow_task")[:200]
        return Response(TaskOutSerializer(tasks, many=True).data)


def _task(request, public_id):
    task = selectors.task_get_for(request.user, public_id)
    if task is None:
        raise Http404
    return task


class TaskDetailApi(APIView):
    @extend_schema(responses=TaskOutSerializer)
    def get(self, request, public_id):
        return Response(TaskOutSerializer(_task(request, public_id)).data)


class TaskClaimApi(APIView):
    @extend_schema(request=None, responses=TaskOutSerializer)
    def post(self, request, public_id):
        task = task_claim(task=_task(request, public_id), user=request.user)
        return Response(TaskOutSerializer(task).data)


class TaskUnclaimApi(APIView):
    @extend_schema(request=None, responses=TaskOutSerializer)
    def post(self, request, public_id):
        task = task_unclaim(task=_task(request, public_id), user=request.user)
        return Response(TaskOutSerializer(task).data)


class TaskCompleteSerializer(serializers.Serializer):
    decision = serializers.CharField(
        help_text=(
            "Acceptance step (`accept`): `accept` | `refuse` (note = reason, required) | `request_materials` "
            "(note = the complete list of missing materials; asked once). Verification step (`verify`): "
            "`upheld` | `corrected` (needs `correction`, the corrected record text) | `deleted`; note required. "
            "Repair: `accept` as above (a minor record is repaired at once where the rule set allows); `verify` "
            "(provider) and `report_district` | `report_city` | `report_province` (credit offices, 逐级上报): "
            "`approve` | `reject`, note required; the level the rule set names decides. List exit: `accept` as "
            "above; `verify`: `approve` (starts the publicity period) | `reject`; `decide`: `remove` | `reject`; "
            "`court_delete`: `delete` | `refuse`; `objection_verify` (objection against an exit): `founded` "
            "(refuses the exit) | `unfounded`. Bankruptcy repair: `shield` (one task per provider department): "
            "`shield` | `refuse` (note required); `full_repair`: `repair`. Every note is required where a "
            "decision refuses or rejects."
        )
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    correction = serializers.CharField(required=False, allow_blank=True, default="")


class TaskCompleteApi(APIView):
    @extend_schema(
        request=TaskCompleteSerializer,
        responses={200: TaskOutSerializer},
        examples=[
            OpenApiExample("Accept", value={"decision": "accept", "note": ""}, request_only=True),
            OpenApiExample("Upheld", value={"decision": "upheld", "note": "核实无误"}, request_only=True),
        ],
        description="409 when the task was already completed or is claimed by someone else.",
    )
    def post(self, request, public_id):
        task = _task(request, public_id)
        serializer = TaskCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        extra = {"correction": data["correction"]} if data["correction"] else {}
        task = task_complete(
            task=task, user=request.user, decision=data["decision"], note=data["note"], data=extra
        )
        return Response(TaskOutSerializer(task).data)


class TaskExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, help_text="Working days to add to the step's budget.")
    reason = serializers.CharField(help_text="Why; recorded in the case history.")


class TaskExtendApi(APIView):
    @extend_schema(
        request=TaskExtendSerializer,
        responses={200: TaskOutSerializer},
        description="Supervisors only; the total stays within the rule set's maximum for the step "
        "(objection verification: 20 working days).",
    )
    def post(self, request, public_id):
        task = _task(request, public_id)
        serializer = TaskExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = task_extend(task=task, user=request.user, **serializer.validated_data)
        return Response(TaskOutSerializer(task).data)


class TaskReassignSerializer(serializers.Serializer):
    department = DepartmentCodeField(required=False, allow_null=True, default=None)
    assignee = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    reason = serializers.CharField()


class TaskReassignApi(APIView):
    @extend_schema(
        request=TaskReassignSerializer,
        responses={200: TaskOutSerializer},
        description="A reviewer hands a task to a colleague; a department head within the department; the credit "
        "office's supervisors to another department (the remedy of 督办).",
    )
    def post(self, request, public_id):
        task = _task(request, public_id)
        serializer = TaskReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = task_reassign(task=task, actor=request.user, **serializer.validated_data)
        return Response(TaskOutSerializer(task).data)
