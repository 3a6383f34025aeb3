"""Domain errors the edges translate: a `Conflict` is HTTP 409, a Django `ValidationError` is 400."""

from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """The thing changed under the caller: someone else acted first, or the state no longer allows it."""

    default_message = _("This item was changed by someone else in the meantime. Reload and try again.")

    def __init__(self, message=None, *, code: str = "conflict"):
        self.message = message or self.default_message
        self.code = code
        super().__init__(str(self.message))


class NotVisible(Exception):
    """The caller may not see the thing at all; answered as 404 so its existence is not revealed."""
