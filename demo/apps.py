from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Believable demo data across every app: `manage.py seed_demo`. Nothing else depends on it."""

    name = "demo"
    verbose_name = "Demo data"
