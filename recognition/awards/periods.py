"""Award periods in a team's own calendar: ISO weeks (Monday to Sunday) and months, by local date."""

import calendar
import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi.services import FINALISE_UNTIL_HOUR
from teams.models import Team

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

# The weekly award is due from this local hour on the Monday after the week: the KPI app finalises
# yesterday's metrics until then, so Sunday's late chats and ratings count.
WEEKLY_DUE_HOUR = FINALISE_UNTIL_HOUR


@dataclass(frozen=True)
class Period:
    label: str  # "2026-W47" or "2026-11": Award.period
    start: dt.date
    end: dt.date  # inclusive


def week_period(week: str, field: str = "week") -> Period:
    """'2026-W47' → Monday 16 to Sunday 22 November 2026; a clear error naming `field` otherwise."""
    match = _WEEK.match(week or "")
    try:
        if match is None:
            raise ValueError
        monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValidationError({field: _("Give an ISO week such as 2026-W47.")}) from None
    return Period(week, monday, monday + dt.timedelta(days=6))


def week_label(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_period(month: str, field: str = "month") -> Period:
    """'2026-11' → 1 to 30 November 2026."""
    match = _MONTH.match(month or "")
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise ValidationError({field: _("Give a month such as 2026-11.")})
    year, number = int(match[1]), int(match[2])
    return Period(month, dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1]))


def local_now(team: Team, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(team.timezone))


def check_period_ended(team: Team, period: Period, field: str, now: dt.datetime | None = None) -> None:
    if period.end >= local_now(team, now).date():
        message = _("%(period)s has not ended yet in the team's time zone (%(zone)s).")
        raise ValidationError({field: message % {"period": period.label, "zone": team.timezone}})


def due_week(team: Team, now: dt.datetime | None = None) -> Period:
    """The last week whose award is due: it ended, and Monday WEEKLY_DUE_HOUR:00 local has passed."""
    shifted = local_now(team, now) - dt.timedelta(hours=WEEKLY_DUE_HOUR)
    return week_period(week_label(shifted.date() - dt.timedelta(days=7)))


def period_bounds(period_start: dt.date, period_end: dt.date, zone_name: str) -> tuple[dt.datetime, dt.datetime]:
    """The instants of the first day's local midnight and of the midnight after the last day."""
    zone = zoneinfo.ZoneInfo(zone_name)
    start = dt.datetime.combine(period_start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
