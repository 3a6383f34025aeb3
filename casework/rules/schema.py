"""The typed shape of a rule set, checked when a profile is loaded (docs/rules.md).

A profile is authored as a JSON-compatible dict (it is stored as such on `RuleSet.data`, so a case's rules
can be read back years later). Loading it builds these frozen dataclasses: an unknown key, a missing key,
a value of the wrong type, a step department no code resolves, or step budgets whose longest path does not
fit the case's clocks is refused with an error naming the key, before any case is filed under it.

Every field here is read by code (the comment on each says where); a key the code stops reading must go
from the schema and the profiles together.
"""

import types
import typing
from dataclasses import MISSING, dataclass, field, fields, is_dataclass

from django.core.exceptions import ImproperlyConfigured

# The names casework.services.offices.department_for_step resolves (kept here so rules load without models).
STEP_DEPARTMENTS = (
    "receiving_office",
    "provider",
    "district_office",
    "city_office",
    "province_office",
    "court",
)
DECIDING_LEVELS = ("provider", "district", "city", "province")


class RuleSetInvalid(ImproperlyConfigured):
    """A profile that does not match the schema; the message names the key (e.g. `case_kinds.repair.steps`)."""


@dataclass(frozen=True)
class StepRules:
    department: str  # which department gets the task (flows/nodes.py via services/offices.py)
    budget_days: int  # working days (flows/nodes.py → task deadline)
    basis: str  # the legal source, shown on the reviewer's rule panel (web/workspace.py)
    budget_days_by_department_kind: dict[str, int] = field(default_factory=dict)  # flows/nodes.py
    max_total_days: int | None = None  # extension ceiling, working days (services/tasks.py)

    def longest_budget(self) -> int:
        """The largest budget any department may get for this step."""
        return max([self.budget_days, *self.budget_days_by_department_kind.values()])


@dataclass(frozen=True)
class CaseKindRules:
    basis: str  # notices (documents/letters.py)
    remedies: str  # notices and messages (services/cases.py, documents/letters.py)
    case_budget_days: int  # the legal clock, working days (services/deadlines.py)
    service_norm_days: int  # the office's service norm, working days (services/deadlines.py)
    steps: dict[str, StepRules]
    # Every way through the case's flow, as step names in order: the legal-budget check reads them here.
    paths: list[list[str]]
    sources: list[str] = field(default_factory=list)  # notices (documents/letters.py)
    # objection (services/objection.py)
    suspend_sanctions: dict[str, bool] = field(default_factory=dict)
    # repair (services/eligibility.py, services/repair.py)
    record_kinds: list[str] = field(default_factory=list)
    min_months_by_severity: dict[str, int] = field(default_factory=dict)
    minor_repair_at_once: bool = False
    training_required_for: list[str] = field(default_factory=list)
    public_welfare_instead_of_training: bool = False
    decided_by: str = "provider"
    # list exit (services/eligibility.py, services/list_exit.py, services/records.py)
    min_listed_months: int = 0
    no_heavier_penalty_since: bool = False
    publicity_days: int = 0
    listing_years: dict[str, int] = field(default_factory=dict)
    court_deletion_grounds: dict[str, str] = field(default_factory=dict)
    # review (复核) of an objection's result (services/review.py): working days after the result notice
    # within which the subject may ask, once, for the review
    window_days: int = 0

    def longest_path(self) -> tuple[int, list[str]]:
        """(working days, step names) of the path whose step budgets add up to the most."""
        return max((sum(self.steps[s].longest_budget() for s in path), path) for path in self.paths)


@dataclass(frozen=True)
class EscalationRules:  # services/escalation.py and integration/feedback.py
    remind_at_fraction: float
    remind_days_before_due: int
    overdue_notice_days_after_due: int
    supervise_days_overdue: int
    feedback_mismatch_days: int


@dataclass(frozen=True)
class PublicationRules:  # services/publication.py: publication of a penalty ends by itself (docs/domain.md §9.7)
    record_kinds: list[str]
    months_by_severity: dict[str, int]
    warning_months: int
    sources: list[str]


