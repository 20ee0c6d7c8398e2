"""/api/v1/dashboard/ routes: team."""

urlpatterns: list = []
