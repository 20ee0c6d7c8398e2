from django.urls import path
from rest_framework.routers import DefaultRouter

from teams.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("teams", views.TeamViewSet, basename="team")
router.register("members", views.MemberViewSet, basename="member")
router.register("shops", views.ShopViewSet, basename="shop")
router.register("responsibilities", views.ResponsibilityViewSet, basename="responsibility")
router.register("shifts", views.ShiftViewSet, basename="shift")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
