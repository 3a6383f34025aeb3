"""Celery tasks: thin — fetch by id or sweep, call a service. Beat runs the sweeps (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers

from casework.services.calendar_warnings import calendar_warnings_send
from casework.services.escalation import escalation_sweep


@shared_task(name="casework.tasks.outbox_dispatch_task")
def outbox_dispatch_task(ids: dict[str, list[int]]) -> int:
    """After commit: the outbox rows one transaction queued, by kind (one broker message per transaction)."""
    from casework import outbox

    return outbox.dispatch(ids)


@shared_task(name="casework.tasks.escalation_sweep_task")
def escalation_sweep_task() -> int:
    return escalation_sweep()


@shared_task(name="casework.tasks.fire_due_timers_task")
def fire_due_timers_task() -> None:
    # viewflow stores Timer due times in Task.scheduled and fires nothing by itself.
    fire_due_timers()


@shared_task(name="casework.tasks.calendar_warnings_task")
def calendar_warnings_task() -> int:
    return calendar_warnings_send()


@shared_task(name="casework.tasks.pending_uploads_sweep_task")
def pending_uploads_sweep_task() -> int:
    from casework.pending_uploads import pending_sweep

    return pending_sweep()


# -- list exit (issue 3): thin beat tasks; the services claim rows with SKIP LOCKED and re-check the state.


@shared_task(name="casework.tasks.list_exit_publicity_sweep_task")
def list_exit_publicity_sweep_task() -> int:
    from casework.services.list_exit import list_exit_publicity_sweep

    return list_exit_publicity_sweep()


@shared_task(name="casework.tasks.list_exit_expire_due_task")
def list_exit_expire_due_task() -> int:
    from casework.services.list_exit import list_exit_expire_due

    return list_exit_expire_due()


# -- 补正 deadline (docs/domain.md §9.10): the reminder before it, the withdrawal after it; each case once.


@shared_task(name="casework.tasks.supplement_remind_due_task")
def supplement_remind_due_task() -> int:
    from casework.services.supplement import supplement_remind_due

    return supplement_remind_due()


@shared_task(name="casework.tasks.supplement_withdraw_due_task")
def supplement_withdraw_due_task() -> int:
    from casework.services.supplement import supplement_withdraw_due

    return supplement_withdraw_due()


# -- notices (issue 5): rendered after commit, stored once; beat renders what commit-time dispatch missed.


@shared_task(name="casework.tasks.notice_render_task")
def notice_render_task(notice_id: int) -> bool:
    from casework.models import NoticeState
    from casework.services.documents import notice_render

    notice = notice_render(notice_id)
    return notice is not None and notice.state == NoticeState.RENDERED


@shared_task(name="casework.tasks.notices_render_pending_task")
def notices_render_pending_task() -> int:
    from casework.services.documents import notices_render_pending

    return notices_render_pending()


# -- accountability (issues 10 and 11): daily and periodic sweeps; the services claim rows with SKIP LOCKED.


@shared_task(name="casework.tasks.publication_end_due_task")
def publication_end_due_task() -> int:
    from casework.services.publication import publication_end_due

    return publication_end_due()


@shared_task(name="casework.tasks.monthly_reporting_sweep_task")
def monthly_reporting_sweep_task() -> int:
    from casework.services.reporting import monthly_reporting_sweep

    return monthly_reporting_sweep()


@shared_task(name="casework.tasks.history_checkpoint_task")
def history_checkpoint_task() -> str:
    from casework.services.checkpoints import history_checkpoint

    return history_checkpoint().root


# -- calendar years (issue 11): re-dating after an administrator enters or corrects a year runs here, not in
# the request that saved the year.


@shared_task(name="casework.tasks.calendar_redate_task")
def calendar_redate_task(revision_id: int) -> dict:
    from casework.services.redating import calendar_redate

    return calendar_redate(revision_id=revision_id)


@shared_task(name="casework.tasks.calendar_redate_pending_task")
def calendar_redate_pending_task() -> int:
    from casework.services.redating import calendar_redate_pending

    return calendar_redate_pending()
