"""Issue #9: every domain event is typed, every message is complete, and each case kind is told in its own words.

Faults this guards against (each seen on main before the events were typed):
- an empty placeholder: every accepted objection told the subject it is verified "(due )" with no date;
- a message of the wrong kind: a list-exit applicant was told their "repair application" was accepted;
- a third slip of either kind, for an event or a template nobody has written yet.
"""

import dataclasses
import re
import typing
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import translation

from casework import events
from casework.models import CaseKind, DeadlinePurpose
from casework.models.case import Case
from notifications.messages import TEMPLATES, URGENT_EVENTS, render
from notifications.models import InboxMessage, Outbox
from notifications.tasks import outbox_dispatch_due_task

from .test_list_exit_api import file_exit, listed_world
from .test_repair_api import decide
from .world import build_world, file_objection, queue

LANGUAGES = ("en", "zh-hans")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# The word a message of a single-kind event must use, and words that belong to other kinds only.
OWN_WORD = {
    "repair": "repair",
    "objection": "objection",
    "list_exit": "list",
    "bankruptcy_repair": "restructuring",
    "review": "review",
}
FOREIGN_WORDS = {
    "repair": ("list exit", "objection", "restructuring"),
    "objection": ("repair",),
    "list_exit": ("repair",),
    "bankruptcy_repair": ("list exit", "objection"),
    "review": ("repair", "list exit", "restructuring"),  # a review names the objection it reviews
}


def sample(event_type: type[events.Event], *, kind: str | None = None) -> events.Event:
    """An event built from its dataclass alone: every field a distinct, non-empty value of its type."""
    values = {}
    for field, hint in typing.get_type_hints(event_type).items():
        if field not in {f.name for f in dataclasses.fields(event_type)}:
            continue
        if field == "kind":
            values[field] = kind or sorted(getattr(event_type, "kinds", events.ALL_KINDS))[0]
        elif field == "outcome":
            values[field] = "objection_founded"
        elif hint is date:
            values[field] = date(2026, 12, 4)
        elif hint is datetime:
            values[field] = datetime(2026, 11, 23, 2, tzinfo=UTC)
        elif hint is str:
            values[field] = f"«{field}»"
        elif typing.get_origin(hint) is tuple:
            values[field] = (7,)
        else:  # int, int | None
            values[field] = 7
    return event_type(**values)


def voiced() -> list[type[events.Event]]:
    return [cls for cls in events.REGISTRY.values() if not cls.silent]


def case_events() -> list[type[events.CaseEvent]]:
    return [cls for cls in events.REGISTRY.values() if issubclass(cls, events.CaseEvent)]


def test_every_event_has_a_template_or_is_declared_silent_and_every_template_an_event():
    assert {cls.name.value for cls in voiced()} == set(TEMPLATES)
    assert set(events.REGISTRY) == set(events.EventName)  # the enumeration is the registry


def test_every_urgent_event_is_an_event():
    """A misspelt name in the SMS list would silently send no SMS."""
    assert not URGENT_EVENTS - {cls.name.value for cls in voiced()}


def test_every_voiced_event_says_whom_it_addresses():
    for cls in voiced():
        fields = {f.name for f in dataclasses.fields(cls)}
        assert fields & {"recipient_ids", "subject_id"}, cls.name


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event_type", voiced(), ids=lambda cls: cls.name.value)
def test_every_template_renders_from_its_payload_with_no_empty_placeholder(event_type, language):
    """Fault: a missing key read as empty text ("(due )"). Rendering is strict here: a placeholder the payload
    does not carry raises, and each one must show its sample value."""
    event = sample(event_type)
    context = event.message_context()
    title, body = render(event.name, context, language, strict=True)
    assert title.strip() and body.strip()
    english = "".join(str(part) for part in TEMPLATES[event.name])
    for name in PLACEHOLDER.findall(english):
        if name in ("kind", "outcome"):
            continue  # named by its label, in the recipient's language
        assert context[name] in title + body, (event.name, language, name)
    assert "()" not in title + body and "( )" not in title + body


@pytest.mark.parametrize("event_type", voiced(), ids=lambda cls: cls.name.value)
def test_every_template_has_a_chinese_translation_with_the_same_placeholders(event_type):
    with translation.override("en"):
        english = [str(part) for part in TEMPLATES[event_type.name]]
    with translation.override("zh-hans"):
        chinese = [str(part) for part in TEMPLATES[event_type.name]]
    for en, zh in zip(english, chinese, strict=True):
        assert re.search(r"[\u4e00-\u9fff]", zh), (event_type.name, en)
        assert sorted(PLACEHOLDER.findall(en)) == sorted(PLACEHOLDER.findall(zh)), (event_type.name, zh)


def test_a_missing_or_mistyped_field_is_an_error_where_the_event_is_built():
    with pytest.raises(TypeError):
        events.ObjectionAccepted(
            case_id=1, subject_id=1, number="YY-1", kind="objection", office="o", remedies="r", provider="p"
        )  # no due_on
    with pytest.raises(ValueError, match="due_on"):
        events.ObjectionAccepted(
            case_id=1,
            subject_id=1,
            number="YY-1",
            kind="objection",
            office="o",
            remedies="r",
            provider="p",
            due_on="",
        )


