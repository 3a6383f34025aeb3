"""Issue 9 item 3: "jurisdiction is spelled three times" (selectors, the web's department list, the delivery
log). The kind of fault: a second spelling drifts from the first. Every scope now goes through
`casework.selectors.jurisdiction`; this test fails when another module does the division arithmetic itself."""

import ast
from pathlib import Path

from casework.selectors.jurisdiction import in_jurisdiction, jurisdiction_q

ROOT = Path(__file__).resolve().parent.parent
# The arithmetic (GB/T 2260 prefixes) lives with the model; the user's jurisdiction in the selectors.
ALLOWED = {
    "casework/models/department.py",
    "casework/models/__init__.py",
    "casework/selectors/jurisdiction.py",
}
APPS = ("casework", "web", "integration", "notifications", "flows", "config")


def test_only_the_jurisdiction_selector_uses_the_division_arithmetic():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if relative in ALLOWED or "/migrations/" in relative:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
            imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
            # `Department.objects.within(division, level)` is the arithmetic's queryset form.
            if "jurisdiction_prefix" in names | attributes | imported or "within" in attributes:
                offenders.append(relative)
    assert offenders == []


def test_the_queryset_and_the_single_division_answers_agree(db):
    from casework.models import Department, Subject
    from casework.services.registry import department_create, subject_create, user_create

    from .conftest import credit_code

    city = department_create(code="fz", name="福州", kind="credit_office", level="city", division="350100")
    _, _token = user_create(
        username="fz-head", password="a-long-password-1", role="supervisor", departments=[city]
    )
    head = city.members.get()
    inside = subject_create(kind="enterprise", code=credit_code("350102"), name="鼓楼")
    outside = subject_create(kind="enterprise", code=credit_code("350203", "MA2Y3K4L7"), name="厦门")
    scoped = set(Subject.objects.filter(jurisdiction_q(head, "division")))
    assert scoped == {inside}
    assert [in_jurisdiction(head, s.division) for s in (inside, outside)] == [True, False]
    assert Department.objects.filter(jurisdiction_q(head, "division")).get() == city
