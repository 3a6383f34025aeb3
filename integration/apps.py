from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integration"
    verbose_name = _("Integration (push, execution feedback, import)")

    def ready(self):
        from casework import outbox
        from casework.services.redating import redater_register

        from .feedback import feedback_redate
        from .push import outbox_kind

        outbox.register(outbox_kind())
        # Execution-feedback escalation days are counted in working days: re-date them with the rest when
        # an administrator enters or corrects a calendar year.
        redater_register("integration.feedback", feedback_redate)
