"""/api/v1/dashboard/ routes: me."""

urlpatterns: list = []
