from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from casework import outbox

        from . import subscribers
        from .services import outbox_kind

        outbox.register(outbox_kind())
        subscribers.connect()  # messages for every domain event (casework/events/)
