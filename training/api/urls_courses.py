"""/api/v1/training/ routes: courses."""

urlpatterns: list = []
