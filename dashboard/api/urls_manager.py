"""/api/v1/dashboard/ routes: the manager's overview and the staffing advice."""

from django.urls import path

from dashboard.api.manager import ManagerOverviewView, StaffingView

urlpatterns = [
    path("dashboard/manager/", ManagerOverviewView.as_view(), name="dashboard-manager"),
    path("dashboard/staffing/", StaffingView.as_view(), name="dashboard-staffing"),
]
