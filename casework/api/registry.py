"""Subjects, credit records and sanctions: the registry the cases are about."""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import policies, selectors
from casework.dates import BoundedDateField
from casework.exceptions import NotVisible
from casework.models import CreditRecord, RecordKind, Severity, Subject, SubjectKind
from casework.record_rules import MEASURE_MAX_LENGTH, SUMMARY_MAX_LENGTH, record_errors
from casework.services.records import record_create
from casework.services.registry import subject_create
from casework.services.sanctions import sanction_create

from . import examples as ex
from .fields import DepartmentCodeField, HistoryEventSerializer, PublicIdField
from .in_force import SUSPENDED_AT_0030, SanctionDaySerializer, day_param, parse_day
from .pagination import keyset_response, page_parameters
from .permissions import IsAdminOrReviewer


class SubjectInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubjectKind.choices)
    code = serializers.CharField(max_length=40, trim_whitespace=True)
    name = serializers.CharField(max_length=200)


class SubjectOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = serializers.CharField()
    code = serializers.CharField(source="display_code", help_text="A person's resident ID is masked.")
    name = serializers.CharField()
    division = serializers.CharField()
    operating_status = serializers.CharField(
        help_text="operating | deregistered | revoked (docs/domain.md §9.14)."
    )


RECORD = {
    "id": ex.RECORD_ID,
    "subject": ex.SUBJECT_ID,
    "kind": "admin_penalty",
    "severity": "general",
    "provider": "xy-market",
    "decided_on": "2025-12-02",
    "summary": "未按规定公示年度报告，处罚款人民币5000元（榕鼓市监罚〔2025〕318号）。",
    "listed_until": None,
    "publication_ends_on": "2026-12-02",
    "publicity": "published",
    "sanctions": [
        {"id": ex.SANCTION_ID, "measure": "限制享受税收优惠政策", "implementer": "xy-tax", "state": "active"}
    ],
}


