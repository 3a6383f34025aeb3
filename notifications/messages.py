"""What each domain event (casework/events/) says, in the recipient's language (zh-hans by default, English
second), and on which channels it goes out.

Every event has a template here unless it is declared `silent`, and every template names only fields of its
event's payload (both are tested). A message about a case names the kind of case (`%(kind)s`) unless the event
belongs to one kind only, whose own words it then uses.
"""

import logging

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from casework.models import CaseKind, Outcome

from .models import Channel

logger = logging.getLogger(__name__)

# Everyone gets every message in the app, and by e-mail when they gave an address. What cannot wait — a
# decision on one's own case, a task overdue or under supervision — also goes by SMS to a given number.
URGENT_EVENTS = {
    "case_refused",
    "case_materials_requested",
    "case_materials_reminder",
    "case_withdrawn",
    "objection_upheld",
    "objection_corrected",
    "objection_deleted",
    "objection_supplemented",
    "objection_publication_stopped",
    "objection_removed_from_list",
    "review_decided",
    "task_overdue",
    "task_supervise",
}


def channels_for(event: str, user) -> list[str]:
    channels = [Channel.INAPP]
    if user.email:
        channels.append(Channel.EMAIL)
    if user.phone and event in URGENT_EVENTS:
        channels.append(Channel.SMS)
    return channels


