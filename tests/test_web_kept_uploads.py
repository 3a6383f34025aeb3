"""Issue 14, portal: a file attached to a refused form is kept for the next try (casework/pending_uploads.py).

Before, a validation error silently dropped every attached file. Now each accepted file is stored for its
owner and listed as "已上传：name (size)"; it survives any number of refusals, expires after
CASEWORK_PENDING_UPLOAD_HOURS, is deleted once filed, and is never usable by another user.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from casework.models import Case, Material
from casework.pending_uploads import FOLDER, pending_sweep

from .web_world import ELF, PDF, pdf, user
from .world import build_world

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"
URL = "/portal/file/objection/"
KEPT = "materials__kept"


@pytest.fixture
def world(admin_api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # each test sees only its own kept files
    with time_machine.travel(MONDAY, tick=False):
        return build_world(admin_api)


def client_for(username: str, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user(username))
    return client


def filing(world, **extra) -> dict:
    return {
        "subject": world.subject["id"],
        "records": [world.record["id"]],
        "statement": "该处罚已被撤销。",
        "commitment_signed": "on",
        **extra,
    }


def tokens(response) -> list[str]:
    return re.findall(rf'name="{KEPT}" value="([^"]+)"', response.content.decode())


def kept_files() -> list[str]:
    try:
        owners = default_storage.listdir(FOLDER)[0]
    except FileNotFoundError:
        return []
    return [name for owner in owners for name in default_storage.listdir(f"{FOLDER}/{owner}")[1]]


def refused_with_a_file(world, client, name="撤销决定书.pdf"):
    """A filing refused for a missing commitment, with one good PDF attached."""
    data = filing(world, materials=[pdf(name)])
    del data["commitment_signed"]
    with time_machine.travel(MONDAY, tick=False):
        response = client.post(URL, data)
    assert response.status_code == 400
    return response


def test_a_refused_form_keeps_the_file_and_names_it(world):
    response = refused_with_a_file(world, client_for("subject"))
    page = response.content.decode()
    assert "已上传：撤销决定书.pdf（" in page and 'data-testid="kept-materials"' in page
    assert len(tokens(response)) == 1 and len(kept_files()) == 1
    assert 'data-testid="attach-again"' not in page  # the old "attach them again" warning is gone


def test_the_kept_file_is_filed_with_the_next_submission_and_its_copy_deleted(world):
    client = client_for("subject")
    token = tokens(refused_with_a_file(world, client))[0]
    with time_machine.travel(MONDAY, tick=False):
        response = client.post(URL, filing(world, **{KEPT: [token]}))
    assert response.status_code == 302
    material = Case.objects.get().materials.get()
    assert material.original_name == "撤销决定书.pdf" and material.size == len(PDF)
    assert material.file.read() == PDF
    assert kept_files() == []


@pytest.mark.parametrize(
    ("second_error", "data"),
    [
        ("form", {"statement": ""}),  # the form refuses again
        ("service", {"records": []}),  # the service refuses (no record chosen)
    ],
)
def test_a_second_refusal_loses_neither_the_kept_file_nor_a_new_one(world, second_error, data):
    client = client_for("subject")
    first = tokens(refused_with_a_file(world, client))
    second_data = filing(world, **{KEPT: first, "materials": [pdf("第二份.pdf")]}) | data
    with time_machine.travel(MONDAY, tick=False):
        second = client.post(URL, second_data)
    assert second.status_code == 400, second_error
    page = second.content.decode()
    assert "已上传：撤销决定书.pdf" in page and "已上传：第二份.pdf" in page
    assert first[0] in tokens(second) and len(tokens(second)) == 2
    with time_machine.travel(MONDAY, tick=False):
        third = client.post(URL, filing(world, **{KEPT: tokens(second)}))
    assert third.status_code == 302
    names = sorted(Case.objects.get().materials.values_list("original_name", flat=True))
    assert names == sorted(["撤销决定书.pdf", "第二份.pdf"])


def test_a_file_that_fails_the_type_check_is_named_not_kept(world):
    data = filing(world, materials=[SimpleUploadedFile("setup.pdf", ELF), pdf()])
    del data["statement"]
    with time_machine.travel(MONDAY, tick=False):
        response = client_for("subject", "en").post(URL, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "“setup.pdf” is not a PDF, JPG or PNG file" in page
    assert "Uploaded: 撤销决定书.pdf" in page and "Uploaded: setup.pdf" not in page
    assert len(kept_files()) == 1


@pytest.mark.parametrize(
    ("who", "token", "message"),
    [
        ("other_subject", None, "no longer available"),  # another user's token
        ("subject", "forged", "no longer available"),  # altered or made up
        ("subject", "expired", "has expired"),  # kept longer than CASEWORK_PENDING_UPLOAD_HOURS
        ("subject", "swept", "no longer available"),  # its stored copy is gone (the sweep, a disk cleanup)
    ],
)
def test_a_kept_file_is_never_used_by_another_user_nor_after_it_expired(world, who, token, message):
    good = tokens(refused_with_a_file(world, client_for("subject")))[0]
    when = MONDAY
    if token == "forged":
        good = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    if token == "swept":
        assert pending_sweep(now=timezone.now() + timedelta(days=2)) == 1
    if token == "expired":
        when = "2026-11-24 10:01 +0800"  # 24 hours and a minute after the upload
    with time_machine.travel(when, tick=False):
        response = client_for(who, "en").post(URL, filing(world, **{KEPT: [good]}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists() and not Material.objects.exists()


def test_unticking_a_kept_file_leaves_it_out(world):
    client = client_for("subject")
    refused_with_a_file(world, client)
    with time_machine.travel(MONDAY, tick=False):
        response = client.post(URL, filing(world))  # the box was unticked: no token sent
    assert response.status_code == 302
    assert not Case.objects.get().materials.exists()


def test_the_supplement_form_keeps_its_files_too(world):
    """补正: the same keeping on the case page's supplement form (refused here: the case asks for none)."""
    from .world import file_objection

    with time_machine.travel(MONDAY, tick=False):
        assert file_objection(world).status_code == 201
        number = Case.objects.get().number
        response = client_for("subject").post(
            f"/portal/cases/{number}/supplement/", {"note": "补充", "materials": [pdf("补正.pdf")]}
        )
    assert response.status_code == 400
    assert "已上传：补正.pdf" in response.content.decode()


def test_the_sweep_deletes_kept_files_older_than_their_lifetime(world):
    refused_with_a_file(world, client_for("subject"))
    assert pending_sweep(now=timezone.now() + timedelta(hours=23)) == 0
    assert len(kept_files()) == 1
    assert pending_sweep(now=timezone.now() + timedelta(hours=25)) == 1
    assert kept_files() == []
