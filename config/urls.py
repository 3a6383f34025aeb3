from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from casework.api.tokens import TokenRevokeApi
from casework.api.urls import urlpatterns as casework_api
from integration.urls import urlpatterns as integration_api
from notifications.urls import urlpatterns as inbox_api
from web import base as web_base
from web import cases as web_cases
from web import inbox as web_inbox
from web.urls import portal_urls, supervision_urls, workspace_urls

# REST API v1, one `api` namespace over three apps: the domain's endpoints, the integration endpoints (push
# endpoints, deliveries, feedback, imports) and the inbox. Wired here so that casework imports no outer app.
api_v1 = (casework_api + integration_api + inbox_api, "api")

urlpatterns = [
    # The front door: a signed-in user goes to their face (portal, workspace, supervision), others sign in.
    path("", web_base.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("web.accounts")),  # sign out, password change and reset
    path("portal/", include(portal_urls)),
    path("workspace/", include(workspace_urls)),
    path("supervision/", include(supervision_urls)),
    path("inbox/", web_inbox.inbox, name="inbox"),
    path("inbox/read-all/", web_inbox.inbox_read_all, name="inbox-read-all"),
    path("inbox/<uuid:public_id>/read/", web_inbox.inbox_read, name="inbox-read"),
    path(
        "cases/<str:number>/materials/<uuid:public_id>/",
        web_cases.material_download,
        name="material-download",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/auth/token/", TokenRevokeApi.as_view(), name="api-token"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Packaged Swagger UI (sidecar) with its settings script served separately: no inline script, no CDN.
    # Swagger UI sets one inline style; that page alone allows inline styles (never inline scripts).
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:  # development only: the HTML a PDF notice is rendered from (issue 5)
    from casework.documents.views import letter_preview

    urlpatterns += [path("dev/letters/<str:number>/<str:kind>/", letter_preview, name="letter-preview")]
