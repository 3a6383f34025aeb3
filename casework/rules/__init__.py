"""Versioned rule sets (DESIGN invariant 7: rules are data, and the data is read).

Each profile ships as a dict with a version. Loading it checks it against the typed schema (`schema.py`):
a profile with an unknown or missing key, a wrong type, or step budgets that cannot fit its clocks is refused
with an error naming the key. The first use stores it as a `RuleSet` row; a case points at that row for life.
Changing a profile's content means a new version: re-using a version with different content is refused,
because running cases would silently change under their clerks.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import local_plan, national_2026
from .schema import RuleSetInvalid, RuleSetSpec, rule_set_load

__all__ = ["PROFILES", "RuleSetInvalid", "RuleSetSpec", "active_rule_set", "active_rules", "rule_set_load"]

# Checked at import: a bad profile stops the deployment from starting, not a clerk at a case.
PROFILES = {rules["profile"]: rules for rules in (national_2026.RULES, local_plan.RULES)}
for _rules in PROFILES.values():
    rule_set_load(_rules)


_CHECKED: list[dict] = []  # the profile contents already checked (by identity: a replaced profile is checked)


def active_rules() -> dict:
    """The content of the deployment's active profile, without the database: for rules that apply to what
    has no case (a sweep, a record's listing period, an execution mismatch). The stored row has the same
    content (`active_rule_set` refuses a version stored with other content). ImproperlyConfigured for an
    unknown profile."""
    try:
        return PROFILES[settings.CASEWORK_RULE_PROFILE]
    except KeyError:
        raise ImproperlyConfigured(
            f"CASEWORK_RULE_PROFILE={settings.CASEWORK_RULE_PROFILE!r} is not one of {', '.join(sorted(PROFILES))}."
        ) from None


def active_rule_set():
    """The stored rule set of the deployment's active profile (settings.CASEWORK_RULE_PROFILE).

    Raises ImproperlyConfigured for an unknown profile, RuleSetInvalid for content that fails the schema,
    and ImproperlyConfigured when the version is already stored with other content.
    """
    from casework.models import RuleSet

    profile = settings.CASEWORK_RULE_PROFILE
    try:
        rules = PROFILES[profile]
    except KeyError:
        raise ImproperlyConfigured(
            f"CASEWORK_RULE_PROFILE={profile!r} is not one of {', '.join(sorted(PROFILES))}."
        ) from None
    if not any(
        checked is rules for checked in _CHECKED
    ):  # each profile's content is checked once per process
        rule_set_load(rules)
        _CHECKED.append(rules)
    rule_set, created = RuleSet.objects.get_or_create(
        version=rules["version"],
        defaults={"profile": rules["profile"], "title": rules["title"], "data": rules},
    )
    if not created and rule_set.data != rules:
        raise ImproperlyConfigured(
            f"Rule set {rules['version']} is stored with other content; give the changed rules a new version."
        )
    return rule_set
