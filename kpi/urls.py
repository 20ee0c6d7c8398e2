from django.urls import path

from kpi import views

urlpatterns = [
    path("performance/", views.performance, name="kpi-performance"),
    path("targets/", views.targets, name="kpi-targets"),
]
