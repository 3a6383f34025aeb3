"""Issue 9 item 5 and issue 11: one calendar fallback, and calendar years as data with a lifecycle.

* The estimate for a year nobody has published (`derive_working_days`) never lands on a fixed-date holiday
  (1 January, 1 May, 1–3 October) and flags every date whose count reached the unknown year.
* `manage.py calendar_year` and /api/v1/calendar-years/ enter and correct a year, refuse bad schedules with
  field errors in zh-hans and English, and queue the re-dating in Celery after commit.
"""

import datetime
from datetime import date

import chinese_calendar
import pytest
import time_machine
from django.core.management import CommandError

from casework import calendar
from casework.models import CalendarRevision, CalendarYear
from casework.tasks import calendar_redate_task

from .command_support import run

FIXED = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}
SCHEDULE = """\
# 国务院办公厅关于2027年部分节假日安排的通知 (made up for the test)
2027-01-01 holiday 元旦
2027-02-06 workday 春节调休
2027-02-11 holiday 春节
2027-02-12 holiday 春节
"""


def days_of(year: int):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += datetime.timedelta(days=1)


# --- one fallback: the estimate ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, 10, 20])
def test_fixed_date_holiday_rule_the_estimate_never_lands_on_one(n):
    """Rule: 1 January, 1 May and 1–3 October are holidays every year (全国年节及纪念日放假办法 art. 2)."""
    for year in (2027, 2028):
        for start in days_of(year):
            derived = calendar.derive_working_days(start, n)
            assert (derived.date.month, derived.date.day) not in FIXED, (start, n, derived)
            assert derived.provisional is True


@pytest.mark.django_db
def test_provisional_flag_rule_a_count_into_the_unknown_year_is_flagged_and_only_then():
    for start in [date(2026, 11, 30) + datetime.timedelta(days=i) for i in range(32)]:
        for n in range(0, 25):
            derived = calendar.derive_working_days(start, n)
            assert derived.provisional is (derived.date.year == 2027), (start, n, derived)
            if not derived.provisional:  # a known count is the contract's count exactly
                assert derived.date == calendar.add_working_days(start, n)


@pytest.mark.django_db
def test_the_contract_still_raises_for_the_unknown_year():
    with pytest.raises(calendar.CalendarUnknown):
        calendar.add_working_days(date(2026, 12, 28), 5)
    with pytest.raises(calendar.CalendarUnknown):
        calendar.working_days_between(date(2026, 12, 28), date(2027, 1, 8))
    # 29, 30, 31 December; 1 January (fixed holiday) skipped; 4 and 5 January.
    assert calendar.derive_working_days(date(2026, 12, 28), 5) == calendar.Derived(date(2027, 1, 5), True)
    assert calendar.derive_working_days_between(date(2026, 12, 28), date(2027, 1, 8)) == (8, True)
    assert calendar.derive_working_days_between(date(2026, 12, 1), date(2026, 12, 8)) == (5, False)


def test_rule_15_national_day_2026_make_up_days_are_the_library_s():
    """docs/domain.md §9.15: Sun 2026-09-20 and Sat 2026-10-10 are make-up working days; chinese-calendar agrees,
    so no override is needed (this test fails if a release changes that)."""
    assert chinese_calendar.is_workday(date(2026, 9, 20)) and date(2026, 9, 20).weekday() == 6
    assert chinese_calendar.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5


# --- the command -------------------------------------------------------------------------------------------


@pytest.fixture
def schedule_file(tmp_path):
    def write(text: str):
        path = tmp_path / "schedule.txt"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


