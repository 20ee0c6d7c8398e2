"""/api/v1/training/ routes: knowledge."""

urlpatterns: list = []