@dataclass(frozen=True)
class RuleSetSpec:
    version: str  # RuleSet.version: a case keeps it for life
    profile: str  # settings.CASEWORK_RULE_PROFILE
    title: str  # the reviewer's rule panel
    sources: list[str]  # notices, when a kind names none
    case_kinds: dict[str, CaseKindRules]
    escalation: EscalationRules
    publication: PublicationRules | None = None


def _fail(path: str, message: str) -> typing.NoReturn:
    raise RuleSetInvalid(f"{path}: {message}")


def _build(tp, value, path: str):
    """`value` checked against the type `tp` (dataclass, dict, list, scalar, optional), built, or refused."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _build(inner, value, path)
    if is_dataclass(tp):
        if not isinstance(value, dict):
            _fail(path, f"expected a mapping, got {type(value).__name__}")
        hints = typing.get_type_hints(tp)
        known = {f.name for f in fields(tp)}
        for key in value:
            if key not in known:
                _fail(f"{path}.{key}", f"unknown key (known: {', '.join(sorted(known))})")
        built = {}
        for f in fields(tp):
            if f.name in value:
                built[f.name] = _build(hints[f.name], value[f.name], f"{path}.{f.name}")
            elif f.default is MISSING and f.default_factory is MISSING:
                _fail(f"{path}.{f.name}", "missing")
        return tp(**built)
    if origin is dict:
        if not isinstance(value, dict):
            _fail(path, f"expected a mapping, got {type(value).__name__}")
        return {str(k): _build(args[1], v, f"{path}.{k}") for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list | tuple):
            _fail(path, f"expected a list, got {type(value).__name__}")
        return [_build(args[0], v, f"{path}[{i}]") for i, v in enumerate(value)]
    if tp is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, tp)
    if not ok:
        _fail(path, f"expected {tp.__name__}, got {value!r}")
    return value


def _check(spec: RuleSetSpec) -> None:
    """What the types cannot say: names that must resolve, and budgets that must fit the clocks."""
    for kind, rules in spec.case_kinds.items():
        at = f"case_kinds.{kind}"
        for name, step in rules.steps.items():
            if step.department not in STEP_DEPARTMENTS:
                _fail(
                    f"{at}.steps.{name}.department",
                    f"{step.department!r} is not one of {', '.join(STEP_DEPARTMENTS)}",
                )
            if step.budget_days < 1:
                _fail(f"{at}.steps.{name}.budget_days", "a step needs at least 1 working day")
        on_paths = {s for path in rules.paths for s in path}
        for i, path in enumerate(rules.paths):
            for name in path:
                if name not in rules.steps:
                    _fail(f"{at}.paths[{i}]", f"names the step {name!r}, which is not in steps")
        for name in rules.steps:
            if name not in on_paths:
                _fail(f"{at}.steps.{name}", "is on no path (list it in paths)")
        if not rules.paths:
            _fail(f"{at}.paths", "name at least one path through the steps")
        if rules.decided_by not in DECIDING_LEVELS:
            _fail(f"{at}.decided_by", f"{rules.decided_by!r} is not one of {', '.join(DECIDING_LEVELS)}")
        # docs/domain.md §9.9: a case whose every step finishes on its due date is
        # on time on every clock, so the longest path must fit the service norm, and that the legal budget.
        days, path = rules.longest_path()
        if days > rules.case_budget_days:
            _fail(
                f"{at}.case_budget_days",
                f"{rules.case_budget_days} working days, but the steps {' + '.join(path)} take up to {days}",
            )
        if days > rules.service_norm_days:
            _fail(
                f"{at}.service_norm_days",
                f"{rules.service_norm_days} working days, but the steps {' + '.join(path)} take up to {days}",
            )
        if rules.service_norm_days > rules.case_budget_days:
            _fail(f"{at}.service_norm_days", "the service norm may not be longer than the legal budget")


def rule_set_load(data: dict) -> RuleSetSpec:
    """Build and check a profile. Raises RuleSetInvalid naming the offending key, prefixed by the version."""
    version = data.get("version", "?") if isinstance(data, dict) else "?"
    try:
        spec = _build(RuleSetSpec, data, "rules")
        _check(spec)
    except RuleSetInvalid as exc:
        raise RuleSetInvalid(f"Rule set {version}: {exc}") from None
    return spec
