"""Issue 9 item 6 / issue 10 (docs/domain.md §9.9): rule sets are typed data, checked when loaded.

A profile whose step budgets on their longest path exceed its legal budget is refused, as is one with an
unknown, missing or mistyped key; the error names the key so a rule author knows what to fix.
"""

import copy

import pytest
from django.test import override_settings

from casework import rules, workflows
from casework.rules import RuleSetInvalid, rule_set_load

NATIONAL = rules.PROFILES["national-2026"]
LOCAL = rules.PROFILES["local-plan"]


def edited(profile: dict, change) -> dict:
    data = copy.deepcopy(profile)
    data["version"] = f"{profile['version']}.edited"
    change(data)
    return data


@pytest.mark.parametrize("profile", [NATIONAL, LOCAL], ids=["national-2026", "local-plan"])
def test_every_shipped_profile_loads(profile):
    spec = rule_set_load(profile)
    for kind, kind_rules in spec.case_kinds.items():
        days, _path = kind_rules.longest_path()
        assert days <= kind_rules.service_norm_days <= kind_rules.case_budget_days, kind


def test_legal_budget_a_profile_whose_longest_path_exceeds_it_is_refused():
    """item 9: local-plan.3 asked 3+7+3+3+3 = 19 working days of a repair against a 10-day legal budget."""
    bad = edited(LOCAL, lambda d: d["case_kinds"]["repair"].update(case_budget_days=10, service_norm_days=10))
    with pytest.raises(RuleSetInvalid) as refused:
        rule_set_load(bad)
    message = str(refused.value)
    assert "case_kinds.repair.case_budget_days" in message
    assert "accept + verify + report_district + report_city + report_province" in message and "19" in message


def test_legal_budget_a_per_department_budget_counts_on_the_path():
    """Market regulation's 7 days (SAMR Order 107) count, not only the default 3."""
    bad = edited(
        NATIONAL, lambda d: d["case_kinds"]["repair"].update(case_budget_days=9, service_norm_days=9)
    )
    with pytest.raises(RuleSetInvalid, match=r"case_kinds\.repair\.case_budget_days.*10"):
        rule_set_load(bad)


def test_a_service_norm_shorter_than_the_longest_path_is_refused():
    bad = edited(NATIONAL, lambda d: d["case_kinds"]["repair"].update(service_norm_days=7))
    with pytest.raises(RuleSetInvalid, match=r"case_kinds\.repair\.service_norm_days"):
        rule_set_load(bad)


@pytest.mark.parametrize("profile", [NATIONAL, LOCAL], ids=["national-2026", "local-plan"])
def test_supplement_deadline_every_shipped_profile_names_it_with_its_source(profile):
    """docs/domain.md §9.10: 10 working days to answer a 补正, a reminder 2 working days before [product
    default]; the numbers are data, with their basis."""
    spec = rule_set_load(profile)
    assert spec.supplement is not None
    assert (spec.supplement.answer_days, spec.supplement.remind_days_before) == (10, 2)
    assert "产品默认" in spec.supplement.basis


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.update(answer_days=0), r"supplement\.answer_days: .*at least 1"),
        (lambda s: s.update(remind_days_before=10), r"supplement\.remind_days_before: .*before the deadline"),
        (lambda s: s.update(remind_days_before=0), r"supplement\.remind_days_before"),
        (lambda s: s.update(remind_on=3), r"supplement\.remind_on: unknown key"),
        (lambda s: s.pop("basis"), r"supplement\.basis: missing"),
    ],
    ids=[
        "no time to answer",
        "reminder after the deadline",
        "reminder on the deadline",
        "unknown",
        "no basis",
    ],
)
def test_supplement_deadline_a_bad_one_is_refused_when_the_rule_set_loads(change, message):
    with pytest.raises(RuleSetInvalid, match=message):
        rule_set_load(edited(LOCAL, lambda d: change(d["supplement"])))


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (
            lambda d: d["case_kinds"]["objection"].update(suspend_sanction=True),
            "case_kinds.objection.suspend_sanction",
        ),
        (
            lambda d: d["case_kinds"]["repair"]["steps"]["verify"].pop("budget_days"),
            "steps.verify.budget_days",
        ),
        (
            lambda d: d["case_kinds"]["repair"].update(case_budget_days="10"),
            "case_kinds.repair.case_budget_days",
        ),
        (lambda d: d["escalation"].update(supervise_days_overdue=None), "escalation.supervise_days_overdue"),
        (
            lambda d: d["case_kinds"]["repair"]["steps"]["verify"].update(department="the provider"),
            "case_kinds.repair.steps.verify.department",
        ),
        (lambda d: d["case_kinds"]["repair"].update(paths=[["accept"]]), "case_kinds.repair.steps.verify"),
        (
            lambda d: d["case_kinds"]["repair"].update(paths=[["accept", "check"]]),
            "case_kinds.repair.paths[0]",
        ),
        (lambda d: d["case_kinds"]["repair"].update(decided_by="county"), "case_kinds.repair.decided_by"),
    ],
    ids=[
        "unknown key",
        "missing key",
        "wrong type",
        "null",
        "department",
        "step on no path",
        "path",
        "level",
    ],
)
def test_a_bad_key_is_refused_by_name(change, key):
    with pytest.raises(RuleSetInvalid) as refused:
        rule_set_load(edited(NATIONAL, change))
    assert key in str(refused.value) and "national-2026.8.edited" in str(refused.value)


