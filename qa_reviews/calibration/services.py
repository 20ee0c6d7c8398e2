"""Writes of calibration: open a session, score blind, close it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversations.models import Conversation
from notifications.services import Outgoing, notifications_send
from qa_reviews import services
from qa_reviews.calibration.results import MIN_REVIEWERS
from qa_reviews.models import CalibrationSession, CalibrationStatus, Review, Scorecard
from teams import policy
from teams.models import Team


@transaction.atomic
def calibration_create(
    *,
    team: Team,
    actor,
    name: str,
    scorecard: Scorecard,
    conversations: list[Conversation],
    reviewers: list,
) -> CalibrationSession:
    """Open a session and tell each reviewer. The conversations are the team's (or, for a department, its teams')."""
    if not policy.can_supervise_team(actor, team.pk):
        raise PermissionDenied(_("Only the team's supervisors and QA inspectors run calibration sessions."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the session a name.")})
    if scorecard.team_id not in (team.pk, team.parent_id):
        raise ValidationError({"scorecard": _("This scorecard belongs to another team.")})
    if not scorecard.is_current:
        raise ValidationError({"scorecard": _("Use the current version of the scorecard.")})
    chosen = list(
        Conversation.objects.filter(pk__in={conversation.pk for conversation in conversations}).select_related("team")
    )
    if not chosen:
        raise ValidationError({"conversations": _("Choose at least one conversation.")})
    for conversation in chosen:
        if team.pk not in (conversation.team_id, conversation.team.parent_id):
            raise ValidationError(
                {"conversations": _("Conversation %(id)s belongs to another team.") % {"id": conversation.pk}}
            )
        if conversation.agent_id is None:
            raise ValidationError(
                {"conversations": _("Nobody is assigned to conversation %(id)s.") % {"id": conversation.pk}}
            )
        if scorecard.team_id not in (conversation.team_id, conversation.team.parent_id):
            raise ValidationError(
                {
                    "conversations": _("The scorecard does not apply to conversation %(id)s's team.")
                    % {"id": conversation.pk}
                }
            )
    distinct_reviewers = list({reviewer.pk: reviewer for reviewer in reviewers}.values())
    if len(distinct_reviewers) < MIN_REVIEWERS:
        raise ValidationError({"reviewers": _("A calibration needs at least two reviewers.")})
    for reviewer in distinct_reviewers:
        _check_reviewer(reviewer, team, chosen)
    session = CalibrationSession.objects.create(team=team, name=name, scorecard=scorecard, created_by=actor)
    session.conversations.set(chosen)
    session.reviewers.set(distinct_reviewers)
    link = reverse("qa-calibration-detail", args=[session.pk])
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=reviewer.pk,
                kind="qa-calibration",
                message=gettext_noop("You are a reviewer in the calibration session %(name)s: score it blind."),
                params={"name": session.name},
                link=link,
                dedupe_key=f"qa-calibration:{session.pk}",
            )
            for reviewer in distinct_reviewers
        ]
    )
    return session


def _check_reviewer(reviewer, team: Team, conversations: list[Conversation]) -> None:
    label = str(reviewer)
    if not policy.can_supervise_team(reviewer, team.pk) or not all(
        policy.can_supervise_team(reviewer, conversation.team_id) for conversation in conversations
    ):
        raise ValidationError({"reviewers": _("%(name)s does not review this team's conversations.") % {"name": label}})
    if any(conversation.agent_id == reviewer.pk for conversation in conversations):
        raise ValidationError(
            {"reviewers": _("%(name)s handled one of the conversations and cannot score it.") % {"name": label}}
        )


@transaction.atomic
def calibration_score(
    *,
    session: CalibrationSession,
    reviewer,
    conversation: Conversation,
    points: dict[int, int | None],
    comment: str = "",
    submit: bool = False,
) -> Review:
    """The reviewer's blind score of one of the session's conversations (a draft, or submitted)."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)  # closing waits for this score
    if not session.reviewers.filter(pk=reviewer.pk).exists():
        raise PermissionDenied(_("Only the session's reviewers score in it."))
    if session.status != CalibrationStatus.OPEN:
        raise ValidationError({"status": _("The session is closed; its scores can no longer change.")})
    if not session.conversations.filter(pk=conversation.pk).exists():
        raise ValidationError({"conversation": _("This conversation is not part of the session.")})
    return services.review_save(
        conversation=conversation,
        reviewer=reviewer,
        scorecard=session.scorecard,
        points=points,
        comment=comment,
        submit=submit,
        calibration=session,
    )


def can_close(user, session: CalibrationSession) -> bool:
    return session.created_by_id == user.pk or policy.can_manage_team(user, session.team_id)


@transaction.atomic
def calibration_close(*, session: CalibrationSession, actor) -> CalibrationSession:
    """Stop scoring and show the results to everyone who reads the session. Drafts stay out of them."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    if not can_close(actor, session):
        raise PermissionDenied(_("The session's creator or a supervisor of the team closes it."))
    if session.status != CalibrationStatus.OPEN:
        raise ValidationError({"status": _("The session is already closed.")})
    session.status = CalibrationStatus.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at", "updated_at"])
    link = reverse("qa-calibration-detail", args=[session.pk])
    notifications_send(
        outgoing=[
            Outgoing(
                recipient_id=reviewer_id,
                kind="qa-calibration-closed",
                message=gettext_noop("The calibration session %(name)s is closed: see how the reviewers agree."),
                params={"name": session.name},
                link=link,
                dedupe_key=f"qa-calibration-closed:{session.pk}",
            )
            for reviewer_id in session.reviewers.values_list("pk", flat=True)
        ]
    )
    return session
