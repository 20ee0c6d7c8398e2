"""Reads of calibration: the sessions a user sees, their own scores, and progress without scores."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from conversations.models import Conversation
from qa_reviews.models import CalibrationSession, Review, ReviewStatus
from teams import policy


def calibration_list(*, user) -> QuerySet[CalibrationSession]:
    """Sessions of the teams the user supervises; agents see none."""
    return (
        CalibrationSession.objects.filter(team_id__in=policy.team_access(user).supervised)
        .select_related("team", "scorecard", "created_by")
        .prefetch_related(
            Prefetch(
                "conversations", queryset=Conversation.objects.select_related("agent").order_by("started_at", "id")
            ),
            "reviewers",
        )
        .order_by("-created_at", "-id")
    )


def calibration_own_scores(*, session: CalibrationSession, reviewer) -> QuerySet[Review]:
    """The reviewer's own scores in the session: the only scores anyone sees while it is open."""
    return (
        Review.objects.filter(calibration=session, reviewer=reviewer)
        .select_related("conversation")
        .prefetch_related("scores")
        .order_by("conversation_id")
    )


@dataclass(frozen=True)
class ReviewerProgress:
    reviewer: object
    submitted: int
    drafts: int
    expected: int


def calibration_progress(*, session: CalibrationSession) -> list[ReviewerProgress]:
    """How many conversations each reviewer has scored: counts only, never the scores."""
    counts = (
        Review.objects.filter(calibration=session)
        .values("reviewer_id")
        .annotate(
            drafts=Count("pk", filter=Q(status=ReviewStatus.DRAFT)),
            submitted=Count("pk", filter=~Q(status=ReviewStatus.DRAFT)),
        )
    )
    by_reviewer = {row["reviewer_id"]: row for row in counts}
    expected = len(session.conversations.all())
    return [
        ReviewerProgress(
            reviewer=reviewer,
            submitted=by_reviewer.get(reviewer.pk, {}).get("submitted", 0),
            drafts=by_reviewer.get(reviewer.pk, {}).get("drafts", 0),
            expected=expected,
        )
        for reviewer in sorted(session.reviewers.all(), key=lambda user: user.get_username())
    ]
