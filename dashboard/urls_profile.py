"""Pages of the dashboard app: profile."""

urlpatterns: list = []
