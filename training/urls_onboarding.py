"""Pages of the training app: onboarding."""

urlpatterns: list = []
