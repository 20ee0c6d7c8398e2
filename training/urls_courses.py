"""Pages of the training app: courses."""

urlpatterns: list = []
