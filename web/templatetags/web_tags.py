from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from web.countdown import countdown

register = template.Library()


@register.inclusion_tag("web/countdown.html")
def due_countdown(deadline, today=None):
    today = today or timezone.localdate()
    c = countdown(deadline, today)
    if c.paused:
        label, tone = _("paused (补正)"), "paused"
    elif c.days is None:
        label, tone = _("provisional"), "provisional"
    elif c.overdue:
        label = ngettext("%(n)d working day overdue", "%(n)d working days overdue", c.overdue_days) % {
            "n": c.overdue_days
        }
        tone = "overdue"
    elif c.due_today:
        label, tone = _("due today"), "soon"
    else:
        label = ngettext("%(n)d working day left", "%(n)d working days left", c.days) % {"n": c.days}
        tone = "soon" if c.days <= 1 else "ok"
    return {"deadline": deadline, "label": label, "tone": tone, "provisional": c.provisional}


@register.simple_tag(takes_context=True)
def url_with(context, **params):
    """The current page's query string with some parameters replaced (sorting, filtering, paging)."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query[key] = value
    if "page" not in params:
        query.pop("page", None)
    if "cursor" not in params:  # a keyset cursor belongs to one sort and filter: a new one starts over
        query.pop("cursor", None)
    return "?" + query.urlencode()


@register.filter
def state_tone(state: str) -> str:
    return {
        "closed": "done",
        "done": "done",
        "lifted": "done",
        "revoked": "done",
        "refused": "bad",
        "active": "bad",
        "awaiting_materials": "warn",
        "waiting": "warn",
        "suspended": "warn",
        "disputed": "warn",
    }.get(state, "info")


@register.filter
def step_name(step: str) -> str:
    from web.labels import step_label

    return step_label(step)


@register.filter
def action_name(action: str) -> str:
    from web.labels import action_label

    return action_label(action)


@register.filter
def state_name(state: str) -> str:
    from web.labels import state_label

    return state_label(state)


@register.filter
def decision_name(task) -> str:
    from web.labels import decision_label

    return decision_label(task)
