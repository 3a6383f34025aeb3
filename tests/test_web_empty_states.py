"""Issue 14: an empty page tells a newcomer what will appear there and how to get it, in zh-hans and English."""

import pytest
from django.test import Client

from .web_world import user
from .world import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "url", "language", "guidance"),
    [
        ("subject", "/inbox/", "zh-hans", "与您的事项有关的通知"),
        ("subject", "/inbox/", "en", "News about your work"),
        ("credit", "/workspace/imports/", "zh-hans", "请用上方表单上传 CSV 或 XLSX 文件"),
        ("credit", "/workspace/imports/", "en", "Upload a CSV or XLSX file with the form above"),
    ],
)
def test_an_empty_list_says_what_will_appear_and_how(admin_api, username, url, language, guidance):
    build_world(admin_api)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user(username))
    response = client.get(url)
    assert response.status_code == 200
    assert guidance in response.content.decode()