@pytest.mark.django_db
def test_enter_show_and_correct_a_year(schedule_file, django_capture_on_commit_callbacks, english):
    assert "2027: unknown" in run("calendar_year", "show", "2027")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        out = run(
            "calendar_year",
            "enter",
            "2027",
            "--file",
            schedule_file(SCHEDULE),
            "--notice",
            "国办发明电〔2026〕7号",
        )
    assert "re-dating queued" in out and callbacks  # queued after commit, not run in the command
    assert calendar.year_source(2027) == "override"
    assert not calendar.is_working_day(date(2027, 2, 11)) and calendar.is_working_day(date(2027, 2, 6))
    [revision] = CalendarRevision.objects.all()
    assert revision.kind == "entered" and revision.previous == [] and len(revision.days) == 4
    assert "re-dating pending" in run("calendar_year", "show", "2027")
    calendar_redate_task(revision.pk)
    shown = run("calendar_year", "show", "2027")
    assert "2027-02-06 workday 春节调休" in shown and "0 of 0 dates moved" in shown

    with pytest.raises(CommandError, match="already entered"):
        run("calendar_year", "enter", "2027", "--file", schedule_file(SCHEDULE), "--notice", "x")
    run("calendar_year", "correct", "2027", "--file", schedule_file(SCHEDULE + "2027-02-15 holiday 春节\n"))
    latest = CalendarRevision.objects.order_by("-id").first()
    assert latest.kind == "corrected" and len(latest.previous) == 4 and len(latest.days) == 5
    assert CalendarYear.objects.get(year=2027).notice == "国办发明电〔2026〕7号"  # kept when not given
    assert not calendar.is_working_day(date(2027, 2, 15))


@pytest.mark.django_db
def test_correcting_a_year_never_entered_is_refused(schedule_file, english):
    with pytest.raises(CommandError, match="not been entered"):
        run("calendar_year", "correct", "2027", "--file", schedule_file(SCHEDULE), "--notice", "x")


