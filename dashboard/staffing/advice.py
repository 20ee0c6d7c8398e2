"""Staffing advice: agents needed per hour (Erlang C) beside the agents scheduled, for one day of a team.

Needed: the conversations that started in each local hour on the same weekday of
the last few weeks (kpi HourlyVolume), averaged over the weeks that have data, with
the team's average handling time (closed_at − started_at of its closed
conversations over those weeks, averaged in the database; chat agents who handle
several chats at once divide it by that number). Scheduled: agents (the agent role
in the team) on shift (teams Shift, local times; a shift that ends before it starts
runs past midnight), counted by the part of each hour they cover.

Three queries for any number of teams, whatever their size and history.
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from conversations.models import Conversation
from dashboard.staffing.erlang import agents_needed
from kpi.models import HourlyVolume
from teams.models import Role, Shift, Team

# A team's defaults until someone changes them in the page's form: 80 % of chats answered within 30 s.
DEFAULT_SERVICE_LEVEL_PERCENT = 80
DEFAULT_ANSWER_SECONDS = 30
DEFAULT_WEEKS = 4
DEFAULT_CHATS_AT_ONCE = 1
HOURS = range(24)


@dataclass(frozen=True)
class StaffingTargets:
    service_level_percent: int = DEFAULT_SERVICE_LEVEL_PERCENT
    answer_seconds: int = DEFAULT_ANSWER_SECONDS
    weeks: int = DEFAULT_WEEKS
    chats_at_once: int = DEFAULT_CHATS_AT_ONCE
    max_occupancy_percent: int | None = None


@dataclass
class HourAdvice:
    hour: int
    expected_conversations: float  # average started in this hour on this weekday
    needed: int | None  # None: no handling time known yet
    scheduled: float  # agents on shift, by the part of the hour they cover

    @property
    def gap(self) -> float | None:
        """Scheduled minus needed: below zero the hour is short of agents."""
        return None if self.needed is None else round(self.scheduled - self.needed, 2)

    @property
    def short(self) -> bool:
        return self.needed is not None and self.scheduled < self.needed - 1e-9

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:00"


@dataclass
class TeamStaffing:
    team: Team
    date: dt.date
    targets: StaffingTargets
    sample_dates: list[dt.date]
    weeks_with_data: int
    aht_seconds: float | None
    handled_conversations: int
    hours: list[HourAdvice] = field(default_factory=list)

    @property
    def short_hours(self) -> list[HourAdvice]:
        return [hour for hour in self.hours if hour.short]

    @property
    def needed_agent_hours(self) -> int | None:
        return None if self.aht_seconds is None else sum(hour.needed or 0 for hour in self.hours)

    @property
    def scheduled_agent_hours(self) -> float:
        return round(sum(hour.scheduled for hour in self.hours), 2)


def local_today(team: Team) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(team.timezone)).date()


def sample_dates(day: dt.date, *, today: dt.date, weeks: int) -> list[dt.date]:
    """The `weeks` latest dates before today (and before `day`) on `day`'s weekday, newest first."""
    steps = max(1, (day - today).days // 7 + 1)
    latest = day - dt.timedelta(days=7 * steps)
    return [latest - dt.timedelta(days=7 * week) for week in range(weeks)]


def staffing_advice(*, team: Team, day: dt.date, targets: StaffingTargets | None = None) -> TeamStaffing:
    return staffing_advice_for_teams(teams=[team], days={team.pk: day}, targets=targets)[team.pk]


def staffing_advice_for_teams(
    *, teams: Iterable[Team], days: dict[int, dt.date], targets: StaffingTargets | None = None
) -> dict[int, TeamStaffing]:
    """Advice for each team on its day (`days`: team id -> local date), in three queries."""
    targets = targets or StaffingTargets()
    teams = list(teams)
    if not teams:
        return {}
    samples = {team.pk: sample_dates(days[team.pk], today=local_today(team), weeks=targets.weeks) for team in teams}
    volumes, weeks_with_data = _hourly_volumes(samples)
    handling = _handling_times(teams, samples)
    coverage = _scheduled_coverage(teams, days)
    advice = {}
    for team in teams:
        weeks = weeks_with_data.get(team.pk, 0)
        aht, handled = handling.get(team.pk, (None, 0))
        staffing = TeamStaffing(
            team=team,
            date=days[team.pk],
            targets=targets,
            sample_dates=samples[team.pk],
            weeks_with_data=weeks,
            aht_seconds=aht,
            handled_conversations=handled,
        )
        for hour in HOURS:
            expected = volumes.get((team.pk, hour), 0) / weeks if weeks else 0.0
            staffing.hours.append(
                HourAdvice(
                    hour=hour,
                    expected_conversations=round(expected, 2),
                    needed=_needed(expected, aht, targets),
                    scheduled=round(coverage[team.pk][hour], 2),
                )
            )
        advice[team.pk] = staffing
    return advice


def _needed(expected: float, aht: float | None, targets: StaffingTargets) -> int | None:
    if aht is None:
        return None if expected else 0
    return agents_needed(
        calls_per_hour=expected,
        aht_seconds=aht / targets.chats_at_once,
        target_answer_seconds=targets.answer_seconds,
        target_service_level=targets.service_level_percent / 100,
        max_occupancy=targets.max_occupancy_percent / 100 if targets.max_occupancy_percent else None,
    )


def _grouped(by_team: dict[int, list[dt.date]]) -> dict[tuple[dt.date, ...], list[int]]:
    """Teams that sample the same dates (usually all of them) share one condition."""
    groups: dict[tuple[dt.date, ...], list[int]] = defaultdict(list)
    for team_id, dates in by_team.items():
        groups[tuple(dates)].append(team_id)
    return groups


def _hourly_volumes(samples: dict[int, list[dt.date]]) -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    """(team, hour) -> conversations summed over the sampled dates; team -> how many of them have data."""
    sampled = Q()
    for dates, team_ids in _grouped(samples).items():
        sampled |= Q(team_id__in=team_ids, date__in=dates)
    days_with_data = (
        HourlyVolume.objects.filter(sampled, team_id=OuterRef("team_id"))
        .order_by()
        .values("team_id")
        .annotate(days=Count("date", distinct=True))
        .values("days")
    )
    rows = (
        HourlyVolume.objects.filter(sampled)
        .order_by()
        .values("team_id", "hour")
        .annotate(total=Sum("conversations"), days=Subquery(days_with_data))
    )
    volumes, weeks = {}, {}
    for row in rows:
        volumes[(row["team_id"], row["hour"])] = row["total"]
        weeks[row["team_id"]] = row["days"]
    return volumes, weeks


def _handling_times(teams: list[Team], samples: dict[int, list[dt.date]]) -> dict[int, tuple[float, int]]:
    """team -> (mean seconds from start to close of its closed conversations over the sampled weeks, how many)."""
    window = Q()
    for team in teams:
        dates = samples[team.pk]
        zone = zoneinfo.ZoneInfo(team.timezone)
        first = dt.datetime.combine(min(dates) - dt.timedelta(days=6), dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(max(dates) + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        window |= Q(team_id=team.pk, started_at__gte=first, started_at__lt=end)
    duration = ExpressionWrapper(F("closed_at") - F("started_at"), output_field=DurationField())
    rows = (
        Conversation.objects.filter(window, closed_at__isnull=False)
        .order_by()
        .values("team_id")
        .annotate(aht=Avg(duration), handled=Count("id"))
    )
    return {
        row["team_id"]: (row["aht"].total_seconds(), row["handled"])
        for row in rows
        if row["aht"] is not None and row["aht"].total_seconds() > 0
    }


def _scheduled_coverage(teams: list[Team], days: dict[int, dt.date]) -> dict[int, list[float]]:
    """team -> agents on shift in each hour of its day; yesterday's overnight shifts reach into today."""
    wanted = Q()
    for team in teams:
        day = days[team.pk]
        wanted |= Q(team_id=team.pk, date__in=[day, day - dt.timedelta(days=1)])
    shifts = (
        Shift.objects.filter(wanted, user__is_active=True)
        .filter(
            user__memberships__team_id=F("team_id"), user__memberships__role=Role.AGENT, user__memberships__active=True
        )
        .values_list("team_id", "date", "start_time", "end_time")
    )
    coverage = {team.pk: [0.0] * 24 for team in teams}
    for team_id, date, start, end in shifts:
        begin, finish = start.hour * 60 + start.minute, end.hour * 60 + end.minute
        overnight = finish <= begin
        if date == days[team_id]:
            span = (begin, 24 * 60 if overnight else finish)
        elif overnight:
            span = (0, finish)
        else:
            continue
        for hour in HOURS:
            covered = min(span[1], (hour + 1) * 60) - max(span[0], hour * 60)
            if covered > 0:
                coverage[team_id][hour] += covered / 60
    return coverage
