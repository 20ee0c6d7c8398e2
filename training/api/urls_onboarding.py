"""/api/v1/training/ routes: onboarding."""

urlpatterns: list = []
