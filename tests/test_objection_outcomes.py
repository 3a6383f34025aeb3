"""docs/domain.md §9.1–§9.3: an objection to the letter of the rules (issue 10).

- §9.1 filing marks the disputed records 异议中 at once; the credit office's self-check settles the platform's own
  errors without forwarding; otherwise it forwards to the provider, who verifies.
- §9.2 the six outcomes of 《浙江省公共信用信息管理条例》 art. 30, each settling record, mark and sanctions.
- §9.3 an objection to the court list is the court's correction review, due 15 calendar days after filing; the
  listing and its measures stay in force meanwhile.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import transaction

from casework.calendar import add_working_days
from casework.models import Case, CreditRecord, Deadline, DeadlinePurpose
from casework.services.objection import objection_settle
from notifications.models import Outbox

from .world import build_world, created, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"
FILED_ON = date(2026, 11, 23)


def sanction_states(world) -> list[str]:
    return [world.admin.get(f"/api/v1/sanctions/{s['id']}/").json()["state"] for s in world.sanctions]


def publicity(world, record_id: str | None = None) -> str:
    return world.admin.get(f"/api/v1/records/{record_id or world.record['id']}/").json()["publicity"]


def complete(client, task: dict, decision: str, note: str = "经核实", **extra):
    return client.post(
        f"/api/v1/tasks/{task['id']}/complete/", {"decision": decision, "note": note, **extra}, format="json"
    )


def accept(world) -> None:
    [task] = [t for t in queue(world["credit"]) if t["step"] == "accept"]
    assert complete(world["credit"], task, "accept", note="").status_code == 200


def history_actions(world, number: str) -> list[str]:
    return [e["action"] for e in world["subject"].get(f"/api/v1/cases/{number}/").json()["history"]]


# docs/domain.md §9.2: (outcome, record kind, extra fields, record afterwards, sanctions afterwards, summary
# afterwards or None). Every outcome removes the 异议中 mark; all but `upheld` revoke the sanctions that rested
# on the wrong part and restore the subject's reputation.
SIX_OUTCOMES = [
    ("upheld", "admin_penalty", {}, "published", "active", None),
    (
        "corrected",
        "admin_penalty",
        {"correction": "处罚决定已变更为警告"},
        "published",
        "revoked",
        "处罚决定已变更为警告",
    ),
    (
        "supplemented",
        "admin_penalty",
        {"supplement": "当事人已于2026年10月缴清罚款"},
        "published",
        "revoked",
        "未按规定公示年度报告 (闽榕市监罚〔2026〕12号)\n当事人已于2026年10月缴清罚款",
    ),
    ("deleted", "admin_penalty", {}, "deleted", "revoked", None),
    ("publication_stopped", "admin_penalty", {}, "ended", "revoked", None),
    ("removed_from_list", "serious_list", {}, "ended", "revoked", None),
]


@pytest.mark.parametrize(
    ("outcome", "kind", "extra", "record_after", "sanctions_after", "summary"), SIX_OUTCOMES
)
def test_each_of_the_six_outcomes_settles_record_mark_and_sanctions(
    admin_api, outcome, kind, extra, record_after, sanctions_after, summary
):
    """docs/domain.md §9.2 (Zhejiang art. 30): the provider's verification, one row per outcome."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, kind=kind)
        number = created(file_objection(world))["number"]
        accept(world)
        assert sanction_states(world) == ["suspended", "suspended"]
        forward_objection(world)
        [verify] = queue(world["market"])
        response = complete(world["market"], verify, outcome, **extra)
    assert response.status_code == 200, response.content

    assert publicity(world) == record_after  # the mark is gone whatever the outcome
    assert sanction_states(world) == [sanctions_after, sanctions_after]
    if summary is not None:
        assert CreditRecord.objects.get(public_id=world.record["id"]).summary == summary
    case = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert case["state"] == "closed" and case["outcome"] == outcome
    actions = history_actions(world, number)
    assert ("reputation_restored" in actions) == (outcome != "upheld")
    assert actions.count("forwarded") == 1
    # The subject is told the outcome in its own words (one event per outcome, with its notice).
    assert Outbox.objects.filter(case__number=number, event=f"objection_{outcome}").exists()


