from celery import shared_task

from .services import outbox_deliver, outbox_due_ids


@shared_task(name="notifications.tasks.outbox_deliver_task")
def outbox_deliver_task(outbox_id: int) -> bool:
    return outbox_deliver(outbox_id)


@shared_task(name="notifications.tasks.outbox_dispatch_due_task")
def outbox_dispatch_due_task() -> int:
    """Beat: deliver whatever commit-time dispatch missed (broker down, worker killed)."""
    return sum(outbox_deliver(outbox_id) for outbox_id in outbox_due_ids())