@pytest.mark.parametrize("event_type", case_events(), ids=lambda cls: cls.name.value)
def test_each_case_kind_is_told_in_its_own_words(event_type):
    """Fault: a list-exit applicant read "repair application accepted". An event of one kind of case cannot be
    built for another kind; a single-kind message uses that kind's word and no other kind's; a message shared
    by several kinds names the kind from the payload."""
    for kind in CaseKind.values:
        if kind not in event_type.kinds:
            with pytest.raises(ValueError, match="not an event of"):
                sample(event_type, kind=kind)
    templates = "".join(str(part) for part in TEMPLATES.get(event_type.name, ()))
    if event_type.silent:
        return
    if len(event_type.kinds) > 1:
        assert "%(kind)s" in templates, event_type.name
        for kind in event_type.kinds:
            for language in LANGUAGES:
                title, body = render(
                    event_type.name, sample(event_type, kind=kind).message_context(), language
                )
                with translation.override(language):
                    assert str(CaseKind(kind).label) in body, (event_type.name, language)
        return
    [kind] = event_type.kinds
    title, body = render(event_type.name, sample(event_type).message_context(), "en")
    text = (title + " " + body).lower()
    assert OWN_WORD[kind] in text, (event_type.name, text)
    assert not [word for word in FOREIGN_WORDS[kind] if word in text], (event_type.name, text)


@pytest.mark.django_db
def test_publish_runs_row_writers_in_the_transaction_and_the_rest_after_commit(
    django_capture_on_commit_callbacks,
):
    seen = []

    def now(event):
        seen.append(("now", event.name))
        return ["row"]

    def later(event):
        seen.append(("later", event.name))

    events.subscribe(now, events.CalendarWarning)
    events.subscribe(later, events.CalendarWarning, after_commit=True)
    events.subscribe(now, events.CalendarWarning)  # twice is once
    try:
        warning = sample(events.CalendarWarning)
        with django_capture_on_commit_callbacks(execute=True):
            assert events.publish(warning) is True
            assert seen == [("now", "calendar_warning")]
        assert seen == [("now", "calendar_warning"), ("later", "calendar_warning")]
    finally:
        events._IN_TRANSACTION[events.CalendarWarning].remove(now)
        events._AFTER_COMMIT[events.CalendarWarning].remove(later)


MONDAY = "2026-11-23 10:00 +0800"


def deliver_to(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
    outbox_dispatch_due_task()


@pytest.mark.django_db
def test_regression_accepted_objection_message_carries_its_due_date(admin_api):
    """Fault: every accepted objection said it is verified "(due )" — the context had no due date."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        [task] = queue(world["credit"])
        response = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json"
        )
        assert response.status_code == 200, response.content
        due = Case.objects.get(number=number).deadlines.get(purpose=DeadlinePurpose.LEGAL).due_on.isoformat()
        [row] = Outbox.objects.filter(case__number=number, event="case_accepted", channel="inapp")
        assert row.context["due_on"] == due
        deliver_to(row.recipient, "en")
        message = InboxMessage.objects.get(outbox=row)
        assert f"Answer due {due}." in message.body and "due ." not in message.body
        assert due in render("case_accepted", row.context, "zh-hans", strict=True)[1]


@pytest.mark.django_db
def test_regression_list_exit_applicant_is_told_of_a_list_exit_not_a_repair(admin_api):
    """Fault: the list-exit acceptance reused the repair event; the applicant read "Repair application … accepted"."""
    with time_machine.travel(MONDAY, tick=False):
        world = listed_world(admin_api)
        number = file_exit(world).json()["number"]
        decide(world["credit"], "accept", "accept")
        told = set(Outbox.objects.filter(case__number=number).values_list("event", flat=True))
        assert "list_exit_accepted" in told and "repair_accepted" not in told
        [row] = Outbox.objects.filter(case__number=number, event="list_exit_accepted", channel="inapp")
        deliver_to(row.recipient, "en")
        message = InboxMessage.objects.get(outbox=row)
        assert "list" in (message.title + message.body).lower()
        assert "repair" not in (message.title + message.body).lower()
        filed = InboxMessage.objects.get(outbox__case__number=number, outbox__event="case_filed")
        assert str(CaseKind.LIST_EXIT.label) in filed.body  # shared messages name the kind
        assert Case.objects.get(number=number).notices.filter(occasion="list_exit_accepted").exists()


@pytest.mark.django_db
def test_an_event_published_by_name_is_still_typed(admin_api):
    """The transitional by-name path (`case_notify_subject`) builds the typed event: a missing field raises."""
    from casework.services.notify import case_notify_subject

    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        case = Case.objects.get(number=file_objection(world).json()["number"])
        with pytest.raises(TypeError):
            case_notify_subject(case, "case_accepted", provider="市场监管局")  # no due_on
        with pytest.raises(ValueError, match="not an event of objection cases"):
            case_notify_subject(case, "repair_accepted", provider="市场监管局")
        case_notify_subject(case, "case_accepted", provider="市场监管局", due_on="2026-12-07")
        row = Outbox.objects.filter(case=case, event="case_accepted").first()
        assert row.context["due_on"] == "2026-12-07"
