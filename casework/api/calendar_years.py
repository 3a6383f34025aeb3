"""Working-day calendar years (issue 11): administrators read, enter and correct a year's schedule.

A schedule lists the days that differ from Monday–Friday: `holiday` (a weekday off) and `workday` (a weekend
make-up working day, 调休上班). Entering or correcting answers 202: the year is saved and the re-dating of every
dependent date is queued in Celery; the revision's `redated_at` and `report` fill in when the worker is done.
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import calendar
from casework.dates import EARLIEST, LATEST
from casework.models import CalendarYear
from casework.services.calendar_years import KINDS, ScheduleDay, calendar_year_save, schedule_of

from . import examples as ex
from .permissions import IsAdminRole

YEAR = OpenApiParameter(
    "year", OpenApiTypes.INT, OpenApiParameter.PATH, description="The calendar year, e.g. `2027`."
)


class ScheduleDaySerializer(serializers.Serializer):
    day = serializers.DateField(help_text="A Beijing date in the year, `YYYY-MM-DD`.")
    kind = serializers.ChoiceField(
        choices=KINDS,
        help_text="`holiday`: a Monday–Friday day off; `workday`: a weekend make-up working day.",
    )
    name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class CalendarYearWriteSerializer(serializers.Serializer):
    notice = serializers.CharField(
        max_length=200, help_text="The State Council notice the schedule comes from."
    )
    days = ScheduleDaySerializer(many=True, help_text="Every day that differs from Monday–Friday.")


class CalendarYearCreateSerializer(CalendarYearWriteSerializer):
    year = serializers.IntegerField(min_value=2004, max_value=2100)


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="`entered` or `corrected`.")
    at = serializers.DateTimeField()
    redated_at = serializers.DateTimeField(allow_null=True, help_text="Null while the re-dating is queued.")
    report = serializers.JSONField(
        help_text="What the re-dating moved: `checked`, `counts` by kind and `moved` "
        "[{what, case|sanction, from, to, was_provisional, provisional}]; `what` is step, legal, service, "
        "escalation, publicity or feedback."
    )


class CalendarYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    source = serializers.CharField(help_text="`override` (entered here), `library` or `unknown`.")
    notice = serializers.CharField()
    days = ScheduleDaySerializer(many=True)
    revisions = RevisionSerializer(many=True)


def _year_data(year: int) -> dict:
    entry = CalendarYear.objects.filter(year=year).first()
    return {
        "year": year,
        "source": calendar.year_source(year) or "unknown",
        "notice": entry.notice if entry else "",
        "days": [d.as_json() for d in schedule_of(year)] if entry else [],
        "revisions": list(
            entry.revisions.order_by("id").values("id", "kind", "at", "redated_at", "report") if entry else []
        ),
    }


SCHEDULE_2027 = {
    "notice": "国务院办公厅关于2027年部分节假日安排的通知",
    "days": [
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-02-07", "kind": "workday", "name": "春节调休"},
        {"day": "2027-02-08", "kind": "holiday", "name": "春节"},
    ],
}
YEAR_2027 = {
    "year": 2027,
    "source": "override",
    **SCHEDULE_2027,
    "revisions": [
        {
            "id": 1,
            "kind": "entered",
            "at": "2026-12-01T09:30:00+08:00",
            "redated_at": "2026-12-01T09:30:04+08:00",
            "report": {
                "year": 2027,
                "revision": 1,
                "checked": 12,
                "moved": [
                    {
                        "what": "step",
                        "case": "YY-2026-000123",
                        "deadline": 812,
                        "from": "2027-01-04",
                        "to": "2027-01-05",
                        "was_provisional": True,
                        "provisional": False,
                    }
                ],
                "counts": {"step": 1},
            },
        }
    ],
}
QUEUED = {**YEAR_2027, "revisions": [{**YEAR_2027["revisions"][0], "redated_at": None, "report": {}}]}
BAD_SCHEDULE = (
    "Weekday make-up day, weekend holiday, duplicate",
    {
        "days": [
            "第2项：2027-02-08是星期一：调休上班日（workday）必须是星期六或星期日。",
            "第3项：2027-02-06是星期六，本就休息：只需列出落在星期一至星期五的节假日。",
            "第4项：2027-01-01已列出（第1项）。",
        ]
    },
)
OUTSIDE_YEAR = ("A day of another year", {"days": ["第1项：2028-01-01不属于2027年，请在其所属年度下录入。"]})
UNPARSEABLE = (
    "Not a date, not a kind (keyed by the item's position)",
    {
        "days": {
            "1": {"day": ["日期格式错误。请从这些格式中选择：YYYY-MM-DD。"], "kind": ["“off” 不是合法选项。"]}
        }
    },
)


class CalendarYearListApi(APIView):
    permission_classes = [IsAdminRole]

    @extend_schema(
        summary="Calendar years entered by administrators",
        description="Every year entered here (it replaces the built-in calendar for that year), newest first.",
        responses={200: CalendarYearSerializer(many=True), 403: ex.FORBIDDEN},
        examples=[OpenApiExample("2027 entered", value=[YEAR_2027], response_only=True)],
    )
    def get(self, request):
        years = CalendarYear.objects.order_by("-year").values_list("year", flat=True)
        return Response([_year_data(year) for year in years])

    @extend_schema(
        summary="Enter a year's schedule (administrators); queues the re-dating",
        description="Refused (400, on `year`) if the year is already entered: correct it with PUT. Answers 202: "
        "the re-dating of every date depending on the year runs in the background.",
        request=CalendarYearCreateSerializer,
        responses={
            202: CalendarYearSerializer,
            400: ex.bad_request(
                BAD_SCHEDULE,
                OUTSIDE_YEAR,
                UNPARSEABLE,
                ("Already entered", {"year": ["2027年已录入，请改用更正。"]}),
            ),
            403: ex.FORBIDDEN,
            409: ex.conflict(
                ("Entered by someone else meanwhile", "2027年已录入，请改用更正。", "already_entered")
            ),
        },
        examples=[
            OpenApiExample("2027", value={"year": 2027, **SCHEDULE_2027}, request_only=True),
            OpenApiExample("Queued", value=QUEUED, response_only=True, status_codes=["202"]),
        ],
    )
    def post(self, request):
        serializer = CalendarYearCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        _save(request, data["year"], data, correct=False)
        return Response(_year_data(data["year"]), status=status.HTTP_202_ACCEPTED)


class CalendarYearDetailApi(APIView):
    permission_classes = [IsAdminRole]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Years outside the product's date range (casework/dates.py) do not exist here: 404, not a 500 from
        # the calendar libraries (year 0 or 19013).
        if not EARLIEST.year <= kwargs["year"] <= LATEST.year:
            raise Http404

    @extend_schema(
        summary="One calendar year: source, schedule, revisions and what each re-dating moved",
        parameters=[YEAR],
        responses={200: CalendarYearSerializer, 403: ex.FORBIDDEN},
        examples=[OpenApiExample("2027 entered", value=YEAR_2027, response_only=True)],
    )
    def get(self, request, year: int):
        return Response(_year_data(year))

    @extend_schema(
        summary="Correct an entered year's schedule (administrators); queues the re-dating",
        description="Replaces the whole schedule. Every date depending on the year is re-dated, confirmed "
        "ones included, each with a history event. Refused (400, on `year`) if the year was never entered.",
        parameters=[YEAR],
        request=CalendarYearWriteSerializer,
        responses={
            202: CalendarYearSerializer,
            400: ex.bad_request(BAD_SCHEDULE, ("Not entered yet", {"year": ["2028年尚未录入，请先录入。"]})),
            403: ex.FORBIDDEN,
        },
        examples=[
            OpenApiExample("2027 corrected", value=SCHEDULE_2027, request_only=True),
            OpenApiExample("Queued", value=QUEUED, response_only=True, status_codes=["202"]),
        ],
    )
    def put(self, request, year: int):
        serializer = CalendarYearWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _save(request, year, serializer.validated_data, correct=True)
        return Response(_year_data(year), status=status.HTTP_202_ACCEPTED)


def _save(request, year: int, data: dict, *, correct: bool) -> None:
    days = [ScheduleDay(d["day"], d["kind"], d["name"]) for d in data["days"]]
    calendar_year_save(year=year, notice=data["notice"], days=days, actor=request.user, correct=correct)
