"""Each user's in-app inbox, with its unread count."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

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


class InboxApi(APIView):
    @extend_schema(responses=InboxSerializer)
    def get(self, request):
        messages = InboxMessage.objects.filter(recipient=request.user).select_related("case")
        unread = messages.filter(read_at__isnull=True).count()
        return Response(
            InboxSerializer(
                {"unread": unread, "messages": messages.order_by("-created_at", "-id")[:100]}
            ).data
        )


class InboxReadApi(APIView):
    @extend_schema(request=None, responses=InboxMessageSerializer)
    def post(self, request, public_id):
        message = get_object_or_404(InboxMessage, recipient=request.user, public_id=public_id)
        return Response(InboxMessageSerializer(inbox_mark_read(message=message)).data)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many messages were marked read.")


class InboxReadAllApi(APIView):
    @extend_schema(request=None, responses={200: MarkedSerializer})
    def post(self, request):
        return Response({"marked": inbox_mark_all_read(user=request.user)})
