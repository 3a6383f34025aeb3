"""API token authentication with expiry (see casework/api/tokens.py for issuing and revoking).

Kept apart from views and schema code: DRF imports its DEFAULT_AUTHENTICATION_CLASSES while
`rest_framework.views` is still loading, so this module imports nothing that imports views.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_expires_at(token):
    return token.created + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused (401) once the token is older than its lifetime."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if timezone.now() >= token_expires_at(token):
            raise exceptions.AuthenticationFailed(
                _("This API token has expired. Ask an administrator for a new one.")
            )
        return user, token
