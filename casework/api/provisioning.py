"""Departments and users: set up by an administrator."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.models import Department, DepartmentKind, DepartmentLevel, Role, Subject
from casework.services.registry import department_create, user_create

from . import examples as ex
from .fields import DepartmentCodeField
from .permissions import IsAdminRole


class DepartmentSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=DepartmentKind.choices)
    level = serializers.ChoiceField(choices=DepartmentLevel.choices)
    division = serializers.RegexField(
        r"^\d{6}$", error_messages={"invalid": Department._meta.get_field("division").validators[0].message}
    )
    parent = DepartmentCodeField(required=False, allow_null=True)
    credit_code = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="The department's own unified social credit code (GB 32100, validated): national exchange files "
        "(the 双公示 penalty layout) name the deciding authority by it.",
    )


class DepartmentListApi(APIView):
    def get_permissions(self):
        return [IsAdminRole()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(
        summary="Departments",
        description="Every department, by code; any signed-in user may read them.",
        responses=DepartmentSerializer(many=True),
        examples=[
            OpenApiExample(
                "District credit office",
                value={
                    "code": "xy-credit",
                    "name": "鼓楼区信用办",
                    "kind": "credit_office",
                    "level": "district",
                    "division": "350102",
                    "parent": "fz-credit",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request):
        departments = Department.objects.select_related("parent").order_by("code")
        return Response(DepartmentSerializer(departments, many=True).data)

    @extend_schema(
        summary="Create a department (administrators)",
        request=DepartmentSerializer,
        responses={
            201: DepartmentSerializer,
            400: ex.bad_request(
                ("Bad division", {"division": ["行政区划代码应为6位数字。"]}),
                ("Unknown parent", {"parent": ["不存在代码为“fz-credt”的部门。"]}),
            ),
            403: ex.FORBIDDEN,
        },
        examples=[
            OpenApiExample(
                "District credit office",
                value={
                    "code": "xy-credit",
                    "name": "鼓楼区信用办",
                    "kind": "credit_office",
                    "level": "district",
                    "division": "350102",
                    "parent": "fz-credit",
                },
            )
        ],
    )
    def post(self, request):
        serializer = DepartmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        department = department_create(**serializer.validated_data)
        return Response(DepartmentSerializer(department).data, status=status.HTTP_201_CREATED)


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    role = serializers.ChoiceField(choices=Role.choices)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    full_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    language = serializers.ChoiceField(
        choices=["zh-hans", "en"],
        required=False,
        default="zh-hans",
        help_text="Language of the user's messages.",
    )
    phone = serializers.RegexField(
        r"^\+?\d{6,20}$",
        required=False,
        allow_blank=True,
        default="",
        help_text="Mobile number for urgent SMS.",
    )
    departments = DepartmentCodeField(many=True, required=False, default=list)
    subjects = serializers.SlugRelatedField(
        slug_field="code", queryset=Subject.objects.all(), many=True, required=False, default=list
    )


class UserOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField()
    departments = serializers.SerializerMethodField()
    token = serializers.CharField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_departments(self, user):
        return list(user.departments.order_by("code").values_list("code", flat=True))


class UserCreateApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(
        summary="Create a user (administrators); answers with the API token",
        request=UserCreateSerializer,
        responses={
            201: UserOutSerializer,
            400: ex.bad_request(
                ("Unknown department", {"departments": ["不存在代码为“xy-credt”的部门。"]}),
                ("Bad role", {"role": ["“auditor” 不是合法选项。"]}),
            ),
            403: ex.FORBIDDEN,
        },
        examples=[
            OpenApiExample(
                "A reviewer of the credit office",
                value={
                    "username": "credit-chen",
                    "password": "Fz#2026-credit",
                    "role": "reviewer",
                    "email": "chenjing@gl.fz.gov.cn",
                    "full_name": "陈静",
                    "language": "zh-hans",
                    "phone": "13905910123",
                    "departments": ["xy-credit"],
                    "subjects": [],
                },
                request_only=True,
            ),
            OpenApiExample(
                "A subject's user",
                value={
                    "username": "gl-trading",
                    "password": "Fz#2026-subject",
                    "role": "subject",
                    "full_name": "福州鼓楼示范贸易有限公司",
                    "subjects": [ex.CREDIT_CODE],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Created",
                value={
                    "id": 42,
                    "username": "credit-chen",
                    "role": "reviewer",
                    "departments": ["xy-credit"],
                    "token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b",
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, token = user_create(**serializer.validated_data)
        user.token = token
        return Response(UserOutSerializer(user).data, status=status.HTTP_201_CREATED)
