from django.urls import path
from rest_framework.routers import DefaultRouter

from plans.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("plans", views.PlanViewSet, basename="plan")
router.register("tasks", views.TaskViewSet, basename="task")

urlpatterns = [path("me/today/", views.TodayView.as_view(), name="me-today"), *router.urls]