@pytest.mark.parametrize(
    ("outcome", "kind", "extra", "field"),
    [
        ("corrected", "admin_penalty", {}, "correction"),
        ("corrected", "admin_penalty", {"correction": "   "}, "correction"),
        ("supplemented", "admin_penalty", {}, "supplement"),
        ("removed_from_list", "admin_penalty", {}, "decision"),
        ("deleted", "admin_penalty", {"note": ""}, "note"),
    ],
)
def test_an_outcome_missing_what_it_needs_is_refused_by_field_and_changes_nothing(
    admin_api, outcome, kind, extra, field
):
    """docs/domain.md §9.2: `corrected` needs the corrected text, `supplemented` what is added; only a list
    entry can be removed from a list; the subject reads a reason for every outcome."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, kind=kind)
        number = created(file_objection(world))["number"]
        accept(world)
        forward_objection(world)
        [verify] = queue(world["market"])
        response = complete(world["market"], verify, outcome, **extra)
    assert response.status_code == 400 and field in response.json(), response.content
    assert publicity(world) == "disputed" and sanction_states(world) == ["suspended", "suspended"]
    assert Case.objects.get(number=number).state == "verifying"
    assert [t["id"] for t in queue(world["market"])] == [verify["id"]]


def test_filing_marks_the_record_at_once_and_acceptance_suspends_the_sanctions(admin_api):
    """docs/domain.md §9.1: the filing itself meets the 1-working-day marking budget (Shanghai art. 36)."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = created(file_objection(world))["number"]
        assert publicity(world) == "disputed"
        assert sanction_states(world) == ["active", "active"]  # suspended from acceptance, not filing
        actions = history_actions(world, number)
        assert actions.index("filed") < actions.index("mark_disputed")
        accept(world)
    assert sanction_states(world) == ["suspended", "suspended"]


@pytest.mark.parametrize(
    ("outcome", "extra", "record_after"),
    [
        ("publication_stopped", {}, "ended"),  # shown past its period
        ("deleted", {}, "deleted"),  # linked to the wrong subject
        ("corrected", {"correction": "处罚款人民币2000元"}, "published"),  # a transcription slip
    ],
)
def test_self_check_settles_the_platforms_own_error_without_forwarding(
    admin_api, outcome, extra, record_after
):
    """docs/domain.md §9.1: the credit office corrects its own error itself; the provider never gets a task."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = created(file_objection(world))["number"]
        accept(world)
        [check] = queue(world["credit"])
        assert check["step"] == "self_check"
        assert check["due_on"] == add_working_days(FILED_ON, 2).isoformat()
        response = complete(world["credit"], check, outcome, note="平台归集时超期展示", **extra)
    assert response.status_code == 200, response.content
    assert queue(world["market"]) == [] and queue(world["credit"]) == []
    assert publicity(world) == record_after
    assert sanction_states(world) == ["revoked", "revoked"]
    case = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert case["state"] == "closed" and case["outcome"] == outcome
    actions = history_actions(world, number)
    assert "forwarded" not in actions and "reputation_restored" in actions


@pytest.mark.parametrize("outcome", ["upheld", "supplemented", "removed_from_list"])
def test_self_check_offers_only_the_platforms_own_errors(admin_api, outcome):
    """Whether the record is right, incomplete or wrongly listed is the provider's finding (谁认定谁负责)."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        created(file_objection(world))
        accept(world)
        [check] = queue(world["credit"])
        response = complete(world["credit"], check, outcome, supplement="x")
    assert response.status_code == 400 and "decision" in response.json()
    assert publicity(world) == "disputed"


