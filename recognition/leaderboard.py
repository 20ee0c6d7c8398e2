"""Leaderboards: a team's agents ranked for a week or a month, with the rank change from the period before.

Who sees what (the API and the pages share it through `leaderboard_for`): those who supervise the team
(supervisors, QA inspectors, managers above it) see every row; the team's own members see the top of the
board and their own row; anyone else gets "no such team".
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpi.definitions import METRICS, PART_NAMES, Direction, derive
from kpi.models import DailyAgentMetric
from kpi.selectors import composite_scores
from teams import policy
from teams.models import Team

WEEK, MONTH = "week", "month"
PERIOD_CHOICES = [(WEEK, gettext_lazy("Week")), (MONTH, gettext_lazy("Month"))]
SCORE = "score"
METRIC_CHOICES = [(SCORE, gettext_lazy("Composite score")), *((name, d.label) for name, d in METRICS.items())]
TOP_OF_BOARD = 5  # what an agent sees of colleagues: the rows ranked this high
FULL, TOP_AND_OWN = "full", "top_and_own"

_WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A local calendar week (ISO, Monday first) or month of a team."""

    kind: str
    start: dt.date
    end: dt.date

    @property
    def key(self) -> str:
        if self.kind == WEEK:
            year, week, _weekday = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start:%Y-%m}"

    @property
    def previous(self) -> "Period":
        return period_of(self.kind, self.start - dt.timedelta(days=1))

    @property
    def next(self) -> "Period":
        return period_of(self.kind, self.end + dt.timedelta(days=1))


def period_of(kind: str, day: dt.date) -> Period:
    """The week or month that contains `day`."""
    if kind == WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return Period(WEEK, start, start + dt.timedelta(days=6))
    start = day.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return Period(MONTH, start, following - dt.timedelta(days=1))


def period_parse(kind: str, key: str) -> Period:
    """`2026-W47` for a week, `2026-11` for a month; a clear error naming `period` or `key` otherwise."""
    if kind not in (WEEK, MONTH):
        raise ValidationError({"period": _("Choose week or month.")})
    pattern = _WEEK_KEY if kind == WEEK else _MONTH_KEY
    found = pattern.match(key or "")
    try:
        if not found:
            raise ValueError(key)
        year, number = int(found[1]), int(found[2])
        day = dt.date.fromisocalendar(year, number, 1) if kind == WEEK else dt.date(year, number, 1)
    except ValueError as error:
        message = (
            _("Give the week as an ISO week such as 2026-W47.")
            if kind == WEEK
            else _("Give the month as YYYY-MM, such as 2026-11.")
        )
        raise ValidationError({"key": message}) from error
    return period_of(kind, day)


def team_today(team: Team, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(team.timezone)).date()


def period_resolve(*, team: Team, kind: str, key: str | None, now: dt.datetime | None = None) -> Period:
    """The period named by `key`, or the current one on the team's local calendar when there is none."""
    if not key:
        if kind not in (WEEK, MONTH):
            raise ValidationError({"period": _("Choose week or month.")})
        return period_of(kind, team_today(team, now))
    return period_parse(kind, key)


@dataclass
class BoardRow:
    agent_id: int
    username: str
    display_name: str
    value: object  # int, float or Decimal as the metric derives it; None when the agent has no figure for it
    rank: int | None = None  # None: no figure, so not ranked
    previous_rank: int | None = None
    after_gap: bool = False  # rows the viewer may not see come between this row and the one shown before it

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def change(self) -> str:
        """up, down or same against the previous period; new when unranked there; empty when unranked now."""
        if self.rank is None:
            return ""
        if self.previous_rank is None:
            return "new"
        if self.previous_rank > self.rank:
            return "up"
        return "down" if self.previous_rank < self.rank else "same"

    @property
    def places(self) -> int:
        """How many places up (positive) or down (negative) since the previous period."""
        if self.rank is None or self.previous_rank is None:
            return 0
        return self.previous_rank - self.rank

    @property
    def moved(self) -> int:
        return abs(self.places)


@dataclass
class Board:
    team: Team
    period: Period
    metric: str
    rows: list[BoardRow] = field(default_factory=list)
    complete: bool = True  # False when the viewer sees only the top and their own row

    @property
    def direction(self) -> str:
        return Direction.HIGHER_IS_BETTER if self.metric == SCORE else METRICS[self.metric].direction

    @property
    def metric_label(self) -> str:
        return str(dict(METRIC_CHOICES)[self.metric])


def leaderboard(*, team: Team, period: str, key: str | None = None, metric: str = SCORE, now=None) -> Board:
    """Every agent with figures in the team's period, ranked; a fixed number of queries whatever the team size.

    Ties share a rank (1, 2, 2, 4) and are listed by username; lower values rank first for lower-is-better
    metrics (response times). The composite score is kpi.selectors.composite_scores over each period; single
    metrics are the period's summed parts of DailyAgentMetric, derived as kpi.definitions derives them.
    """
    if metric not in dict(METRIC_CHOICES):
        raise ValidationError({"metric": _("Choose the composite score or one of the KPI metrics.")})
    current = period_resolve(team=team, kind=period, key=key, now=now)
    previous = current.previous
    if metric == SCORE:
        rows, previous_values = _score_rows(team, current, previous)
        lower_first = False
    else:
        rows, previous_values = _metric_rows(team, current, previous, metric)
        lower_first = METRICS[metric].direction == Direction.LOWER_IS_BETTER
    ranks = _ranks({row.agent_id: (row.value, row.username) for row in rows}, lower_first)
    previous_ranks = _ranks(previous_values, lower_first)
    for row in rows:
        row.rank = ranks.get(row.agent_id)
        row.previous_rank = previous_ranks.get(row.agent_id)
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.username))
    return Board(team=team, period=current, metric=metric, rows=rows)


