"""A case's written notices (PDF) and its process diagram (SVG), for whoever can see the case."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.documents.diagram import case_diagram_svg
from casework.documents.letters import TITLES
from casework.models import Case, Notice, NoticeState


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
    @extend_schema(responses=NoticeOutSerializer(many=True))
    def get(self, request, number):
        case = _visible_case(request, number)
        notices = Notice.objects.filter(case=case).select_related("case").order_by("created_at", "id")
        return Response(NoticeOutSerializer(notices, many=True, context={"request": request}).data)


class CaseNoticePdfApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
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
    @extend_schema(responses={(200, "image/svg+xml"): OpenApiTypes.STR})
    def get(self, request, number):
        case = _visible_case(request, number)
        return HttpResponse(case_diagram_svg(case), content_type="image/svg+xml; charset=utf-8")