def test_forwarding_opens_the_providers_verification_with_its_extension(admin_api):
    """docs/domain.md §9.1: forward (2), the provider verifies in 5 working days, up to 20 with approval."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        created(file_objection(world))
        accept(world)
        forward_objection(world)
        [verify] = queue(world["market"])
        assert verify["step"] == "verify"
        assert verify["due_on"] == add_working_days(FILED_ON, 5).isoformat()
        extend = f"/api/v1/tasks/{verify['id']}/extend/"
        too_much = world.admin.post(extend, {"days": 16, "reason": "需调取原始卷宗"}, format="json")
        assert too_much.status_code == 400 and "days" in too_much.json()
        granted = world.admin.post(extend, {"days": 15, "reason": "需调取原始卷宗"}, format="json")
        assert granted.status_code == 200, granted.content
        assert granted.json()["due_on"] == add_working_days(FILED_ON, 20).isoformat()


def court_world(admin_api):
    """A court-list entry (失信被执行人) supplied by the court, with two measures on it."""
    world = build_world(admin_api)
    world.record = created(
        world.admin.post(
            "/api/v1/records/",
            {
                "subject": world.subject["id"],
                "kind": "court_dishonest",
                "severity": "serious",
                "provider": "xy-court",
                "decided_on": "2026-06-01",
                "summary": "(2026)闽0102执123号 失信被执行人",
            },
            format="json",
        )
    )
    world.sanctions = [
        created(
            world.admin.post(
                "/api/v1/sanctions/",
                {"record": world.record["id"], "measure": measure, "implementer": "xy-finance"},
                format="json",
            )
        )
        for measure in ("限制高消费", "限制参与政府采购")
    ]
    return world


@pytest.mark.parametrize(
    ("outcome", "record_after", "sanctions_after"),
    [
        ("upheld", "published", "active"),
        ("removed_from_list", "ended", "revoked"),
    ],
)
def test_court_list_objection_is_the_courts_review_due_15_calendar_days_after_filing(
    admin_api, outcome, record_after, sanctions_after
):
    """docs/domain.md §9.3 (法释〔2017〕7号 art. 11): reviewed within 15 calendar days of filing; the listing and
    its measures stay in force meanwhile; no self-check and no 5-day verification."""
    due = (FILED_ON + timedelta(days=15)).isoformat()  # 2026-12-08: calendar days, weekends included
    with time_machine.travel(MONDAY, tick=False):
        world = court_world(admin_api)
        number = created(file_objection(world))["number"]
        case = Case.objects.get(number=number)
        legal = case.deadlines.get(purpose=DeadlinePurpose.LEGAL)
        assert (legal.calendar_days, legal.due_on.isoformat()) == (True, due)
        accept(world)
        assert sanction_states(world) == ["active", "active"]
        assert publicity(world) == "disputed"
        assert queue(world["credit"]) == [] and queue(world["market"]) == []
        [review] = queue(world["court"])
        assert (review["step"], review["due_on"]) == ("court_review", due)
        assert Deadline.objects.get(task__public_id=review["id"]).calendar_days
    with time_machine.travel("2026-12-07 10:00 +0800", tick=False):  # a Monday, day 14
        response = complete(world["court"], review, outcome, note="经审查")
    assert response.status_code == 200, response.content
    assert publicity(world) == record_after
    assert sanction_states(world) == [sanctions_after, sanctions_after]
    detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert detail["outcome"] == outcome


def test_a_court_list_entry_is_objected_to_on_its_own(admin_api):
    """The court's review runs on its own clock and decider: one objection cannot hold both kinds of record."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        penalty = world.record
        court = created(
            world.admin.post(
                "/api/v1/records/",
                {
                    "subject": world.subject["id"],
                    "kind": "court_dishonest",
                    "severity": "serious",
                    "provider": "xy-court",
                    "decided_on": "2026-06-01",
                    "summary": "(2026)闽0102执123号 失信被执行人",
                },
                format="json",
            )
        )
        response = world["subject"].post(
            "/api/v1/cases/",
            {
                "kind": "objection",
                "subject": world.subject["id"],
                "records": [penalty["id"], court["id"]],
                "statement": "两条记录均有误。",
                "commitment_signed": True,
            },
            format="json",
        )
    assert response.status_code == 400 and "records" in response.json(), response.content
    assert not Case.objects.exists()
    assert publicity(world, penalty["id"]) == "published" and publicity(world, court["id"]) == "published"


def test_objection_settle_settles_a_record_whose_mark_is_already_gone(admin_api):
    """The review (复核) of an objection result calls `objection_settle` on records an upheld objection has
    already unmarked: a later `deleted` still deletes the record and revokes its sanctions."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = created(file_objection(world))["number"]
        accept(world)
        forward_objection(world)
        [verify] = queue(world["market"])
        assert complete(world["market"], verify, "upheld").status_code == 200
    assert publicity(world) == "published" and sanction_states(world) == ["active", "active"]
    case = Case.objects.get(number=number)
    with transaction.atomic():
        objection_settle(case=case, outcome="deleted", actor=case.filed_by, reason="复核认定记录有误")
    assert publicity(world) == "deleted" and sanction_states(world) == ["revoked", "revoked"]


def test_a_court_review_decided_on_its_15th_calendar_day_is_on_time_on_every_clock(admin_api):
    """docs/domain.md §9.3 and §9.9: the court's review counts calendar days from filing; a decision on the last
    day (a Tuesday, with two weekends in between) is on time on the step's, the legal and the service clock."""
    with time_machine.travel(MONDAY, tick=False):
        world = court_world(admin_api)
        number = created(file_objection(world))["number"]
        accept(world)
        [review] = queue(world["court"])
    with time_machine.travel("2026-12-08 17:00 +0800", tick=False):
        assert complete(world["court"], review, "upheld", note="经审查, 异议不成立").status_code == 200
    case = Case.objects.get(number=number)
    late = [d.purpose for d in case.deadlines.all() if d.met_at is None or d.met_at.date() > d.due_on]
    assert late == [] and {d.purpose for d in case.deadlines.all()} == {"legal", "service", "step"}
    assert {d.due_on for d in case.deadlines.filter(calendar_days=True)} == {date(2026, 12, 8)}
