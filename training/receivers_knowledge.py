"""Signal receivers of the training knowledge area."""

from django.dispatch import receiver

from qa_reviews.models import Case
from qa_reviews.signals import case_training_requested
from training.knowledge.lessons import article_from_case


@receiver(case_training_requested, sender=Case, dispatch_uid="training-article-from-case")
def case_lesson_to_article(sender, case, actor, **kwargs):
    """A QA case's "turn into training material": its lesson article, written or refreshed (see lessons.py)."""
    return article_from_case(case=case, actor=actor)
