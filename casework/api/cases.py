"""Cases: filing, reading (with tasks and full history), and the subject's answer to a 补正 request."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import policies, selectors
from casework.api.parsers import BoundedFormParser as FormParser  # bounded: NUL, depth, text size
from casework.api.parsers import BoundedJSONParser as JSONParser
from casework.api.parsers import BoundedMultiPartParser as MultiPartParser
from casework.models import CaseKind, CaseState
from casework.rules.common import COURT_DELETION_GROUNDS
from casework.services.cases import COMMITMENT_REQUIRED, case_file, case_supplement

from . import examples as ex
from .fields import HistoryEventSerializer, PublicIdField, represent_fast
from .pagination import keyset_response, page_parameters
from .tasks import TaskOutSerializer

TASK_OUT = TaskOutSerializer()  # one instance for every nested task (stateless when only representing)


def optional_files(help_text: str = "") -> serializers.ListField:
    """Uploads a filing may carry (PDF, JPG, PNG; checked by content in the service)."""
    return serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text=help_text
    )


class CaseInSerializer(serializers.Serializer):
    # A review (复核) is asked for at POST /cases/{number}/review/, naming the objection it reviews.
    kind = serializers.ChoiceField(choices=[c for c in CaseKind.choices if c[0] != CaseKind.REVIEW])
    subject = PublicIdField(queryset=selectors.Subject.objects.all())
    records = PublicIdField(queryset=selectors.CreditRecord.objects.all(), many=True, allow_empty=False)
    statement = serializers.CharField()
    commitment_signed = serializers.BooleanField(
        help_text="The subject signs the credit commitment (信用承诺书); required.", default=False
    )
    materials = optional_files()
    performance_proof = optional_files(
        "Repair and list exit: proof that the obligations were performed (required for them)."
    )
    training_certificate = optional_files(
        "Repair: the repair training certificate (信用修复培训) where the rule set asks for one."
    )
    public_welfare_certificate = optional_files(
        "Repair, a person: public-welfare service (社会公益服务) in place of training, where allowed."
    )
    ruling = optional_files(
        "Bankruptcy repair: the court's ruling approving the restructuring plan (required)."
    )
    administrator = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Bankruptcy repair: filed by the enterprise's administrator (管理人).",
    )
    deletion_ground = serializers.ChoiceField(
        choices=sorted(COURT_DELETION_GROUNDS),
        required=False,
        default="",
        allow_blank=True,
        help_text="List exit from the court list: the ground for deletion (法释〔2017〕7号 art. 10).",
    )

    def validate_commitment_signed(self, signed: bool) -> bool:
        if not signed:
            raise serializers.ValidationError(COMMITMENT_REQUIRED)
        return signed


class MaterialSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    title = serializers.CharField()
    purpose = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DeadlineSerializer(serializers.Serializer):
    purpose = serializers.CharField(help_text="`legal` time limit or internal `service` norm (shorter).")
    budget_days = serializers.IntegerField()
    extended_days = serializers.IntegerField()
    suspended_days = serializers.IntegerField()
    started_on = serializers.DateField()
    due_on = serializers.DateField()
    provisional = serializers.BooleanField()
    paused = serializers.BooleanField(source="is_suspended")
    met = serializers.SerializerMethodField()

    def get_met(self, deadline) -> bool:
        return deadline.met_at is not None


class CaseOutSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.CharField()
    state = serializers.CharField()
    outcome = serializers.CharField()
    subject = serializers.UUIDField(source="subject.public_id")
    records = serializers.SerializerMethodField()
    rule_set = serializers.CharField(source="rule_set.version")
    receiving_office = serializers.CharField(source="receiving_office.code")
    decision_reason = serializers.CharField()
    materials_requested = serializers.CharField()
    # docs/domain.md §9.10: the last day the 补正 materials may arrive (Beijing date; null when none were asked)
    # and whether it is an estimate (counted into a year without a working-day calendar).
    materials_due_on = serializers.DateField(allow_null=True)
    materials_due_provisional = serializers.BooleanField()
    filed_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    tasks = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    review_of = serializers.SerializerMethodField(
        help_text="A review (复核): the number of the objection whose result it reviews; otherwise null."
    )
    reviews = serializers.SerializerMethodField(
        help_text="An objection: the number of its review (复核), if one was asked for (at most one)."
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_review_of(self, case):
        return case.review_of.number if case.review_of_id else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reviews(self, case):
        reviews = getattr(case, "page_reviews", None)
        return [review.number for review in (case.reviews.all() if reviews is None else reviews)]

    def to_representation(self, case):
        """The fields above, built directly (the case list serialises 50 cases a page; DRF's generic path
        cost more than the queries, issue 13). Subclasses take the generic path; a test holds both equal."""
        if type(self) is not CaseOutSerializer:
            return super().to_representation(case)
        stamp = self.fields["filed_at"].to_representation
        fast = {
            "number": str(case.number),
            "kind": str(case.kind),
            "state": str(case.state),
            "outcome": str(case.outcome),
            "subject": str(case.subject.public_id),
            "records": self.get_records(case),
            "rule_set": str(case.rule_set.version),
            "receiving_office": str(case.receiving_office.code),
            "decision_reason": str(case.decision_reason),
            "materials_requested": str(case.materials_requested),
            "filed_at": stamp(case.filed_at),
            "closed_at": stamp(case.closed_at) if case.closed_at is not None else None,
            "tasks": self.get_tasks(case),
            "deadlines": self.get_deadlines(case),
            "review_of": self.get_review_of(case),
            "reviews": self.get_reviews(case),
        }
        return represent_fast(self, case, fast)

    # `page_*`: the lists `selectors.for_case_list` prefetched (to_attr: no queryset built per case).
    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, case):
        clocks = getattr(case, "page_clocks", None)
        clocks = [d for d in (case.deadlines.all() if clocks is None else clocks) if d.purpose != "step"]
        return DeadlineSerializer(sorted(clocks, key=lambda d: d.purpose), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_records(self, case):
        records = getattr(case, "page_records", None)
        return [record.public_id for record in (case.records.all() if records is None else records)]

    @extend_schema_field(TaskOutSerializer(many=True))
    def get_tasks(self, case):
        rows = getattr(case, "page_task_rows", None)  # the case list's (selectors.attach_task_rows)
        if rows is not None:
            return [TASK_OUT.row_fields(row, case_number=case.number) for row in rows]
        return [TASK_OUT.to_representation(task) for task in case.tasks.all()]


class CaseDetailSerializer(CaseOutSerializer):
    materials = MaterialSerializer(many=True)
    history = serializers.SerializerMethodField()

    @extend_schema_field(HistoryEventSerializer(many=True))
    def get_history(self, case):
        return HistoryEventSerializer(selectors.history_of(case), many=True).data


class CaseFilterSerializer(serializers.Serializer):
    # The filters the case lists of the web pages offer; empty means no filter.
    kind = serializers.ChoiceField(choices=CaseKind.choices, required=False, allow_blank=True)
    state = serializers.ChoiceField(choices=CaseState.choices, required=False, allow_blank=True)


NEWEST_FIRST = ("-filed_at", "-id")  # served by the index case_filed (and case_kind_filed, case_state_filed)


class CaseListApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Cases visible to you",
        description="A subject's own cases; staff see their departments' cases; supervisors their "
        "jurisdiction's. Newest first, 50 a page (`page_size` up to 200); the next page's address is in "
        "the `Link` header (`cursor`).",
        parameters=[CaseFilterSerializer, *page_parameters(50, 200)],
        responses=CaseOutSerializer(many=True),
        examples=[OpenApiExample("An objection just filed", value=ex.CASE, response_only=True)],
    )
    def get(self, request):
        filters = CaseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        cases = selectors.for_case_list(selectors.cases_visible_to(request.user))
        for name in ("kind", "state"):
            if filters.validated_data.get(name):
                cases = cases.filter(**{name: filters.validated_data[name]})
        return keyset_response(
            request,
            cases,
            NEWEST_FIRST,
            lambda rows: CaseOutSerializer(selectors.attach_task_rows(rows), many=True).data,
            default=50,
            maximum=200,
        )

    @extend_schema(
        summary="File a case (objection, repair, list exit, bankruptcy repair)",
        request=CaseInSerializer,
        responses={
            201: CaseOutSerializer,
            400: ex.bad_request(
                ("Commitment not signed", {"commitment_signed": ["必须签署信用承诺书。"]}),
                (
                    "Too early",
                    {
                        "records": [
                            "申请过早: 2025-12-02 的记录须公示满 6 个月。您可以自 2026-06-02 起重新申请。"
                        ],
                        "reapply_on": ["2026-06-02"],
                    },
                ),
                ("Unknown record", {"records": ["未找到ID为“0000-not-a-record”的数据，或您无权查看。"]}),
            ),
        },
        examples=[
            OpenApiExample(
                "Objection (JSON)",
                value={
                    "kind": "objection",
                    "subject": ex.SUBJECT_ID,
                    "records": [ex.RECORD_ID],
                    "statement": "该行政处罚决定已于2026年1月被福州市鼓楼区人民法院判决撤销，请予删除。",
                    "commitment_signed": True,
                },
                request_only=True,
            ),
            OpenApiExample(
                "Repair with proof and training (multipart)",
                value={
                    "kind": "repair",
                    "subject": ex.SUBJECT_ID,
                    "records": [ex.RECORD_ID],
                    "statement": "罚款已于2026年2月10日全额缴纳，并已参加信用修复培训，申请信用修复。",
                    "commitment_signed": True,
                    "performance_proof": ["罚款缴纳凭证.pdf"],
                    "training_certificate": ["信用修复培训结业证书.jpg"],
                },
                request_only=True,
                media_type="multipart/form-data",
            ),
            OpenApiExample(
                "Court-list exit on a ground (multipart)",
                value={
                    "kind": "list_exit",
                    "subject": ex.SUBJECT_ID,
                    "records": [ex.RECORD_ID],
                    "statement": "已与申请执行人达成和解协议并履行完毕，申请删除失信被执行人信息。",
                    "commitment_signed": True,
                    "deletion_ground": "settled",
                },
                request_only=True,
                media_type="multipart/form-data",
            ),
            OpenApiExample(
                "Bankruptcy repair filed by the administrator (multipart)",
                value={
                    "kind": "bankruptcy_repair",
                    "subject": ex.SUBJECT_ID,
                    "records": [ex.RECORD_ID],
                    "statement": "福州市中级人民法院已裁定批准重整计划，申请屏蔽相关失信信息。",
                    "commitment_signed": True,
                    "ruling": ["（2026）闽01破12号之三民事裁定书.pdf"],
                    "administrator": True,
                },
                request_only=True,
                media_type="multipart/form-data",
            ),
            OpenApiExample("Filed", value=ex.CASE, response_only=True, status_codes=["201"]),
        ],
        description=(
            "File a case of any kind. A repair or list exit filed before the rule set's minimum period is "
            "refused with 400: `records` says why and `reapply_on` holds the date from which to apply again "
            "(the subject also receives it as a notice)."
        ),
    )
    def post(self, request):
        serializer = CaseInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_file(actor=request.user, **serializer.validated_data)
        return Response(CaseOutSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(
        summary="One case: tasks, deadlines, materials and the full history",
        parameters=[ex.CASE_NUMBER],
        responses={200: CaseDetailSerializer, 404: ex.NOT_FOUND},
        examples=[
            OpenApiExample(
                "Objection under verification",
                value={
                    **ex.CASE,
                    "state": "verifying",
                    "tasks": [
                        {**ex.TASK, "state": "done", "decision": "accept", "decisions": []},
                        {
                            **ex.TASK,
                            "id": "b5c6d7e8-f9a0-4b1c-8d2e-3f4a5b6c7d8e",
                            "step": "verify",
                            "department": "xy-market",
                            "state": "claimed",
                            "assignee": "market-li",
                            "due_on": "2026-03-20",
                            "decisions": [
                                "upheld",
                                "corrected",
                                "supplemented",
                                "deleted",
                                "publication_stopped",
                                "removed_from_list",
                            ],
                        },
                    ],
                    "materials": [
                        {
                            "id": ex.MATERIAL_ID,
                            "title": "法院撤销判决书.pdf",
                            "purpose": "filing",
                            "content_type": "application/pdf",
                            "size": 184320,
                            "sha256": "3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a",
                            "uploaded_at": "2026-03-02T09:15:00+08:00",
                        }
                    ],
                    "history": [
                        {
                            "at": "2026-03-02T09:15:00+08:00",
                            "actor": "福州鼓楼示范贸易有限公司",
                            "action": "filed",
                            "from_state": "",
                            "to_state": "filed",
                            "note": "",
                            "stream": "case",
                        },
                        {
                            "at": "2026-03-04T10:12:30+08:00",
                            "actor": "陈静（xy-credit）",
                            "action": "accepted",
                            "from_state": "filed",
                            "to_state": "verifying",
                            "note": "材料齐全，予以受理。",
                            "stream": "case",
                        },
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, number):
        cases = selectors.with_tasks_and_records(selectors.cases_visible_to(request.user))
        case = get_object_or_404(cases.prefetch_related("materials"), number=number)
        return Response(CaseDetailSerializer(case).data)


class SupplementSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    materials = serializers.ListField(child=serializers.FileField(), allow_empty=False)


class CaseSupplementApi(APIView):
    """The subject answers a 补正 request with the materials asked for; the stopped clock runs again."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Answer a 补正 request with the missing materials",
        description="The subject (or an administrator) sends the materials the acceptance step asked for "
        "(`materials_requested`) by `materials_due_on` (that day included); the acceptance task opens again and "
        "its clock runs on. 400 when no materials are being asked for; 403 for staff; 409 when the deadline "
        "passed and the application is treated as withdrawn (视为撤回), or the request was already answered.",
        parameters=[ex.CASE_NUMBER],
        request=SupplementSerializer,
        responses={
            200: CaseOutSerializer,
            400: ex.bad_request(
                ("No files", {"materials": ["列表不能为空。"]}),
                ("Nothing asked for", {"materials": ["本案件目前无需补正材料。"]}),
            ),
            403: ex.FORBIDDEN_NO_BODY,
            404: ex.NOT_FOUND,
            409: ex.conflict(ex.CHANGED_MEANWHILE),
        },
        examples=[
            OpenApiExample(
                "Supplement",
                value={
                    "note": "已补充2025年度完税证明及法定代表人身份证明。",
                    "materials": ["2025年度完税证明.pdf"],
                },
                request_only=True,
                media_type="multipart/form-data",
            ),
            OpenApiExample(
                "Back to acceptance",
                value={
                    **ex.CASE,
                    "materials_requested": "请补充2025年度完税证明及法定代表人身份证明。",
                    "materials_due_on": "2026-03-16",
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request, number):
        case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
        policies.ensure_may_act_for_subject(request.user, case)  # 403 before the upload is parsed
        serializer = SupplementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_supplement(case=case, actor=request.user, **serializer.validated_data)
        return Response(CaseOutSerializer(case).data)
