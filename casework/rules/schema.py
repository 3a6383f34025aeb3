"""The typed shape of a rule set, checked when a profile is loaded (docs/rules.md).

A profile is authored as a JSON-compatible dict (it is stored as such on `RuleSet.data`, so a case's rules
can be read back years later). Loading it builds these frozen dataclasses: an unknown key, a missing key,
a value of the wrong type, a step department no code resolves, or step budgets whose longest path does not
fit the case's clocks is refused with an error naming the key, before any case is filed under it.

Every field here is read by code (the comment on each says where); a key the code stops reading must go
from the schema and the profiles together.
"""

import math
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
SEVERITIES = ("minor", "general", "serious")


class RuleSetInvalid(ImproperlyConfigured):
    """A profile that does not match the schema; the message names the key (e.g. `case_kinds.repair.steps`)."""


@dataclass(frozen=True)
class StepRules:
    department: str  # which department gets the task (flows/nodes.py via services/offices.py)
    budget_days: int  # working days (flows/nodes.py → task deadline)
    basis: str  # the legal source, shown on the reviewer's rule panel (web/workspace.py)
    budget_days_by_department_kind: dict[str, int] = field(default_factory=dict)  # flows/nodes.py
    max_total_days: int | None = None  # extension ceiling, in the budget's unit (services/tasks.py)
    # The budget counts calendar days, not working days (法释〔2017〕7号 art. 11: the court's review within
    # 15 days); services/deadlines.py and flows/nodes.py.
    calendar_days: bool = False
    # The budget runs from the case's filing, not from the step's opening (flows/nodes.py); only a step a
    # case is routed to (`route_by_record_kind`) may say so, and its budget is then the case's clock.
    from_filing: bool = False

    def longest_budget(self) -> int:
        """The largest budget any department may get for this step, in its unit. A calendar-day budget of n
        days holds at most n working days, so n also bounds it in working days."""
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
    # A record kind whose cases take a step of their own, on that step's clock from filing (services/
    # deadlines.py `case_route_step`, flows/objection.py): the court list's correction review.
    route_by_record_kind: dict[str, str] = field(default_factory=dict)
    # The outcomes the credit office may apply itself at its self-check (services/objection.py, flows).
    self_check_outcomes: list[str] = field(default_factory=list)
    # repair (services/eligibility.py, services/repair.py)
    record_kinds: list[str] = field(default_factory=list)
    min_months_by_severity: dict[str, int] = field(default_factory=dict)
    # What the deciding department checks for a record of this severity, with its source, where the rules
    # make the check simpler (the reviewer's rule panel: web/workspace.py). The department still decides
    # (谁认定谁修复, docs/domain.md §9.8): no severity is repaired without its decision.
    checks_by_severity: dict[str, str] = field(default_factory=dict)
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

    def routed(self, path: list[str]) -> bool:
        """Whether `path` ends in a step counted from filing: its clock is that step's own, not the kind's."""
        return bool(path) and self.steps[path[-1]].from_filing

    def longest_path(self) -> tuple[int, list[str]]:
        """(working days, step names) of the path whose step budgets add up to the most, among the paths
        on the kind's clocks (a routed path runs on its last step's clock, `_check` checks it apart)."""
        on_clock = [path for path in self.paths if not self.routed(path)] or [[]]
        return max((sum(self.steps[s].longest_budget() for s in path), path) for path in on_clock)


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
class KindCitations:  # rules/citations.py: what an office of the province cites for one case kind
    basis: str = ""  # replaces the kind's `basis` on notices
    sources: list[str] = field(default_factory=list)  # the province's instruments, listed before the national
    steps: dict[str, str] = field(default_factory=dict)  # step → basis on the reviewer's rule panel


@dataclass(frozen=True)
class ProvinceCitations:
    province: str  # the province's name, for people reading the rules
    case_kinds: dict[str, KindCitations]


@dataclass(frozen=True)
class SupplementRules:  # services/supplement.py: the 补正 deadline (docs/domain.md §9.10)
    answer_days: int  # working days from the request to the last day the materials may arrive
    remind_days_before: int  # working days before that last day the subject is reminded
    basis: str  # notices and the portal: where the numbers come from
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RuleSetSpec:
    version: str  # RuleSet.version: a case keeps it for life
    profile: str  # settings.CASEWORK_RULE_PROFILE
    title: str  # the reviewer's rule panel
    sources: list[str]  # notices, when a kind names none
    case_kinds: dict[str, CaseKindRules]
    escalation: EscalationRules
    publication: PublicationRules | None = None
    # Local instruments by province: the first two digits of the receiving office's division code (31
    # Shanghai, 33 Zhejiang, …). An office of a province not listed cites the kinds' national `basis` and
    # the rule set's `sources` (docs/rules.md, "Citations by province").
    local_citations: dict[str, ProvinceCitations] = field(default_factory=dict)
    supplement: SupplementRules | None = None


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


