"""Issue #12: the interactive API docs render from packaged files, offline, under the site's CSP (any CSP
violation or script error is a console error, which fails the test)."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_page_renders_offline_under_the_content_security_policy(pages):
    page = pages.new("en-US")
    # Nothing may leave the machine: any request to another host is refused.
    page.route(
        "**/*",
        lambda route: (
            route.abort()
            if "127.0.0.1" not in route.request.url and "localhost" not in route.request.url
            else route.continue_()
        ),
    )
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Credit casework API" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() > 20
