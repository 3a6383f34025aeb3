"""Bulk import through the API: staff upload a CSV or XLSX file and get the report back."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api import examples as ex
from casework.api.parsers import BoundedMultiPartParser as MultiPartParser
from casework.api.permissions import IsAdminOrReviewer

from .imports import records_import
from .selectors import batches_visible_to


class ImportInSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV or tab-separated text (UTF-8, UTF-16 with BOM, GB18030/GBK) or XLSX, at most 64 MiB and "
        "200,000 rows; the first row names the columns (our layout or the national 双公示 penalty layout)."
    )


class RowErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    reason = serializers.CharField()


class RejectedRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)


class ImportReportSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField()
    total_rows = serializers.IntegerField()
    imported_rows = serializers.IntegerField()
    unchanged_rows = serializers.IntegerField(help_text="Imported before: re-importing changes nothing.")
    rejected_rows = serializers.IntegerField()
    subjects_created = serializers.IntegerField()
    records_created = serializers.IntegerField()
    sanctions_created = serializers.IntegerField()
    rejected = RejectedRowSerializer(many=True)
    error = serializers.CharField(
        help_text="Empty when the import is done; else why it failed (nothing of its rows was written)."
    )


REPORT_EXAMPLE = OpenApiExample(
    "10,000 rows, 300 rejected",
    value={
        "id": "3f1e2d4c-5b6a-4789-8a9b-0c1d2e3f4a5b",
        "filename": "records-2026-11.csv",
        "sha256": "9b1c…",
        "created_at": "2026-11-20T09:00:00+08:00",
        "finished_at": "2026-11-20T09:00:09+08:00",
        "total_rows": 10000,
        "imported_rows": 9700,
        "unchanged_rows": 0,
        "rejected_rows": 300,
        "subjects_created": 9700,
        "records_created": 9700,
        "sanctions_created": 9700,
        "error": "",
        "rejected": [
            {
                "line": 35,
                "errors": [{"field": "subject_code", "reason": "The check character should be 4, not 3."}],
            },
            {
                "line": 68,
                "errors": [
                    {
                        "field": "decided_on",
                        "reason": "The date 9999-06-01 is outside 2000-01-01 to 2100-12-31.",
                    }
                ],
            },
        ],
    },
    response_only=True,
)


class ImportListApi(APIView):
    permission_classes = [IsAdminOrReviewer]
    parser_classes = [MultiPartParser]

    @extend_schema(
        responses=ImportReportSerializer(many=True),
        examples=[REPORT_EXAMPLE],
        summary="Imports (own ones; all for admins)",
        description="Reports of the imports you ran (administrators: all), newest first, at most 100.",
    )
    def get(self, request):
        batches = batches_visible_to(request.user).order_by("-id")[:100]
        return Response(ImportReportSerializer(batches, many=True).data)

    @extend_schema(
        request={"multipart/form-data": ImportInSerializer},
        responses={
            201: ImportReportSerializer,
            400: ex.bad_request(
                ("No file", {"file": ["没有提交任何文件。"]}),
                ("Unreadable line", {"file": ["第3行无法按 UTF-8、UTF-16 或 GB18030（GBK）文本读取。…"]}),
            ),
            403: ex.FORBIDDEN,
        },
        examples=[
            REPORT_EXAMPLE,
            OpenApiExample(
                "Monthly file",
                value={"file": "records-2026-11.csv"},
                request_only=True,
                media_type="multipart/form-data",
            ),
        ],
        summary="Import records and sanctions from CSV or XLSX",
        description=(
            "Columns: subject_code, subject_name, subject_kind, kind, severity, provider, decided_on, "
            "document_number, summary, listed_until, measure, implementer, or the national 双公示 "
            "administrative-penalty layout (see docs/integration.md). Every row "
            "is validated; valid rows go in together, rejected rows are reported with line, field and reason; "
            "rows imported before are counted as unchanged."
        ),
    )
    def post(self, request):
        serializer = ImportInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        batch = records_import(file=upload, filename=upload.name, actor=request.user)
        return Response(ImportReportSerializer(batch).data, status=status.HTTP_201_CREATED)


class ImportDetailApi(APIView):
    permission_classes = [IsAdminOrReviewer]

    @extend_schema(
        parameters=[ex.path_id("import")],
        responses={200: ImportReportSerializer, 404: ex.NOT_FOUND},
        examples=[REPORT_EXAMPLE],
        summary="One import's report",
    )
    def get(self, request, public_id):
        batch = get_object_or_404(batches_visible_to(request.user), public_id=public_id)
        return Response(ImportReportSerializer(batch).data)
