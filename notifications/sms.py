"""The SMS channel behind an adapter, so a province plugs in its own gateway (settings.NOTIFICATIONS_SMS_GATEWAY).

A gateway must treat `idempotency_key` as the client message id and drop a second send with the same key:
that is what makes a resend after a crashed worker harmless (see notifications/services.py).
"""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


class SmsGateway(Protocol):
    def send(self, *, phone: str, text: str, idempotency_key: str) -> None: ...


class LoggingSmsGateway:
    """Ships by default: writes the message to the log instead of a phone network."""

    def send(self, *, phone: str, text: str, idempotency_key: str) -> None:
        logger.info("SMS %s to %s: %s", idempotency_key, phone, text)


def sms_gateway() -> SmsGateway:
    return import_string(settings.NOTIFICATIONS_SMS_GATEWAY)()
