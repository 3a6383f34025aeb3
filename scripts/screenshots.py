"""`make screenshots`: every page of the three faces at phone (390 px) and laptop (1366 px) width, as PNGs in
var/screenshots/, for review. Drives Debian's chromium through Playwright against a running demo server.

    python scripts/screenshots.py --base-url http://127.0.0.1:8765 [--out var/screenshots]

Signs in as the demo users (manage.py demo) and follows the first link of each list to reach detail pages, so
it needs the demo data, not fixed case numbers.
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"phone": 390, "desktop": 1366}
PASSWORD = "gulou-demo-2026"  # casework/management/demo/base.py DEMO_PASSWORD

# (user or None, name, path or a CSS selector of a link to follow on the previous page)
JOURNEYS = {
    None: [
        ("login", "/accounts/login/"),
        ("password-reset", "/accounts/password/reset/"),
        ("404", "/no-such-page/"),
    ],
    "demo-company": [
        ("portal-home", "/portal/"),
        ("portal-file-objection", "a[data-testid=object]"),
        ("portal-cases", "/portal/cases/"),
        ("portal-case", "table.list td a"),
        ("portal-file-repair", "/portal/file/repair/"),
        ("inbox", "/inbox/"),
        ("password-change", "/accounts/password/change/"),
        ("logout", "/accounts/logout/"),
    ],
    "demo-credit": [
        ("workspace-queue", "/workspace/"),
        ("workspace-task", "table.queue td a"),
        ("workspace-imports", "/workspace/imports/"),
        ("workspace-import-format", "/workspace/imports/format/"),
    ],
    "demo-supervisor": [
        ("supervision-overdue", "/supervision/"),
        ("supervision-reassign", "a[data-testid=reassign]"),
        ("supervision-cases", "/supervision/cases/"),
        ("supervision-case", "table.list td a"),
        ("supervision-subjects", "/supervision/subjects/"),
        ("supervision-dossier", "table.list td a"),
        ("supervision-dashboard", "/supervision/dashboard/"),
        ("supervision-monthly-report", "/supervision/reports/monthly/"),
        ("supervision-monthly-report-bad-month", "/supervision/reports/monthly/?month=garbage"),
    ],
}


def shoot(browser, base_url: str, out: Path) -> int:
    taken = 0
    for width_name, width in WIDTHS.items():
        for username, steps in JOURNEYS.items():
            context = browser.new_context(
                base_url=base_url, locale="zh-CN", viewport={"width": width, "height": 900}
            )
            page = context.new_page()
            if username:
                page.goto("/accounts/login/")
                page.fill("#id_username", username)
                page.fill("#id_password", PASSWORD)
                page.click("form:has(#id_username) button[type=submit]")
            for name, target in steps:
                if target.startswith("/"):
                    page.goto(target)
                else:
                    link = page.locator(target).first
                    if not link.count():
                        print(f"  skipped {name}: nothing matches {target} on {page.url}", file=sys.stderr)
                        continue
                    page.goto(link.get_attribute("href"))
                path = out / f"{name}-{width_name}.png"
                page.screenshot(path=str(path), full_page=True)
                taken += 1
            context.close()
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--out", default="var/screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        taken = shoot(browser, args.base_url.rstrip("/"), out)
        browser.close()
    print(f"{taken} screenshots in {out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
