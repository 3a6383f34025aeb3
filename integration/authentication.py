"""Feedback signed by a department's system: HMAC of the department's endpoint secret (see signing.py)."""

import time
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from casework.models import Department

from .models import Endpoint
from .signing import (
    HEADER_DEPARTMENT,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    feedback_nonce_fresh,
    nonce_well_formed,
    request_signature_valid,
    timestamp_fresh,
)


@dataclass
class DepartmentSystem:
    """The caller of a signed request: a department's system, not a person."""

    department: Department
    role: str = "department_system"
    is_authenticated: bool = True
    is_active: bool = True
    pk: None = field(default=None)

    def label(self) -> str:
        return self.department.code


def _header(request, name: str) -> str:
    return request.META.get("HTTP_" + name.upper().replace("-", "_"), "")


def _signed_path(request) -> str:
    query = request.META.get("QUERY_STRING", "")
    return request.path + (f"?{query}" if query else "")


class SignatureAuthentication(authentication.BaseAuthentication):
    """Signed requests only; anything unsigned falls through to token or session authentication.

    401 for: a timestamp that is not a short run of digits or is outside the window, a missing or malformed
    nonce, a signature that matches no active endpoint of the department, and a nonce used before.
    """

    def authenticate(self, request):
        signature = _header(request, HEADER_SIGNATURE)
        if not signature:
            return None
        code, timestamp = _header(request, HEADER_DEPARTMENT), _header(request, HEADER_TIMESTAMP)
        nonce = _header(request, HEADER_NONCE)
        if not timestamp_fresh(timestamp, time.time()):
            raise exceptions.AuthenticationFailed(_("The timestamp is missing or too far from now."))
        if not nonce_well_formed(nonce):
            raise exceptions.AuthenticationFailed(
                _("Give a fresh X-Casework-Nonce of 16 to 128 letters, digits, “-” or “_”.")
            )
        signed = {
            "method": request.method,
            "path": _signed_path(request),
            "timestamp": timestamp,
            "nonce": nonce,
            "body": request._request.body,
        }
        for endpoint in Endpoint.objects.filter(department__code=code, active=True).select_related(
            "department"
        ):
            if request_signature_valid(endpoint.secret, signature, **signed):
                # Only a correctly signed request spends its nonce: a stranger cannot burn a department's.
                if not feedback_nonce_fresh(endpoint.department.code, nonce):
                    raise exceptions.AuthenticationFailed(_("This request was received before (a replay)."))
                return DepartmentSystem(department=endpoint.department), endpoint
        raise exceptions.AuthenticationFailed(_("The signature does not match the department's secret."))

    def authenticate_header(self, request):
        return "Casework-Signature"


class SignatureScheme(OpenApiAuthenticationExtension):
    target_class = "integration.authentication.SignatureAuthentication"
    name = "departmentSignature"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": HEADER_SIGNATURE,
            "description": (
                "sha256=<hex HMAC-SHA256 of '<METHOD>\\n<path>\\n<X-Casework-Timestamp>\\n<X-Casework-Nonce>\\n"
                "<body>' with the department endpoint's secret>; with X-Casework-Department, "
                "X-Casework-Timestamp and X-Casework-Nonce (see docs/integration.md)."
            ),
        }
