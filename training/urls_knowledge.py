"""Pages of the training app: knowledge."""

urlpatterns: list = []