TEMPLATES = {
    "case_filed": (
        _("Application %(number)s received"),
        _("Your application %(number)s (%(kind)s) was received and is with %(office)s for acceptance."),
    ),
    "case_materials_requested": (
        _("Materials needed for %(number)s"),
        _(
            "%(office)s needs the following before it can accept %(number)s (%(kind)s): %(materials)s. "
            "Send them by %(due_on)s; the time limit is paused until they arrive, and after that day the "
            "application is treated as withdrawn."
        ),
    ),
    "case_materials_reminder": (
        _("Reminder: materials for %(number)s due by %(due_on)s"),
        _(
            "%(office)s is still waiting for the materials asked for on %(number)s (%(kind)s): %(materials)s. "
            "Send them by %(due_on)s; after that day the application is treated as withdrawn."
        ),
    ),
    "case_withdrawn": (
        _("Application %(number)s treated as withdrawn"),
        _(
            "The materials asked for on %(number)s (%(kind)s) did not arrive by %(due_on)s, so %(office)s "
            "treats the application as withdrawn and has closed it. %(reason)s"
        ),
    ),
    "case_materials_received": (
        _("Materials received for %(number)s"),
        _("The supplementary materials for %(number)s (%(kind)s) were received; the time limit runs again."),
    ),
    "case_refused": (
        _("Application %(number)s not accepted"),
        _("%(office)s did not accept %(number)s (%(kind)s). Reason: %(reason)s. %(remedies)s"),
    ),
    "case_accepted": (
        _("Objection %(number)s accepted"),
        _(
            "%(office)s accepted objection %(number)s. The disputed records have been marked as under "
            "objection since you filed it; the joint sanctions on them are suspended while they are checked "
            "(the court list stays in force during the court's review). Answer due %(due_on)s."
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
    "objection_forwarded": (
        _("Objection %(number)s forwarded for verification"),
        _(
            "%(office)s checked objection %(number)s and found no error of its own; it has forwarded it to "
            "%(provider)s, which verifies the record. Answer due %(due_on)s."
        ),
    ),
    "objection_supplemented": (
        _("Objection %(number)s: record supplemented"),
        _(
            "%(provider)s found that the record left something out and supplemented it. The sanctions taken "
            "because of the omission are revoked and your credit standing is restored. Reason: %(reason)s. "
            "%(remedies)s"
        ),
    ),
    "objection_publication_stopped": (
        _("Objection %(number)s: publication stopped"),
        _(
            "%(provider)s found the record was still published after its publication period and stopped "
            "publishing it. The sanctions taken because of it are revoked and your credit standing is "
            "restored. Reason: %(reason)s. %(remedies)s"
        ),
    ),
    "objection_removed_from_list": (
        _("Objection %(number)s: removed from the list"),
        _(
            "%(provider)s found you were wrongly listed, or not removed when due, and removed you from the "
            "list. The sanctions taken because of it are revoked and your credit standing is restored. "
            "Reason: %(reason)s. %(remedies)s"
        ),
    ),
    "review_decided": (
        _("Review %(number)s decided"),
        _(
            "%(office)s reviewed the result of objection %(objection)s (复核): %(outcome)s. Reason: %(reason)s. "
            "%(remedies)s"
        ),
    ),
    "task_remind": (
        _("Reminder: %(number)s is due on %(due_on)s"),
        _(
            "%(department)s: step “%(step)s” of %(number)s has used 60%% of its time limit; it is due on %(due_on)s."
        ),
    ),
    "task_remind_before_due": (
        _("Due tomorrow: %(number)s"),
        _("%(department)s: step “%(step)s” of %(number)s is due on %(due_on)s, the next working day."),
    ),
    "task_overdue": (
        _("Overdue (催办): %(number)s"),
        _(
            "%(department)s: step “%(step)s” of %(number)s was due on %(due_on)s and is overdue. "
            "Complete it now; the credit office will supervise it if it stays overdue."
        ),
    ),
    "task_supervise": (
        _("Under supervision (督办): %(number)s"),
        _(
            "Step “%(step)s” of %(number)s at %(department)s was due on %(due_on)s and is five working days "
            "overdue. The credit office supervises it and may reassign it."
        ),
    ),
    "task_reassigned": (
        _("Task assigned to you: %(number)s"),
        _(
            "Step “%(step)s” of %(number)s was assigned to %(department)s%(assignee)s (due %(due_on)s). Reason: %(reason)s"
        ),
    ),
    "calendar_warning": (
        _("Due dates not yet final: %(count)s cases"),
        _(
            "The working-day calendar for %(years)s has not been entered, so these cases' due dates are "
            "provisional: %(cases)s. Enter the State Council schedule under Calendar years."
        ),
    ),
    # -- repair, list exit, bankruptcy restructuring (issue 3) --
    "case_too_early": (
        _("Application for %(subject)s refused: too early"),
        _(
            "Your %(kind)s application for %(subject)s came before the minimum period. %(reason)s "
            "You can apply again from %(reapply_on)s."
        ),
    ),
    "repair_accepted": (
        _("Repair application %(number)s accepted"),
        _("%(office)s accepted repair application %(number)s; %(provider)s now verifies it."),
    ),
    "repair_reported": (
        _("Repair %(number)s reported upward"),
        _(
            "The verification of %(number)s is favourable; it is reported level by level (逐级上报) for decision."
        ),
    ),
    "repair_granted": (
        _("Decision: credit repaired (%(number)s)"),
        _(
            "Your credit is repaired (%(number)s): the records no longer appear in public and the sanctions "
            "taken because of them are lifted. The result is sent to the national credit platform. %(reason)s"
        ),
    ),
    "repair_rejected": (
        _("Decision: repair refused (%(number)s)"),
        _("The repair %(number)s was refused. Reason: %(reason)s. %(remedies)s"),
    ),
    "platform_push": (
        _("For the national credit platform: %(number)s"),
        _(
            "Push the result of %(number)s (%(kind)s: %(outcome)s) to the national credit platform. "
            "Records: %(records)s."
        ),
    ),
    "list_exit_accepted": (
        _("List exit application %(number)s accepted"),
        _(
            "%(office)s accepted the application %(number)s to leave the list; %(provider)s now verifies that "
            "the conditions for leaving it are met."
        ),
    ),
    "list_exit_publicity": (
        _("List exit %(number)s published for comment"),
        _(
            "The intended removal of %(number)s from the list is published until %(publicity_until)s (公示). "
            "An objection during that time holds it until the objection is decided."
        ),
    ),
    "list_exit_held": (
        _("List exit %(number)s held by an objection"),
        _(
            "An objection (%(objection)s) was filed against list exit %(number)s; the exit waits for its result."
        ),
    ),
    "list_exit_resumed": (
        _("List exit %(number)s: publicity resumes"),
        _(
            "The objection (%(objection)s) against list exit %(number)s was found unfounded. The publicity "
            "period resumes with the %(days_left)s working days that were left and ends on %(publicity_until)s."
        ),
    ),
    "list_exit_removed": (
        _("Decision: removed from the list (%(number)s)"),
        _(
            "You are removed from the list (%(number)s); the sanctions taken because of the listing are lifted. "
            "%(reason)s"
        ),
    ),
    "list_exit_rejected": (
        _("Decision: list exit refused (%(number)s)"),
        _("The list exit %(number)s was refused. Reason: %(reason)s. %(remedies)s"),
    ),
    "list_exit_expired": (
        _("Listing ended: %(subject)s"),
        _(
            "The listing of %(subject)s (%(summary)s) reached the end of its period on %(listed_until)s and is "
            "removed; the sanctions taken because of it are lifted."
        ),
    ),
    "exit_objection_filed": (
        _("Objection %(number)s received"),
        _("Your objection %(number)s against list exit %(exit)s was received; %(provider)s verifies it."),
    ),
    "exit_objection_decided": (
        _("Objection %(number)s decided"),
        _(
            "Your objection %(number)s against list exit %(exit)s was decided: %(outcome)s. Reason: %(reason)s"
        ),
    ),
    "bankruptcy_shielded": (
        _("Restructuring repair %(number)s: records shielded"),
        _(
            "On the court's ruling the records of %(number)s are shielded and the sanctions lifted by "
            "%(departments)s. Report the completion of the plan to have them fully repaired."
        ),
    ),
    "bankruptcy_refused": (
        _("Restructuring repair %(number)s refused"),
        _("No department shielded a record of %(number)s. Reasons: %(reason)s. %(remedies)s"),
    ),
    "bankruptcy_repaired": (
        _("Decision: fully repaired (%(number)s)"),
        _("The restructuring plan was carried out; the records of %(number)s are fully repaired. %(reason)s"),
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
    # accountability (issues 10, 11)
    "record_publication_ended": (
        _("Publication ended: penalty of %(decided_on)s"),
        _(
            "The administrative penalty decided on %(decided_on)s is no longer published: its publication "
            "period ended on %(ended_on)s (%(summary)s)."
        ),
    ),
    "monthly_submission_reminder": (
        _("Monthly data for %(month)s due by %(due_on)s"),
        _("%(department)s has not yet submitted its data for %(month)s; it is due by %(due_on)s."),
    ),
    "monthly_submission_late": (
        _("Monthly data for %(month)s is late"),
        _("%(department)s did not submit its data for %(month)s by %(due_on)s."),
    ),
    "history_checkpoint": (
        _("History checkpoint #%(seq)s"),
        _(
            "The history was anchored at %(at)s: %(streams)s streams, %(events)s events, Merkle root "
            "%(root)s. Keep this root: verify_history compares the history with it."
        ),
    ),
    "sanction_feedback_mismatch": (
        _("Sanction not aligned: %(measure)s"),
        _(
            "%(department)s reports the measure “%(measure)s” as %(their_state)s, but it is %(our_state)s here "
            "since %(since)s — more than %(days)s working days. Align it or report its actual state."
        ),
    ),
}


# Payload values that are enumeration values, named in the recipient's language when the message is written.
LABELS = {"kind": CaseKind, "outcome": Outcome}


class _Blank(dict):
    """Older outbox rows were queued from free-form contexts; a key they lack reads as empty (and is logged)
    rather than failing a delivery that can never succeed. New rows come from typed events and lack nothing."""

    def __missing__(self, key):
        logger.warning("Message placeholder %r has no value.", key)
        return ""


def _labelled(context: dict) -> dict:
    values = dict(context)
    for key, choices in LABELS.items():
        if values.get(key) in choices.values:
            values[key] = str(choices(values[key]).label)
    return values


def render(event: str, context: dict, language: str = "zh-hans", *, strict: bool = False) -> tuple[str, str]:
    """Title and body of an event's message in `language`. `strict`: a placeholder without a value raises
    `KeyError` (the tests render every template so); otherwise it reads as empty text."""
    title, body = TEMPLATES.get(event, (event, ""))
    with translation.override(language):
        values = _labelled(context)
        values = values if strict else _Blank(values)
        return str(title) % values, str(body) % values
