from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Credit casework")

    def ready(self):
        from . import calendar, events
        from .services.documents import notice_on

        calendar.connect_signals()
        events.subscribe(notice_on, events.CaseEvent)  # PDF notices: rows in the publishing transaction
