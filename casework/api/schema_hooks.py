"""OpenAPI post-processing: the answers every operation can give, whatever its view says.

The edge of every request (config/edges.py, the bounded parsers, token authentication, database timeouts)
can answer any operation with one of these, always as `{"detail": …}` JSON. Declaring them once here keeps
the schema true (the fuzz run in tests/test_fuzz_api.py checks every answer against it).
"""

from .examples import FIELD_ERRORS_SCHEMA

ERROR_REF = {"$ref": "#/components/schemas/ApiError"}

# An operation that reads query parameters (a list's `cursor`, `page_size`, filters) answers a bad one with
# field errors, keyed by the parameter, like a bad body; the edge's `{"detail": …}` still fits this shape.
QUERY_400 = {
    "description": "A query parameter is invalid (e.g. a `cursor` from another list, a `page_size` out of range), "
    "keyed by its name; or the request is malformed (`detail`).",
    "content": {
        "application/json": {
            "schema": FIELD_ERRORS_SCHEMA,
            "examples": {
                "Cursor of another list": {
                    "value": {"cursor": ["该翻页位置不属于此列表，请从第一页重新开始。"]}
                },
                "Page size out of range": {"value": {"page_size": ["请填写 1 到 200 之间的整数。"]}},
            },
        }
    },
}


def _error(description: str, example: str, headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {
            "application/json": {
                "schema": ERROR_REF,
                "examples": {"Example": {"value": {"detail": example}}},
            }
        },
    }
    if headers:
        response["headers"] = headers
    return response


COMMON = {
    "400": _error(
        "Malformed request: a NUL byte in the path, query or a header, or a body that cannot be read.",
        "错误的请求。",
    ),
    "401": _error("No credentials, or an expired or revoked API token.", "认证令牌无效。"),
    "404": _error("Does not exist, or is not visible to you (also any id in the wrong shape).", "未找到。"),
    "503": _error(
        "The database is busy (a lock or statement timeout) or away for a moment; try again after "
        "`Retry-After` seconds.",
        "系统繁忙, 请几秒钟后重试。",
        headers={"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
    ),
}
WITH_BODY = {
    "413": _error("The request body is larger than the server accepts.", "请求过大。"),
    "415": _error("The body's Content-Type is not one this operation reads.", "不支持请求中的媒体类型。"),
}


def add_common_error_responses(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the common error answers to every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "ApiError",
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    )
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            extra = {**COMMON, **(WITH_BODY if "requestBody" in operation else {})}
            if any(p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault("400", QUERY_400)
            for code, response in extra.items():
                responses.setdefault(code, response)
    return result
