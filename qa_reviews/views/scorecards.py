"""The scorecard builder: list a team's scorecards, build one, change one (a used one gets a new version)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.service_errors import flash_errors
from qa_reviews import selectors, services
from qa_reviews.forms import CriterionFormSet, ScorecardForm, criteria_from, criteria_initial
from teams import policy


@login_required
@require_safe
def scorecard_list(request):
    scorecards = selectors.scorecard_list(user=request.user).select_related("team")
    supervised = policy.team_access(request.user).supervised
    context = {
        "current": [card for card in scorecards if card.is_current],
        "earlier": [card for card in scorecards if not card.is_current],
        "can_build": bool(supervised),
        "supervised": supervised,
    }
    return render(request, "qa_reviews/scorecard_list.html", context)


def _build(request, *, scorecard=None):
    """One view for new and existing scorecards; the service decides whether a new version is due."""
    if request.method == "POST":
        form, formset = ScorecardForm(request.POST, user=request.user), CriterionFormSet(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                if scorecard is None:
                    saved = services.scorecard_create(
                        team=form.cleaned_data["team"],
                        actor=request.user,
                        name=form.cleaned_data["name"],
                        criteria=criteria_from(formset),
                    )
                else:
                    saved = services.scorecard_revise(
                        scorecard=scorecard,
                        actor=request.user,
                        name=form.cleaned_data["name"],
                        criteria=criteria_from(formset),
                    )
            except ValidationError as error:
                flash_errors(request, error)
            else:
                if scorecard is not None and saved.pk != scorecard.pk:
                    messages.success(
                        request,
                        _("Saved as version %(version)s; reviews already scored keep version %(old)s.")
                        % {"version": saved.version, "old": scorecard.version},
                    )
                else:
                    messages.success(request, _("Scorecard saved."))
                return redirect("qa-scorecard-edit", scorecard_id=saved.pk)
        return _render_builder(request, form, formset, scorecard)
    if scorecard is None:
        form = ScorecardForm(user=request.user)
        formset = CriterionFormSet(initial=[{"weight": 1, "max_points": 1}])
    else:
        form = ScorecardForm(initial={"name": scorecard.name, "team": scorecard.team_id}, user=request.user)
        form.fields["team"].disabled = True
        formset = CriterionFormSet(initial=criteria_initial(scorecard))
    return _render_builder(request, form, formset, scorecard)


def _render_builder(request, form, formset, scorecard):
    context = {
        "form": form,
        "formset": formset,
        "scorecard": scorecard,
        "used": scorecard is not None and scorecard.reviews.exists(),
    }
    return render(request, "qa_reviews/scorecard_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_create(request):
    if not policy.team_access(request.user).supervised:
        raise PermissionDenied
    return _build(request)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_edit(request, scorecard_id: int):
    scorecard = get_object_or_404(selectors.scorecard_list(user=request.user), pk=scorecard_id)
    if not policy.can_supervise_team(request.user, scorecard.team_id):
        raise PermissionDenied
    if not scorecard.is_current:
        current = selectors.scorecard_list(user=request.user).filter(family=scorecard.family, is_current=True).first()
        if current is not None:
            return redirect("qa-scorecard-edit", scorecard_id=current.pk)
    return _build(request, scorecard=scorecard)
