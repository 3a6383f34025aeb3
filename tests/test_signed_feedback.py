"""Issue #12: signed execution feedback. Hostile headers are a 401, never a 500; a recorded request cannot be
replayed (same nonce), sent ahead of time (future timestamp) or replayed onto another sanction (path signed)."""

import json
import secrets
import time
from datetime import datetime

import pytest
import time_machine
from django.core.cache import cache

from integration.models import SanctionFeedback
from integration.signing import MAX_FUTURE_SKEW_SECONDS, sign_request

from .world import build_world, created

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-11-23T10:00:00+08:00")
SECRET = "s" * 40
APPLIED = {"state": "applied", "on": "2026-11-23", "reference": "榕税惩〔2026〕88号", "reported_by": "王五"}


@pytest.fixture(autouse=True)
def _fresh_nonces():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def setup(admin_api):
    world = build_world(admin_api)
    created(
        admin_api.post(
            "/api/v1/endpoints/",
            {"name": "tax", "department": "xy-tax", "url": "http://127.0.0.1:9/tax", "secret": SECRET},
            format="json",
        )
    )
    tax = [s for s in world.sanctions if s["implementer"] == "xy-tax"]
    return world, f"/api/v1/sanctions/{tax[0]['id']}/feedback/"


def signed_headers(path: str, raw: bytes, *, timestamp: str | None = None, nonce: str | None = None) -> dict:
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or secrets.token_hex(16)
    signature = sign_request(SECRET, method="POST", path=path, timestamp=timestamp, nonce=nonce, body=raw)
    return {
        "HTTP_X_CASEWORK_DEPARTMENT": "xy-tax",
        "HTTP_X_CASEWORK_TIMESTAMP": timestamp,
        "HTTP_X_CASEWORK_NONCE": nonce,
        "HTTP_X_CASEWORK_SIGNATURE": signature,
    }


def post(client, path: str, raw: bytes, headers: dict):
    return client.post(path, data=raw, content_type="application/json", **headers)


@pytest.mark.parametrize(
    "override",
    [
        {"HTTP_X_CASEWORK_SIGNATURE": "sha256=é中文"},  # non-ASCII: compared as bytes
        {"HTTP_X_CASEWORK_SIGNATURE": "\udcff"},
        {"HTTP_X_CASEWORK_TIMESTAMP": "9" * 400},  # OverflowError before
        {"HTTP_X_CASEWORK_TIMESTAMP": "-1"},
        {"HTTP_X_CASEWORK_TIMESTAMP": "1e9"},
        {"HTTP_X_CASEWORK_TIMESTAMP": "١٧٩٥٤٨٩٨٠٠"},  # Arabic-Indic digits: int() accepts them
        {"HTTP_X_CASEWORK_TIMESTAMP": ""},
        {"HTTP_X_CASEWORK_NONCE": ""},
        {"HTTP_X_CASEWORK_NONCE": "短"},
        {"HTTP_X_CASEWORK_DEPARTMENT": "税务局" * 50},
    ],
)
def test_hostile_signature_headers_are_a_401_never_a_500(setup, override):
    """Kind: header parsing that raises. Reachable anonymously, so it must be bounded and total."""
    world, path = setup
    with time_machine.travel(START, tick=False):
        raw = json.dumps(APPLIED).encode()
        anonymous = world.admin.__class__()
        response = post(anonymous, path, raw, {**signed_headers(path, raw), **override})
    assert response.status_code == 401, response.content
    assert "detail" in response.json()
    assert SanctionFeedback.objects.count() == 0


def test_a_replayed_request_is_refused(setup):
    """Kind: replay within the window. The nonce is remembered for the whole window."""
    world, path = setup
    with time_machine.travel(START, tick=False):
        raw = json.dumps(APPLIED).encode()
        headers = signed_headers(path, raw)
        anonymous = world.admin.__class__()
        assert post(anonymous, path, raw, headers).status_code == 201
        replay = post(anonymous, path, raw, headers)
    assert replay.status_code == 401
    assert SanctionFeedback.objects.count() == 1


def test_a_request_from_the_future_is_refused(setup):
    world, path = setup
    with time_machine.travel(START, tick=False):
        raw = json.dumps(APPLIED).encode()
        anonymous = world.admin.__class__()
        ahead = str(int(time.time()) + MAX_FUTURE_SKEW_SECONDS + 60)
        assert post(anonymous, path, raw, signed_headers(path, raw, timestamp=ahead)).status_code == 401
        slightly = str(int(time.time()) + 5)  # a sender's clock a little ahead is fine
        assert post(anonymous, path, raw, signed_headers(path, raw, timestamp=slightly)).status_code == 201


def test_a_signed_request_cannot_be_replayed_onto_another_sanction_or_method(setup, admin_api):
    """Kind: a signature that does not bind the target. Method and path are signed."""
    world, path = setup
    other = created(
        admin_api.post(
            "/api/v1/sanctions/",
            {"record": world.record["id"], "measure": "限制出口退税", "implementer": "xy-tax"},
            format="json",
        )
    )
    with time_machine.travel(START, tick=False):
        raw = json.dumps(APPLIED).encode()
        headers = signed_headers(path, raw)
        anonymous = world.admin.__class__()
        moved = post(anonymous, f"/api/v1/sanctions/{other['id']}/feedback/", raw, headers)
        assert moved.status_code == 401
        # The refused attempt did not spend the nonce: the genuine request still goes through once.
        assert post(anonymous, path, raw, headers).status_code == 201
    assert SanctionFeedback.objects.get().sanction.public_id != other["id"]
