"""The agent's "My day" page, and its targets card that htmx refreshes every few minutes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dashboard.me import metric_text, my_day_extras, target_progress
from dashboard.profile import chart_payload
from kpi.definitions import METRICS
from plans.models import PlanStatus
from plans.selectors import today_of

# Metrics are recomputed by Celery every few minutes (kpi.tasks.metrics_refresh_task); polling faster shows nothing new.
REFRESH_SECONDS = 120


def _targets_context(user) -> dict:
    day = today_of(user=user)
    return {
        **day,
        "progress": target_progress(day["progress"]),
        "refreshed_at": timezone.now(),
        "refresh_seconds": REFRESH_SECONDS,
        "refresh_minutes": REFRESH_SECONDS // 60,
    }


@login_required
@require_safe
def my_day(request):
    context = _targets_context(request.user)
    extras = my_day_extras(user=request.user)
    chosen = request.GET.get("metric", "")
    if chosen not in METRICS:
        chosen = context["progress"][0].metric if context["progress"] else "conversations"
    chart = chart_payload(extras.trend.days, selected=chosen)
    chart["totals"] = {name: metric_text(name, extras.trend.totals[name]) for name in METRICS}
    plan = context["plan"]
    context.update(
        extras=extras,
        chart=chart,
        trend_total=chart["totals"][chart["selected"]],
        plan_editable=plan is not None and plan.status == PlanStatus.DRAFT,
    )
    return render(request, "dashboard/me.html", context)


@login_required
@require_safe
def my_day_progress(request):
    """Today's targets card alone: what the page swaps in when it polls."""
    return render(request, "dashboard/includes/me_targets.html", _targets_context(request.user))
