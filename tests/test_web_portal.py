"""Issue 5, portal: a subject files an objection with materials through the guided form."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from casework.models import Case, Material

from .web_world import ELF, pdf, user
from .world import build_world

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


@pytest.fixture
def world(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        return build_world(admin_api)


def subject_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("subject"))
    return client


def filing(world, **extra):
    return {
        "subject": world.subject["id"],
        "records": [world.record["id"]],
        "statement": "该处罚已被撤销。",
        "commitment_signed": "on",
        **extra,
    }


def test_the_front_door_sends_each_role_to_its_face(world, client):
    assert client.get("/").url == "/accounts/login/"
    assert client.get("/accounts/login/").status_code == 200
    client.force_login(user("subject"))
    assert client.get("/").url == "/portal/"
    client.force_login(user("credit"))
    assert client.get("/").url == "/workspace/"
    assert client.get("/portal/").status_code == 403


def test_portal_shows_records_and_sanctions(world):
    page = subject_client().get("/portal/").content.decode()
    assert "福州示例贸易有限公司" in page
    assert "限制参与政府采购" in page and "In force" in page


def test_objection_filed_with_an_upload(world):
    client = subject_client()
    with time_machine.travel(MONDAY, tick=False):
        response = client.post("/portal/file/objection/", filing(world, materials=[pdf()]))
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == f"/portal/cases/{case.number}/"
    assert case.materials.get().original_name == "撤销决定书.pdf"
    page = client.get(response.url).content.decode()
    assert "Acceptance (受理)" in page and "鼓楼区信用办" in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("setup.pdf", ELF, content_type="application/pdf"),
            "is not a PDF, JPG or PNG file",
        ),
        (SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2048), "files may be at most"),
    ],
    ids=["executable-renamed-pdf", "over-the-size-limit"],
)
def test_bad_upload_is_refused_and_nothing_is_stored(world, settings, upload, message):
    settings.CASEWORK_UPLOAD_MAX_BYTES = 1024
    response = subject_client().post("/portal/file/objection/", filing(world, materials=[upload]))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists() and not Material.objects.exists()


def test_every_missing_part_is_named_next_to_its_field(world):
    response = subject_client().post("/portal/file/objection/", {"subject": world.subject["id"]})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"records", "statement", "commitment_signed"}
    assert not Case.objects.exists()
