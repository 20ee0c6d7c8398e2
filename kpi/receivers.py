"""Ingestion tells us which days changed; we mark them so the next refresh recomputes them."""

import zoneinfo

from django.dispatch import receiver

from conversations.signals import conversations_written
from kpi.models import StaleMetricDay
from teams.models import Team


@receiver(conversations_written)
def mark_days_stale(sender, days: set, **kwargs) -> None:
    zones = dict(Team.objects.filter(id__in={team_id for team_id, _ in days}).values_list("id", "timezone"))
    stale = {(team_id, started_at.astimezone(zoneinfo.ZoneInfo(zones[team_id])).date()) for team_id, started_at in days}
    StaleMetricDay.objects.bulk_create(
        [StaleMetricDay(team_id=team_id, date=day) for team_id, day in stale],
        update_conflicts=True,
        unique_fields=["team", "date"],
        update_fields=["marked_at"],
    )
