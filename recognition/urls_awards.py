"""Pages of the recognition app: awards."""

urlpatterns: list = []
