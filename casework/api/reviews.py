"""复核: the subject asks the credit office one level up to review an objection's result (docs/domain.md §9.4)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import policies, selectors
from casework.api.parsers import BoundedFormParser as FormParser  # bounded: NUL, depth, text size
from casework.api.parsers import BoundedJSONParser as JSONParser
from casework.api.parsers import BoundedMultiPartParser as MultiPartParser
from casework.services.offices import office_above
from casework.services.review import review_file, review_refusals, review_window

from . import examples as ex
from .cases import CaseOutSerializer


class ReviewRequestSerializer(serializers.Serializer):
    statement = serializers.CharField(help_text="Why the objection's result is wrong (复核理由); required.")
    materials = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="Optional supporting files (PDF, JPG, PNG; checked by content).",
    )


class ReviewWindowSerializer(serializers.Serializer):
    objection = serializers.CharField(help_text="The objection's number.")
    available = serializers.BooleanField(help_text="Whether a review may be asked for now.")
    notified_on = serializers.DateField(
        allow_null=True, help_text="Date of the result notice (Beijing date); null while there is no result."
    )
    last_day = serializers.DateField(
        allow_null=True, help_text="Last day to ask for the review (Beijing date), inclusive."
    )
    last_day_provisional = serializers.BooleanField(
        help_text="The last day reaches a year without a working-day calendar and is an estimate."
    )
    reviewing_office = serializers.CharField(
        help_text="Code of the credit office that would decide the review."
    )
    review = serializers.CharField(allow_null=True, help_text="The review's number, once one was asked for.")
    refusals = serializers.ListField(
        child=serializers.CharField(), help_text="Why a review cannot be asked for now (empty when it can)."
    )


REVIEW_CASE = {
    **ex.CASE,
    "number": "FH-2026-000004",
    "kind": "review",
    "state": "verifying",
    "receiving_office": "xy-city-credit",
    "review_of": "YY-2026-000123",
    "tasks": [
        {
            **ex.TASK,
            "case": "FH-2026-000004",
            "step": "review",
            "department": "xy-city-credit",
            "due_on": "2026-04-20",
            "decisions": ["upheld", "corrected", "deleted"],
        }
    ],
    "deadlines": [
        {**ex.CASE["deadlines"][0], "budget_days": 5, "started_on": "2026-04-13", "due_on": "2026-04-20"},
        {**ex.CASE["deadlines"][1], "budget_days": 5, "started_on": "2026-04-13", "due_on": "2026-04-20"},
    ],
}


class CaseReviewApi(APIView):
    """The review window of an objection (GET) and the request for its review (POST)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="Whether the objection's result may be reviewed (复核), and until when",
        parameters=[ex.CASE_NUMBER],
        responses={200: ReviewWindowSerializer, 404: ex.NOT_FOUND},
        examples=[
            OpenApiExample(
                "Window open",
                value={
                    "objection": "YY-2026-000123",
                    "available": True,
                    "notified_on": "2026-03-20",
                    "last_day": "2026-04-13",
                    "last_day_provisional": False,
                    "reviewing_office": "xy-city-credit",
                    "review": None,
                    "refusals": [],
                },
                response_only=True,
            )
        ],
        description="For the case `number` visible to you: the date of its result notice, the last day of the "
        "review window (15 working days by default, the rule set's `review.window_days`), which office would "
        "decide, and why a review cannot be asked for now.",
    )
    def get(self, request, number):
        case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
        window = review_window(case)
        review = case.reviews.order_by("filed_at").first()
        refusals = review_refusals(case)
        return Response(
            ReviewWindowSerializer(
                {
                    "objection": case.number,
                    "available": not refusals and policies.may_request_review(request.user, case),
                    "notified_on": window.notified_on if window else None,
                    "last_day": window.last_day if window else None,
                    "last_day_provisional": window.provisional if window else False,
                    "reviewing_office": office_above(case.receiving_office).code,
                    "review": review.number if review else None,
                    "refusals": [str(message) for message in refusals],
                }
            ).data
        )

    @extend_schema(
        summary="Ask for the review (复核) of an objection's result",
        parameters=[ex.CASE_NUMBER],
        request=ReviewRequestSerializer,
        responses={
            201: CaseOutSerializer,
            400: ex.bad_request(
                (
                    "Window closed",
                    {
                        "objection": [
                            "复核申请期限已于 2026-04-13 届满：应当自 2026-03-20 的处理结果告知之日起 15 个工作日内申请复核。"
                        ]
                    },
                ),
                (
                    "Reviewed already",
                    {
                        "objection": [
                            "异议 YY-2026-000123 的处理结果已经复核（FH-2026-000004）；同一处理结果只能复核一次。"
                            "仍可依法申请行政复议或者提起行政诉讼。"
                        ]
                    },
                ),
                (
                    "No result yet",
                    {
                        "objection": [
                            "异议 YY-2026-000123 尚无处理结果（核查中）；处理结果告知后方可申请复核。"
                        ]
                    },
                ),
                ("No statement", {"statement": ["该字段是必填项。"]}),
            ),
            403: ex.FORBIDDEN,
            404: ex.NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "Review request",
                value={"statement": "原核实意见认定的罚款金额与处罚决定书不一致，请予复核。"},
                request_only=True,
            ),
            OpenApiExample("Review opened", value=REVIEW_CASE, response_only=True, status_codes=["201"]),
        ],
        description=(
            "The subject (or the credit office that received the objection, at its window) asks **once**, within "
            "15 working days of the objection's result notice, for the review of the result (复核). The review is "
            "a case of its own (`FH-…`, `review_of` names the objection), received and decided within 5 working "
            "days by the credit office one level up (a province office reviews its own objections), with the "
            "objection's outcomes; its records show 异议中 until then. 400 (`objection`) when the case is not the "
            "subject's own objection, has no result, was reviewed already or its window closed (the last day is "
            "named); 403 for staff who do not act for the subject. Administrative reconsideration and litigation "
            "stay open whatever is asked."
        ),
    )
    def post(self, request, number):
        case = get_object_or_404(selectors.cases_visible_to(request.user), number=number)
        policies.ensure_may_request_review(request.user, case)  # 403 before the upload is parsed
        serializer = ReviewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = review_file(objection=case, actor=request.user, **serializer.validated_data)
        return Response(CaseOutSerializer(review).data, status=status.HTTP_201_CREATED)
