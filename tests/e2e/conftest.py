"""Browser tests drive Debian's chromium through Playwright (no browser download is possible or wanted).

Every page a test opens records console errors, uncaught exceptions and 5xx answers; a test fails if any
occurred. `pages.audit(page)` also fails on horizontal overflow and on axe-core serious/critical violations
(axe-core is vendored in tests/e2e/vendor/, see the README there).
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

WIDTHS = {"phone": 390, "desktop": 1366}  # issue 14: a subject's phone and a clerk's laptop
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_FAILING_IMPACTS = ("serious", "critical")
CHROMIUM_4XX = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d ")

# Playwright's sync API keeps an event loop in the test's thread; the test's own ORM calls are still
# synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Pages:
    def __init__(self, browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self.errors: list[str] = []
        self.contexts = []

    def new(self, locale: str = "zh-CN", width: int = WIDTHS["desktop"]):
        context = self.browser.new_context(
            base_url=self.base_url,
            locale=locale,
            accept_downloads=True,
            viewport={"width": width, "height": 844 if width < 600 else 900},
        )
        self.contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("response", self._response)
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def sign_in(
        self,
        username: str,
        password: str = "a-long-password-1",
        locale: str = "zh-CN",
        width: int = WIDTHS["desktop"],
    ):
        page = self.new(locale, width)
        page.goto("/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        return page

    def _console(self, message) -> None:
        # A page answering 4xx to bad input is by design (its own test checks the status); Chromium logs it
        # as a console error. Failed sub-resources are caught by _response instead.
        if message.type == "error" and not CHROMIUM_4XX.match(message.text):
            self.errors.append(f"console: {message.text}")

    def _response(self, response) -> None:
        # A form sent by the upload script (web/static/web/site.js) answers a page like any form: its 400
        # with the errors is by design, as for a document.
        kind = response.request.resource_type
        html = response.headers.get("content-type", "").startswith("text/html")
        document = kind == "document" or (kind == "xhr" and html)
        if response.status >= 500 or (response.status >= 400 and not document):
            self.errors.append(f"{response.status} from {response.request.method} {response.url}")

    def audit(self, page) -> None:
        """Fail on what a page must never show: horizontal overflow (content off-screen on a phone) and
        axe-core serious or critical accessibility violations. Call it after each page of a journey."""
        page.wait_for_load_state("load")
        where = page.url.removeprefix(self.base_url)
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if width > inner:
            wide = page.evaluate(OFFENDERS_JS)
            self.errors.append(f"overflow on {where}: {width} px > {inner} px; widest: {wide}")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through DevTools, not as a <script> tag: the pages' CSP (script-src 'self') rightly
            # refuses inline scripts, and the audit must not need an exception to it.
            page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        )
        for violation in violations:
            if violation["impact"] in AXE_FAILING_IMPACTS:
                self.errors.append(f"axe {violation['impact']} on {where}: {violation}")


# Names the elements that stick out past the viewport, so an overflow failure says where to look.
OFFENDERS_JS = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`)"""


@pytest.fixture
def pages(browser, live_server):
    pages = Pages(browser, live_server.url)
    yield pages
    for context in pages.contexts:
        context.close()
    assert not pages.errors, "\n".join(pages.errors)
