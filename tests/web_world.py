"""Web-face helpers: a world built through the API (tests/world.py) plus a supervisor and upload files."""

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Department, User
from casework.services.registry import user_create

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def pdf(name: str = "撤销决定书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def user(username: str) -> User:
    return User.objects.get(username=username)


def add_supervisor(username: str = "head", department: str = "xy-credit") -> User:
    supervisor, _ = user_create(
        username=username,
        password="a-long-password-1",
        role="supervisor",
        departments=[Department.objects.get(code=department)],
    )
    return supervisor


def second_market_regulator() -> str:
    """A second market-regulation department of the district (a 市场监管所) that can take over a verification,
    with its reviewer `market-east`; returns the reviewer's API token."""
    from casework.services.registry import department_create

    east = department_create(
        code="xy-market-east",
        name="鼓楼区市场监管局东街所",
        kind="market_regulation",
        level="district",
        division="350102",
    )
    _, token = user_create(
        username="market-east", password="a-long-password-1", role="reviewer", departments=[east]
    )
    return token


def objection_at_verification(admin_api, *, reviewer_name: str = ""):
    """Build the world, file an objection and move it to the market office's verification (the credit
    office accepts and forwards it at the self-check); returns the world. Call under a frozen clock."""
    from casework.models import CaseTask
    from casework.services.tasks import task_claim, task_complete

    from .world import build_world, file_objection

    world = build_world(admin_api)
    assert file_objection(world).status_code == 201
    credit = user("credit")
    if reviewer_name:
        credit.first_name = reviewer_name
        credit.save(update_fields=["first_name"])
    task = task_claim(task=CaseTask.objects.get(), user=credit)
    task_complete(task=task, user=credit, decision="accept", note="", data={})
    check = task_claim(task=CaseTask.objects.get(step="self_check"), user=credit)
    task_complete(task=check, user=credit, decision="forward", note="转送核实", data={})
    return world
