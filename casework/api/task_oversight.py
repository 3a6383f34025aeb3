"""The verbs a supervisor (or an office's head) uses on someone else's task: extend its time limit within the
rule's maximum, and reassign it to a colleague or, where the rules allow, another department."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.models import User
from casework.services.assignment import task_reassign
from casework.services.tasks import task_extend

from . import examples as ex
from .fields import DepartmentCodeField
from .tasks import CLAIMED_TASK, TaskOutSerializer, visible_task


class TaskExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, help_text="Working days to add to the step's budget.")
    reason = serializers.CharField(help_text="Why; recorded in the case history.")


class TaskExtendApi(APIView):
    @extend_schema(
        summary="Extend a task's time limit (supervisors, administrators)",
        parameters=[ex.path_id("task")],
        request=TaskExtendSerializer,
        responses={
            200: TaskOutSerializer,
            400: ex.bad_request(
                ("Beyond the maximum", {"days": ["最多还可延长5个工作日（合计不超过20个工作日）。"]}),
                ("No reason", {"reason": ["请填写延长理由，该理由将记入案件历史记录。"]}),
            ),
            403: ex.error("Only supervisors extend.", "Not a supervisor", "只有监督人员可以延长办理时限。"),
            404: ex.NOT_FOUND,
            409: ex.conflict(("Already completed", "该任务已办结。", "already_completed")),
        },
        examples=[
            OpenApiExample(
                "Extend verification",
                value={"days": 15, "reason": "涉及跨部门调取原始处罚卷宗，需延长核实时限。"},
                request_only=True,
            ),
            OpenApiExample(
                "Extended",
                value={
                    **CLAIMED_TASK,
                    "step": "verify",
                    "department": "xy-market",
                    "assignee": "market-li",
                    "due_on": "2026-04-10",
                    "decisions": [
                        "upheld",
                        "corrected",
                        "supplemented",
                        "deleted",
                        "publication_stopped",
                        "removed_from_list",
                    ],
                },
                response_only=True,
            ),
        ],
        description="Supervisors (in their jurisdiction) and administrators; the total stays within the rule "
        "set's maximum for the step "
        "(objection verification: 20 working days).",
    )
    def post(self, request, public_id):
        task = visible_task(request, public_id)
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
        summary="Reassign a task to a colleague or another department",
        parameters=[ex.path_id("task")],
        request=TaskReassignSerializer,
        responses={
            200: TaskOutSerializer,
            400: ex.bad_request(
                ("Not a reviewer there", {"assignee": ["王芳不是xy-market-east的经办人。"]}),
                (
                    "Cannot take the step",
                    {
                        "department": [
                            "xy-tax不能承办该环节：须由同类（“市场监管局”）、同级（“区县级”）的部门承办。"
                        ]
                    },
                ),
                ("Unknown department", {"department": ["不存在代码为“xy-traffic”的部门。"]}),
                ("No reason", {"reason": ["请填写改派理由，该理由将记入案件历史记录。"]}),
            ),
            403: ex.error(
                "Your role may not reassign this task (that way).",
                "Not the credit office",
                "只有信用办可以将任务改派至其他部门。",
            ),
            404: ex.NOT_FOUND,
            409: ex.conflict(("Already completed", "该任务已办结。", "already_completed")),
        },
        examples=[
            OpenApiExample(
                "督办: to another market regulator",
                value={
                    "department": "xy-market-east",
                    "assignee": "market-zhao",
                    "reason": "该环节逾期五个工作日，信用办督办改派。",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Reassigned",
                value={
                    **CLAIMED_TASK,
                    "step": "verify",
                    "department": "xy-market-east",
                    "assignee": "market-zhao",
                },
                response_only=True,
            ),
        ],
        description="A reviewer hands a task to a colleague; a department head within the department; the credit "
        "office's supervisors and administrators also to another department (the remedy of 督办) — one in their "
        "jurisdiction (else 403) that can take the step: the same kind and level as the task's department; a "
        "bankruptcy department's own step stays with it (else 400 on `department`). The rule is "
        "`casework.policies.ensure_may_reassign`; the web form offers the same departments.",
    )
    def post(self, request, public_id):
        task = visible_task(request, public_id)
        serializer = TaskReassignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = task_reassign(task=task, actor=request.user, **serializer.validated_data)
        return Response(TaskOutSerializer(task).data)
