"""Browser tests drive Debian's chromium through Playwright (no browser download is possible or wanted).

Every page a test opens records console errors and uncaught exceptions; a test fails if any occurred.
"""

import os

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

    def new(self, locale: str = "zh-CN"):
        context = self.browser.new_context(base_url=self.base_url, locale=locale, accept_downloads=True)
        self.contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def sign_in(self, username: str, password: str = "a-long-password-1", locale: str = "zh-CN"):
        page = self.new(locale)
        page.goto("/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        return page


@pytest.fixture
def pages(browser, live_server):
    pages = Pages(browser, live_server.url)
    yield pages
    for context in pages.contexts:
        context.close()
    assert pages.errors == [], pages.errors