class SubjectListApi(APIView):
    permission_classes = [IsAdminOrReviewer]

    @extend_schema(
        summary="Subjects visible to you",
        description="Enterprises and persons, by name, 500 a page (the next page's address is in the `Link` "
        "header, `cursor`). A person's resident ID is masked. Scoped "
        "to what the role needs: a subject's user the subjects they represent; a reviewer those their "
        "departments provided records for, implement sanctions for or hold tasks on, and those whose requests "
        "their credit office received; a supervisor every subject in their jurisdiction; an administrator all.",
        parameters=page_parameters(500, 500),
        responses=SubjectOutSerializer(many=True),
        examples=[
            OpenApiExample(
                "Enterprise",
                value={
                    "id": ex.SUBJECT_ID,
                    "kind": "enterprise",
                    "code": ex.CREDIT_CODE,
                    "name": "福州鼓楼示范贸易有限公司",
                    "division": "350100",
                    "operating_status": "operating",
                },
                response_only=True,
            ),
            OpenApiExample(
                "Person (ID masked)",
                value={
                    "id": ex.PERSON_ID,
                    "kind": "person",
                    "code": ex.MASKED_RESIDENT_ID,
                    "name": "林晓明",
                    "division": "350102",
                    "operating_status": "operating",
                },
                response_only=True,
            ),
        ],
    )
    def get(self, request):
        return keyset_response(
            request,
            selectors.subjects_visible_to(request.user),
            ("name", "id"),
            lambda rows: SubjectOutSerializer(rows, many=True).data,
            default=500,
            maximum=500,
        )

    @extend_schema(
        summary="Register a subject (staff)",
        description="The unified social credit code (GB 32100) or resident ID (GB 11643) is validated, check "
        "character included; the subject's division is read from it.",
        request=SubjectInSerializer,
        responses={
            201: SubjectOutSerializer,
            400: ex.bad_request(
                ("Wrong check character", {"code": ["校验码应为3，而非4。"]}),
                ("Already registered", {"code": ["该证件号码的信用主体已登记。"]}),
            ),
            403: ex.FORBIDDEN,
        },
        examples=[
            OpenApiExample(
                "Enterprise",
                value={"kind": "enterprise", "code": ex.CREDIT_CODE, "name": "福州鼓楼示范贸易有限公司"},
                request_only=True,
            ),
            OpenApiExample(
                "Registered",
                value={
                    "id": ex.SUBJECT_ID,
                    "kind": "enterprise",
                    "code": ex.CREDIT_CODE,
                    "name": "福州鼓楼示范贸易有限公司",
                    "division": "350100",
                    "operating_status": "operating",
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        serializer = SubjectInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subject = subject_create(**serializer.validated_data)
        return Response(SubjectOutSerializer(subject).data, status=status.HTTP_201_CREATED)


class SanctionBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    measure = serializers.CharField()
    implementer = serializers.CharField(source="implementer.code")
    state = serializers.CharField()


class RecordInSerializer(serializers.Serializer):
    subject = PublicIdField(queryset=Subject.objects.all())
    kind = serializers.ChoiceField(choices=RecordKind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices)
    provider = DepartmentCodeField()
    decided_on = BoundedDateField(help_text="Not in the future; 2000-01-01 at the earliest.")
    summary = serializers.CharField(max_length=SUMMARY_MAX_LENGTH)
    listed_until = BoundedDateField(
        required=False,
        help_text="List entries: the last day on the list, not before decided_on, 2100-12-31 at the latest; by "
        "default the rule period (3 years, court list 2).",
    )

    def validate(self, attrs):
        # The same rules as the web forms and the import (casework.record_rules): one set per field.
        errors = record_errors(
            decided_on=attrs.get("decided_on"),
            summary=attrs.get("summary"),
            listed_until=attrs.get("listed_until"),
        )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def validate_provider(self, provider):
        if not policies.may_enter_record_for(self.context["request"].user, provider):
            raise serializers.ValidationError(_("You can enter records only for your own department."))
        return provider


class RecordOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    subject = serializers.UUIDField(source="subject.public_id")
    kind = serializers.CharField()
    severity = serializers.CharField()
    provider = serializers.CharField(source="provider.code")
    decided_on = serializers.DateField()
    summary = serializers.CharField()
    listed_until = serializers.DateField(allow_null=True)
    publication_ends_on = serializers.DateField(
        allow_null=True,
        help_text="Penalties: the day publication ends by itself (docs/domain.md §9.7); null for list entries.",
    )
    publicity = serializers.CharField()
    sanctions = SanctionBriefSerializer(many=True)


class RecordListApi(APIView):
    permission_classes = [IsAdminOrReviewer]

    @extend_schema(
        summary="Credit records visible to you",
        description="Records with their sanctions, the latest decided first, 500 a page (the next page's "
        "address is in the `Link` header, `cursor`).",
        parameters=page_parameters(500, 500),
        responses=RecordOutSerializer(many=True),
        examples=[OpenApiExample("Administrative penalty", value=RECORD, response_only=True)],
    )
    def get(self, request):
        return keyset_response(
            request,
            selectors.records_visible_to(request.user).prefetch_related("sanctions__implementer"),
            ("-decided_on", "id"),
            lambda rows: RecordOutSerializer(rows, many=True).data,
            default=500,
            maximum=500,
        )

    @extend_schema(
        summary="Enter a credit record (administrators, or a reviewer of the provider)",
        request=RecordInSerializer,
        responses={
            201: RecordOutSerializer,
            400: ex.bad_request(
                ("Not your department", {"provider": ["您只能录入本部门认定的失信信息。"]}),
                ("Bad date", {"decided_on": ["日期格式错误。请从这些格式中选择：YYYY-MM-DD。"]}),
            ),
            403: ex.FORBIDDEN,
        },
        examples=[
            OpenApiExample(
                "Administrative penalty",
                value={
                    "subject": ex.SUBJECT_ID,
                    "kind": "admin_penalty",
                    "severity": "general",
                    "provider": "xy-market",
                    "decided_on": "2025-12-02",
                    "summary": "未按规定公示年度报告，处罚款人民币5000元（榕鼓市监罚〔2025〕318号）。",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Serious-list entry",
                value={
                    "subject": ex.SUBJECT_ID,
                    "kind": "serious_list",
                    "severity": "serious",
                    "provider": "xy-tax",
                    "decided_on": "2026-01-15",
                    "summary": "虚开增值税专用发票，列入重大税收违法失信主体名单。",
                    "listed_until": "2029-01-14",
                },
                request_only=True,
            ),
            OpenApiExample("Entered", value={**RECORD, "sanctions": []}, response_only=True),
        ],
    )
    def post(self, request):
        serializer = RecordInSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        record = record_create(actor=request.user, **serializer.validated_data)
        return Response(RecordOutSerializer(record).data, status=status.HTTP_201_CREATED)


class RecordDetailApi(APIView):
    @extend_schema(
        summary="One credit record",
        parameters=[ex.path_id("record")],
        responses={200: RecordOutSerializer, 404: ex.NOT_FOUND},
        examples=[OpenApiExample("Administrative penalty", value=RECORD, response_only=True)],
    )
    def get(self, request, public_id):
        record = get_object_or_404(selectors.records_visible_to(request.user), public_id=public_id)
        return Response(RecordOutSerializer(record).data)


class SanctionInSerializer(serializers.Serializer):
    record = PublicIdField(queryset=CreditRecord.objects.all())
    measure = serializers.CharField(max_length=MEASURE_MAX_LENGTH)
    implementer = DepartmentCodeField()
    effective_from = serializers.DateField(
        required=False,
        help_text="The day the measure binds from (Beijing date); default the record's decision date.",
    )


class SanctionOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    record = serializers.UUIDField(source="record.public_id")
    measure = serializers.CharField()
    implementer = serializers.CharField(source="implementer.code")
    state = serializers.CharField()
    effective_from = serializers.SerializerMethodField()
    # Execution feedback (issue 6): our state beside what the implementing department last reported.
    our_state = serializers.CharField(source="state")
    their_state = serializers.CharField(source="execution.their_state", default=None, allow_null=True)
    their_state_on = serializers.DateField(source="execution.their_state_on", default=None, allow_null=True)
    mismatch_since = serializers.DateTimeField(
        source="execution.mismatch_since", default=None, allow_null=True
    )

    def get_effective_from(self, sanction) -> date:
        return selectors.sanction_effective_from(sanction)


class SanctionDetailSerializer(SanctionOutSerializer):
    history = serializers.SerializerMethodField()
    on_day = serializers.SerializerMethodField(help_text="Only with `?on=`: the whole day's answer.")

    @extend_schema_field(SanctionDaySerializer(allow_null=True))
    def get_on_day(self, sanction):
        day = self.context.get("on")
        return SanctionDaySerializer(selectors.sanction_on_day(sanction, day)).data if day else None

    @extend_schema_field(HistoryEventSerializer(many=True))
    def get_history(self, sanction):
        return HistoryEventSerializer(selectors.history_of(sanction), many=True).data


class SanctionListApi(APIView):
    permission_classes = [IsAdminOrReviewer]

    @extend_schema(
        summary="Add a sanction (惩戒措施) to a record (administrators, or a reviewer of the record's provider)",
        request=SanctionInSerializer,
        responses={
            201: SanctionOutSerializer,
            400: ex.bad_request(
                ("Unknown implementer", {"implementer": ["不存在代码为“xy-taxx”的部门。"]}),
                ("No measure", {"measure": ["该字段是必填项。"]}),
            ),
            403: ex.error(
                "Not the record's provider.",
                "Another department",
                "只有管理员或鼓楼区市场监管局的经办人可以为该记录添加惩戒措施。",
            ),
            404: ex.NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "Tax incentives restricted",
                value={"record": ex.RECORD_ID, "measure": "限制享受税收优惠政策", "implementer": "xy-tax"},
                request_only=True,
            ),
            OpenApiExample(
                "Entered today, binding since last month's decision",
                value={
                    "record": ex.RECORD_ID,
                    "measure": "限制参与政府采购",
                    "implementer": "xy-finance",
                    "effective_from": "2025-12-02",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Created",
                value={
                    **ex.SANCTION,
                    "state": "active",
                    "effective_from": "2025-12-02",
                    "our_state": "active",
                    "their_state": None,
                    "their_state_on": None,
                    "mismatch_since": None,
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        serializer = SanctionInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = serializer.validated_data["record"]
        if not selectors.records_visible_to(request.user).filter(pk=record.pk).exists():
            raise NotVisible()
        policies.ensure_may_add_sanction(request.user, record)  # 403 before anything is parsed further
        sanction = sanction_create(actor=request.user, **serializer.validated_data)
        return Response(SanctionOutSerializer(sanction).data, status=status.HTTP_201_CREATED)


class SanctionDetailApi(APIView):
    @extend_schema(
        summary="One sanction: our state, the implementer's reported state, and the history",
        description="With `?on=YYYY-MM-DD`, `on_day` answers from history whether the measure was in force at "
        "any moment of that Beijing day, with the changes during it (docs/domain.md §9.12).",
        parameters=[ex.path_id("sanction"), day_param("on", required=False)],
        responses={
            200: SanctionDetailSerializer,
            400: ex.bad_request(("Bad date", {"on": ["请按 YYYY-MM-DD 格式填写日期。"]})),
            404: ex.NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "Suspended during an objection; the tax bureau still reports it applied",
                value={
                    **ex.SANCTION,
                    "history": [
                        {
                            "at": "2026-03-04T10:12:30+08:00",
                            "actor": "陈静（xy-credit）",
                            "action": "suspended",
                            "from_state": "active",
                            "to_state": "suspended",
                            "note": "YY-2026-000123 异议核实期间暂停执行。",
                            "stream": "sanction",
                        }
                    ],
                    "effective_from": "2025-12-02",
                    "on_day": SUSPENDED_AT_0030,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, public_id):
        sanction = get_object_or_404(selectors.sanctions_visible_to(request.user), public_id=public_id)
        day = parse_day(request, "on", required=False)
        return Response(SanctionDetailSerializer(sanction, context={"on": day}).data)
