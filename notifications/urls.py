"""The inbox endpoints of REST API v1 (mounted by config/urls.py in the `api` namespace)."""

from django.urls import path

from . import api as inbox

urlpatterns = [
    path("inbox/", inbox.InboxApi.as_view(), name="inbox"),
    path("inbox/read-all/", inbox.InboxReadAllApi.as_view(), name="inbox-read-all"),
    path("inbox/<uuid:public_id>/read/", inbox.InboxReadApi.as_view(), name="inbox-read"),
]
