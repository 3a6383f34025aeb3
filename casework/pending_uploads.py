"""Uploads kept across a refused form: a file the subject attached is not lost when another field is wrong.

A form that fails validation keeps each accepted upload (its content type already read, `casework.uploads`)
in storage under `pending/<owner id>/<random>.<ext>` and hands back a token, signed with the secret key, that
names the owner, the stored key, the original name and the size. The re-rendered form carries the token;
the next submission turns it back into the file. So:

- a token is only good for the user it was made for (another user's session gets "no longer available");
- it expires after settings.CASEWORK_PENDING_UPLOAD_HOURS [product default: 24 hours], counted from the first
  upload (a token carried through several refusals is not renewed), and the beat sweep deletes what is older;
- it cannot be forged or pointed at another stored file: the key is inside the signature.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.uploads import InspectedUpload

SALT = "casework.pending-upload"
FOLDER = "pending"


def max_age() -> timedelta:
    return timedelta(hours=settings.CASEWORK_PENDING_UPLOAD_HOURS)


@dataclass(frozen=True)
class PendingUpload:
    """A kept file as the form shows it: "已上传：name (size)", and the token that brings it back."""

    token: str
    name: str
    size: int

    @property
    def size_label(self) -> str:
        return filesizeformat(self.size)


def pending_keep(upload, inspected: InspectedUpload, owner) -> PendingUpload:
    """Store an accepted upload for `owner` (a user) and return its token. `inspected` is the result of
    `casework.uploads.inspect_upload(upload)`: only files that passed it are kept."""
    key = f"{FOLDER}/{owner.pk}/{uuid.uuid4().hex}.{inspected.extension}"
    upload.seek(0)
    key = default_storage.save(key, upload)
    payload = {"o": owner.pk, "k": key, "n": upload.name[:255], "s": inspected.size}
    return PendingUpload(signing.dumps(payload, salt=SALT), payload["n"], payload["s"])


def _payload(token: str, owner) -> dict:
    unavailable = ValidationError(
        _("A file attached earlier is no longer available: please attach it again."), code="pending_gone"
    )
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired:
        raise ValidationError(
            _(
                "A file attached earlier was kept for %(hours)s hours and has expired: please attach it again."
            ),
            code="pending_expired",
            params={"hours": settings.CASEWORK_PENDING_UPLOAD_HOURS},
        ) from None
    except signing.BadSignature:
        raise unavailable from None
    if payload.get("o") != owner.pk or not default_storage.exists(payload["k"]):
        raise unavailable
    return payload


def pending_describe(token: str, owner) -> PendingUpload:
    """The kept file behind `token`, checked: ValidationError when it is expired, altered, another user's,
    or already gone from storage."""
    payload = _payload(token, owner)
    return PendingUpload(token, payload["n"], payload["s"])


def pending_open(token: str, owner) -> File:
    """The kept file as an upload the services accept (name = the subject's file name). Errors as
    `pending_describe`."""
    payload = _payload(token, owner)
    handle = default_storage.open(payload["k"], "rb")
    return File(handle, name=payload["n"])


def pending_discard(token: str, owner) -> None:
    """Delete a kept file once it has been filed (or dropped). A bad or foreign token deletes nothing."""
    try:
        payload = _payload(token, owner)
    except ValidationError:
        return
    default_storage.delete(payload["k"])


def pending_sweep(now=None) -> int:
    """Delete kept files older than the token lifetime (their tokens no longer open them). Returns how many."""
    cutoff = (now or timezone.now()) - max_age()
    deleted = 0
    try:
        owners, _files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    for owner in owners:
        for name in default_storage.listdir(f"{FOLDER}/{owner}")[1]:
            key = f"{FOLDER}/{owner}/{name}"
            if default_storage.get_modified_time(key) < cutoff:
                default_storage.delete(key)
                deleted += 1
    return deleted
