from casework.models import Role

from .models import ImportBatch


def batches_visible_to(user):
    """Staff see their own imports; administrators every import."""
    batches = ImportBatch.objects.select_related("actor")
    return batches if user.role == Role.ADMIN else batches.filter(actor=user)
