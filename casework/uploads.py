"""Uploaded materials: the type is read from the content, never trusted from the name or the browser."""

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class InspectedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def inspect_upload(upload) -> InspectedUpload:
    limit = settings.CASEWORK_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s."),
            code="too_large",
            params={"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": upload.name})
    upload.seek(0)
    content_type = magic.from_buffer(upload.read(8192), mime=True)
    allowed = settings.CASEWORK_UPLOAD_TYPES
    if content_type not in allowed:
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPG or PNG file (its content is %(type)s)."),
            code="file_type",
            params={"name": upload.name, "type": content_type},
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return InspectedUpload(content_type, allowed[content_type], upload.size, digest.hexdigest())


def download_name(original_name: str, extension: str) -> str:
    """The name a material is downloaded under: the uploader's name with the SNIFFED type's extension.

    "proof.html" that is really a PNG downloads as "proof.png", so no browser or desktop opens it as what
    its name claimed.
    """
    stem = PurePosixPath(original_name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    return f"{stem or 'material'}.{extension}"
