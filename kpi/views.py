"""Supervisor pages: attainment and composite scores for a period, and the monthly target cascade."""

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.service_errors import add_errors_to_form
from kpi import selectors
from kpi.definitions import METRICS
from kpi.forms import CascadeForm, PeriodForm
from kpi.targets import kpi_targets_cascade
from teams import policy


@login_required
def performance(request):
    today = timezone.localdate()
    initial = {"date_from": today.replace(day=1), "date_to": today}
    form = PeriodForm(request.GET or None, user=request.user, initial=initial)
    context = {"form": form, "metrics": METRICS}
    if form.is_bound and form.is_valid():
        team, date_from, date_to = (
            form.cleaned_data["team"],
            form.cleaned_data["date_from"],
            form.cleaned_data["date_to"],
        )
        context["attainment"] = selectors.attainment_period_summary(
            user=request.user, team_id=team.pk, date_from=date_from, date_to=date_to
        )
        scores = selectors.composite_scores(team_id=team.pk, date_from=date_from, date_to=date_to)
        if not policy.can_supervise_team(request.user, team.pk):
            scores = [score for score in scores if score.agent_id == request.user.pk]
        context["scores"] = scores
        context["team"] = team
    return render(request, "kpi/performance.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    if not policy.team_access(request.user).manages_any:
        raise PermissionDenied
    form = CascadeForm(request.POST or None, user=request.user)
    plan = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        apply = "apply" in request.POST
        try:
            plan = kpi_targets_cascade(
                team=data["team"],
                metric=data["metric"],
                month=data["month"],
                value=data["value"],
                day_weights=data["day_weights"],
                weekday_weights=data["weekday_weights"],
                apply=apply,
                created_by=request.user,
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            if apply:
                messages.success(
                    request, _("The target is cascaded to %(count)s agent-days.") % {"count": len(plan.agent_days)}
                )
    context = {"form": form, "plan": plan, "summary": _plan_summary(plan) if plan else None}
    return render(request, "kpi/targets.html", context)


def _plan_summary(plan) -> dict:
    by_day: dict[dt.date, dict] = defaultdict(lambda: {"total": 0, "agents": 0})
    for line in plan.shop_days:
        by_day[line.date]["total"] += line.value
    for line in plan.agent_days:
        by_day[line.date]["agents"] += 1
    return {
        "days": [{"date": day, "weight": plan.day_weights[day], **figures} for day, figures in sorted(by_day.items())],
        "total": sum(line.value for line in plan.shop_days),
        "agent_total": sum(line.value for line in plan.agent_days),
        "unstaffed": plan.unstaffed,
    }