def _check_supplement(supplement: SupplementRules | None) -> None:
    """docs/domain.md §9.10: a 补正 names a deadline, and its reminder goes out before it."""
    if supplement is None:
        return
    if supplement.answer_days < 1:
        _fail("supplement.answer_days", "the subject needs at least 1 working day to answer")
    if not 1 <= supplement.remind_days_before < supplement.answer_days:
        _fail(
            "supplement.remind_days_before",
            f"the reminder must fall after the request and before the deadline "
            f"(1 to {supplement.answer_days - 1} working days before it)",
        )


def _check(spec: RuleSetSpec) -> None:
    """What the types cannot say: names that must resolve, and budgets that must fit the clocks."""
    _check_supplement(spec.supplement)
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
        _check_routes(at, rules)
        for severity in rules.checks_by_severity:
            if severity not in SEVERITIES:
                _fail(f"{at}.checks_by_severity.{severity}", f"not one of {', '.join(SEVERITIES)}")
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


def _check_routes(at: str, rules: CaseKindRules) -> None:
    """Steps counted from filing are a routed path's own clock (docs/rules.md `route_by_record_kind`).

    Such a step ends its path and is routed to; the working-day steps before it run inside its budget, so
    they must leave it time: n working days take ceil(7n/5) calendar days in an ordinary week, which must
    be less than a calendar-day budget (a working-day budget must simply exceed n).
    """
    for kind, step_name in rules.route_by_record_kind.items():
        step = rules.steps.get(step_name)
        if step is None:
            _fail(f"{at}.route_by_record_kind.{kind}", f"names the step {step_name!r}, which is not in steps")
        if not step.from_filing:
            _fail(f"{at}.steps.{step_name}.from_filing", "a step cases are routed to runs from filing")
    routed_to = set(rules.route_by_record_kind.values())
    for i, path in enumerate(rules.paths):
        for position, name in enumerate(path):
            step = rules.steps[name]
            if not step.from_filing:
                continue
            if position != len(path) - 1:
                _fail(f"{at}.paths[{i}]", f"the step {name!r} runs from filing, so it must end its path")
            if name not in routed_to:
                _fail(
                    f"{at}.steps.{name}.from_filing",
                    "only a step named in route_by_record_kind runs from filing",
                )
            before = sum(rules.steps[s].longest_budget() for s in path[:-1])
            spent = math.ceil(before * 7 / 5) if step.calendar_days else before
            if spent >= step.budget_days:
                unit = "calendar" if step.calendar_days else "working"
                _fail(
                    f"{at}.steps.{name}.budget_days",
                    f"{step.budget_days} {unit} days from filing, but the steps {' + '.join(path[:-1])} "
                    f"before it take up to {spent} of them",
                )


def _check_citations(spec: RuleSetSpec) -> None:
    for prefix, province in spec.local_citations.items():
        at = f"local_citations.{prefix}"
        if len(prefix) != 2 or not prefix.isdigit():
            _fail(at, "a province is named by the first two digits of a division code (e.g. 31)")
        for kind, cited in province.case_kinds.items():
            if kind not in spec.case_kinds:
                _fail(f"{at}.case_kinds.{kind}", f"{kind!r} is not a case kind of this rule set")
            for step in cited.steps:
                if step not in spec.case_kinds[kind].steps:
                    _fail(f"{at}.case_kinds.{kind}.steps.{step}", f"{step!r} is not a step of {kind}")


def rule_set_load(data: dict) -> RuleSetSpec:
    """Build and check a profile. Raises RuleSetInvalid naming the offending key, prefixed by the version."""
    version = data.get("version", "?") if isinstance(data, dict) else "?"
    try:
        spec = _build(RuleSetSpec, data, "rules")
        _check(spec)
        _check_citations(spec)
    except RuleSetInvalid as exc:
        raise RuleSetInvalid(f"Rule set {version}: {exc}") from None
    return spec
