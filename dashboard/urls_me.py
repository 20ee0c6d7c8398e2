"""Pages of the dashboard app: me."""

urlpatterns: list = []
