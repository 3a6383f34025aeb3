"""The demo as a visitor meets it (issue 14): `make demo` runs on config.settings.demo, where a missing page is
the branded 404 with a way home, not Django's debug page listing every URL, while the static files are still
served; and its output carries no warning a newcomer would take for a fault (kombu's "No hostname was
supplied" from the embedded broker's URL, the default and the form the README gives).

These start real processes on the demo settings, as the Makefile and Procfile do; nothing here needs a
database (an anonymous visitor's 404 reads none).
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60


def demo_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.demo",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, language: str = "zh-hans") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def demo_server(tmp_path):
    """`runserver --insecure` on the demo settings, as the Procfile starts it; stopped by its process id."""
    port = free_port()
    command = Path(ROOT / "Procfile").read_text(encoding="utf-8")
    web = next(line for line in command.splitlines() if line.startswith("web:"))
    assert "--insecure" in web, "without --insecure runserver serves no static files once DEBUG is off"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=demo_env(tmp_path, DEMO_HOST="127.0.0.1", DEMO_PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the demo web server did not start")
                time.sleep(0.2)  # waiting for a real process to listen, not for time to pass in a test
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("zh-hans", "页面不存在"), ("en", "Page not found")],
)
def test_the_demo_answers_a_missing_page_with_the_branded_404(demo_server, language, heading):
    status, page = fetch(f"{demo_server}/no-such-page/", language)
    assert status == 404
    assert 'data-testid="error-page"' in page and 'data-testid="go-home"' in page
    assert heading in page
    # Django's DEBUG page: the URL list and the settings hint must never reach a visitor.
    assert "Using the URLconf" not in page and "DEBUG = True" not in page


def test_the_demo_still_serves_its_static_files(demo_server):
    status, css = fetch(f"{demo_server}/static/web/site.css")
    assert status == 200 and css.strip()
    status, _ = fetch(f"{demo_server}/static/web/site.js")
    assert status == 200


def test_the_demo_settings_turn_debug_off_and_still_load_the_demo(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.CASEWORK_DEMO, settings.CELERY_BROKER_URL)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=demo_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["False", "True", "filesystem://localhost/"]


@pytest.mark.parametrize("given", ["", "filesystem://localhost/"])
def test_the_embedded_broker_connects_without_kombus_hostname_warning(tmp_path, given):
    """kombu logs "No hostname was supplied" on every connection to a host-less URL; `make demo` printed it
    from the web server, the worker and beat."""
    code = (
        "import django; django.setup(); from config.celery import app; "
        "info = app.connection_for_write().info(); print(info['transport'], info['hostname'])"
    )
    env = demo_env(tmp_path) | ({"CELERY_BROKER_URL": given} if given else {})
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert "No hostname" not in out.stdout + out.stderr
    assert out.stdout.split()[-2:] == ["filesystem", "localhost"]
