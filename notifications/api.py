"""Each user's in-app inbox, with its unread count."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api import examples as ex

from .models import InboxMessage
from .services import inbox_mark_all_read, inbox_mark_read


class InboxMessageSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = serializers.CharField(source="case.number", default=None)
    title = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField()


class InboxSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
    messages = InboxMessageSerializer(many=True)


MESSAGE = {
    "id": ex.MESSAGE_ID,
    "case": "YY-2026-000123",
    "title": "您的异议申请已受理",
    "body": "您于2026年3月2日提交的异议申请（YY-2026-000123）已受理，将于2026年3月16日前办结。",
    "created_at": "2026-03-04T10:12:31+08:00",
    "read_at": None,
}


class InboxApi(APIView):
    @extend_schema(
        summary="Your inbox",
        description="The unread count and the newest 100 messages, in your language (zh-hans by default).",
        responses=InboxSerializer,
        examples=[
            OpenApiExample("Three unread", value={"unread": 3, "messages": [MESSAGE]}, response_only=True)
        ],
    )
    def get(self, request):
        messages = InboxMessage.objects.filter(recipient=request.user).select_related("case")
        unread = messages.filter(read_at__isnull=True).count()
        return Response(
            InboxSerializer(
                {"unread": unread, "messages": messages.order_by("-created_at", "-id")[:100]}
            ).data
        )


class InboxReadApi(APIView):
    @extend_schema(
        summary="Mark one message read",
        parameters=[ex.path_id("message")],
        request=None,
        responses={200: InboxMessageSerializer, 404: ex.NOT_FOUND},
        examples=[
            OpenApiExample(
                "Read", value={**MESSAGE, "read_at": "2026-03-04T11:02:00+08:00"}, response_only=True
            )
        ],
    )
    def post(self, request, public_id):
        message = get_object_or_404(InboxMessage, recipient=request.user, public_id=public_id)
        return Response(InboxMessageSerializer(inbox_mark_read(message=message)).data)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many messages were marked read.")


class InboxReadAllApi(APIView):
    @extend_schema(
        summary="Mark all your messages read",
        request=None,
        responses={200: MarkedSerializer},
        examples=[OpenApiExample("Three marked", value={"marked": 3}, response_only=True)],
    )
    def post(self, request):
        return Response({"marked": inbox_mark_all_read(user=request.user)})
