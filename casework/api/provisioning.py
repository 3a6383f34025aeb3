"""Departments and users: set up by an administrator."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.models import Department, DepartmentKind, DepartmentLevel, Role, Subject
from casework.services.registry import department_create, user_create

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


class DepartmentListApi(APIView):
    def get_permissions(self):
        return [IsAdminRole()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(responses=DepartmentSerializer(many=True))
    def get(self, request):
        departments = Department.objects.select_related("parent").order_by("code")
        return Response(DepartmentSerializer(departments, many=True).data)

    @extend_schema(request=DepartmentSerializer, responses={201: DepartmentSerializer})
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

    @extend_schema(request=UserCreateSerializer, responses={201: UserOutSerializer})
    def post(self, request):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, token = user_create(**serializer.validated_data)
        user.token = token
        return Response(UserOutSerializer(user).data, status=status.HTTP_201_CREATED)
