"""Today and this week at a glance, and the 30-day line of one metric: the team's computed daily metrics
(DailyTeamMetric) against its daily targets. Two queries whatever the history."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from dashboard.team.numbers import attainment, day_target, figures_of, plain, span_target, summed_parts, trend
from dashboard.team.periods import WEEK, Span, span_of, trend_span
from kpi.definitions import DERIVATIONS, METRICS, PART_NAMES
from kpi.models import DailyTarget, DailyTeamMetric

# Shown at a glance even without a target; any other metric with a target is added after them.
GLANCE_METRICS = (
    "conversations",
    "sales_amount",
    "first_response_seconds",
    "resolution_rate",
    "csat_avg",
    "conversion_rate",
    "qa_score_avg",
)


def team_daily_targets(*, team_id: int, span: Span) -> dict[str, dict[dt.date, Decimal]]:
    """metric -> day -> the team's target that day.

    The team's own target rows (the shop-days of shops it serves) when it has any that day; otherwise what its
    agents were given that day (a department's cascade reaches a team only through its scheduled agents).
    """
    own, agents = Q(agent__isnull=True), Q(agent__isnull=False)
    rows = (
        DailyTarget.objects.filter(team_id=team_id, date__gte=span.start, date__lte=span.end)
        .values("date", "monthly_target__metric")
        .annotate(
            own_total=Sum("value", filter=own),
            own_rows=Count("id", filter=own),
            agent_total=Sum("value", filter=agents),
            agent_rows=Count("id", filter=agents),
        )
        .order_by()
    )
    targets: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)
    for row in rows:
        metric = row["monthly_target__metric"]
        if metric not in METRICS:
            continue
        if row["own_rows"]:
            value = day_target(metric, row["own_total"], row["own_rows"])
        else:
            value = day_target(metric, row["agent_total"], row["agent_rows"])
        targets[metric][row["date"]] = value
    return targets


def _metric_days(team_id: int, span: Span) -> dict[dt.date, dict]:
    rows = DailyTeamMetric.objects.filter(team_id=team_id, date__gte=span.start, date__lte=span.end)
    return {row["date"]: row for row in rows.values("date", *PART_NAMES)}


def _span_figures(days: dict[dt.date, dict], span: Span) -> dict:
    return figures_of(summed_parts(row for day, row in days.items() if day in span))


def _glance_figure(metric: str, days: dict, figures: dict, previous_figures: dict, targets: dict, span: Span) -> dict:
    direction = METRICS[metric].direction
    actual, previous = figures.get(metric), previous_figures.get(metric)
    day_targets = {day: value for day, value in targets.get(metric, {}).items() if day in span}
    target = span_target(metric, day_targets.values())
    if all(day in day_targets for day in days if day in span):
        targeted = actual
    else:
        targeted = figures_of(summed_parts(row for day, row in days.items() if day in day_targets)).get(metric)
    return {
        **attainment(actual, target, direction, actual_targeted=targeted, target_days=len(day_targets)),
        **trend(actual, previous, direction),
    }


def glance_metrics(targets: dict) -> list[str]:
    return [*GLANCE_METRICS, *(name for name in METRICS if name in targets and name not in GLANCE_METRICS)]


def team_kpis(*, team_id: int, day: dt.date, metric: str) -> dict:
    """{"glance": [per metric: today and week to date against target, with the trend], "trend": the chart}."""
    today, week = span_of("day", day), span_of(WEEK, day)
    chart = trend_span(day)
    # One read covers the chart, this week and the same days of last week.
    window = Span(min(chart.start, week.start - dt.timedelta(days=7)), day)
    days = _metric_days(team_id, window)
    targets = team_daily_targets(team_id=team_id, span=window)
    spans = {"today": today, "week": week}
    figures = {key: _span_figures(days, span) for key, span in spans.items()}
    previous = {key: _span_figures(days, span.shifted(-7)) for key, span in spans.items()}
    glance = []
    for name in glance_metrics(targets):
        definition = METRICS[name]
        row = {
            "metric": name,
            "label": str(definition.label),
            "unit": str(definition.unit),
            "direction": str(definition.direction),
            "has_target": name in targets,
        }
        for key, span in spans.items():
            row[key] = _glance_figure(name, days, figures[key], previous[key], targets, span)
        glance.append(row)
    definition = METRICS[metric]
    points = []
    for offset in range(chart.days):
        point_day = chart.start + dt.timedelta(days=offset)
        row = days.get(point_day)
        actual = DERIVATIONS[metric](row) if row is not None else None
        points.append(
            {"date": point_day, "actual": plain(actual), "target": plain(targets.get(metric, {}).get(point_day))}
        )
    return {
        "glance": glance,
        "week_start": week.start,
        "trend": {
            "metric": metric,
            "label": str(definition.label),
            "unit": str(definition.unit),
            "direction": str(definition.direction),
            "points": points,
        },
    }
