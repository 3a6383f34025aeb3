"""Issue 14, language: every page of every face in zh-hans shows no ASCII identifier that is not data.

Fault kind: a code (snake_case state, `yes`/`no`, `system`, `hold`, a field name) reaching the screen instead of
its label. The walk reads each page's visible text — not attributes, scripts or styles, and not <code>, which
shows codes on purpose (the import format) — and the case's process diagram.
"""

import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client

from casework.models import Case, CaseTask, Subject
from casework.services.tasks import task_claim, task_complete

from .test_imports import BREAKAGES, row, write_csv
from .web_world import add_supervisor, user
from .world import build_world, file_objection

pytestmark = pytest.mark.django_db

IDENTIFIER = re.compile(
    r"\b[a-z]+(?:_[a-z]+)+\b|\b(?:yes|no|system|hold|none|true|false|null)\b", re.IGNORECASE
)


class VisibleText(HTMLParser):
    SKIP = {"script", "style", "code", "title"}

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def identifiers_in(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return IDENTIFIER.findall(" ".join(parser.parts))


def zh(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user(username))
    return client


@pytest.fixture
def world(admin_api, tmp_path):
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
        credit = user("credit")
        task = task_claim(task=CaseTask.objects.get(), user=credit)
        task_complete(task=task, user=credit, decision="accept", note="", data={})
    add_supervisor()
    _, breakage = BREAKAGES[0]
    path = write_csv(tmp_path / "2026-11.csv", [row(1), breakage(row(2))])
    market = zh("market")
    with path.open("rb") as f:
        market.post("/workspace/imports/", {"file": f})
    return world


def pages_of(client: Client, start: list[str], follow: str) -> dict[str, str]:
    """The start pages, and the first detail page each list links to (`follow`: a URL prefix)."""
    seen = {}
    for url in start:
        response = client.get(url)
        assert response.status_code in (200, 400), (url, response.status_code)
        html = response.content.decode()
        seen[url] = html
        for link in [
            u for u in re.findall(r'href="(' + re.escape(follow) + r'[^"#?]+)"', html) if "." not in u
        ][:3]:
            if link not in seen:
                seen[link] = client.get(link).content.decode()
    return seen


def test_no_identifier_on_any_page_of_any_face(world):
    number = Case.objects.get().number
    subject = Subject.objects.get(code=world.subject["code"])
    faces = {
        "subject": (
            [
                "/portal/",
                "/portal/cases/",
                f"/portal/cases/{number}/",
                "/inbox/",
                "/accounts/password/change/",
            ]
            + [f"/portal/file/{kind}/" for kind in ("objection", "repair", "list-exit", "bankruptcy-repair")],
            "/portal/cases/",
        ),
        "market": (["/workspace/", "/workspace/imports/", "/workspace/imports/format/"], "/workspace/"),
        "head": (
            [
                "/supervision/",
                "/supervision/cases/",
                f"/supervision/cases/{number}/",
                "/supervision/subjects/",
                f"/supervision/subjects/{subject.public_id}/",
                "/supervision/dashboard/",
                "/supervision/reports/monthly/?month=2026-10",
            ],
            "/supervision/tasks/",
        ),
    }
    found = {}
    for username, (start, follow) in faces.items():
        for url, html in pages_of(zh(username), start, follow).items():
            if hits := identifiers_in(html):
                found[f"{username} {url}"] = sorted(set(hits))
    diagram = zh("subject").get(f"/api/v1/cases/{number}/diagram.svg")
    if diagram.status_code == 200 and (hits := identifiers_in(diagram.content.decode())):
        found["diagram"] = sorted(set(hits))
    assert found == {}
