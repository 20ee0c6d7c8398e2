"""Pages of the recognition app: kudos."""

urlpatterns: list = []