BAD_LINES = [
    ("2026-12-31 holiday 跨年", "line 1: 2026-12-31 is not in 2027", "第1行：2026-12-31不属于2027年"),
    ("2027-02-08 workday 调休", "line 1: 2027-02-08 is a Monday: a make-up working day", "第1行：2027-02-08是星期一"),
    ("2027-02-06 holiday 春节", "line 1: 2027-02-06 is a Saturday, a day off anyway", "第1行：2027-02-06是星期六"),
    ("2027-01-01 holiday 元旦\n2027-01-01 holiday 元旦", "line 2: 2027-01-01 is already listed (line 1)", "第2行：2027-01-01已列出（第1行）"),
    ("2027-13-01 holiday x", "line 1: “2027-13-01” is not a date", "第1行：“2027-13-01”不是日期"),
    ("2027-01-01 off 元旦", "line 1: “off” is neither “holiday” nor “workday”", "第1行：“off”既不是"),
    ("2027-01-01", "line 1: expected “YYYY-MM-DD holiday|workday name”", "第1行：应为"),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("text,english_message,chinese_message", BAD_LINES)
def test_a_bad_schedule_is_refused_line_by_line_and_nothing_is_saved(
    schedule_file, text, english_message, chinese_message
):
    from django.utils import translation

    for language, message in (("en", english_message), ("zh-hans", chinese_message)):
        with translation.override(language), pytest.raises(CommandError) as caught:
            run("calendar_year", "enter", "2027", "--file", schedule_file(text), "--notice", "x")
        assert message in str(caught.value), str(caught.value)
    assert not CalendarYear.objects.exists() and not CalendarRevision.objects.exists()


# --- the API -------------------------------------------------------------------------------------------------

BODY = {
    "year": 2027,
    "notice": "国务院办公厅关于2027年部分节假日安排的通知",
    "days": [
        {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
        {"day": "2027-02-06", "kind": "workday", "name": "春节调休"},
    ],
}


@pytest.mark.django_db
def test_the_api_enters_and_corrects_a_year_and_queues_the_redating(
    admin_api, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(calendar_redate_task, "delay", lambda pk: queued.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post("/api/v1/calendar-years/", BODY, format="json")
        assert queued == []  # not before the year is committed
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["source"] == "override" and body["days"] == BODY["days"]
    [revision] = body["revisions"]
    assert queued == [revision["id"]] and revision["redated_at"] is None

    again = admin_api.post("/api/v1/calendar-years/", BODY, format="json")
    assert again.status_code == 400 and "already entered" in again.json()["year"][0]

    correction = {"notice": BODY["notice"], "days": [*BODY["days"], {"day": "2027-02-12", "kind": "holiday"}]}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.put("/api/v1/calendar-years/2027/", correction, format="json")
    assert response.status_code == 202, response.content
    assert [r["kind"] for r in response.json()["revisions"]] == ["entered", "corrected"]
    assert len(queued) == 2
    assert admin_api.get("/api/v1/calendar-years/").json()[0]["year"] == 2027
    assert admin_api.put("/api/v1/calendar-years/2028/", correction, format="json").status_code == 400


@pytest.mark.django_db
def test_the_api_names_each_bad_item_in_chinese_and_english(admin_api):
    bad = {
        **BODY,
        "days": [
            {"day": "2027-02-08", "kind": "workday"},
            {"day": "2027-02-06", "kind": "holiday"},
            {"day": "2028-01-03", "kind": "holiday"},
            {"day": "2027-02-08", "kind": "workday"},
        ],
    }
    english = admin_api.post("/api/v1/calendar-years/", bad, format="json").json()["days"]
    assert english[0].startswith("item 1: 2027-02-08 is a Monday")
    assert english[1].startswith("item 2: 2027-02-06 is a Saturday")
    assert english[2].startswith("item 3: 2028-01-03 is not in 2027")
    assert english[-1].startswith("item 4: 2027-02-08 is already listed (item 1)")
    chinese = admin_api.post("/api/v1/calendar-years/", bad, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 400
    assert (
        chinese.json()["days"][0] == "第1项：2027-02-08是星期一：调休上班日（workday）必须是星期六或星期日。"
    )
    unparseable = admin_api.post(
        "/api/v1/calendar-years/", {**BODY, "days": [{"day": "1 Jan", "kind": "day off"}]}, format="json"
    )
    assert unparseable.status_code == 400 and set(unparseable.json()["days"]["0"]) == {"day", "kind"}
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_only_administrators_use_the_calendar_api(admin_api, credit_office):
    from casework.services.registry import user_create

    from .conftest import client_for

    _, token = user_create(
        username="chen", password="a-long-password-1", role="supervisor", departments=[credit_office]
    )
    supervisor = client_for(token)
    assert supervisor.get("/api/v1/calendar-years/").status_code == 403
    assert supervisor.post("/api/v1/calendar-years/", BODY, format="json").status_code == 403
    assert admin_api.get("/api/v1/calendar-years/2026/").json()["source"] == "library"


@pytest.mark.django_db(transaction=True)
def test_two_administrators_entering_the_same_year_at_once_one_wins_the_other_gets_409(admin_api):
    """Races lose cleanly: one entry, one revision, one re-dating; the loser is told to correct instead."""
    from casework.services.registry import user_create

    from .conftest import client_for
    from .test_races import race

    _, token = user_create(username="admin-2", password="a-long-password-2", role="admin")
    other = client_for(token)
    responses = race(
        lambda: admin_api.post("/api/v1/calendar-years/", BODY, format="json"),
        lambda: other.post("/api/v1/calendar-years/", BODY, format="json"),
    )
    codes = sorted(response.status_code for response in responses)
    assert codes in ([202, 400], [202, 409]), [r.content for r in responses]
    assert CalendarRevision.objects.count() == 1 and CalendarYear.objects.count() == 1


@pytest.mark.django_db
def test_a_redating_whose_message_was_lost_runs_from_the_hourly_sweep(schedule_file):
    from casework.services.redating import calendar_redate_pending

    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        run("calendar_year", "enter", "2027", "--file", schedule_file(SCHEDULE), "--notice", "x")
        assert calendar_redate_pending() == 0  # just queued: the worker has it
    with time_machine.travel("2026-12-01 09:11 +0800", tick=False):
        assert calendar_redate_pending() == 1
        assert calendar_redate_pending() == 0
    assert CalendarRevision.objects.get().redated_at is not None
