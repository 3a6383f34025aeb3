"""One error shape for the whole API: field errors as {"field": ["message", …]} with 400, conflicts 409,
invisible things 404 — in the request's language. Bad input is never a 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django_fsm import TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from casework.calendar import CalendarUnknown
from casework.exceptions import Conflict, NotVisible


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, NotVisible | Http404):
        # One plain "not found" in the reader's language: get_object_or_404's text is English and names the
        # model, which says more than an outsider should learn.
        exc = exceptions.NotFound()
    elif isinstance(exc, Conflict):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, TransitionNotAllowed):
        exc = ConflictError(str(Conflict.default_message))
    elif isinstance(exc, CalendarUnknown):
        # Services store provisional dates instead; this is the last line of defence, never a 500.
        return Response({"detail": str(exc), "code": "calendar_unknown"}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)
