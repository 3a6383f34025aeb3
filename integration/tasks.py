"""Thin Celery tasks: fetch by id or sweep, call a service."""

from celery import shared_task

from .feedback import feedback_mismatch_sweep
from .push import delivery_send, push_dispatch_due


@shared_task(name="integration.tasks.push_deliver_task")
def push_deliver_task(delivery_id: int) -> bool:
    return delivery_send(delivery_id)


@shared_task(name="integration.tasks.integration_sweep_task")
def integration_sweep_task() -> int:
    """Beat, every minute: deliveries due (missed at commit, or retrying) and feedback mismatches due."""
    return push_dispatch_due() + feedback_mismatch_sweep()
