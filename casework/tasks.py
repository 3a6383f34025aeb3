"""Celery tasks: thin — sweep, call a service. Beat runs the sweeps (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

# -- list exit (issue 3): thin beat tasks; the services claim rows with SKIP LOCKED and re-check the state.


@shared_task(name="casework.tasks.list_exit_publicity_sweep_task")
def list_exit_publicity_sweep_task() -> int:
    from casework.services.list_exit import list_exit_publicity_sweep

    return list_exit_publicity_sweep()


@shared_task(name="casework.tasks.list_exit_expire_due_task")
def list_exit_expire_due_task() -> int:
    from casework.services.list_exit import list_exit_expire_due

    return list_exit_expire_due()
