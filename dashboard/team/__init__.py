"""Reads of the supervisor's team dashboard: the page and its JSON endpoint show the same numbers from here.

Everything comes from the computed tables (daily and hourly metrics, targets) and the other apps' records, in
a fixed number of queries whatever the team's size or history. The caller has checked that the user may open
the team's dashboard (dashboard_team).
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dashboard.team.access import dashboard_team, dashboard_teams
from dashboard.team.agents import agent_table, sort_rows
from dashboard.team.awards import last_week_award, week_leaderboard
from dashboard.team.floor import hourly_heatmap, open_complaints, plan_summary, qa_summary
from dashboard.team.kpis import team_kpis
from dashboard.team.periods import PERIOD_CHOICES, WEEK, span_of
from kpi.definitions import METRICS
from teams.models import Team

DEFAULT_METRIC = "conversations"
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # the windows around a day stay on the calendar
# How long an assembled dashboard is reused. Its metrics are recomputed every 15 minutes (kpi.metrics_refresh),
# so half a minute hides nothing of them; plans, reviews and complaints show up at most this late.
CACHE_SECONDS = getattr(settings, "DASHBOARD_TEAM_CACHE_SECONDS", 30)

__all__ = [
    "CACHE_SECONDS",
    "DEFAULT_METRIC",
    "PERIOD_CHOICES",
    "dashboard_team",
    "dashboard_teams",
    "team_dashboard",
    "team_dashboard_cached",
]


def team_dashboard(
    *,
    team: Team,
    day: dt.date,
    metric: str = DEFAULT_METRIC,
    period: str = WEEK,
    sort: str = "",
    now: dt.datetime | None = None,
) -> dict:
    """Every panel of the dashboard for `day` (the team's local date), as plain data.

    `metric` is the one charted over 30 days; `period` (day, week or month, each up to `day`) is the span of the
    agents table and the QA scores; `sort` orders the agents table (a column, `-` first for descending).
    """
    _check(day, metric, period)
    now = now or timezone.now()
    span = span_of(period, day)
    kpis = team_kpis(team_id=team.pk, day=day, metric=metric)
    agents = agent_table(team_id=team.pk, span=span, day=day, metric=metric, sort=sort)
    return {
        "as_of": now,
        "team": {"id": team.pk, "name": team.name, "timezone": team.timezone},
        "date": day,
        "metric": metric,
        "period": {"kind": period, "date_from": span.start, "date_to": span.end},
        "week_start": kpis["week_start"],
        "glance": kpis["glance"],
        "trend": kpis["trend"],
        "agents": agents,
        "plans": plan_summary(day=day, rows=agents["rows"]),
        "heatmap": hourly_heatmap(team_id=team.pk, day=day),
        "qa": qa_summary(team=team, span=span),
        "complaints": open_complaints(team_id=team.pk, now=now),
        "leaderboard": week_leaderboard(team=team, day=day),
        "award": last_week_award(team_id=team.pk, day=day),
    }


def team_dashboard_cached(
    *,
    team: Team,
    day: dt.date,
    metric: str = DEFAULT_METRIC,
    period: str = WEEK,
    sort: str = "",
    now: dt.datetime | None = None,
) -> dict:
    """team_dashboard, reused for CACHE_SECONDS by everyone who opens the same team, day, metric and period
    (page and JSON alike, so both show the same numbers). The agents are sorted and the complaints' SLA
    clocks set on every call."""
    _check(day, metric, period)
    now = now or timezone.now()
    # The team's creation time keeps a recreated team (same id, in tests) from reading another one's figures.
    language = translation.get_language() or ""
    key = f"dashboard-team:{team.pk}:{team.created_at.timestamp():.6f}:{day.isoformat()}:{metric}:{period}:{language}"
    data = cache.get(key) if CACHE_SECONDS else None
    if data is None:
        data = team_dashboard(team=team, day=day, metric=metric, period=period, now=now)
        if CACHE_SECONDS:
            cache.set(key, data, CACHE_SECONDS)
    agents = data["agents"]
    rows = sort_rows(agents["rows"], sort, columns=agents["columns"], targeted=agents["targeted"])
    return {**data, "agents": {**agents, "rows": rows}, "complaints": _clocks_at(data["complaints"], now)}


def _check(day: dt.date, metric: str, period: str) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            {"date": _("Choose a date from %(first)s to %(last)s.") % {"first": FIRST_DAY, "last": LAST_DAY}}
        )
    if metric not in METRICS:
        raise ValidationError({"metric": _("Choose one of the KPI metrics.")})
    if period not in dict(PERIOD_CHOICES):
        raise ValidationError({"period": _("Choose day, week or month.")})


def _clocks_at(complaints: dict, now: dt.datetime) -> dict:
    items = []
    for item in complaints["items"]:
        if item["first_responded_at"] is None:
            left = int((item["first_response_due_at"] - now).total_seconds())
            item = {**item, "seconds_left": left, "breached": item["breached"] or left < 0}
        items.append(item)
    return {**complaints, "items": items}
