import pytest
from rest_framework.test import APIClient

from casework import calendar
from casework.identifiers import compute_credit_code_check, compute_resident_id_check
from casework.services.registry import user_create


def credit_code(division: str = "350102", org: str = "MA2Y3K4L5") -> str:
    first17 = f"91{division}{org}"
    return first17 + compute_credit_code_check(first17)


def resident_id(division: str = "350102", born: str = "19800101", seq: str = "123") -> str:
    first17 = f"{division}{born}{seq}"
    return first17 + compute_resident_id_check(first17)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_django_cache():
    """Each test starts with an empty cache: a marker one test left (e.g. "this report's PDF is being
    prepared") must not decide what another test sees."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signals_connected():
    calendar.connect_signals()  # idempotent; the app config does the same in production


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(token: str, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def admin_api(db):
    _, token = user_create(username="admin", password="admin-pass-1", role="admin")
    return client_for(token)


def resident_id_ending_in_x(division: str = "350102", born: str = "19900307") -> str:
    """A valid ID whose check character is X, to test that a lowercase x is accepted."""
    for seq in range(1000):
        code = resident_id(division, born, f"{seq:03d}")
        if code.endswith("X"):
            return code
    raise AssertionError("no sequence number gives X")


@pytest.fixture
def english():
    """For tests that read English messages (the deployment default is zh-hans)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def credit_office(db):
    from casework.services.registry import department_create

    return department_create(
        code="gl-credit", name="鼓楼区信用办", kind="credit_office", level="district", division="350102"
    )
