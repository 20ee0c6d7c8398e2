"""The supervisor's team dashboard page (and any of its tables as CSV or Excel): thin over dashboard.team."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.forms import BootstrapFormMixin
from core.service_errors import add_errors_to_form
from dashboard.team import DEFAULT_METRIC, PERIOD_CHOICES, dashboard_teams, team_dashboard_cached
from dashboard.team import display as show
from dashboard.team.exports import TABLE_CHOICES, team_table
from dashboard.team.periods import WEEK
from kpi.definitions import METRICS
from recognition.leaderboard import team_today

EXPORT_CHOICES = [("csv", "CSV"), ("xlsx", "Excel")]


class TeamDashboardForm(BootstrapFormMixin, forms.Form):
    team = forms.TypedChoiceField(label=gettext_lazy("Team"), coerce=int)
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(label=gettext_lazy("Agents and QA over"), choices=PERIOD_CHOICES)
    metric = forms.ChoiceField(
        label=gettext_lazy("Metric"), choices=[(name, definition.label) for name, definition in METRICS.items()]
    )
    sort = forms.CharField(label=gettext_lazy("Sort by"), required=False, widget=forms.HiddenInput)
    format = forms.ChoiceField(
        label=gettext_lazy("Export format"),
        required=False,
        choices=[("", ""), *EXPORT_CHOICES],
        widget=forms.HiddenInput,
    )
    table = forms.ChoiceField(
        label=gettext_lazy("Table to export"),
        required=False,
        choices=[("", ""), *TABLE_CHOICES],
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(team.pk, team.name) for team in teams]


def _chosen_team(request, teams):
    """The team named by ?team= (404 unless the user supervises it), else the first one; 404 without any."""
    raw = request.GET.get("team", "")
    team = next((team for team in teams if str(team.pk) == raw), None) if raw else (teams[0] if teams else None)
    if team is None:
        raise Http404
    return team


@login_required
@require_safe
def team_dashboard_page(request):
    teams = list(dashboard_teams(request.user))
    team = _chosen_team(request, teams)
    today = team_today(team)
    defaults = {"team": team.pk, "date": today.isoformat(), "period": WEEK, "metric": DEFAULT_METRIC}
    form = TeamDashboardForm({**defaults, **{k: v for k, v in request.GET.items() if v}}, teams=teams)
    context = {"form": form, "team": team, "teams": teams, "today": today}
    if not form.is_valid():
        return render(request, "dashboard/team.html", context, status=400)
    query = form.cleaned_data
    try:
        data = team_dashboard_cached(
            team=team, day=query["date"], metric=query["metric"], period=query["period"], sort=query["sort"]
        )
    except ValidationError as error:
        add_errors_to_form(form, error)
        return render(request, "dashboard/team.html", context, status=400)
    if query["format"]:
        return _export(team, data, query["format"], query["table"] or "agents")
    context |= _page_context(request, team, data, query)
    return render(request, "dashboard/team.html", context)


def _export(team, data: dict, fmt: str, table: str):
    from dashboard.exports import table_export  # another area's module: imported where it is used

    rows, columns = team_table(data, table)
    period = data["period"]
    stem = team.name if table == "agents" else f"{team.name}-{table}"
    filename = f"{stem}-{period['date_from']:%Y%m%d}-{period['date_to']:%Y%m%d}"
    return table_export(rows=rows, columns=columns, filename=filename, fmt=fmt)


def _page_context(request, team, data: dict, query: dict) -> dict:
    sort = query["sort"]
    params = {k: v for k, v in request.GET.items() if k not in ("format", "sort", "table")}
    day = data["date"]
    is_today = day == team_today(team)
    return {
        "data": data,
        "is_today": is_today,
        "captions": show.glance_captions(day, is_today=is_today),
        "period_label": show.period_label(**data["period"]),
        "glance": show.glance_cards(data["glance"], week_days=(day - data["week_start"]).days + 1),
        "chart": show.trend_chart(data["trend"]),
        "trend_points": show.trend_points(data["trend"]),
        "columns": show.agent_columns(data["agents"], sort),
        "agent_rows": show.agent_rows(data["agents"], team_id=team.pk),
        "sort": sort,
        "base_query": params,
        "heatmap_rows": show.heatmap_rows(data["heatmap"]),
        "hours": range(24),
        "busiest": show.busiest_texts(data["heatmap"]),
        "qa_buckets": show.qa_buckets(data["qa"]),
        "disputes": [{**d, "url": show.route("qa-review-detail", d["id"])} for d in data["qa"]["disputes"]],
        "plan_counts": [
            {"state": state, "label": show.PLAN_LABELS[state], "badge": show.PLAN_BADGES[state], "count": count}
            for state, count in data["plans"]["counts"].items()
        ],
        "waiting_plans": [{**w, "label": show.PLAN_LABELS[w["status"]]} for w in data["plans"]["waiting"]],
        "complaints": show.complaint_items(data["complaints"]),
        "leaderboard_rows": [{**row, "moved": abs(row["places"])} for row in data["leaderboard"]["rows"]],
        "clock_texts": show.clock_texts(),
        "award_url": show.route("recognition-award-detail", data["award"]["id"]) if data["award"] else "",
        "links": {
            "plans": show.route("plans-board", team.pk, query={"date": day.isoformat()}),
            "complaints": show.route("complaint-list"),
            "reviews": show.route("qa-review-list"),
            "leaderboard": show.route("recognition-leaderboard", query={"team": team.pk}),
            "api": reverse("api:dashboard-team"),
        },
        "export_formats": EXPORT_CHOICES,
    }
