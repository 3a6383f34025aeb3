"""Accounts: sign out with a page for a GET (a link or a typed address), password change and reset.

The password views are Django's own (django.contrib.auth.views) with the site's templates in
templates/registration/; the reset e-mail goes through the configured EMAIL_BACKEND.
"""

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import path, reverse_lazy


class LogoutPage(auth_views.LogoutView):
    """POST signs out (Django's LogoutView). GET, which LogoutView refuses with a bare 405, answers a page
    with a sign-out button: signing out stays a POST, so a link elsewhere cannot sign anyone out."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, "registration/logged_out_confirm.html")


urlpatterns = [
    path("logout/", LogoutPage.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]