@pytest.mark.django_db
def test_the_active_profile_is_checked_when_it_loads(monkeypatch):
    bad = edited(LOCAL, lambda d: d["case_kinds"]["list_exit"].update(case_budget_days=10))
    monkeypatch.setitem(rules.PROFILES, "local-plan", bad)
    with (
        override_settings(CASEWORK_RULE_PROFILE="local-plan"),
        pytest.raises(RuleSetInvalid, match="list_exit"),
    ):
        rules.active_rule_set()


@pytest.mark.parametrize("profile", [NATIONAL, LOCAL], ids=["national-2026", "local-plan"])
def test_every_step_in_the_rules_is_a_step_a_flow_runs(profile):
    """A step key no flow reads would be a rule that changes nothing (issue 9 item 6)."""
    spec = rule_set_load(profile)
    read: dict[str, set[str]] = {kind: set() for kind in spec.case_kinds}
    for name in workflows.registered_kinds():
        for node in workflows.flow_for(name).instance.nodes():
            if hasattr(node, "step"):
                read.setdefault(node.rules_kind or name, set()).add(node.step)
    for kind, kind_rules in spec.case_kinds.items():
        assert set(kind_rules.steps) <= read[kind], kind


def _objection(data: dict) -> dict:
    return data["case_kinds"]["objection"]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        # The court's review (法释〔2017〕7号 art. 11) is a routed path on its own calendar-day clock; the working-day
        # steps before it must leave it time: 11 working days take ceil(77/5) = 16 calendar days > 15.
        (
            lambda d: _objection(d)["steps"]["accept"].update(budget_days=11),
            "case_kinds.objection.steps.court_review.budget_days",
        ),
        # A step counted from filing must be the one cases are routed to …
        (
            lambda d: _objection(d).update(route_by_record_kind={}),
            "case_kinds.objection.steps.court_review.from_filing",
        ),
        # … a route must name a step that exists and runs from filing …
        (
            lambda d: _objection(d).update(route_by_record_kind={"court_dishonest": "court_reveiw"}),
            "case_kinds.objection.route_by_record_kind.court_dishonest",
        ),
        (
            lambda d: _objection(d)["steps"]["court_review"].update(from_filing=False),
            "case_kinds.objection.steps.court_review.from_filing",
        ),
        # … and it ends its path.
        (
            lambda d: _objection(d).update(
                paths=[["accept", "self_check", "verify"], ["accept", "court_review", "verify"]]
            ),
            "case_kinds.objection.paths[1]",
        ),
        (lambda d: _objection(d)["steps"]["court_review"].update(calendar_days="yes"), "calendar_days"),
    ],
)
def test_calendar_day_and_routed_steps_are_checked_when_loaded(change, key):
    """docs/domain.md §9.3 and §9.9: a calendar-day budget counted from filing is a clock of its own."""
    with pytest.raises(RuleSetInvalid) as refused:
        rule_set_load(edited(NATIONAL, change))
    assert key in str(refused.value)


def test_a_calendar_day_step_on_the_kinds_clock_counts_its_days_as_working_days():
    """n calendar days hold at most n working days: a 15-day calendar step on a working-day path cannot hide in
    a 10-working-day legal budget."""

    def change(d):
        steps = _objection(d)["steps"]
        steps["verify"].update(budget_days=15, calendar_days=True, max_total_days=None)

    with pytest.raises(
        RuleSetInvalid, match=r"case_kinds\.objection\.case_budget_days.*accept \+ self_check \+ verify"
    ):
        rule_set_load(edited(NATIONAL, change))


def test_the_objection_rules_carry_the_self_check_and_the_courts_review():
    """docs/domain.md §9.1–§9.3 as rule-set data, in both profiles."""
    for profile in (NATIONAL, LOCAL):
        spec = rule_set_load(profile).case_kinds["objection"]
        assert spec.paths == [["accept", "self_check", "verify"], ["accept", "court_review"]]
        assert (spec.steps["accept"].budget_days, spec.steps["self_check"].budget_days) == (2, 2)
        assert (spec.steps["verify"].budget_days, spec.steps["verify"].max_total_days) == (5, 20)
        court = spec.steps["court_review"]
        assert (court.budget_days, court.calendar_days, court.from_filing) == (15, True, True)
        assert "法释〔2017〕7号" in court.basis
        assert spec.route_by_record_kind == {"court_dishonest": "court_review"}
        assert spec.suspend_sanctions["court_dishonest"] is False
        assert set(spec.self_check_outcomes) == {"publication_stopped", "deleted", "corrected"}
