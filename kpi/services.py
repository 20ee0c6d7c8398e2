"""Writes of the KPI app: computing metrics (see kpi.computation) and scheduling recomputation."""

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.utils import timezone

from kpi.computation.daily import daily_metrics_compute
from kpi.models import StaleMetricDay
from teams.models import Team

__all__ = ["daily_metrics_compute", "metrics_refresh", "stale_days_recompute"]

# Until this local hour, a refresh also finalises yesterday (late chats, late ratings).
FINALISE_UNTIL_HOUR = 2


def metrics_refresh(*, now: dt.datetime | None = None) -> int:
    """Recompute every team's local today (and yesterday just after midnight) and every day marked stale.

    Returns the number of (team, day) computations. Safe to run at any time, twice or concurrently.
    """
    now = now or timezone.now()
    days_by_team: dict[dt.date, list[int]] = defaultdict(list)
    for team_id, zone_name in Team.objects.values_list("id", "timezone"):
        local_now = now.astimezone(zoneinfo.ZoneInfo(zone_name))
        days_by_team[local_now.date()].append(team_id)
        if local_now.hour < FINALISE_UNTIL_HOUR:
            days_by_team[local_now.date() - dt.timedelta(days=1)].append(team_id)
    computed = sum(
        daily_metrics_compute(day=day, teams=Team.objects.filter(id__in=team_ids))
        for day, team_ids in days_by_team.items()
    )
    return computed + stale_days_recompute()


def stale_days_recompute() -> int:
    """Recompute the days that ingestion marked after their last computation."""
    stale: dict[dt.date, list[int]] = defaultdict(list)
    for team_id, day in StaleMetricDay.objects.values_list("team_id", "date"):
        stale[day].append(team_id)
    return sum(
        daily_metrics_compute(day=day, teams=Team.objects.filter(id__in=team_ids)) for day, team_ids in stale.items()
    )
