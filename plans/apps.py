from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Daily plans")

    def ready(self):
        from plans import receivers  # noqa: F401  connects the training signal receivers
