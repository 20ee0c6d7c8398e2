from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QaReviewsConfig(AppConfig):
    name = "qa_reviews"
    verbose_name = _("QA reviews")
