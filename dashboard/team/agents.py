"""The table of a team's agents for a span: key metrics, attainment against their own targets, today's plan.

Three queries whatever the team size or history: the roster (with each agent's plan status and shift for the
day), the agents' summed metric parts, and their summed targets.
"""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

from dashboard.team.numbers import attainment, plain
from dashboard.team.periods import Span
from kpi.definitions import ADDITIVE_DECIMALS, METRICS, PART_NAMES, derive
from kpi.models import DailyAgentMetric, DailyTarget
from plans.models import DailyPlan
from teams.models import Membership, Role, Shift

TABLE_METRICS = (
    "conversations",
    "sales_amount",
    "first_response_seconds",
    "resolution_rate",
    "csat_avg",
    "qa_score_avg",
)
# Beside DailyPlan's statuses: scheduled for the day without a plan yet, or not scheduled and no plan.
PLAN_MISSING, PLAN_OFF = "missing", "off"
ATTAINMENT_SUFFIX = "_attainment"
TARGETED = "targeted_"  # prefix of the parts summed over the days with a target


def table_metrics(metric: str) -> list[str]:
    """The columns: the key metrics, and the chosen metric when it is not one of them."""
    return [*TABLE_METRICS, *([metric] if metric not in TABLE_METRICS else [])]


def _roster(team_id: int, day: dt.date) -> list[dict]:
    plan = DailyPlan.objects.filter(agent_id=OuterRef("user_id"), date=day).values("status")[:1]
    shift = Shift.objects.filter(user_id=OuterRef("user_id"), team_id=team_id, date=day)
    return list(
        Membership.objects.filter(team_id=team_id, role=Role.AGENT, active=True)
        .values("user_id", "user__username", "user__display_name")
        .annotate(plan_status=Subquery(plan), scheduled=Exists(shift))
        .order_by()
    )


def _period_parts(team_id: int, span: Span) -> list[dict]:
    """Each agent's summed parts over the span, and over the days of it on which they had a target."""
    targeted = Exists(DailyTarget.objects.filter(agent_id=OuterRef("agent_id"), date=OuterRef("date"), team_id=team_id))
    return list(
        DailyAgentMetric.objects.filter(team_id=team_id, date__gte=span.start, date__lte=span.end)
        .values("agent_id", "agent__username", "agent__display_name")
        .annotate(
            days=Count("id"),
            # before the plain sums, which take the parts' own names
            **{f"{TARGETED}{part}": Sum(part, filter=targeted) for part in PART_NAMES},
            **{part: Sum(part) for part in PART_NAMES},
        )
        .order_by()
    )


def _period_targets(team_id: int, span: Span) -> dict[int, dict]:
    """agent -> metric -> the span's target: amounts summed over the days, levels their mean."""
    rows = (
        DailyTarget.objects.filter(team_id=team_id, agent__isnull=False, date__gte=span.start, date__lte=span.end)
        .values("agent_id", "monthly_target__metric")
        .annotate(total=Sum("value"), rows=Count("id"), days=Count("date", distinct=True))
        .order_by()
    )
    targets: dict[int, dict] = defaultdict(dict)
    for row in rows:
        metric = row["monthly_target__metric"]
        if metric in METRICS:
            additive = metric in ADDITIVE_DECIMALS
            value = row["total"] if additive else row["total"] / row["rows"]
            targets[row["agent_id"]][metric] = (value, row["days"])
    return targets


def agent_table(*, team_id: int, span: Span, day: dt.date, metric: str, sort: str = "") -> dict:
    """{"columns": metric names, "targeted": metrics with targets, "rows": one per agent, sorted by `sort`}."""
    columns = table_metrics(metric)
    people: dict[int, dict] = {}
    for member in _roster(team_id, day):
        status = member["plan_status"] or (PLAN_MISSING if member["scheduled"] else PLAN_OFF)
        people[member["user_id"]] = _row(member["user_id"], member["user__username"], member["user__display_name"])
        people[member["user_id"]] |= {"member": True, "scheduled": member["scheduled"], "plan_status": status}
    figures: dict[int, dict] = {}
    targeted_figures: dict[int, dict] = {}
    for group in _period_parts(team_id, span):
        agent_id = group["agent_id"]
        figures[agent_id] = derive(group)
        targeted_figures[agent_id] = derive({part: group[f"{TARGETED}{part}"] or 0 for part in PART_NAMES})
        if agent_id not in people:  # worked for the team in the span without being one of its agents now
            people[agent_id] = _row(agent_id, group["agent__username"], group["agent__display_name"])
        people[agent_id]["days"] = group["days"]
    targets = _period_targets(team_id, span)
    targeted = [name for name in METRICS if any(name in agent_targets for agent_targets in targets.values())]
    for agent_id, row in people.items():
        agent_figures = figures.get(agent_id, {})
        row["metrics"] = {name: plain(agent_figures.get(name)) for name in columns}
        row["attainment"] = {}
        for name in targeted:
            target, target_days = targets.get(agent_id, {}).get(name, (None, 0))
            row["attainment"][name] = attainment(
                agent_figures.get(name),
                target,
                METRICS[name].direction,
                actual_targeted=targeted_figures.get(agent_id, {}).get(name) if target_days else None,
                target_days=target_days,
            )
    rows = sort_rows(list(people.values()), sort, columns=columns, targeted=targeted)
    return {"columns": columns, "targeted": targeted, "rows": rows}


def _row(agent_id: int, username: str, display_name: str) -> dict:
    return {
        "agent_id": agent_id,
        "username": username,
        "name": display_name or username,
        "member": False,
        "scheduled": False,
        "plan_status": None,
        "days": 0,
    }


def sort_keys(columns: list[str], targeted: list[str]) -> list[str]:
    return ["name", "plan_status", *columns, *(f"{name}{ATTAINMENT_SUFFIX}" for name in targeted)]


def sort_rows(rows: list[dict], sort: str, *, columns: list[str], targeted: list[str]) -> list[dict]:
    """Rows ordered by a column (`-` first for descending); rows without a figure last either way, then by name."""
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    by_name = sorted(rows, key=lambda row: (row["name"], row["username"]))
    if not key or key == "name":
        return by_name[::-1] if descending else by_name
    if key not in sort_keys(columns, targeted):
        raise ValidationError({"sort": _("Sort by one of the table's columns.")})

    def value(row):
        if key == "plan_status":
            return row["plan_status"]
        if key.endswith(ATTAINMENT_SUFFIX):
            return row["attainment"].get(key.removesuffix(ATTAINMENT_SUFFIX), {}).get("percent")
        return row["metrics"].get(key)

    known = [row for row in by_name if value(row) is not None]
    unknown = [row for row in by_name if value(row) is None]
    return sorted(known, key=value, reverse=descending) + unknown
