"""Reads of the KPI app: attainment against targets and the composite score, scoped by teams.policy."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Sum

from kpi.definitions import ADDITIVE_DECIMALS, METRICS, PART_NAMES, Direction, derive
from kpi.models import DailyAgentMetric, DailyTarget, DailyTeamMetric, ScoreWeight
from teams import policy

# Used when a team has not set its own weights: half volume, half quality.
DEFAULT_SCORE_WEIGHTS = {
    "conversations": Decimal("0.25"),
    "sales_amount": Decimal("0.25"),
    "csat_avg": Decimal("0.2"),
    "first_response_seconds": Decimal("0.15"),
    "resolution_rate": Decimal("0.15"),
}


def attainment_percent(actual, target, direction: str) -> float | None:
    """100 means on target. For lower-is-better metrics (response times) beating the target is above 100."""
    if actual is None or target is None:
        return None
    actual, target = float(actual), float(target)
    if direction == Direction.LOWER_IS_BETTER:
        return 100 * target / actual if actual else None
    return 100 * actual / target if target else None


@dataclass
class AttainmentRow:
    date: dt.date
    metric: str
    team_id: int
    agent_id: int | None
    target: Decimal
    actual: object
    attainment_percent: float | None
    direction: str


def attainment(
    *, user, date_from: dt.date, date_to: dt.date, level: str = "agent", team_id=None, agent_id=None, metric=None
):
    """Actual against target per agent (or team) and day, over the targets the user may see."""
    targets = DailyTarget.objects.filter(date__gte=date_from, date__lte=date_to, agent__isnull=(level == "team"))
    if level == "team":
        targets = targets.filter(team_id__in=policy.team_access(user).readable)
    else:
        targets = policy.scope_queryset(user, targets, owner_field="agent")
    if team_id:
        targets = targets.filter(team_id=team_id)
    if agent_id:
        targets = targets.filter(agent_id=agent_id)
    if metric:
        targets = targets.filter(monthly_target__metric=metric)
    key = ("date", "monthly_target__metric", "team_id", "agent_id")
    summed = targets.values(*key).annotate(target=Sum("value")).order_by(*key)
    rows = list(summed)
    actuals = _actual_figures(rows, level)
    result = []
    for row in rows:
        name = row["monthly_target__metric"]
        figures = actuals.get((row["date"], row["team_id"], row["agent_id"]), {})
        actual = figures.get(name)
        direction = METRICS[name].direction
        result.append(
            AttainmentRow(
                row["date"],
                name,
                row["team_id"],
                row["agent_id"],
                row["target"],
                actual,
                attainment_percent(actual, row["target"], direction),
                direction,
            )
        )
    return result


def _actual_figures(rows: list[dict], level: str) -> dict:
    if not rows:
        return {}
    dates = {row["date"] for row in rows}
    teams = {row["team_id"] for row in rows}
    if level == "team":
        metric_rows = DailyTeamMetric.objects.filter(date__in=dates, team_id__in=teams)
        return {(m.date, m.team_id, None): m.figures() for m in metric_rows}
    metric_rows = DailyAgentMetric.objects.filter(
        date__in=dates, team_id__in=teams, agent_id__in={row["agent_id"] for row in rows}
    )
    return {(m.date, m.team_id, m.agent_id): m.figures() for m in metric_rows}


@dataclass
class ScoreLine:
    metric: str
    value: object
    normalised: float
    weight: Decimal

    @property
    def label(self) -> str:
        return str(METRICS[self.metric].label)


@dataclass
class AgentScore:
    agent_id: int
    username: str
    score: float
    lines: list[ScoreLine]


def score_weights(team_id: int) -> dict[str, Decimal]:
    weights = dict(ScoreWeight.objects.filter(team_id=team_id).values_list("metric", "weight"))
    return weights or dict(DEFAULT_SCORE_WEIGHTS)


def composite_scores(*, team_id: int, date_from: dt.date, date_to: dt.date) -> list[AgentScore]:
    """Each agent's weighted score, 0-100, for the period.

    For every weighted metric the agents' period values are normalised within the
    team: (value - worst) / (best - worst), where best is the highest value for
    higher-is-better metrics and the lowest for the others; an agent without a value
    (no rated chats, say) scores 0 on that metric, and when everyone ties each gets 1.
    The score is 100 x sum(weight x normalised) / sum(weights). Ties in the ranking
    are broken by username.
    """
    weights = {name: weight for name, weight in score_weights(team_id).items() if name in METRICS and weight > 0}
    period = (
        DailyAgentMetric.objects.filter(team_id=team_id, date__gte=date_from, date__lte=date_to)
        .values("agent_id", "agent__username")
        .annotate(**{name: Sum(name) for name in PART_NAMES})
        .order_by("agent__username")
    )
    figures = {(row["agent_id"], row["agent__username"]): derive(row) for row in period}
    normalised: dict = defaultdict(dict)
    for name in weights:
        values = [f[name] for f in figures.values() if f[name] is not None]
        best_is_high = METRICS[name].direction == Direction.HIGHER_IS_BETTER
        low, high = (min(values), max(values)) if values else (None, None)
        for agent, f in figures.items():
            value = f[name]
            if value is None:
                normalised[agent][name] = 0.0
            elif high == low:
                normalised[agent][name] = 1.0
            else:
                share = (float(value) - float(low)) / (float(high) - float(low))
                normalised[agent][name] = share if best_is_high else 1 - share
    total_weight = sum(weights.values()) or Decimal(1)
    scores = []
    for (agent_id, username), f in figures.items():
        lines = [
            ScoreLine(name, f[name], normalised[(agent_id, username)][name], weight) for name, weight in weights.items()
        ]
        score = 100 * sum(float(line.weight) * line.normalised for line in lines) / float(total_weight)
        scores.append(AgentScore(agent_id, username, round(score, 4), lines))
    return sorted(scores, key=lambda s: (-s.score, s.username))


def attainment_period_summary(*, user, team_id: int, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """A period's targets and actuals per agent and metric: amounts summed, levels averaged over the days."""
    rows = attainment(user=user, date_from=date_from, date_to=date_to, team_id=team_id)
    grouped: dict = defaultdict(lambda: {"target": 0, "actual": 0, "days": 0, "actual_days": 0})
    for row in rows:
        entry = grouped[(row.agent_id, row.metric)]
        entry["days"] += 1
        entry["target"] += row.target
        if row.actual is not None:
            entry["actual"] += row.actual
            entry["actual_days"] += 1
    names = dict(get_user_model().objects.filter(pk__in={agent for agent, _ in grouped}).values_list("pk", "username"))
    result = []
    for (agent_id, metric), entry in sorted(grouped.items(), key=lambda item: (names.get(item[0][0], ""), item[0][1])):
        definition = METRICS[metric]
        additive = metric in ADDITIVE_DECIMALS
        target = entry["target"] if additive else entry["target"] / entry["days"]
        actual = (
            entry["actual"] if additive else (entry["actual"] / entry["actual_days"] if entry["actual_days"] else None)
        )
        result.append(
            {
                "agent": names.get(agent_id, agent_id),
                "metric": definition.label,
                "target": target,
                "actual": actual,
                "percent": attainment_percent(actual, target, definition.direction),
            }
        )
    return result
