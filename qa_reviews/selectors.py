from django.db.models import Q, QuerySet

from qa_reviews.models import Review, ReviewStatus, Scorecard
from teams import policy


def scorecard_list(*, user) -> QuerySet[Scorecard]:
    """Scorecards of the teams the user reads (agents may see what they are scored on)."""
    return policy.scope_queryset(user, Scorecard.objects.prefetch_related("criteria")).order_by("name", "-version")


def review_list(*, user) -> QuerySet[Review]:
    """Reviews of the teams the user supervises; an agent sees their own, once submitted.

    Calibration scores are not reviews of the agent: they live in their session.
    """
    access = policy.team_access(user)
    visible = Q(team_id__in=access.supervised) | (
        Q(agent_id=user.pk, team_id__in=access.readable) & ~Q(status=ReviewStatus.DRAFT)
    )
    return (
        Review.objects.filter(visible, calibration__isnull=True)
        .select_related("agent", "reviewer", "scorecard", "conversation")
        .prefetch_related("scores__criterion", "message_comments__message", "history")
        .order_by("-created_at", "-id")
    )
