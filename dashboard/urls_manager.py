"""Pages of the dashboard app: manager."""

urlpatterns: list = []
