"""Pages of the dashboard app: team."""

urlpatterns: list = []
