"""The edge of every request: hostile input answered before anything reads it, and errors in the shape the
caller reads.

- A NUL byte in the path, the query or a header is a 400 before any view, form or query sees it
  (PostgreSQL refuses NUL in text, so it would otherwise be a 500 deep inside a view).
- Under /api/ every error is JSON (`{"detail": …}`), also for URLs no route matches and ids in the wrong
  shape: the API's schema declares that shape for every 4xx/5xx.
- Database trouble that passes (a lock or statement timeout, a dropped connection, SQLite's "database is
  locked") is a 503 with Retry-After: JSON under /api/, a plain branded page elsewhere.
"""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import get_resolver
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"

# PostgreSQL SQLSTATEs of trouble that passes: lock_not_available (lock_timeout), query_canceled
# (statement_timeout), serialization failure and deadlock (the loser may simply try again), and the
# server shutting down. Class 08 (connection exceptions) is matched by prefix.
TRANSIENT_SQLSTATES = {"55P03", "57014", "40001", "40P01", "57P01", "57P02", "57P03"}


def is_transient_database_error(exc: BaseException) -> bool:
    """True for database errors that a later retry may not meet: answered 503, not 500."""
    if isinstance(exc, InterfaceError):  # "connection already closed"
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return sqlstate in TRANSIENT_SQLSTATES or sqlstate.startswith("08")
    if type(cause).__module__.startswith("psycopg"):
        return True  # psycopg reports a lost or refused connection without a SQLSTATE
    message = str(exc).lower()
    return "database is locked" in message or "database table is locked" in message


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _has_nul(request) -> bool:
    if "\x00" in request.path_info or "\x00" in request.path:
        return True
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in query or "%00" in query:
        return True
    if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
        return True
    return any(
        "\x00" in str(value) for key, value in request.META.items() if key.startswith(("HTTP_", "CONTENT_"))
    )


def unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: the database is busy or away for a moment."""
    retry_after = str(settings.CASEWORK_RETRY_AFTER_SECONDS)
    with translation.override(translation.get_language_from_request(request)):
        detail = _("The service is busy right now. Please try again in a few seconds.")
        if _is_api(request):
            response = JsonResponse({"detail": detail, "code": "unavailable"}, status=503)
        else:
            html = render_to_string("503.html", {"detail": detail, "retry_after": retry_after})
            response = HttpResponse(html, status=503)
    response["Retry-After"] = retry_after
    return response


API_ERROR_DETAILS = {
    400: lambda: _("Malformed request."),
    401: lambda: _("Authentication credentials were not provided."),
    403: lambda: _("You do not have permission to perform this action."),
    404: lambda: _("Not found."),
    405: lambda: _("Method not allowed."),
    413: lambda: _("The request is too large."),
    500: lambda: _("A server error occurred."),
}


def _json_error(request, status: int) -> JsonResponse:
    with translation.override(translation.get_language_from_request(request)):
        detail = API_ERROR_DETAILS.get(status, API_ERROR_DETAILS[500 if status >= 500 else 400])()
    return JsonResponse({"detail": str(detail)}, status=status)


class EdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if _is_api(request):
                return _json_error(request, 400)
            handler = get_resolver().resolve_error_handler(400)
            return handler(request, SuspiciousOperation("NUL byte in the request"))
        response = self.get_response(request)
        if _is_api(request) and response.status_code >= 400 and not _is_json(response):
            # Django's own error pages (no route matched, a body too large, a crash) in the API's shape.
            json_response = _json_error(request, response.status_code)
            for header in ("Retry-After", "WWW-Authenticate", "Allow"):
                if header in response:
                    json_response[header] = response[header]
            return json_response
        return response

    def process_exception(self, request, exception):
        if is_transient_database_error(exception):
            logger.warning("Database busy or away; answered 503: %s", exception)
            return unavailable_response(request)
        return None


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() in (
        "application/json",
        "application/problem+json",
    )
