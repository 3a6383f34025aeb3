from django.urls import path

from . import api, api_imports

urlpatterns = [
    path("endpoints/", api.EndpointListApi.as_view(), name="endpoint-list"),
    path("endpoints/<uuid:public_id>/", api.EndpointDetailApi.as_view(), name="endpoint-detail"),
    path("deliveries/", api.DeliveryListApi.as_view(), name="delivery-list"),
    path("deliveries/<uuid:public_id>/replay/", api.DeliveryReplayApi.as_view(), name="delivery-replay"),
    path("sanctions/<uuid:public_id>/feedback/", api.FeedbackApi.as_view(), name="sanction-feedback"),
    path("imports/", api_imports.ImportListApi.as_view(), name="import-list"),
    path("imports/<uuid:public_id>/", api_imports.ImportDetailApi.as_view(), name="import-detail"),
]
