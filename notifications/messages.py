"""What each event says, in the recipient's language (zh-hans by default, English second)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

TEMPLATES = {
    "case_filed": (
        _("Application %(number)s received"),
        _("Your application %(number)s was received and is with %(office)s for acceptance."),
    ),
    "case_materials_requested": (
        _("Materials needed for %(number)s"),
        _(
            "%(office)s needs the following before it can accept %(number)s: %(materials)s. "
            "The time limit is paused until they arrive."
        ),
    ),
    "case_materials_received": (
        _("Materials received for %(number)s"),
        _("The supplementary materials for %(number)s were received; the time limit runs again."),
    ),
    "case_refused": (
        _("Application %(number)s not accepted"),
        _("%(office)s did not accept %(number)s. Reason: %(reason)s. %(remedies)s"),
    ),
    "case_accepted": (
        _("Objection %(number)s accepted"),
        _(
            "%(office)s accepted objection %(number)s. The disputed records are marked as under objection "
            "and the sanctions on them are suspended while %(provider)s verifies them (due %(due_on)s)."
        ),
    ),
    "objection_upheld": (
        _("Objection %(number)s: record upheld"),
        _(
            "%(provider)s verified the record and found it accurate. The objection mark is removed and "
            "suspended sanctions apply again. Reason: %(reason)s. %(remedies)s"
        ),
    ),
    "objection_corrected": (
        _("Objection %(number)s: record corrected"),
        _(
            "%(provider)s found the record inaccurate and corrected it. The sanctions taken because of it "
            "are revoked and your credit standing is restored. Reason: %(reason)s. %(remedies)s"
        ),
    ),
    "objection_deleted": (
        _("Objection %(number)s: record deleted"),
        _(
            "%(provider)s found the record wrong and deleted it. The sanctions taken because of it are "
            "revoked and your credit standing is restored. Reason: %(reason)s. %(remedies)s"
        ),
    ),
    "sanction_suspend": (
        _("Sanction suspended: %(measure)s"),
        _("Stop applying the measure “%(measure)s” while the record is verified (%(note)s)."),
    ),
    "sanction_resume": (
        _("Sanction in force again: %(measure)s"),
        _("The measure “%(measure)s” applies again (%(note)s)."),
    ),
    "sanction_revoke": (
        _("Sanction revoked: %(measure)s"),
        _("The measure “%(measure)s” was applied because of a wrong record and is revoked (%(note)s)."),
    ),
    "sanction_lift": (
        _("Sanction lifted: %(measure)s"),
        _("The measure “%(measure)s” is lifted (%(note)s)."),
    ),
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def render(event: str, context: dict, language: str = "zh-hans") -> tuple[str, str]:
    title, body = TEMPLATES.get(event, (event, ""))
    values = _Blank(context)
    with translation.override(language):
        return str(title) % values, str(body) % values
