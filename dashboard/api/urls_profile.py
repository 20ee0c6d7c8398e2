"""/api/v1/dashboard/ routes: profile."""

urlpatterns: list = []
