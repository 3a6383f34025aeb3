"""Verbs of the repair, list-exit and bankruptcy workflows that are not a department's task decision."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.models import Case, CaseKind, CaseState, Role
from casework.services.bankruptcy import bankruptcy_report_completion
from casework.services.list_exit import list_exit_objection_file

from .cases import CaseOutSerializer


class PublicityObjectionSerializer(serializers.Serializer):
    statement = serializers.CharField(help_text="Why the subject should not leave the list.")


class PublicityObjectionApi(APIView):
    """「公示」: anyone signed in may object to a list exit during its publicity period."""

    @extend_schema(
        request=PublicityObjectionSerializer,
        responses={201: CaseOutSerializer},
        description=(
            "Any signed-in user (staff on behalf of a person, too) objects to a list exit under publicity. "
            "Opens an objection case that holds the exit until the provider decides it (`founded` refuses "
            "the exit, `unfounded` lets it go on). 409 when the exit is not in its publicity period."
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
        request=CompletionReportSerializer,
        responses=CaseOutSerializer,
        description=(
            "Bankruptcy repair waiting for the plan's completion: opens one `full_repair` task per department "
            "that shielded records in stage 1. 409 when the case is not waiting for the report."
        ),
    )
    def post(self, request, number):
        case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
        if request.user.role not in (Role.SUBJECT, Role.ADMIN):
            return Response(status=status.HTTP_403_FORBIDDEN)
        serializer = CompletionReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = bankruptcy_report_completion(case=case, actor=request.user, **serializer.validated_data)
        return Response(CaseOutSerializer(case).data)
