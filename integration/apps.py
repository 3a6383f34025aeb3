from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integration"
    verbose_name = _("Integration (push, execution feedback, import)")

    def ready(self):
        from casework import events, outbox

        from .feedback import sanction_changed
        from .push import outbox_kind, push_case_result_on

        outbox.register(outbox_kind())
        # Deliveries are rows written in the publishing transaction; they are sent after commit.
        events.subscribe(push_case_result_on, events.CaseEvent)
        events.subscribe(sanction_changed, events.SanctionEvent)
