from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integration"
    verbose_name = _("Integration (push, execution feedback, import)")

    def ready(self):
        from casework import events, outbox
        from casework.services.redating import redater_register

        from .feedback import feedback_redate, sanction_changed, sanction_changed_many
        from .push import outbox_kind, push_accountability_many, push_accountability_on, push_case_result_on

        outbox.register(outbox_kind())
        # Deliveries are rows written in the publishing transaction; they are sent after commit.
        events.subscribe(push_case_result_on, events.CaseEvent)
        events.subscribe(sanction_changed, events.SanctionEvent, batch=sanction_changed_many)
        events.subscribe(
            push_accountability_on,
            events.RecordPublicationEnded,
            events.HistoryCheckpointed,
            batch=push_accountability_many,
        )
        # Execution-feedback escalation days are counted in working days: re-date them with the rest when
        # an administrator enters or corrects a calendar year.
        redater_register("integration.feedback", feedback_redate)
