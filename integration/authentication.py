"""Feedback signed by a department's system: HMAC of the department's endpoint secret (see signing.py)."""

import time
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from casework.models import Department

from .models import Endpoint
from .signing import HEADER_DEPARTMENT, HEADER_SIGNATURE, HEADER_TIMESTAMP, MAX_SKEW_SECONDS, signature_valid


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


class SignatureAuthentication(authentication.BaseAuthentication):
    """Signed requests only; anything unsigned falls through to token or session authentication."""

    def authenticate(self, request):
        signature = _header(request, HEADER_SIGNATURE)
        if not signature:
            return None
        code, timestamp = _header(request, HEADER_DEPARTMENT), _header(request, HEADER_TIMESTAMP)
        try:
            fresh = abs(time.time() - int(timestamp)) <= MAX_SKEW_SECONDS
        except ValueError:
            fresh = False
        if not fresh:
            raise exceptions.AuthenticationFailed(_("The timestamp is missing or too far from now."))
        body = request._request.body
        for endpoint in Endpoint.objects.filter(department__code=code, active=True).select_related(
            "department"
        ):
            if signature_valid(endpoint.secret, timestamp, body, signature):
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
                "sha256=<hex HMAC-SHA256 of '<X-Casework-Timestamp>.<body>' with the department endpoint's "
                "secret>; with X-Casework-Department and X-Casework-Timestamp (see docs/integration.md)."
            ),
        }
