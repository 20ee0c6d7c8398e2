"""Pages of the dashboard app: the manager's overview and the staffing advice."""

from django.urls import path

from dashboard.views import manager

urlpatterns = [
    path("dashboard/manager/", manager.manager_page, name="dashboard-manager"),
    path("dashboard/staffing/", manager.staffing_page, name="dashboard-staffing"),
]
