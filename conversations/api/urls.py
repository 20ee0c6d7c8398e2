from rest_framework.routers import DefaultRouter

from conversations.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("conversations", views.ConversationViewSet, basename="conversation")
router.register("imports", views.ImportJobViewSet, basename="import")

urlpatterns = router.urls
