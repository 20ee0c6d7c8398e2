"""The manager's overview: every team the user manages side by side for a period.

Per team: the main KPIs from the computed daily team metrics (sums of the stored parts,
so rates are exact, never averages of averages), attainment against the period's
targets, the QA average, and today's staffing gaps (hours where fewer agents are
scheduled than Erlang C says are needed; dashboard.staffing).

Who sees what (teams.policy): a manager every team of their department, a supervisor
their own teams; anyone else nothing. Eight queries whatever the number of teams,
agents and days: two for the user's scopes, one for the teams, one for the metrics,
one for the targets and three for the staffing advice.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.staffing import StaffingTargets, TeamStaffing, local_today, staffing_advice_for_teams
from kpi.definitions import ADDITIVE_DECIMALS, DERIVATIONS, METRICS, PART_NAMES, derive
from kpi.models import DailyTarget, DailyTeamMetric
from kpi.selectors import attainment_percent
from teams import policy
from teams.models import Membership, Role, Team

# The KPIs compared side by side, in the table's order.
OVERVIEW_METRICS = [
    "conversations",
    "first_response_seconds",
    "resolution_rate",
    "csat_avg",
    "conversion_rate",
    "sales_amount",
    "qa_score_avg",
]
# The stored parts each metric derives from (kpi.definitions.DERIVATIONS).
METRIC_PARTS = {
    "conversations": ["conversations"],
    "messages_sent": ["messages_sent"],
    "unanswered": ["unanswered"],
    "first_response_seconds": ["first_response_ms_sum", "first_response_count"],
    "avg_response_seconds": ["response_ms_sum", "response_count"],
    "resolution_rate": ["resolved", "conversations"],
    "csat_avg": ["rating_sum", "rated"],
    "csi": ["rated_good", "rated"],
    "conversion_rate": ["pre_sales_ordered", "pre_sales"],
    "sales_amount": ["sales_amount"],
    "qa_score_avg": ["qa_score_sum", "qa_reviews"],
}
MAX_PERIOD_DAYS = 366
TEAM_DASHBOARD_PATH = "/dashboard/team/"  # the team area's page, while its route is not there yet


@dataclass
class MetricAttainment:
    metric: str
    target: Decimal | float
    actual: object
    percent: float | None

    @property
    def label(self) -> str:
        return str(METRICS[self.metric].label)


@dataclass
class TeamOverview:
    team: Team
    figures: dict
    qa_reviews: int
    attainment: dict[str, MetricAttainment]
    staffing: TeamStaffing | None = None

    @property
    def dashboard_url(self) -> str:
        return f"{team_dashboard_path()}?team={self.team.pk}"


@dataclass
class ManagerOverview:
    date_from: dt.date
    date_to: dt.date
    teams: list[TeamOverview]
    total: TeamOverview | None
    targeted_metrics: list[str] = field(default_factory=list)


def team_dashboard_path() -> str:
    try:
        return reverse("dashboard-team")
    except NoReverseMatch:
        return TEAM_DASHBOARD_PATH


def overview_teams(user) -> QuerySet[Team]:
    """The teams the user manages that answer customers: not departments that only group teams.

    A department with agents of its own is listed too.
    """
    child = Team.objects.filter(parent_id=OuterRef("pk"))
    agents = Membership.objects.filter(team_id=OuterRef("pk"), role=Role.AGENT, active=True)
    return (
        Team.objects.filter(id__in=policy.team_access(user).managed)
        .annotate(has_children=Exists(child), has_agents=Exists(agents))
        .filter(Q(has_children=False) | Q(has_agents=True))
        .select_related("parent")
        .order_by(F("parent__name").asc(nulls_first=True), "name", "id")
    )


def manager_overview(
    *, teams: list[Team], date_from: dt.date, date_to: dt.date, staffing_targets: StaffingTargets | None = None
) -> ManagerOverview:
    team_ids = [team.pk for team in teams]
    targets = _period_targets(team_ids, date_from, date_to)
    targeted = [name for name in METRICS if any(name in by_metric for by_metric in targets.values())]
    parts, on_target_days = _period_parts(team_ids, date_from, date_to, targeted)
    staffing = staffing_advice_for_teams(
        teams=teams, days={team.pk: local_today(team) for team in teams}, targets=staffing_targets
    )
    rows = []
    for team in teams:
        rows.append(
            _team_overview(
                team,
                parts.get(team.pk, _empty_parts()),
                targets.get(team.pk, {}),
                on_target_days.get(team.pk, {}),
                staffing.get(team.pk),
            )
        )
    total = None
    if rows:
        summed = {name: sum(parts.get(team_id, _empty_parts())[name] for team_id in team_ids) for name in PART_NAMES}
        summed_on_target_days = {
            metric: {
                part: sum(on_target_days.get(team_id, {}).get(metric, {}).get(part, 0) for team_id in team_ids)
                for part in METRIC_PARTS[metric]
            }
            for metric in targeted
        }
        total = _team_overview(None, summed, _summed_targets(targets.values()), summed_on_target_days, None)
    return ManagerOverview(date_from, date_to, rows, total, targeted)


def _empty_parts() -> dict:
    return {name: Decimal(0) if name in ("sales_amount", "qa_score_sum") else 0 for name in PART_NAMES}


def _period_parts(
    team_ids: list[int], date_from: dt.date, date_to: dt.date, targeted: list[str]
) -> tuple[dict[int, dict], dict[int, dict[str, dict]]]:
    """team -> the period's summed parts; and team -> metric -> the parts summed over the days that metric
    has a target for the team (attainment compares like with like when targets cover part of the period)."""
    sums = {f"period_{name}": Sum(name) for name in PART_NAMES}  # not the fields' own names: those stay columns
    for index, metric in enumerate(targeted):
        on_target_day = Exists(
            DailyTarget.objects.filter(
                team_id=OuterRef("team_id"), date=OuterRef("date"), monthly_target__metric=metric
            )
        )
        for part in METRIC_PARTS[metric]:
            sums[f"target{index}_{part}"] = Sum(part, filter=on_target_day)
    rows = (
        DailyTeamMetric.objects.filter(team_id__in=team_ids, date__gte=date_from, date__lte=date_to)
        .order_by()
        .values("team_id")
        .annotate(**sums)
    )
    parts, on_target_days = {}, {}
    for row in rows:
        team_id = row["team_id"]
        parts[team_id] = {name: row[f"period_{name}"] for name in PART_NAMES}
        on_target_days[team_id] = {
            metric: {part: row[f"target{index}_{part}"] or 0 for part in METRIC_PARTS[metric]}
            for index, metric in enumerate(targeted)
        }
    return parts, on_target_days


def _period_targets(team_ids: list[int], date_from: dt.date, date_to: dt.date) -> dict[int, dict[str, tuple]]:
    """team -> metric -> (target sum, target-days) over the period.

    A team's own shops carry its whole target (the shop-day rows); a team that serves its
    department's shops is asked for what its scheduled agents were given (the agent-day rows).
    """
    shop_rows, agent_rows = Q(agent__isnull=True), Q(agent__isnull=False)
    rows = (
        DailyTarget.objects.filter(team_id__in=team_ids, date__gte=date_from, date__lte=date_to)
        .order_by()
        .values("team_id", "monthly_target__metric")
        .annotate(
            shop_total=Sum("value", filter=shop_rows),
            shop_days=Count("id", filter=shop_rows),
            agent_total=Sum("value", filter=agent_rows),
            agent_days=Count("id", filter=agent_rows),
        )
    )
    targets: dict[int, dict[str, tuple]] = {}
    for row in rows:
        metric = row["monthly_target__metric"]
        if metric not in METRICS:
            continue
        chosen = ("shop_total", "shop_days") if row["shop_days"] else ("agent_total", "agent_days")
        targets.setdefault(row["team_id"], {})[metric] = (row[chosen[0]], row[chosen[1]])
    return targets


def _summed_targets(per_team) -> dict[str, tuple]:
    summed: dict[str, tuple] = {}
    for by_metric in per_team:
        for metric, (total, days) in by_metric.items():
            before = summed.get(metric, (Decimal(0), 0))
            summed[metric] = (before[0] + total, before[1] + days)
    return summed


def _team_overview(team, parts: dict, targets: dict[str, tuple], on_target_days: dict, staffing) -> TeamOverview:
    figures = derive(parts)
    attainment = {}
    for metric in [name for name in METRICS if name in targets]:  # in the definitions' order
        total, days = targets[metric]
        # Amounts add up over the period; a level (a response time, a CSAT) is the mean of its daily targets.
        target = total if metric in ADDITIVE_DECIMALS else total / days
        actual = DERIVATIONS[metric](on_target_days.get(metric) or dict.fromkeys(METRIC_PARTS[metric], 0))
        attainment[metric] = MetricAttainment(
            metric, target, actual, attainment_percent(actual, target, METRICS[metric].direction)
        )
    return TeamOverview(team, figures, parts["qa_reviews"], attainment, staffing)


def _rounded(value, places: int):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return round(float(value), places)


def _percent(share) -> float | None:
    return None if share is None else round(100 * float(share), 1)


def _has_advice(staffing: TeamStaffing | None) -> bool:
    return staffing is not None and staffing.weeks_with_data > 0 and staffing.aht_seconds is not None


def short_hours_text(staffing: TeamStaffing | None) -> str:
    """The short hours as ranges: "10:00–12:00, 20:00–21:00"."""
    if staffing is None:
        return ""
    ranges: list[list[int]] = []
    for hour in staffing.short_hours:
        if ranges and ranges[-1][1] == hour.hour:
            ranges[-1][1] = hour.hour + 1
        else:
            ranges.append([hour.hour, hour.hour + 1])
    return ", ".join(f"{start:02d}:00–{end:02d}:00" for start, end in ranges)


def overview_row(entry: TeamOverview, targeted_metrics: list[str]) -> dict:
    """One line of the table as the API, the page and the exports give it (rates in percent)."""
    figures = entry.figures
    staffing = entry.staffing
    row = {
        "team_id": entry.team.pk if entry.team else None,
        "team": entry.team.name if entry.team else _("All teams"),
        "department": entry.team.parent.name if entry.team and entry.team.parent_id else "",
        "conversations": figures["conversations"],
        "first_response_seconds": _rounded(figures["first_response_seconds"], 1),
        "resolution_percent": _percent(figures["resolution_rate"]),
        "csat_avg": _rounded(figures["csat_avg"], 2),
        "conversion_percent": _percent(figures["conversion_rate"]),
        "sales_amount": _rounded(figures["sales_amount"], 2),
        "qa_score_avg": _rounded(figures["qa_score_avg"], 1),
        "qa_reviews": entry.qa_reviews,
        # unknown (None) without the advice: no recent volume, or no handling time to work it out from
        "short_hours": len(staffing.short_hours) if _has_advice(staffing) else None,
        "short_hour_ranges": short_hours_text(staffing),
    }
    for metric in targeted_metrics:
        line = entry.attainment.get(metric)
        row[f"attainment_{metric}"] = None if line is None or line.percent is None else round(line.percent, 1)
    return row


def overview_columns(targeted_metrics: list[str]) -> list[tuple[str, str]]:
    columns = [
        ("team", gettext_lazy("Team")),
        ("department", gettext_lazy("Department")),
        ("conversations", gettext_lazy("Conversations")),
        ("first_response_seconds", gettext_lazy("First response (s)")),
        ("resolution_percent", gettext_lazy("Resolution rate (%)")),
        ("csat_avg", gettext_lazy("CSAT")),
        ("conversion_percent", gettext_lazy("Conversion rate (%)")),
        ("sales_amount", gettext_lazy("Sales")),
        ("qa_score_avg", gettext_lazy("QA average")),
        ("qa_reviews", gettext_lazy("QA reviews")),
    ]
    columns += [
        (f"attainment_{metric}", _("%(metric)s vs target (%%)") % {"metric": METRICS[metric].label})
        for metric in targeted_metrics
    ]
    columns += [
        ("short_hours", gettext_lazy("Hours short of agents today")),
        ("short_hour_ranges", gettext_lazy("Short hours")),
    ]
    return columns
