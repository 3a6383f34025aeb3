"""Task queues and the verbs on a task: claim, unclaim, complete (409 when someone else acted first); extend and
reassign are in task_oversight.py."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.models import FINISHED_TASK_STATES
from casework.services.tasks import task_claim, task_complete, task_unclaim

from . import examples as ex
from .fields import represent_fast
from .pagination import keyset_response, page_parameters


class TaskOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = serializers.CharField(source="case.number")
    step = serializers.CharField()
    department = serializers.CharField(source="department.code")
    state = serializers.CharField()
    assignee = serializers.CharField(source="assignee.username", default=None, allow_null=True)
    due_on = serializers.DateField(source="deadline.due_on")
    due_provisional = serializers.BooleanField(
        source="deadline.provisional",
        help_text="True when the due date reaches a year with no working-day calendar yet: an estimate.",
    )
    due_note = serializers.SerializerMethodField()
    paused = serializers.BooleanField(source="deadline.is_suspended")
    decision = serializers.CharField()
    decisions = serializers.SerializerMethodField()

    def to_representation(self, task):
        """The fields above, built directly: a case-list page serialises ~135 tasks, and DRF's generic
        field-by-field path cost more than the queries (issue 13). Subclasses take the generic path; a test
        holds both paths equal (tests/test_lists.py)."""
        if type(self) is not TaskOutSerializer:
            return super().to_representation(task)
        deadline = task.deadline
        row = {
            "public_id": task.public_id,
            "step": task.step,
            "department__code": task.department.code,
            "state": task.state,
            "assignee__username": task.assignee.username if task.assignee is not None else None,
            "deadline__due_on": deadline.due_on,
            "deadline__provisional": deadline.provisional,
            "deadline__suspended_since": deadline.suspended_since,
            "decision": task.decision,
            "flow_task_id": task.flow_task_id,
            # read only where the decisions are listed (an unfinished task): no query for a finished one
            "flow_task__flow_task": None
            if task.is_finished or task.flow_task is None
            else task.flow_task.flow_task,
        }
        return represent_fast(self, task, self.row_fields(row, case_number=task.case.number))

    def row_fields(self, row: dict, *, case_number: str) -> dict:
        """The representation's fields from a plain row of `TASK_ROW_FIELDS` (`selectors.task_rows_for`:
        a case-list page reads its tasks as rows, without building four model instances per task) and the
        task's case number. The same dict `to_representation` gives for the task's model instance."""
        due_on, provisional = row["deadline__due_on"], bool(row["deadline__provisional"])
        finished = row["state"] in FINISHED_TASK_STATES
        node = row["flow_task__flow_task"]
        return {
            "id": str(row["public_id"]),
            "case": str(case_number),
            "step": str(row["step"]),
            "department": str(row["department__code"]),
            "state": str(row["state"]),
            "assignee": str(row["assignee__username"]) if row["assignee__username"] is not None else None,
            "due_on": due_on.isoformat() if due_on else None,
            "due_provisional": provisional,
            "due_note": self._due_note(provisional, due_on),
            "paused": row["deadline__suspended_since"] is not None,
            "decision": str(row["decision"]),
            "decisions": [] if finished or row["flow_task_id"] is None else list(node.decisions),
        }

    @staticmethod
    def _due_note(provisional: bool, due_on) -> str | None:
        if provisional:
            return str(
                _("Provisional: the working-day calendar for %(year)s has not been published yet.")
                % {"year": due_on.year}
            )
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_due_note(self, task):
        return self._due_note(task.deadline.provisional, task.deadline.due_on)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_decisions(self, task):
        if task.is_finished or task.flow_task is None:
            return []
        return list(task.flow_task.flow_task.decisions)


class TaskQueueApi(APIView):
    @extend_schema(
        summary="Your task queue",
        description="A reviewer's own departments' open and claimed tasks, soonest due first, 200 a page "
        "(the next page's address is in the `Link` header, `cursor`); `decisions` lists what the step can "
        "decide.",
        parameters=page_parameters(200, 200),
        responses=TaskOutSerializer(many=True),
        examples=[OpenApiExample("Acceptance task", value=ex.TASK, response_only=True)],
    )
    def get(self, request):
        return keyset_response(
            request,
            selectors.task_queue_for(request.user).select_related("flow_task"),
            selectors.QUEUE_ORDER,
            lambda rows: TaskOutSerializer(rows, many=True).data,
            default=200,
            maximum=200,
        )


def visible_task(request, public_id):
    """The task `public_id` if the caller may see it (`selectors.task_get_for`), else 404."""
    task = selectors.task_get_for(request.user, public_id)
    if task is None:
        raise Http404
    return task


class TaskDetailApi(APIView):
    @extend_schema(
        summary="One task",
        parameters=[ex.path_id("task")],
        responses={200: TaskOutSerializer, 404: ex.NOT_FOUND},
        examples=[OpenApiExample("Acceptance task", value=ex.TASK, response_only=True)],
    )
    def get(self, request, public_id):
        return Response(TaskOutSerializer(visible_task(request, public_id)).data)


CLAIMED_TASK = {**ex.TASK, "state": "claimed", "assignee": "credit-chen"}
WORK_ERRORS = {
    403: ex.error(
        "Only a reviewer of the task's department works on it.",
        "Not a reviewer",
        "只有本部门的经办人可以办理该任务。",
    ),
    404: ex.NOT_FOUND,
}


class TaskClaimApi(APIView):
    @extend_schema(
        summary="Claim a task (认领)",
        description="The task becomes yours; claiming your own task again changes nothing. 409 when a "
        "colleague claimed it first, it is finished, or it waits for the subject's materials.",
        parameters=[ex.path_id("task")],
        request=None,
        responses={
            200: TaskOutSerializer,
            **WORK_ERRORS,
            409: ex.conflict(ex.CLAIMED_BY_OTHER, ex.ALREADY_COMPLETED, ex.WAITING),
        },
        examples=[OpenApiExample("Claimed", value=CLAIMED_TASK, response_only=True)],
    )
    def post(self, request, public_id):
        task = task_claim(task=visible_task(request, public_id), user=request.user)
        return Response(TaskOutSerializer(task).data)


class TaskUnclaimApi(APIView):
    @extend_schema(
        summary="Give a claimed task back to the department's queue",
        parameters=[ex.path_id("task")],
        request=None,
        responses={
            200: TaskOutSerializer,
            **WORK_ERRORS,
            409: ex.conflict(
                ("Not yours", "您尚未认领该任务。", "not_claimed"), ex.CLAIMED_BY_OTHER, ex.ALREADY_COMPLETED
            ),
        },
        examples=[OpenApiExample("Back in the queue", value=ex.TASK, response_only=True)],
    )
    def post(self, request, public_id):
        task = task_unclaim(task=visible_task(request, public_id), user=request.user)
        return Response(TaskOutSerializer(task).data)


class TaskCompleteSerializer(serializers.Serializer):
    decision = serializers.CharField(
        help_text=(
            "One of the task's `decisions`. Acceptance (`accept`; objection, repair and list exit, at the "
            "receiving credit office): `accept` (note optional) | `refuse` (note = the reason) | "
            "`request_materials` (补正: note = the complete list of missing materials; asked once, the task then "
            "waits for the subject). Objection: `self_check` (the credit office): `forward` (to the provider) | "
            "`publication_stopped` | `deleted` | `corrected` (the platform's own errors, settled without "
            "forwarding); `verify` (provider) and `court_review` (an objection to the court list, 15 calendar "
            "days from filing): `upheld` | `corrected` (also needs `correction`, the corrected record text) | "
            "`supplemented` (also needs `supplement`, what is added) | `deleted` | `publication_stopped` | "
            "`removed_from_list` (list entries only). Repair: accepting forwards the application to "
            "the provider, which decides every repair, minor records included (谁认定谁修复); `verify` (provider), then `report_district`, `report_city`, "
            "`report_province` (credit offices, 逐级上报, up to the level the rule set names): `approve` | "
            "`reject`. List exit: `verify` (provider): `approve` (starts the publicity period, 公示) | `reject`; "
            "`decide` (provider, after publicity): `remove` | `reject`; court-list entries skip acceptance: "
            "`court_delete` (provider): `delete` | `refuse`; `objection_verify` (an objection against an exit "
            "under publicity): `founded` (refuses the exit) | `unfounded` (the exit goes on). Bankruptcy repair: "
            "`shield` (one task per provider department): `shield` (note optional) | `refuse`; `full_repair` "
            "(stage 2): `repair` (note optional). A note is required for every decision except `accept`, "
            "`shield` and `repair`; the subject reads it."
        )
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The reason (or, for `request_materials`, the list of missing materials); see `decision`.",
    )
    correction = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Objection outcome `corrected`: the corrected text of the record.",
    )
    supplement = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Objection outcome `supplemented`: what is added to the record (it omitted something).",
    )
    sanctions = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text=(
            "Objection outcomes `corrected` / `supplemented`: the ids of the sanctions that rested on the wrong "
            "part (they are revoked, the others apply again); every sanction in force when left out."
        ),
    )


class TaskCompleteApi(APIView):
    @extend_schema(
        summary="Decide a task's step",
        description="The decision must be one of the task's `decisions` (see the `decision` field for every "
        "step of the four case kinds). `request_materials` leaves the task waiting for the subject; every "
        "other decision finishes it and moves the case on. 409 when the task was already completed, is "
        "claimed by someone else or waits for the subject's materials.",
        parameters=[ex.path_id("task")],
        request=TaskCompleteSerializer,
        responses={
            200: TaskOutSerializer,
            400: ex.bad_request(
                ("Note missing", {"note": ["请填写作出该决定的理由，该理由将告知信用主体。"]}),
                (
                    "Not a decision of this step",
                    {
                        "decision": [
                            "“approve”不是本环节可作出的决定，请从以下选项中选择：accept, refuse, request_materials。"
                        ]
                    },
                ),
                ("Correction missing", {"correction": ["作出该决定须填写“correction”。"]}),
                (
                    "补正 asked twice",
                    {
                        "decision": [
                            "需补正的材料已一次性告知，不得再次要求补正；请作出受理或不予受理的决定。"
                        ]
                    },
                ),
            ),
            **WORK_ERRORS,
            409: ex.conflict(ex.ALREADY_COMPLETED, ex.CLAIMED_BY_OTHER, ex.WAITING),
        },
        examples=[
            OpenApiExample(
                "Accept", value={"decision": "accept", "note": "材料齐全，予以受理。"}, request_only=True
            ),
            OpenApiExample(
                "Refuse to accept",
                value={"decision": "refuse", "note": "申请人并非该失信信息的信用主体，不予受理。"},
                request_only=True,
            ),
            OpenApiExample(
                "Request missing materials (补正)",
                value={
                    "decision": "request_materials",
                    "note": "请补充：1. 2025年度完税证明；2. 法定代表人身份证明。",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Objection: upheld",
                value={"decision": "upheld", "note": "经核查，该行政处罚信息与原始决定书一致，予以维持。"},
                request_only=True,
            ),
            OpenApiExample(
                "Objection: corrected",
                value={
                    "decision": "corrected",
                    "note": "原记录罚款金额录入有误，予以更正。",
                    "correction": "因未按规定办理纳税申报，处罚款人民币2000元。",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Repair: approve",
                value={"decision": "approve", "note": "已履行行政处罚义务，已完成信用修复培训，同意修复。"},
                request_only=True,
            ),
            OpenApiExample(
                "List exit: remove after publicity",
                value={"decision": "remove", "note": "公示期满无异议，决定移出严重失信主体名单。"},
                request_only=True,
            ),
            OpenApiExample(
                "Court list: delete",
                value={"decision": "delete", "note": "已与申请执行人达成和解并履行完毕，删除失信信息。"},
                request_only=True,
            ),
            OpenApiExample(
                "Exit objection: unfounded",
                value={"decision": "unfounded", "note": "异议人所述欠款已于2026年1月清偿，异议不成立。"},
                request_only=True,
            ),
            OpenApiExample(
                "Bankruptcy: shield",
                value={"decision": "shield", "note": "重整计划已获法院批准，屏蔽本部门失信信息。"},
                request_only=True,
            ),
            OpenApiExample(
                "Accepted",
                value={
                    **CLAIMED_TASK,
                    "state": "done",
                    "decision": "accept",
                    "decisions": [],
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request, public_id):
        task = visible_task(request, public_id)
        serializer = TaskCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        extra = {key: data[key] for key in ("correction", "supplement") if data[key]}
        if "sanctions" in data:
            extra["sanctions"] = [str(s) for s in data["sanctions"]]
        task = task_complete(
            task=task, user=request.user, decision=data["decision"], note=data["note"], data=extra
        )
        return Response(TaskOutSerializer(task).data)
