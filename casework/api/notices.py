"""A case's written notices (PDF) and its process diagram (SVG), for whoever can see the case."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.documents.diagram import case_diagram_svg
from casework.documents.letters import TITLES
from casework.models import Case, Notice, NoticeState

from . import examples as ex


def _visible_case(request, number: str) -> Case:
    return get_object_or_404(selectors.cases_visible_to(request.user), number=number)


class NoticeOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    title = serializers.SerializerMethodField()
    state = serializers.CharField(help_text="`pending` until the PDF is rendered (seconds after the event).")
    rendered_at = serializers.DateTimeField()
    size = serializers.IntegerField(help_text="bytes")
    pages = serializers.IntegerField()
    sha256 = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_title(self, notice) -> str:
        return TITLES.get(notice.kind, notice.kind)

    def get_url(self, notice) -> str | None:
        if notice.state != NoticeState.RENDERED:
            return None
        path = reverse("api:case-notice-pdf", args=[notice.case.number, notice.public_id])
        return self.context["request"].build_absolute_uri(path)


class CaseNoticeListApi(APIView):
    @extend_schema(
        summary="A case's written notices (PDF)",
        description="Acceptance, refusal, 补正, repair decision, objection result, list-exit and restructuring "
        "(one per department and stage) notices, oldest first; each is issued in the name of the department that "
        "decided. `url` is null while a notice is `pending` (seconds after its event).",
        parameters=[ex.CASE_NUMBER],
        responses={200: NoticeOutSerializer(many=True), 404: ex.NOT_FOUND},
        examples=[
            OpenApiExample(
                "Acceptance notice",
                value={
                    "id": ex.NOTICE_ID,
                    "kind": "acceptance",
                    "title": "受理通知书",
                    "state": "rendered",
                    "rendered_at": "2026-03-04T10:12:31+08:00",
                    "size": 246810,
                    "pages": 1,
                    "sha256": "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d",
                    "url": f"https://casework.example.gov.cn/api/v1/cases/YY-2026-000123/notices/{ex.NOTICE_ID}.pdf",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, number):
        case = _visible_case(request, number)
        notices = Notice.objects.filter(case=case).select_related("case").order_by("created_at", "id")
        return Response(NoticeOutSerializer(notices, many=True, context={"request": request}).data)


class CaseNoticePdfApi(APIView):
    @extend_schema(
        summary="Download a notice (PDF)",
        description="404 while the notice is still `pending`, and to whoever cannot see the case.",
        parameters=[ex.CASE_NUMBER, ex.path_id("notice")],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: ex.NOT_FOUND},
        examples=[
            OpenApiExample(
                "PDF",
                value="%PDF-1.7 … (受理通知书 YY-2026-000123, 1 page)",
                response_only=True,
                media_type="application/pdf",
            )
        ],
    )
    def get(self, request, number, public_id):
        case = _visible_case(request, number)
        notice = Notice.objects.filter(case=case, public_id=public_id, state=NoticeState.RENDERED).first()
        if notice is None:
            raise Http404
        return FileResponse(
            notice.file.open("rb"),
            content_type="application/pdf",
            filename=f"{case.number}-{notice.kind}.pdf",
        )


class CaseDiagramApi(APIView):
    @extend_schema(
        summary="The case's process diagram (SVG)",
        description='The workflow of the case\'s kind; the current step(s) carry `class="current"`.',
        parameters=[ex.CASE_NUMBER],
        responses={(200, "image/svg+xml"): OpenApiTypes.STR, 404: ex.NOT_FOUND},
        examples=[
            OpenApiExample(
                "Objection at acceptance",
                value='<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 120">'
                '<g class="step current" id="accept"><rect x="10" y="40" width="140" height="40"/>'
                "<text>受理</text></g>…</svg>",
                response_only=True,
                media_type="image/svg+xml",
            )
        ],
    )
    def get(self, request, number):
        case = _visible_case(request, number)
        return HttpResponse(case_diagram_svg(case), content_type="image/svg+xml; charset=utf-8")
