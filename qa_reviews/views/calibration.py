"""Calibration pages: the sessions with a form to open one, a session (progress, then results), blind scoring."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from conversations.models import Conversation
from conversations.selectors import conversation_detail
from core.forms import BootstrapFormMixin
from core.service_errors import add_errors_to_form, flash_errors
from qa_reviews import calibration
from qa_reviews.models import CalibrationStatus, ReviewStatus, Scorecard
from teams import policy
from teams.models import Role, Team

# The create form offers the team's most recent conversations; the API takes any of them by id.
RECENT_CONVERSATIONS = 100


class ConversationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, conversation):
        return f"{conversation.started_at:%Y-%m-%d %H:%M} · {conversation.agent} · {conversation}"


class CalibrationForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=120)
    team = forms.ModelChoiceField(label=gettext_lazy("team"), queryset=Team.objects.none(), empty_label=None)
    scorecard = forms.ModelChoiceField(label=gettext_lazy("scorecard"), queryset=Scorecard.objects.none())
    conversations = ConversationChoiceField(
        label=gettext_lazy("conversations"),
        queryset=Conversation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=gettext_lazy("The most recent conversations of the teams you supervise."),
    )
    reviewers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("reviewers"),
        queryset=get_user_model().objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=gettext_lazy("At least two; they score blind and see each other's scores only after closing."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        supervised = policy.team_access(user).supervised
        teams = Team.objects.filter(id__in=supervised).order_by("name")
        with_departments = set(supervised) | {parent for parent in teams.values_list("parent_id", flat=True) if parent}
        self.fields["team"].queryset = teams
        self.fields["scorecard"].queryset = (
            Scorecard.objects.filter(team_id__in=with_departments, is_current=True)
            .select_related("team")
            .order_by("name")
        )
        recent = list(
            Conversation.objects.filter(team_id__in=supervised, agent__isnull=False)
            .order_by("-started_at", "-id")
            .values_list("pk", flat=True)[:RECENT_CONVERSATIONS]
        )
        self.fields["conversations"].queryset = (
            Conversation.objects.filter(pk__in=recent).select_related("agent").order_by("-started_at", "-id")
        )
        self.fields["reviewers"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__team_id__in=with_departments,
                memberships__active=True,
                memberships__role__in=[Role.SUPERVISOR, Role.QA, Role.MANAGER],
            )
            .distinct()
            .order_by("username")
        )


@login_required
@require_http_methods(["GET", "POST"])
def calibration_list(request):
    can_create = bool(policy.team_access(request.user).supervised)
    form = CalibrationForm(request.POST or None, user=request.user) if can_create else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = calibration.calibration_create(
                    team=data["team"],
                    actor=request.user,
                    name=data["name"],
                    scorecard=data["scorecard"],
                    conversations=list(data["conversations"]),
                    reviewers=list(data["reviewers"]),
                )
            except ValidationError as error:
                add_errors_to_form(form, error)
            else:
                messages.success(request, _("Calibration session opened; the reviewers have been told."))
                return redirect("qa-calibration-detail", session_id=session.pk)
    sessions = calibration.calibration_list(user=request.user)[:200]
    return render(request, "qa_reviews/calibration_list.html", {"sessions": sessions, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def calibration_detail(request, session_id: int):
    session = get_object_or_404(calibration.calibration_list(user=request.user), pk=session_id)
    if request.method == "POST":
        if "close" not in request.POST:
            raise PermissionDenied
        try:
            calibration.calibration_close(session=session, actor=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Session closed: the results are below."))
        return redirect("qa-calibration-detail", session_id=session.pk)
    is_reviewer = any(reviewer.pk == request.user.pk for reviewer in session.reviewers.all())
    own = {}
    if is_reviewer and session.status == CalibrationStatus.OPEN:
        own_scores = calibration.calibration_own_scores(session=session, reviewer=request.user)
        own = {review.conversation_id: review for review in own_scores}
    context = {
        "session": session,
        "is_open": session.status == CalibrationStatus.OPEN,
        "is_reviewer": is_reviewer,
        "can_close": session.status == CalibrationStatus.OPEN and calibration.can_close(request.user, session),
        "progress": calibration.calibration_progress(session=session),
        "my_rows": [(conversation, own.get(conversation.pk)) for conversation in session.conversations.all()],
        "results": calibration.calibration_results(session=session)
        if session.status == CalibrationStatus.CLOSED
        else None,
        "good_alpha": calibration.ALPHA_GOOD,
        "tentative_alpha": calibration.ALPHA_TENTATIVE,
    }
    return render(request, "qa_reviews/calibration_detail.html", context)


def _points_from(post, criteria) -> dict[int, int | None]:
    """The form's answers: "na" is not applicable; an unanswered criterion is left out for the service to name."""
    points = {}
    for criterion in criteria:
        value = post.get(f"criterion-{criterion.pk}", "")
        if value == "na":
            points[criterion.pk] = None
        elif value.isdigit():
            points[criterion.pk] = int(value)
    return points


@login_required
@require_http_methods(["GET", "POST"])
def calibration_score(request, session_id: int, conversation_id: int):
    session = get_object_or_404(calibration.calibration_list(user=request.user), pk=session_id)
    if not any(conversation.pk == conversation_id for conversation in session.conversations.all()):
        raise Http404
    try:
        conversation = conversation_detail(user=request.user, conversation_id=conversation_id)
    except Conversation.DoesNotExist as missing:
        raise Http404 from missing
    if not any(reviewer.pk == request.user.pk for reviewer in session.reviewers.all()):
        raise PermissionDenied
    criteria = list(session.scorecard.criteria.all())
    if request.method == "POST":
        try:
            review = calibration.calibration_score(
                session=session,
                reviewer=request.user,
                conversation=conversation,
                points=_points_from(request.POST, criteria),
                comment=request.POST.get("comment", ""),
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request, _("Score submitted.") if review.status != ReviewStatus.DRAFT else _("Draft saved.")
            )
            return redirect("qa-calibration-detail", session_id=session.pk)
    own_scores = calibration.calibration_own_scores(session=session, reviewer=request.user)
    existing = own_scores.filter(conversation=conversation).first()
    given = {}
    if existing:
        given = {
            score.criterion_id: "na" if score.points is None else str(score.points) for score in existing.scores.all()
        }
    if request.method == "POST":  # a rejected form shows what was chosen, not the saved draft
        given = {criterion.pk: request.POST.get(f"criterion-{criterion.pk}", "") for criterion in criteria}
    context = {
        "session": session,
        "conversation": conversation,
        "scorecard": session.scorecard,
        "existing": existing,
        "comment": request.POST.get("comment", "") if request.method == "POST" else getattr(existing, "comment", ""),
        "rows": [(criterion, given.get(criterion.pk, "")) for criterion in criteria],
        "editable": session.status == CalibrationStatus.OPEN
        and (existing is None or existing.status == ReviewStatus.DRAFT),
    }
    return render(request, "qa_reviews/calibration_score.html", context)
