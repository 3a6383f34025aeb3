"""Sanctions in force on day D (docs/domain.md §9.12), answered from history.

- `GET /sanctions/{id}/?on=YYYY-MM-DD` adds `on_day` to the sanction;
- `GET /subjects/{id}/sanctions/?in_force_on=YYYY-MM-DD` lists the measures that bound the subject that day.
D is a Beijing calendar day; "in force" means at any moment of it, and the state changes during D are listed.
"""

from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors

from . import examples as ex


def day_param(name: str, required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.DATE,
        OpenApiParameter.QUERY,
        required=required,
        description="A Beijing calendar day (YYYY-MM-DD): the answer covers the whole day, 00:00–24:00 "
        "Asia/Shanghai.",
        examples=[OpenApiExample("A day in March", value="2026-03-04")],
    )


def parse_day(request, name: str, *, required: bool) -> date | None:
    """The query parameter `name` as a date; 400 with a field error if malformed (or missing when required)."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        if required:
            raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]})
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None


class DayChangeSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    note = serializers.CharField()


class SanctionDaySerializer(serializers.Serializer):
    """One `selectors.SanctionDay`."""

    on = serializers.DateField()
    in_force = serializers.BooleanField(help_text="In force at any moment of the day (Beijing time).")
    state_at_start = serializers.CharField(
        allow_null=True, help_text="At 00:00; null before the effective date."
    )
    state_at_end = serializers.CharField(allow_null=True, help_text="At 24:00.")
    changes = DayChangeSerializer(many=True)


class SubjectSanctionOnDaySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="sanction.public_id")
    record = serializers.UUIDField(source="sanction.record.public_id")
    measure = serializers.CharField(source="sanction.measure")
    implementer = serializers.CharField(source="sanction.implementer.code")
    effective_from = serializers.SerializerMethodField()
    state_now = serializers.CharField(source="sanction.state")
    on_day = serializers.SerializerMethodField()

    def get_effective_from(self, answer) -> date:
        return selectors.sanction_effective_from(answer.sanction)

    def get_on_day(self, answer) -> dict:
        return SanctionDaySerializer(answer).data


SUSPENDED_AT_0030 = {
    "on": "2026-03-04",
    "in_force": True,
    "state_at_start": "active",
    "state_at_end": "suspended",
    "changes": [
        {
            "at": "2026-03-04T00:30:00+08:00",
            "action": "suspend",
            "from_state": "active",
            "to_state": "suspended",
            "note": "YY-2026-000123",
        }
    ],
}


class SubjectSanctionsApi(APIView):
    @extend_schema(
        summary="Measures that bound a subject on a day (from history)",
        description="Every sanction on the subject's records visible to you that was in force at any moment of "
        "`in_force_on` (Beijing time), with the state changes during that day. A sanction binds from its "
        "`effective_from` (default: its record's decision date), not from the day it was entered.",
        parameters=[ex.path_id("subject"), day_param("in_force_on", required=True)],
        responses={
            200: SubjectSanctionOnDaySerializer(many=True),
            400: ex.bad_request(("Bad date", {"in_force_on": ["请按 YYYY-MM-DD 格式填写日期。"]})),
            404: ex.NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "Suspended at 00:30 — still in force that day",
                value=[
                    {
                        "id": ex.SANCTION_ID,
                        "record": ex.RECORD_ID,
                        "measure": "限制享受税收优惠政策",
                        "implementer": "xy-tax",
                        "effective_from": "2025-12-02",
                        "state_now": "active",
                        "on_day": SUSPENDED_AT_0030,
                    }
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request, public_id):
        subject = get_object_or_404(selectors.subjects_visible_to(request.user), public_id=public_id)
        day = parse_day(request, "in_force_on", required=True)
        answers = selectors.subject_sanctions_on_day(request.user, subject, day)
        return Response(SubjectSanctionOnDaySerializer(answers, many=True).data)
