from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The three faces: portal (subjects), workspace (reviewers), supervision (supervisors)."""

    name = "web"
    verbose_name = _("Web interface")
