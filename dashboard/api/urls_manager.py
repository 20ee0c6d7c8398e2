"""/api/v1/dashboard/ routes: manager."""

urlpatterns: list = []
