from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Credit casework")

    def ready(self):
        from . import calendar, events, outbox
        from .services import documents

        calendar.connect_signals()
        outbox.register(documents.outbox_kind())
        events.subscribe(
            documents.notice_on, events.CaseEvent
        )  # PDF notices: rows in the publishing transaction
