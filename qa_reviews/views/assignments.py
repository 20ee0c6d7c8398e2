"""QA pages: the inspector's queue of sampled conversations, and the sampling rules that fill it."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import BootstrapFormMixin
from core.service_errors import add_errors_to_form, flash_errors
from qa_reviews import sampling, selectors
from qa_reviews.models import AssignmentStatus, SamplingRule
from teams import policy
from teams.models import Role, Team

DONE_SHOWN = 50
OPEN_SHOWN = 300


class SamplingRuleForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SamplingRule
        fields = [
            "team",
            "name",
            "kind",
            "per_agent_per_week",
            "slow_first_response_seconds",
            "scorecard",
            "reviewers",
            "is_active",
        ]
        widgets = {"reviewers": forms.SelectMultiple(attrs={"size": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        access = policy.team_access(user)
        self.fields["team"].queryset = Team.objects.filter(id__in=access.supervised).order_by("name")
        self.fields["team"].empty_label = None
        if self.instance.pk:
            self.fields["team"].disabled = True  # a rule stays in its team
        for name in ("per_agent_per_week", "slow_first_response_seconds"):
            self.fields[name].validators.append(MinValueValidator(1))
            self.fields[name].widget.attrs["min"] = 1
        self.fields["scorecard"].queryset = selectors.scorecard_list(user=user).filter(is_current=True)
        self.fields["scorecard"].empty_label = gettext_lazy("The team's current scorecard")
        # People who may review somewhere the user supervises; the service checks the rule's own team.
        self.fields["reviewers"].queryset = (
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__active=True,
                memberships__team_id__in=access.readable,
                memberships__role__in=[Role.QA, Role.SUPERVISOR, Role.MANAGER],
            )
            .distinct()
            .order_by("username")
        )


def _require_supervises_a_team(user) -> None:
    if not policy.team_access(user).supervised:
        raise PermissionDenied(_("The QA queue is for QA inspectors and supervisors."))


def _rule_fields(cleaned_data: dict) -> dict:
    return {field: cleaned_data[field] for field in sampling.RULE_FIELDS if field in cleaned_data}


@login_required
def queue(request):
    """My QA queue: open assignments by due date (overdue ones stay on top), the done ones below."""
    _require_supervises_a_team(request.user)
    assignments = sampling.assignment_list(user=request.user)
    whole_team = request.GET.get("who") == "team"
    if not whole_team:
        assignments = assignments.filter(reviewer=request.user)
    week = request.GET.get("week", "")
    try:
        week_start = dt.date.fromisoformat(week) if week else None
    except ValueError:
        week_start = None
    if week_start:
        assignments = assignments.filter(week_start=week_start)
    context = {
        "open_assignments": list(assignments.filter(status=AssignmentStatus.OPEN)[:OPEN_SHOWN]),
        "done_assignments": list(assignments.filter(status=AssignmentStatus.DONE).order_by("-updated_at")[:DONE_SHOWN]),
        "rules": [rule for rule in sampling.sampling_rule_list(user=request.user) if rule.is_active],
        "whole_team": whole_team,
        "week_start": week_start,
        "today": timezone.localdate(),
    }
    return render(request, "qa_reviews/queue.html", context)


@login_required
@require_POST
def sampling_rule_run(request, rule_id: int):
    rule = get_object_or_404(sampling.sampling_rule_list(user=request.user), pk=rule_id)
    week = request.POST.get("week_start", "")
    try:
        week_start = dt.date.fromisoformat(week) if week else None
    except ValueError:
        messages.error(request, _("Enter the week as a date (its Monday)."))
    else:
        try:
            week_start, created = sampling.sampling_rule_run(rule=rule, actor=request.user, week_start=week_start)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("%(rule)s: %(count)s conversations sampled from the week of %(week)s.")
                % {"rule": rule.name, "count": created, "week": week_start.isoformat()},
            )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("qa-queue")


@login_required
@require_http_methods(["GET", "POST"])
def sampling_rules(request):
    """The sampling rules of the teams the user supervises, and a form to add one."""
    _require_supervises_a_team(request.user)
    form = SamplingRuleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            rule = sampling.sampling_rule_create(
                team=form.cleaned_data["team"],
                actor=request.user,
                reviewers=form.cleaned_data["reviewers"],
                **_rule_fields(form.cleaned_data),
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Sampling rule %(name)s created.") % {"name": rule.name})
            return redirect("qa-sampling-rules")
    rules = sampling.sampling_rule_list(user=request.user)
    return render(request, "qa_reviews/sampling_rules.html", {"rules": rules, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def sampling_rule_edit(request, rule_id: int):
    rule = get_object_or_404(sampling.sampling_rule_list(user=request.user), pk=rule_id)
    form = SamplingRuleForm(request.POST or None, instance=rule, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            sampling.sampling_rule_update(
                rule=rule,
                actor=request.user,
                reviewers=form.cleaned_data["reviewers"],
                **_rule_fields(form.cleaned_data),
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Sampling rule %(name)s saved.") % {"name": form.cleaned_data["name"]})
            return redirect("qa-sampling-rules")
    return render(request, "qa_reviews/sampling_rule_edit.html", {"rule": rule, "form": form})
