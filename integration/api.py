"""Integration API: push endpoints (administrators), the delivery log and replay (supervisors), execution
feedback (implementing departments, by token or by signature)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import policies, selectors
from casework.api import examples as ex
from casework.api.authentication import ExpiringTokenAuthentication
from casework.api.fields import DepartmentCodeField
from casework.api.pagination import keyset_response, page_parameters
from casework.api.permissions import IsAdminRole, IsSupervisorOrAdmin
from casework.dates import BoundedDateField
from casework.models import Sanction

from .authentication import DepartmentSystem, SignatureAuthentication
from .endpoints import endpoint_change, endpoint_create
from .feedback import feedback_report
from .models import DeliveryState, Endpoint, TheirState
from .push import delivery_replay
from .selectors import deliveries_visible_to


class EndpointSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    name = serializers.CharField(max_length=120)
    department = DepartmentCodeField(required=False, allow_null=True)
    national = serializers.BooleanField(default=False)
    url = serializers.URLField(max_length=500)
    secret = serializers.CharField(
        write_only=True, min_length=32, max_length=200, help_text="Shared HMAC secret; never returned."
    )
    active = serializers.BooleanField(default=True)

    def validate(self, data):
        national = data.get("national", getattr(self.instance, "national", False))
        department = data.get("department", getattr(self.instance, "department", None))
        if not national and department is None:
            raise serializers.ValidationError(
                {"department": [_("Give the department, or mark the endpoint as the national platform.")]}
            )
        return data


ENDPOINT_EXAMPLE = OpenApiExample(
    "Tax bureau system",
    value={
        "name": "鼓楼区税务局 联合惩戒系统",
        "department": "xy-tax",
        "national": False,
        "url": "https://tax.example.gov.cn/casework/push",
        "secret": "7f3c0a9e5b2d4c8e9a1f6b3d2c7e8a9f",
        "active": True,
    },
    request_only=True,
)


ENDPOINT_OUT = OpenApiExample(
    "Tax bureau system",
    value={
        "id": ex.ENDPOINT_ID,
        "name": "鼓楼区税务局 联合惩戒系统",
        "department": "xy-tax",
        "national": False,
        "url": "https://tax.example.gov.cn/casework/push",
        "active": True,
    },
    response_only=True,
)


class EndpointListApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(
        responses={200: EndpointSerializer(many=True), 403: ex.FORBIDDEN},
        examples=[ENDPOINT_OUT],
        summary="Push endpoints (administrators)",
        description="The receiving systems of departments and of the national platform; secrets are never "
        "returned.",
    )
    def get(self, request):
        endpoints = Endpoint.objects.select_related("department").order_by("id")
        return Response(EndpointSerializer(endpoints, many=True).data)

    @extend_schema(
        summary="Register a push endpoint (administrators)",
        description="`secret` (at least 32 characters) is shared with the receiving system for HMAC-SHA256 "
        "signatures; give `department`, or `national: true` for the national credit platform.",
        request=EndpointSerializer,
        responses={
            201: EndpointSerializer,
            400: ex.bad_request(
                ("No department", {"department": ["请填写部门, 或将该接收地址标记为全国信用信息共享平台。"]}),
                ("Short secret", {"secret": ["请确保这个字段至少包含 32 个字符。"]}),
                ("Bad URL", {"url": ["请输入合法的URL。"]}),
            ),
            403: ex.FORBIDDEN,
        },
        examples=[ENDPOINT_EXAMPLE, ENDPOINT_OUT],
    )
    def post(self, request):
        serializer = EndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = endpoint_create(actor=request.user, **serializer.validated_data)
        return Response(EndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(
        summary="Change a push endpoint (administrators)",
        description="Any subset of the fields, e.g. switch it off or rotate the secret.",
        parameters=[ex.path_id("endpoint")],
        request=EndpointSerializer(partial=True),
        responses={
            200: EndpointSerializer,
            400: ex.bad_request(("Short secret", {"secret": ["请确保这个字段至少包含 32 个字符。"]})),
            403: ex.FORBIDDEN,
            404: ex.NOT_FOUND,
        },
        examples=[
            OpenApiExample("Switch off", value={"active": False}, request_only=True),
            OpenApiExample(
                "Rotate the secret", value={"secret": "c4e9a1d7b3f0862e5a9d4c1b7e3f0a6d"}, request_only=True
            ),
            OpenApiExample(
                "Switched off",
                value={**ENDPOINT_OUT.value, "active": False},
                response_only=True,
            ),
        ],
    )
    def patch(self, request, public_id):
        endpoint = get_object_or_404(Endpoint, public_id=public_id)
        serializer = EndpointSerializer(endpoint, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = endpoint_change(endpoint=endpoint, actor=request.user, **serializer.validated_data)
        return Response(EndpointSerializer(endpoint).data)


class DeliverySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", help_text="The delivery id: the receiver's dedupe key.")
    event = serializers.CharField()
    department = serializers.CharField(help_text="Receiving department's code, or `national`.")
    endpoint = serializers.CharField(source="endpoint.name")
    case = serializers.CharField(source="case_number")
    sanction = serializers.UUIDField()
    state = serializers.ChoiceField(choices=DeliveryState.choices)
    attempts = serializers.IntegerField()
    last_status = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField()
    payload = serializers.JSONField()


class DeliveryFilterSerializer(serializers.Serializer):
    # An empty filter (`?department=`) means no filter, as the schema says (blank allowed).
    event = serializers.CharField(required=False, allow_blank=True)
    department = serializers.CharField(required=False, allow_blank=True)
    state = serializers.ChoiceField(choices=DeliveryState.choices, required=False, allow_blank=True)
    case = serializers.CharField(required=False, allow_blank=True)
    created_from = BoundedDateField(required=False)
    created_to = BoundedDateField(required=False)


DELIVERY_EXAMPLE = OpenApiExample(
    "A sanction suspended, delivered on the second attempt",
    value={
        "id": "0b6f1f5e-6a53-4a8e-9c1e-3a2f4b5c6d7e",
        "event": "sanction.suspended",
        "department": "xy-tax",
        "endpoint": "鼓楼区税务局 联合惩戒系统",
        "case": "YY-2026-000001",
        "sanction": "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
        "state": "delivered",
        "attempts": 2,
        "last_status": 200,
        "last_error": "",
        "created_at": "2026-11-23T09:30:00+08:00",
        "delivered_at": "2026-11-23T09:32:01+08:00",
        "next_attempt_at": "2026-11-23T09:32:00+08:00",
        "payload": {"delivery_id": "0b6f1f5e-…", "event": "sanction.suspended", "data": {"measure": "…"}},
    },
    response_only=True,
)


class DeliveryListApi(APIView):
    permission_classes = [IsSupervisorOrAdmin]

    @extend_schema(
        parameters=[DeliveryFilterSerializer, *page_parameters(500, 500)],
        responses={
            200: DeliverySerializer(many=True),
            400: ex.bad_request(
                ("Bad date", {"created_from": ["日期格式错误。请从这些格式中选择：YYYY-MM-DD。"]})
            ),
            403: ex.FORBIDDEN,
        },
        examples=[DELIVERY_EXAMPLE],
        summary="Delivery log: search by event, department, state, case, date",
        description="Supervisors see the deliveries of their jurisdiction, administrators all; newest first, "
        "500 a page (the next page's address is in the `Link` header, `cursor`).",
    )
    def get(self, request):
        filters = DeliveryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        deliveries = deliveries_visible_to(request.user).select_related("endpoint")
        for name, lookup in [
            ("event", "event"),
            ("department", "department"),
            ("state", "state"),
            ("case", "case_number"),
            ("created_from", "created_at__date__gte"),
            ("created_to", "created_at__date__lte"),
        ]:
            if f.get(name):
                deliveries = deliveries.filter(**{lookup: f[name]})
        return keyset_response(
            request,
            deliveries,
            ("-id",),
            lambda rows: DeliverySerializer(rows, many=True).data,
            default=500,
            maximum=500,
        )


class DeliveryReplayApi(APIView):
    permission_classes = [IsSupervisorOrAdmin]

    @extend_schema(
        parameters=[ex.path_id("delivery")],
        request=None,
        responses={
            200: DeliverySerializer,
            403: ex.FORBIDDEN,
            404: ex.NOT_FOUND,
            409: ex.conflict(("Being sent", "该推送正在发送中, 请稍后再试。", "delivery_sending")),
        },
        examples=[DELIVERY_EXAMPLE],
        summary="Send one delivery again, with the same delivery id",
        description="A new attempt now; the receiver deduplicates by the delivery id. 409 while it is being "
        "sent.",
    )
    def post(self, request, public_id):
        delivery = get_object_or_404(deliveries_visible_to(request.user), public_id=public_id)
        delivery = delivery_replay(delivery=delivery, actor=request.user)
        return Response(DeliverySerializer(delivery).data)


class FeedbackInSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=TheirState.choices)
    on = BoundedDateField()
    reference = serializers.CharField(max_length=120)
    reported_by = serializers.CharField(max_length=120)


class FeedbackOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    sanction = serializers.UUIDField(source="sanction.public_id")
    state = serializers.CharField()
    on = serializers.DateField()
    reference = serializers.CharField()
    reported_by = serializers.CharField()
    department = serializers.CharField(source="department.code")
    signed = serializers.BooleanField()
    our_state = serializers.CharField(source="sanction.state")
    mismatch = serializers.SerializerMethodField()

    def get_mismatch(self, feedback) -> bool:
        return feedback.sanction.execution.mismatch_since is not None


class FeedbackApi(APIView):
    authentication_classes = [SignatureAuthentication, ExpiringTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=FeedbackInSerializer,
        responses={
            201: FeedbackOutSerializer,
            400: ex.bad_request(
                ("Bad state", {"state": ["“cancelled” 不是合法选项。"]}),
                ("Bad date", {"on": ["日期格式错误。请从这些格式中选择：YYYY-MM-DD。"]}),
            ),
            401: ex.error(
                "No credentials, or a bad or stale signature.", "Bad signature", "签名与该部门的密钥不符。"
            ),
            403: ex.error(
                "Not the implementing department.",
                "Another department",
                "只有实施部门可以反馈该惩戒措施的执行情况。",
            ),
            404: ex.NOT_FOUND,
        },
        summary="Execution feedback (执行反馈) from the implementing department",
        description=(
            "Authenticated by the token of a user of the implementing department, or signed by the department's "
            "system: headers `X-Casework-Department`, `X-Casework-Timestamp`, `X-Casework-Nonce` and "
            "`X-Casework-Signature: sha256=<hex HMAC-SHA256 of '<METHOD>\\n<path>\\n<timestamp>\\n<nonce>\\n"
            "<body>' with the endpoint secret>`. A bad or stale signature, a timestamp more than 30 s ahead, "
            "or a nonce used before (a replay) is 401."
        ),
        parameters=[
            ex.path_id("sanction"),
            OpenApiParameter(
                "X-Casework-Department",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Signed requests: the department's code, e.g. `xy-tax`.",
            ),
            OpenApiParameter(
                "X-Casework-Timestamp",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Signed requests: Unix seconds; older than 5 minutes or more than 30 seconds "
                "ahead is refused.",
            ),
            OpenApiParameter(
                "X-Casework-Nonce",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Signed requests: a fresh random value (16–128 of A–Z a–z 0–9 - _); a nonce "
                "used before is refused as a replay.",
            ),
            OpenApiParameter(
                "X-Casework-Signature",
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="Signed requests: `sha256=<hex>`.",
            ),
        ],
        examples=[
            OpenApiExample(
                "Lifted on their side",
                value={
                    "state": "lifted",
                    "on": "2026-11-24",
                    "reference": "榕税惩〔2026〕88号",
                    "reported_by": "王五",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Recorded; matches our state",
                value={
                    "id": ex.FEEDBACK_ID,
                    "sanction": ex.SANCTION_ID,
                    "state": "lifted",
                    "on": "2026-11-24",
                    "reference": "榕税惩〔2026〕88号",
                    "reported_by": "王五",
                    "department": "xy-tax",
                    "signed": True,
                    "our_state": "lifted",
                    "mismatch": False,
                },
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def post(self, request, public_id):
        if isinstance(request.user, DepartmentSystem):
            department, user = request.user.department, None
            sanction = get_object_or_404(Sanction.objects.select_related("implementer"), public_id=public_id)
            policies.ensure_department_may_report_execution(department, sanction)
        else:
            user = request.user
            sanction = get_object_or_404(selectors.sanctions_visible_to(user), public_id=public_id)
            department = sanction.implementer
            policies.ensure_may_report_execution(user, sanction)
        serializer = FeedbackInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = feedback_report(
            sanction=sanction,
            department=department,
            user=user,
            signed=user is None,
            **serializer.validated_data,
        )
        return Response(FeedbackOutSerializer(feedback).data, status=status.HTTP_201_CREATED)
