"""The spans the dashboard reads: the chosen day, its week and month (each up to that day), the same span a week
earlier for trends, and the windows of the line chart and the heatmap."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DAY, WEEK, MONTH = "day", "week", "month"
PERIOD_CHOICES = [(DAY, _("Day")), (WEEK, _("Week to date")), (MONTH, _("Month to date"))]
TREND_DAYS = 30  # the line chart
HEATMAP_WEEKS = 4  # whole weeks, so every weekday counts the same number of days


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def shifted(self, days: int) -> "Span":
        return Span(self.start + dt.timedelta(days=days), self.end + dt.timedelta(days=days))

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def span_of(period: str, day: dt.date) -> Span:
    """The day alone, or its ISO week (Monday first) or month, up to and including the day."""
    if period == DAY:
        return Span(day, day)
    if period == WEEK:
        return Span(day - dt.timedelta(days=day.weekday()), day)
    if period == MONTH:
        return Span(day.replace(day=1), day)
    raise ValueError(period)


def week_key(day: dt.date) -> str:
    """The ISO week key recognition uses for leaderboards and weekly awards (2026-W47)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def trend_span(day: dt.date) -> Span:
    return Span(day - dt.timedelta(days=TREND_DAYS - 1), day)


def heatmap_span(day: dt.date) -> Span:
    return Span(day - dt.timedelta(days=7 * HEATMAP_WEEKS - 1), day)
