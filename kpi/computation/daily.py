"""daily_metrics_compute: the day's metrics of every agent and team, upserted in a few statements."""

import datetime as dt
import zoneinfo
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractHour
from django.utils import timezone

from conversations.models import Conversation, Message, Sender
from kpi.computation.daily_sql import daily_upsert_statements
from kpi.models import DailyAgentMetric, DailyTeamMetric, HourlyVolume, StaleMetricDay
from teams.models import Team


def local_day_bounds(day: dt.date, zone_name: str) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants of the day's first moment and of the next day's, in that time zone."""
    zone = zoneinfo.ZoneInfo(zone_name)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def daily_metrics_compute(*, day: dt.date, teams: QuerySet[Team] | None = None) -> int:
    """Recompute one local date for the given teams (default: all). Returns the number of teams.

    Idempotent and safe to run concurrently: rows are replaced inside one
    transaction per time zone and written with upserts on their unique keys.
    """
    teams_by_zone: dict[str, list[int]] = defaultdict(list)
    for team_id, zone_name in (teams if teams is not None else Team.objects.all()).values_list("id", "timezone"):
        teams_by_zone[zone_name].append(team_id)
    for zone_name, team_ids in teams_by_zone.items():
        utc_start, utc_end = local_day_bounds(day, zone_name)
        with transaction.atomic():
            _replace_daily_rows(day, team_ids, utc_start, utc_end)
            _replace_hourly_rows(day, team_ids, zone_name, utc_start, utc_end)
            StaleMetricDay.objects.filter(team_id__in=team_ids, date=day).delete()
    return sum(len(team_ids) for team_ids in teams_by_zone.values())


def _replace_daily_rows(day, team_ids, utc_start, utc_end) -> None:
    # Rows of agents who no longer have conversations that day must go, so replace rather than only upsert.
    DailyAgentMetric.objects.filter(team_id__in=team_ids, date=day).delete()
    DailyTeamMetric.objects.filter(team_id__in=team_ids, date=day).delete()
    adapt = connection.ops  # raw SQL: bind values the way the ORM would (SQLite compares datetimes as text)
    window = [*team_ids, adapt.adapt_datetimefield_value(utc_start), adapt.adapt_datetimefield_value(utc_end)]
    row_values = [adapt.adapt_datefield_value(day), adapt.adapt_datetimefield_value(timezone.now())]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The window pass sorts every message of the day; let it sort in memory, for this transaction only.
            cursor.execute("SET LOCAL work_mem = '512MB'")
        for sql, layout in daily_upsert_statements(len(team_ids)):
            cursor.execute(sql, window + row_values * (2 if layout == "both" else 1))


def _replace_hourly_rows(day, team_ids, zone_name, utc_start, utc_end) -> None:
    zone = zoneinfo.ZoneInfo(zone_name)
    started = (
        Conversation.objects.filter(team_id__in=team_ids, started_at__gte=utc_start, started_at__lt=utc_end)
        .annotate(hour=ExtractHour("started_at", tzinfo=zone))
        .values("team_id", "hour")
        .annotate(total=Count("id"))
    )
    customer_messages = (
        Message.objects.filter(
            conversation__team_id__in=team_ids,
            sender=Sender.CUSTOMER,
            sent_at__gte=utc_start,
            sent_at__lt=utc_end,
        )
        .annotate(hour=ExtractHour("sent_at", tzinfo=zone))
        .values("conversation__team_id", "hour")
        .annotate(total=Count("id"))
    )
    volumes: dict[tuple[int, int], HourlyVolume] = {}
    for row in started:
        key = (row["team_id"], row["hour"])
        volumes[key] = HourlyVolume(team_id=key[0], date=day, hour=key[1], conversations=row["total"])
    for row in customer_messages:
        key = (row["conversation__team_id"], row["hour"])
        volumes.setdefault(key, HourlyVolume(team_id=key[0], date=day, hour=key[1])).customer_messages = row["total"]
    HourlyVolume.objects.filter(team_id__in=team_ids, date=day).delete()
    HourlyVolume.objects.bulk_create(
        volumes.values(),
        update_conflicts=True,
        unique_fields=["team", "date", "hour"],
        update_fields=["conversations", "customer_messages"],
    )
