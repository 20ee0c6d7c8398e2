"""/api/v1/ routes of the recognition app: awards."""

urlpatterns: list = []
