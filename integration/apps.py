from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integration"
    verbose_name = _("Integration (push, execution feedback, import)")

    def ready(self):
        from casework import outbox

        from .push import outbox_kind

        outbox.register(outbox_kind())