def _ranks(values: dict[int, tuple], lower_first: bool) -> dict[int, int]:
    """Competition ranking of {agent: (value, username)}; agents without a value get no rank."""
    ranked = sorted(
        ((value, username, agent) for agent, (value, username) in values.items() if value is not None),
        key=lambda item: (item[0] if lower_first else -item[0], item[1]),
    )
    ranks: dict[int, int] = {}
    for position, (value, _username, agent) in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        ranks[agent] = ranks[previous[2]] if previous is not None and previous[0] == value else position
    return ranks


def _score_rows(team: Team, current: Period, previous: Period) -> tuple[list[BoardRow], dict]:
    scores = composite_scores(team_id=team.pk, date_from=current.start, date_to=current.end)
    before = composite_scores(team_id=team.pk, date_from=previous.start, date_to=previous.end)
    names = dict(get_user_model().objects.filter(pk__in=[s.agent_id for s in scores]).values_list("pk", "display_name"))
    rows = [BoardRow(s.agent_id, s.username, names.get(s.agent_id, ""), s.score) for s in scores]
    return rows, {s.agent_id: (s.score, s.username) for s in before}


def _metric_rows(team: Team, current: Period, previous: Period, metric: str) -> tuple[list[BoardRow], dict]:
    # One GROUP BY over both periods (they are adjacent): each part summed once per period.
    in_current, in_previous = Q(date__gte=current.start), Q(date__lte=previous.end)
    sums = {f"now_{part}": Sum(part, filter=in_current) for part in PART_NAMES}
    sums |= {f"before_{part}": Sum(part, filter=in_previous) for part in PART_NAMES}
    grouped = (
        _team_metrics(team, previous.start, current.end)
        .values("agent_id", "agent__username", "agent__display_name")
        .annotate(now_days=Count("id", filter=in_current), before_days=Count("id", filter=in_previous), **sums)
        .order_by("agent__username")
    )
    rows, previous_values = [], {}
    for group in grouped:
        username = group["agent__username"]
        if group["now_days"]:
            value = derive({part: group[f"now_{part}"] for part in PART_NAMES})[metric]
            rows.append(BoardRow(group["agent_id"], username, group["agent__display_name"], value))
        if group["before_days"]:
            value = derive({part: group[f"before_{part}"] for part in PART_NAMES})[metric]
            previous_values[group["agent_id"]] = (value, username)
    return rows, previous_values


def _team_metrics(team: Team, date_from: dt.date, date_to: dt.date) -> QuerySet:
    return DailyAgentMetric.objects.filter(team_id=team.pk, date__gte=date_from, date__lte=date_to)


# Who sees which board ------------------------------------------------------------------------------------


def board_teams(user) -> QuerySet[Team]:
    """Teams whose board the user may open: those they supervise and those they belong to; teams first,
    departments after."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Team.objects.none()
    supervised = policy.team_access(user).supervised
    member = Q(memberships__user=user, memberships__active=True)
    ids = Team.objects.filter(Q(pk__in=supervised) | member).values("pk")
    return (
        Team.objects.filter(pk__in=ids)
        .annotate(is_department=Exists(Team.objects.filter(parent=OuterRef("pk"))))
        .order_by("is_department", "name", "pk")
    )


def board_access(user, team: Team) -> str:
    """FULL for those who supervise the team; TOP_AND_OWN for its other members (the caller checked membership)."""
    return FULL if policy.can_supervise_team(user, team.pk) else TOP_AND_OWN


def board_team(user, team_id) -> Team:
    """The team if the user may open its board; Team.DoesNotExist otherwise (an outsider learns nothing)."""
    return board_teams(user).get(pk=team_id)


def board_top(board: Board, *, user, top: int = TOP_OF_BOARD) -> Board:
    """The rows ranked `top` or better (ties included) and the user's own row."""
    rows, hidden = [], False
    for row in board.rows:
        if (row.rank is not None and row.rank <= top) or row.agent_id == user.pk:
            rows.append(replace(row, after_gap=hidden))
            hidden = False
        else:
            hidden = True
    return replace(board, rows=rows, complete=len(rows) == len(board.rows))


def visible_part(board: Board, *, user) -> Board:
    """What the user may see of the board: all of it, or the top rows and their own."""
    return board if board_access(user, board.team) == FULL else board_top(board, user=user)


def leaderboard_for(*, user, team_id, period: str, key: str | None = None, metric: str = SCORE, now=None) -> Board:
    """The board as `user` may see it. Team.DoesNotExist when the team is not theirs to see."""
    team = board_team(user, team_id)
    return visible_part(leaderboard(team=team, period=period, key=key, metric=metric, now=now), user=user)
