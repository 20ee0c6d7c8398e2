"""QA pages: score a conversation beside its chat, the reviews list, one review with its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from conversations.models import Conversation
from conversations.selectors import conversation_detail
from core.service_errors import flash_errors
from qa_reviews import selectors, services
from qa_reviews.models import Review, ReviewStatus
from teams import policy


@login_required
@require_http_methods(["GET", "POST"])
def review_conversation(request, conversation_id: int):
    try:
        conversation = conversation_detail(user=request.user, conversation_id=conversation_id)
    except Conversation.DoesNotExist as missing:
        raise Http404 from missing
    if not policy.can_supervise_team(request.user, conversation.team_id):
        raise PermissionDenied
    scorecards = selectors.scorecard_list(user=request.user).filter(
        is_current=True, team_id__in=[conversation.team_id, conversation.team.parent_id]
    )
    scorecard = (
        scorecards.filter(pk=request.POST.get("scorecard") or request.GET.get("scorecard")).first()
        or scorecards.first()
    )
    existing = (
        Review.objects.filter(conversation=conversation, reviewer=request.user, calibration__isnull=True)
        .prefetch_related("scores")
        .first()
    )
    if request.method == "POST" and scorecard is not None:
        try:
            review = services.review_save(
                conversation=conversation,
                reviewer=request.user,
                scorecard=scorecard,
                points=_posted_points(request.POST, scorecard.criteria.all()),
                comment=request.POST.get("comment", ""),
                reviewer_notes=request.POST.get("reviewer_notes", ""),
                message_comments=_message_comments(request.POST),
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request, _("Review submitted.") if review.status != ReviewStatus.DRAFT else _("Draft saved.")
            )
            return redirect("qa-review-detail", review_id=review.pk)
    # A saved draft shows its points again: "na" for not applicable, "" where nothing was chosen.
    given = {}
    if existing:
        given = {s.criterion_id: "na" if s.points is None else str(s.points) for s in existing.scores.all()}
    rows = [(criterion, given.get(criterion.pk, "")) for criterion in scorecard.criteria.all()] if scorecard else []
    pinned = {comment.message_id: comment.text for comment in existing.message_comments.all()} if existing else {}
    transcript = [(message, pinned.get(message.pk, "")) for message in conversation.messages.all()]
    context = {
        "conversation": conversation,
        "scorecard": scorecard,
        "existing": existing,
        "rows": rows,
        "transcript": transcript,
    }
    return render(request, "qa_reviews/review_form.html", context)


def _posted_points(form_data, criteria) -> dict[int, int | None]:
    """Points chosen in the criterion-<id> selects: "na" is not applicable; unanswered ones are left out
    so that the service names them."""
    points = {}
    for criterion in criteria:
        value = form_data.get(f"criterion-{criterion.pk}", "")
        if value == "na":
            points[criterion.pk] = None
        elif value.isdigit():
            points[criterion.pk] = int(value)
    return points


def _message_comments(form_data) -> dict[int, str]:
    """Comments pinned to messages: fields named message-<id>; blank ones pin nothing."""
    comments = {}
    for key, text in form_data.items():
        prefix, _dash, message_id = key.partition("-")
        if prefix == "message" and message_id.isdigit() and text.strip():
            comments[int(message_id)] = text.strip()
    return comments


@login_required
@require_safe
def review_list(request):
    reviews = selectors.review_list(user=request.user)
    status = request.GET.get("status", "")
    if status in ReviewStatus.values:
        reviews = reviews.filter(status=status)
    return render(request, "qa_reviews/review_list.html", {"reviews": reviews[:200], "status": status})


@login_required
def review_detail(request, review_id: int):
    review = get_object_or_404(selectors.review_list(user=request.user), pk=review_id)
    context = {
        "review": review,
        "is_agent": review.agent_id == request.user.pk,
        "can_see_notes": policy.can_supervise_team(request.user, review.team_id),
        "can_resolve": policy.can_manage_team(request.user, review.team_id) and review.reviewer_id != request.user.pk,
    }
    return render(request, "qa_reviews/review_detail.html", context)


@login_required
@require_POST
def review_action(request, review_id: int, action: str):
    review = get_object_or_404(selectors.review_list(user=request.user), pk=review_id)
    try:
        if action == "acknowledge":
            services.review_acknowledge(review=review, agent=request.user)
        elif action == "dispute":
            services.review_dispute(review=review, agent=request.user, reason=request.POST.get("reason", ""))
        elif action == "resolve":
            changed = request.POST.get("decision") == "change"
            services.dispute_resolve(
                review=review,
                supervisor=request.user,
                resolution=request.POST.get("resolution", ""),
                points=_posted_points(request.POST, review.scorecard.criteria.all()) if changed else None,
            )
        else:
            raise PermissionDenied
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("qa-review-detail", review_id=review.pk)
