"""Verbs of the repair, list-exit and bankruptcy workflows that are not a department's task decision."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import policies, selectors
from casework.api.parsers import BoundedFormParser as FormParser  # bounded: NUL, depth, text size
from casework.api.parsers import BoundedJSONParser as JSONParser
from casework.api.parsers import BoundedMultiPartParser as MultiPartParser
from casework.models import Case, CaseKind, CaseState
from casework.services.bankruptcy import bankruptcy_report_completion
from casework.services.list_exit import list_exit_objection_file

from . import examples as ex
from .cases import CaseOutSerializer, optional_files


class PublicityObjectionSerializer(serializers.Serializer):
    # Blank passes here so the service reports the statement and the files together (one 400, every field).
    statement = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why the subject should not leave the list."
    )
    materials = optional_files("Evidence (PDF, JPG, PNG), multipart/form-data.")


class PublicityObjectionApi(APIView):
    """「公示」: anyone signed in may object to a list exit during its publicity period."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Object to a list exit during its publicity (公示)",
        parameters=[ex.CASE_NUMBER],
        request=PublicityObjectionSerializer,
        responses={
            201: CaseOutSerializer,
            400: ex.bad_request(("No statement", {"statement": ["请说明该主体不应移出名单的理由。"]})),
            404: ex.NOT_FOUND,
            409: ex.conflict(
                (
                    "Not in publicity",
                    "移出名单案件 YC-2026-000031 不在公示期内 (因异议暂停)。",
                    "not_in_publicity",
                )
            ),
        },
        examples=[
            OpenApiExample(
                "Unpaid wages",
                value={"statement": "该企业仍拖欠本人2025年10月至12月工资共计人民币18600元，尚未履行完毕。"},
                request_only=True,
            ),
            OpenApiExample(
                "Objection case opened",
                value={
                    **ex.CASE,
                    "number": "YY-2026-000124",
                    "state": "verifying",
                    "receiving_office": "xy-credit",
                    "tasks": [
                        {
                            **ex.TASK,
                            "case": "YY-2026-000124",
                            "step": "objection_verify",
                            "department": "xy-tax",
                            "due_on": "2026-04-08",
                            "decisions": ["founded", "unfounded"],
                        }
                    ],
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
        description=(
            "Any signed-in user (staff on behalf of a person, too) objects to a list exit under publicity. "
            "Opens an objection case that holds the exit until the provider decides it (`founded` refuses "
            "the exit, `unfounded` restarts publicity with the working days that were left). 409 when the "
            "exit is not in a running publicity period. The objector follows the objection (GET "
            "/cases/{number}/ of the objection); the listed subject never sees it, only that its exit is "
            "held and the result (docs/domain.md §9.5)."
        ),
    )
    def post(self, request, number):
        # A list exit under publicity is public (公示), so it is found by number whoever asks.
        exit_case = get_object_or_404(
            Case.objects.filter(kind=CaseKind.LIST_EXIT, state__in=[CaseState.PUBLICITY, CaseState.ON_HOLD]),
            number=number,
        )
        serializer = PublicityObjectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        objection = list_exit_objection_file(
            exit_case=exit_case, actor=request.user, **serializer.validated_data
        )
        return Response(CaseOutSerializer(objection).data, status=status.HTTP_201_CREATED)


class CompletionReportSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    materials = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text="The court's ruling or report on completion.",
    )


class CompletionReportApi(APIView):
    """破产重整 stage 2: the enterprise or its administrator reports that the plan was carried out."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Report the restructuring plan's completion (bankruptcy repair, stage 2)",
        parameters=[ex.CASE_NUMBER],
        request=CompletionReportSerializer,
        responses={
            200: CaseOutSerializer,
            400: ex.bad_request(("No files", {"materials": ["列表不能为空。"]})),
            403: ex.FORBIDDEN_NO_BODY,
            404: ex.NOT_FOUND,
            409: ex.conflict(
                (
                    "Not waiting for the report",
                    "案件 PC-2026-000007 当前不在等待执行完毕报告的阶段 (记录屏蔽办理中)。",
                    "not_awaiting_completion",
                )
            ),
        },
        examples=[
            OpenApiExample(
                "Plan carried out",
                value={
                    "note": "重整计划已于2026年9月30日执行完毕。",
                    "materials": ["（2026）闽01破12号之五民事裁定书.pdf"],
                },
                request_only=True,
                media_type="multipart/form-data",
            ),
            OpenApiExample(
                "Stage 2 started",
                value={
                    **ex.CASE,
                    "number": "PC-2026-000007",
                    "kind": "bankruptcy_repair",
                    "state": "repairing",
                    "tasks": [
                        {
                            **ex.TASK,
                            "case": "PC-2026-000007",
                            "step": "full_repair",
                            "department": "xy-tax",
                            "due_on": "2026-10-20",
                            "decisions": ["repair"],
                        }
                    ],
                },
                response_only=True,
            ),
        ],
        description=(
            "Bankruptcy repair waiting for the plan's completion: opens one `full_repair` task per department "
            "that shielded records in stage 1. 409 when the case is not waiting for the report."
        ),
    )
    def post(self, request, number):
        case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
        policies.ensure_may_act_for_subject(request.user, case)  # 403 before the upload is parsed
        serializer = CompletionReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = bankruptcy_report_completion(case=case, actor=request.user, **serializer.validated_data)
        return Response(CaseOutSerializer(case).data)
