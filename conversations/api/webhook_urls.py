from django.urls import path
from rest_framework.routers import DefaultRouter

from conversations.api import webhook_views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("webhook-integrations", webhook_views.WebhookIntegrationViewSet, basename="webhook-integration")

urlpatterns = [
    path("webhooks/chatwoot/<str:token>/", webhook_views.ChatwootWebhookView.as_view(), name="webhook-chatwoot"),
    *router.urls,
]
