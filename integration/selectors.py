"""Integration reads, scoped like every other read (`casework.selectors`)."""

from django.db.models import QuerySet

from casework.models import Role
from casework.selectors import jurisdiction_q

from .models import Delivery, ImportBatch


def batches_visible_to(user):
    """Staff see their own imports; administrators every import."""
    batches = ImportBatch.objects.select_related("actor")
    return batches if user.role == Role.ADMIN else batches.filter(actor=user)


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    """Administrators see every push; supervisors those about subjects in their jurisdiction (the delivery
    stores the subject's division)."""
    deliveries = Delivery.objects.all()
    if user.role == Role.ADMIN:
        return deliveries
    if user.role != Role.SUPERVISOR:
        return deliveries.none()
    return deliveries.filter(jurisdiction_q(user, "division"))
