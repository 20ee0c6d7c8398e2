from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QaReviewsConfig(AppConfig):
    name = "qa_reviews"
    verbose_name = _("QA reviews")

    def ready(self):
        from qa_reviews import retention  # noqa: F401  follows the chat logs' retention
