"""Writes of QA: scorecards and their versions, reviews, acknowledgement, disputes and their resolution."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversations.models import Conversation
from conversations.signals import conversations_written
from notifications.services import Outgoing, notifications_send
from qa_reviews.models import (
    AssignmentStatus,
    CalibrationSession,
    Criterion,
    CriterionScore,
    MessageComment,
    Review,
    ReviewAssignment,
    ReviewChange,
    ReviewStatus,
    Scorecard,
)
from qa_reviews.scoring import ScoredCriterion, review_total
from teams import policy
from teams.models import Team


def _criteria_rows(scorecard: Scorecard, criteria: list[dict]) -> list[Criterion]:
    if not criteria:
        raise ValidationError({"criteria": _("A scorecard needs at least one criterion.")})
    rows = []
    for position, spec in enumerate(criteria):
        row = Criterion(
            scorecard=scorecard,
            section=spec.get("section", ""),
            title=spec["title"],
            weight=Decimal(str(spec["weight"])),
            max_points=spec["max_points"],
            allow_not_applicable=spec.get("allow_not_applicable", False),
            auto_fail=spec.get("auto_fail", False),
            position=position,
        )
        try:
            row.full_clean(exclude=["scorecard"])
        except ValidationError as error:
            raise ValidationError(
                {f"criteria[{position}].{field}": messages for field, messages in error.message_dict.items()}
            ) from error
        rows.append(row)
    return rows


@transaction.atomic
def scorecard_create(*, team: Team, actor, name: str, criteria: list[dict]) -> Scorecard:
    if not policy.can_supervise_team(actor, team.pk):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors build its scorecards."))
    family = (Scorecard.objects.aggregate(last=Max("family"))["last"] or 0) + 1
    scorecard = Scorecard.objects.create(team=team, name=name, family=family, version=1)
    Criterion.objects.bulk_create(_criteria_rows(scorecard, criteria))
    return scorecard


@transaction.atomic
def scorecard_revise(*, scorecard: Scorecard, actor, name: str | None = None, criteria: list[dict]) -> Scorecard:
    """Change a scorecard. One that has reviews gets a new version; its old reviews keep theirs."""
    if not policy.can_supervise_team(actor, scorecard.team_id):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors build its scorecards."))
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if not scorecard.is_current:
        raise ValidationError({"scorecard": _("Only the current version can be changed.")})
    if scorecard.reviews.exists():
        scorecard.is_current = False
        scorecard.save(update_fields=["is_current", "updated_at"])
        scorecard = Scorecard.objects.create(
            team=scorecard.team, name=name or scorecard.name, family=scorecard.family, version=scorecard.version + 1
        )
    else:
        scorecard.criteria.all().delete()
        if name:
            scorecard.name = name
            scorecard.save(update_fields=["name", "updated_at"])
    Criterion.objects.bulk_create(_criteria_rows(scorecard, criteria))
    return scorecard


@transaction.atomic
def review_save(
    *,
    conversation: Conversation,
    reviewer,
    scorecard: Scorecard,
    points: dict[int, int | None],
    comment: str = "",
    reviewer_notes: str = "",
    message_comments: dict[int, str] | None = None,
    submit: bool = False,
    calibration: CalibrationSession | None = None,
) -> Review:
    """Score a conversation with the scorecard (a draft, or submitted when `submit`).

    `points` maps every criterion id to its points, or None for "not applicable".
    With `calibration`, the score is the reviewer's blind score in that session:
    the agent is not told and the KPI does not count it.
    """
    if not policy.can_supervise_team(reviewer, conversation.team_id):
        raise PermissionDenied(_("Only the team's QA inspectors and supervisors review its conversations."))
    if conversation.agent_id is None:
        raise ValidationError({"conversation": _("Nobody is assigned to this conversation.")})
    if conversation.agent_id == reviewer.pk:
        raise PermissionDenied(_("Nobody reviews their own conversations."))
    if scorecard.team_id != conversation.team_id and scorecard.team_id != conversation.team.parent_id:
        raise ValidationError({"scorecard": _("This scorecard belongs to another team.")})
    review, _created = Review.objects.select_for_update().get_or_create(
        conversation=conversation,
        reviewer=reviewer,
        calibration=calibration,
        defaults={"team_id": conversation.team_id, "agent_id": conversation.agent_id, "scorecard": scorecard},
    )
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError({"status": _("This review is submitted; a dispute is the way to change it.")})
    review.scorecard = scorecard
    criteria = list(scorecard.criteria.all())
    scored = _check_points(criteria, points)
    review.scores.all().delete()
    CriterionScore.objects.bulk_create(
        [CriterionScore(review=review, criterion=criterion, points=points.get(criterion.pk)) for criterion in criteria]
    )
    message_ids = set(conversation.messages.values_list("pk", flat=True))
    review.message_comments.all().delete()
    for message_id in message_comments or {}:
        if message_id not in message_ids:
            raise ValidationError(
                {"message_comments": _("Message %(id)s is not part of this conversation.") % {"id": message_id}}
            )
    MessageComment.objects.bulk_create(
        [
            MessageComment(review=review, message_id=message_id, text=text)
            for message_id, text in (message_comments or {}).items()
        ]
    )
    review.total, review.auto_failed = review_total(scored)
    review.comment, review.reviewer_notes = comment, reviewer_notes
    if submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = timezone.now()
    review.save()
    if submit:
        ReviewChange.objects.create(review=review, changed_by=reviewer, status=review.status, total=review.total)
    if submit and calibration is None:
        ReviewAssignment.objects.filter(
            conversation=conversation, reviewer=reviewer, status=AssignmentStatus.OPEN
        ).update(status=AssignmentStatus.DONE, review=review, updated_at=timezone.now())
        _mark_metrics_stale(review)
        _notify(review, gettext_noop("A QA review of your conversation is ready: %(total)s"), "qa-review")
    return review


def _check_points(criteria: list[Criterion], points: dict) -> list[ScoredCriterion]:
    scored = []
    for criterion in criteria:
        if criterion.pk not in points:
            raise ValidationError(
                {f"points[{criterion.pk}]": _("Score every criterion (%(title)s).") % {"title": criterion.title}}
            )
        value = points[criterion.pk]
        if value is None and not criterion.allow_not_applicable:
            raise ValidationError(
                {f"points[{criterion.pk}]": _("%(title)s always applies.") % {"title": criterion.title}}
            )
        if value is not None and not 0 <= value <= criterion.max_points:
            raise ValidationError(
                {
                    f"points[{criterion.pk}]": _("%(title)s takes 0 to %(max)s points.")
                    % {"title": criterion.title, "max": criterion.max_points}
                }
            )
        scored.append(ScoredCriterion(criterion.weight, criterion.max_points, value, criterion.auto_fail))
    unknown = set(points) - {criterion.pk for criterion in criteria}
    if unknown:
        raise ValidationError(
            {"points": _("These criteria are not on the scorecard: %(ids)s.") % {"ids": sorted(unknown)}}
        )
    return scored


@transaction.atomic
def review_acknowledge(*, review: Review, agent) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.agent_id != agent.pk:
        raise PermissionDenied
    if review.status != ReviewStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted review can be acknowledged.")})
    review.status = ReviewStatus.ACKNOWLEDGED
    review.acknowledged_at = timezone.now()
    review.save(update_fields=["status", "acknowledged_at", "updated_at"])
    ReviewChange.objects.create(review=review, changed_by=agent, status=review.status, total=review.total)
    return review


@transaction.atomic
def review_dispute(*, review: Review, agent, reason: str) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.agent_id != agent.pk:
        raise PermissionDenied
    if review.status not in (ReviewStatus.SUBMITTED, ReviewStatus.ACKNOWLEDGED):
        raise ValidationError({"status": _("This review cannot be disputed now.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why you dispute the review.")})
    review.status = ReviewStatus.DISPUTED
    review.dispute_reason = reason
    review.save(update_fields=["status", "dispute_reason", "updated_at"])
    ReviewChange.objects.create(review=review, changed_by=agent, status=review.status, total=review.total, note=reason)
    return review


@transaction.atomic
def dispute_resolve(
    *, review: Review, supervisor, resolution: str, points: dict[int, int | None] | None = None
) -> Review:
    """Uphold the score (no points) or change it (new points); the earlier score stays in the history."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not policy.can_manage_team(supervisor, review.team_id) or supervisor.pk == review.reviewer_id:
        raise PermissionDenied(_("A supervisor of the team, not the reviewer, resolves a dispute."))
    if review.status != ReviewStatus.DISPUTED:
        raise ValidationError({"status": _("Only a disputed review can be resolved.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Explain the decision.")})
    if points is not None:
        criteria = list(review.scorecard.criteria.all())
        scored = _check_points(criteria, points)
        for score in review.scores.all():
            score.points = points[score.criterion_id]
            score.save(update_fields=["points"])
        review.total, review.auto_failed = review_total(scored)
    review.status = ReviewStatus.RESOLVED
    review.resolution = resolution
    review.resolved_by = supervisor
    review.resolved_at = timezone.now()
    review.save()
    ReviewChange.objects.create(
        review=review, changed_by=supervisor, status=review.status, total=review.total, note=resolution
    )
    _mark_metrics_stale(review)
    _notify(review, gettext_noop("Your dispute was resolved: %(total)s"), "qa-dispute-resolved")
    return review


def _mark_metrics_stale(review: Review) -> None:
    """The agent's QA score for the conversation's day changed: the KPI app recomputes that day."""
    conversation = review.conversation
    conversations_written.send(sender=Review, days={(conversation.team_id, conversation.started_at)})


def _notify(review: Review, message: str, kind: str) -> None:
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=review.agent_id,
                kind=kind,
                message=message,
                params={"total": str(review.total)},
                link=f"/qa/reviews/{review.pk}/",
                dedupe_key=f"{kind}:{review.pk}:{review.status}",
            )
        ]
    )
