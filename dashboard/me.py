"""Reads of the agent's "My day" page beyond what plans.selectors.today_of gives (the plan with today's
targets and their live progress, tasks due), which /api/v1/me/today/ serves too:

- learning due: the person's open training assignments due within LEARNING_DUE_DAYS (overdue ones too);
- QA reviews waiting for their acknowledgement (submitted, not acknowledged or disputed);
- kudos received this week (the ISO week in the home team's time zone) and the latest award won;
- the personal trend: every metric per day over the last TREND_DAYS days, from the computed metric tables.

Everything is the caller's own and in teams they read; each section is one query (a window COUNT gives the
total beside the first rows), so the page costs the same whatever the history. /api/v1/dashboard/me/ serves
the same dict.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Value, When, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.profile import SECOND_METRICS, SHARE_METRICS, DailyFigures, daily_figures, local_today
from kpi.definitions import METRICS
from kpi.selectors import attainment_percent
from qa_reviews.models import Review, ReviewStatus
from recognition.kudos import current_week_start, local_range_bounds
from recognition.models import Award, Kudos
from teams import policy
from teams.models import Membership, Role, Team
from training.access import visible_assignments
from training.models import Assignment
from training.selectors_courses import with_progress

LEARNING_DUE_DAYS = 7
TREND_DAYS = 30
LIST_LIMIT = 10  # rows shown per section; the section's count covers all
KUDOS_SHOWN = 5

_COUNTS = frozenset({"conversations", "messages_sent", "unanswered"})


def metric_text(metric: str, value) -> str:
    """A metric's figure as the pages show it: counts whole, shares and CSI in percent, seconds with a unit."""
    if value is None or value == "":
        return "—"
    number = float(value)
    if metric in _COUNTS:
        return f"{round(number):,}"
    if metric in SHARE_METRICS:
        return f"{number * 100:.1f}%"
    if metric == "csi":
        return f"{number:.1f}%"
    if metric in SECOND_METRICS:
        return _("%(seconds)s s") % {"seconds": f"{number:,.1f}"}
    if metric == "qa_score_avg":
        return f"{number:.1f}"
    return f"{number:,.2f}"


# --------------------------------------------------------------------------------- today's targets


@dataclass(frozen=True)
class TargetProgress:
    metric: str
    value: Decimal  # today's target
    direction: str
    actual: object  # so far today, from the latest computed metrics; None before the first computation
    percent: float | None  # kpi.selectors.attainment_percent: 100 is on target

    @property
    def label(self) -> str:
        definition = METRICS.get(self.metric)
        return str(definition.label) if definition else self.metric

    @property
    def bar_width(self) -> int:
        return max(0, min(100, round(self.percent or 0)))

    @property
    def reached(self) -> bool:
        return self.percent is not None and self.percent >= 100

    @property
    def actual_text(self) -> str:
        return metric_text(self.metric, self.actual)

    @property
    def target_text(self) -> str:
        return metric_text(self.metric, self.value)

    @property
    def percent_text(self) -> str:
        return "—" if self.percent is None else f"{round(self.percent)}%"


def target_progress(progress: list[dict]) -> list[TargetProgress]:
    """today_of()'s progress entries with the attainment percent, the same figure /api/v1/me/today/ gives."""
    rows = []
    for entry in progress:
        direction = entry.get("direction") or getattr(METRICS.get(entry["metric"]), "direction", "up")
        value = Decimal(str(entry["value"]))
        actual = entry.get("actual")
        rows.append(TargetProgress(entry["metric"], value, direction, actual, percent_of(actual, value, direction)))
    return rows


def percent_of(actual, target, direction: str) -> float | None:
    percent = attainment_percent(actual, target, direction)
    return None if percent is None else round(percent, 2)


# ------------------------------------------------------------------------------------ the rest of it


def home_team(user) -> Team | None:
    """The team whose clock the person's day follows: their first team as an agent, else their first team."""
    membership = (
        Membership.objects.filter(user=user, active=True)
        .select_related("team")
        .order_by(
            Case(When(role=Role.AGENT, then=Value(0)), default=Value(1), output_field=IntegerField()), "team__name"
        )
        .first()
    )
    return membership.team if membership else None


@dataclass
class MyDayExtras:
    team: Team | None
    today: dt.date
    week_start: dt.date
    learning_due: list[Assignment]
    learning_due_count: int
    reviews_to_acknowledge: list[Review]
    reviews_to_acknowledge_count: int
    kudos: list[Kudos]
    kudos_count: int
    latest_award: Award | None
    trend: DailyFigures

    @property
    def trend_from(self) -> dt.date:
        return self.today - dt.timedelta(days=TREND_DAYS - 1)


def _with_total(queryset, limit: int) -> tuple[list, int]:
    """The first `limit` rows and the count of all, in one query."""
    rows = list(queryset.annotate(listed_total=Window(Count("id")))[:limit])
    return rows, (rows[0].listed_total if rows else 0)


def my_day_extras(*, user, now: dt.datetime | None = None) -> MyDayExtras:
    """Seven queries (with the user's team scopes, two more the first time), whatever the history."""
    now = now or timezone.now()
    team = home_team(user)
    today = local_today(team, now)
    readable = policy.team_access(user).readable
    learning, learning_count = _with_total(
        with_progress(
            visible_assignments(user).filter(
                user=user, completed_at__isnull=True, due_date__lte=today + dt.timedelta(days=LEARNING_DUE_DAYS)
            )
        )
        .select_related("course")
        .order_by("due_date", "id"),
        LIST_LIMIT,
    )
    for assignment in learning:
        assignment.is_overdue = assignment.due_date < today
    reviews, reviews_count = _with_total(
        Review.objects.filter(agent=user, team_id__in=readable, status=ReviewStatus.SUBMITTED, calibration__isnull=True)
        .select_related("reviewer", "scorecard")
        .order_by("submitted_at", "id"),
        LIST_LIMIT,
    )
    zone_name = team.timezone if team else timezone.get_current_timezone_name()
    week_start = current_week_start(zone_name, now)
    week_begins, week_ends = local_range_bounds(zone_name, week_start, week_start + dt.timedelta(days=6))
    kudos, kudos_count = _with_total(
        Kudos.objects.filter(receiver=user, team_id__in=readable, created_at__gte=week_begins, created_at__lt=week_ends)
        .select_related("giver")
        .order_by("-created_at", "-id"),
        KUDOS_SHOWN,
    )
    latest_award = (
        Award.objects.filter(winner=user, team_id__in=readable).select_related("team").order_by("-period_end", "-id")
    ).first()
    trend = daily_figures(
        agent_id=user.pk, team_ids=readable, date_from=today - dt.timedelta(days=TREND_DAYS - 1), date_to=today
    )
    return MyDayExtras(
        team=team,
        today=today,
        week_start=week_start,
        learning_due=learning,
        learning_due_count=learning_count,
        reviews_to_acknowledge=reviews,
        reviews_to_acknowledge_count=reviews_count,
        kudos=kudos,
        kudos_count=kudos_count,
        latest_award=latest_award,
        trend=trend,
    )
