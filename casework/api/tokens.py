"""API tokens that expire and can be revoked.

A token is valid for API_TOKEN_LIFETIME_DAYS calendar days from its creation (default 90); after that the
API answers 401 and the user needs a new one (`manage.py issue_token USERNAME`, which also revokes the old
one). A user revokes their own token with `DELETE /api/v1/auth/token/`; an administrator revokes anyone's
with `manage.py revoke_token USERNAME`. One token per user (DRF's `Token`), so issuing replaces.
"""

from django.db import transaction
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "casework.api.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`; a token expires after API_TOKEN_LIFETIME_DAYS days (90 by default) "
            "and can be revoked.",
        }


@transaction.atomic
def token_issue(user) -> str:
    """A new token for `user`, replacing (revoking) the one they had. Returns the key."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def token_revoke(user) -> bool:
    """Revoke the user's token; False if they had none."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return bool(deleted)


class TokenRevokeApi(APIView):
    @extend_schema(
        summary="Revoke your own API token",
        description="The token used for this request stops working at once. A new one is issued by an "
        "administrator (`manage.py issue_token USERNAME`).",
        request=None,
        responses={204: None},
    )
    def delete(self, request):
        token_revoke(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
