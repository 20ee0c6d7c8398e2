"""/api/v1/ routes of the recognition app: kudos."""

urlpatterns: list = []
