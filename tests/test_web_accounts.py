"""Issue 14, accounts and framework pages: sign out by GET answers a page, password change and reset work in
the site's own templates, and 400/403/404/500 are branded zh-hans pages with a way home."""

import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.views import defaults

from casework.models import User
from casework.services.registry import department_create, user_create

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"


@pytest.fixture
def clerk(db):
    market = department_create(
        code="xy-market",
        name="鼓楼区市场监管局",
        kind="market_regulation",
        level="district",
        division="350102",
    )
    user, _ = user_create(username="clerk", password=PASSWORD, role="reviewer", departments=[market])
    user.email = "clerk@example.cn"
    user.save(update_fields=["email"])
    return user


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_sign_out_by_get_is_a_page_with_a_button_and_post_signs_out(clerk):
    client = signed_in(clerk)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200 and 'data-testid="logout"' in page.content.decode()
    assert client.get("/workspace/").status_code == 200  # the GET did not sign out
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/workspace/").status_code == 302  # to the sign-in page


def test_password_change_checks_the_old_password_then_changes_it(clerk):
    client = signed_in(clerk)
    form = client.get("/accounts/password/change/")
    assert form.status_code == 200 and "修改密码" in form.content.decode()
    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "nope", "new_password1": "Xk3-new-secret-77", "new_password2": "Xk3-new-secret-77"},
    )
    assert wrong.status_code == 200 and 'class="error"' in wrong.content.decode()
    done = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xk3-new-secret-77",
            "new_password2": "Xk3-new-secret-77",
        },
        follow=True,
    )
    assert 'data-testid="password-changed"' in done.content.decode()
    assert User.objects.get(pk=clerk.pk).check_password("Xk3-new-secret-77")


def test_password_reset_mails_a_one_time_link_that_sets_a_new_password(clerk):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "忘记密码" in client.get("/accounts/login/").content.decode()
    sent = client.post("/accounts/password/reset/", {"email": "clerk@example.cn"}, follow=True)
    assert 'data-testid="reset-sent"' in sent.content.decode()
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "new_password1" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "Xk3-new-secret-77", "new_password2": "Xk3-new-secret-77"},
        follow=True,
    )
    assert 'data-testid="password-set"' in done.content.decode()
    assert User.objects.get(pk=clerk.pk).check_password("Xk3-new-secret-77")


def test_403_and_404_are_branded_chinese_pages_with_a_way_home(clerk):
    client = signed_in(clerk)
    for url, status, heading in [("/portal/", 403, "无权访问"), ("/no-such-page/", 404, "页面不存在")]:
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == status, url
        assert heading in page and 'data-testid="go-home"' in page, url
        assert "Forbidden" not in page and "Page not found" not in page


def test_400_and_500_pages_are_branded_with_a_way_home(clerk):
    request = RequestFactory(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/")
    request.user = clerk
    bad = defaults.bad_request(request, Exception("bad"))
    assert bad.status_code == 400 and "无法识别" in bad.content.decode()
    crash = defaults.server_error(request)
    assert crash.status_code == 500 and "系统出错了" in crash.content.decode()
    assert 'href="/"' in crash.content.decode()
