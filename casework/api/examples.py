"""Shared pieces of the OpenAPI documentation (issue 6): the error shapes, their typical examples, path
parameters and realistic sample objects, so each view's `@extend_schema` only names what is its own.

Messages are shown as the API answers by default (`Accept-Language` zh-hans); sample data is from a district
of Fuzhou in 2026: valid unified social credit codes, masked resident IDs, case numbers YY/XF/YC/PC-2026-….
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the request's language.")


class ApiConflictSerializer(ApiErrorSerializer):
    code = serializers.CharField(
        help_text="Machine-readable reason, e.g. `already_completed`, `claimed_by_other`, `waiting`, "
        "`not_claimed`, `not_in_publicity`, `not_awaiting_completion`, `delivery_sending`, `conflict`."
    )


FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": "Field name → messages; `non_field_errors` for the input as a whole; `detail` alone when "
    "the body could not be read at all (not JSON, nested too deep, a NUL character). Errors inside a list "
    "or a nested object are keyed by position or name.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
        ]
    },
}

# --- sample ids and objects ----------------------------------------------------------------------------------

SUBJECT_ID = "8c1d2e3f-4a5b-4c6d-9e7f-0a1b2c3d4e5f"
PERSON_ID = "2b3c4d5e-6f70-4a81-92b3-c4d5e6f70812"
RECORD_ID = "a7b8c9d0-e1f2-4a3b-8c4d-5e6f7a8b9c0d"
SANCTION_ID = "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d"
TASK_ID = "e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f6a7b8"
MATERIAL_ID = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"
NOTICE_ID = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d"
MESSAGE_ID = "c0d1e2f3-a4b5-4c6d-8e7f-9a0b1c2d3e4f"
ENDPOINT_ID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
FEEDBACK_ID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"

CREDIT_CODE = "91350100M000100Y43"
MASKED_RESIDENT_ID = "350102********123X"

TASK = {
    "id": TASK_ID,
    "case": "YY-2026-000123",
    "step": "accept",
    "department": "xy-credit",
    "state": "open",
    "assignee": None,
    "due_on": "2026-03-05",
    "due_provisional": False,
    "due_note": None,
    "paused": False,
    "decision": "",
    "decisions": ["accept", "refuse", "request_materials"],
}

CASE = {
    "number": "YY-2026-000123",
    "kind": "objection",
    "state": "filed",
    "outcome": "",
    "subject": SUBJECT_ID,
    "records": [RECORD_ID],
    "rule_set": "national-2026.8",
    "receiving_office": "xy-credit",
    "decision_reason": "",
    "materials_requested": "",
    "materials_due_on": None,
    "materials_due_provisional": False,
    "filed_at": "2026-03-02T09:15:00+08:00",
    "closed_at": None,
    "review_of": None,
    "reviews": [],
    "tasks": [TASK],
    "deadlines": [
        {
            "purpose": "legal",
            "budget_days": 10,
            "extended_days": 0,
            "suspended_days": 0,
            "started_on": "2026-03-02",
            "due_on": "2026-03-16",
            "provisional": False,
            "paused": False,
            "met": False,
        },
        {
            "purpose": "service",
            "budget_days": 5,
            "extended_days": 0,
            "suspended_days": 0,
            "started_on": "2026-03-02",
            "due_on": "2026-03-09",
            "provisional": False,
            "paused": False,
            "met": False,
        },
    ],
}

SANCTION = {
    "id": SANCTION_ID,
    "record": RECORD_ID,
    "measure": "限制享受税收优惠政策",
    "implementer": "xy-tax",
    "state": "suspended",
    "our_state": "suspended",
    "their_state": "applied",
    "their_state_on": "2026-01-12",
    "mismatch_since": "2026-03-03T10:20:00+08:00",
}

# --- path parameters -----------------------------------------------------------------------------------------

CASE_NUMBER = OpenApiParameter(
    "number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Case number: YY (objection), XF (repair), YC (list exit), PC (bankruptcy repair) or FH "
    "(review of an objection result, 复核), the year and a sequence, e.g. `YY-2026-000123`.",
)


def path_id(what: str) -> OpenApiParameter:
    """The `public_id` path parameter, described for the thing it names."""
    return OpenApiParameter(
        "public_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"The {what}'s id (UUID)."
    )


# --- error responses -----------------------------------------------------------------------------------------


def bad_request(*examples: tuple[str, dict]) -> OpenApiResponse:
    """400 with field errors; each example is (name, body)."""
    return OpenApiResponse(
        FIELD_ERRORS_SCHEMA,
        description="Invalid input; nothing was saved. Messages follow `Accept-Language` (zh-hans by default).",
        examples=[OpenApiExample(name, value=value, response_only=True) for name, value in examples],
    )


REQUIRED = ["该字段是必填项。"]


def error(description: str, name: str, detail: str) -> OpenApiResponse:
    """An error answered as {"detail": …} (401, 403 …), with one example."""
    return OpenApiResponse(
        ApiErrorSerializer,
        description=description,
        examples=[OpenApiExample(name, value={"detail": detail}, response_only=True)],
    )


# The same 「未找到」 (in the reader's language) whatever was asked for: an outsider learns nothing about what exists.
NOT_FOUND = error("Does not exist, or is not visible to you.", "Not found or not visible", "未找到。")
FORBIDDEN = error("Your role may not do this.", "Role not allowed", "您没有执行该操作的权限。")


def conflict(*examples: tuple[str, str, str]) -> OpenApiResponse:
    """409; each example is (name, detail, code)."""
    return OpenApiResponse(
        ApiConflictSerializer,
        description="Someone else acted first, or the state no longer allows this.",
        examples=[
            OpenApiExample(name, value={"detail": detail, "code": code}, response_only=True)
            for name, detail, code in examples
        ],
    )


CHANGED_MEANWHILE = (
    "Changed in the meantime",
    "该内容已被他人修改，请刷新后重试。",
    "conflict",
)
ALREADY_COMPLETED = (
    "Already completed",
    "该任务已于2026-03-04 10:12:30+08:00办结（accept）。",
    "already_completed",
)
CLAIMED_BY_OTHER = ("Claimed by a colleague", "该任务已由张伟认领。", "claimed_by_other")
WAITING = ("Waiting for the subject's materials", "该任务正在等待信用主体补正材料。", "waiting")

FORBIDDEN_NO_BODY = OpenApiResponse(description="Only the subject (or an administrator) does this; no body.")
