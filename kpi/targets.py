"""kpi_targets_cascade: a month's target split over shops, days (by weight) and scheduled agents.

Amounts are split in whole units (cents for sales, ones for counts) by the largest
remainder method at every level, so each level adds up exactly to the one above
and the month's total is preserved to the cent. Levels such as a CSAT target are
not split: every shop, day and agent gets the target itself.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kpi.definitions import ADDITIVE_DECIMALS, METRICS
from kpi.models import DailyTarget, DayWeight, MonthlyTarget
from teams.models import Role, Shift, Shop, Team


@dataclass
class CascadePlan:
    team: Team
    metric: str
    month: dt.date
    value: Decimal
    day_weights: dict[dt.date, Decimal]
    shop_days: list[DailyTarget] = field(default_factory=list)
    agent_days: list[DailyTarget] = field(default_factory=list)
    unstaffed: list[tuple[dt.date, Shop]] = field(default_factory=list)  # shop-days nobody is scheduled for
    monthly_target: MonthlyTarget | None = None


def split_by_weights(total_units: int, weights: list) -> list[int]:
    """Whole units in proportion to the weights, adding up to `total_units` exactly (largest remainder)."""
    weight_sum = sum(Fraction(weight) for weight in weights)
    if not weights or weight_sum == 0:
        raise ValidationError(_("There is nothing to split the target over."))
    exact = [Fraction(total_units) * Fraction(weight) / weight_sum for weight in weights]
    shares = [int(share) for share in exact]  # floor: shares are never negative
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for index in by_remainder[: total_units - sum(shares)]:
        shares[index] += 1
    return shares


def kpi_targets_cascade(
    *,
    team: Team,
    metric: str,
    month: dt.date,
    value: Decimal,
    day_weights: dict[dt.date, tuple[Decimal, str]] | None = None,
    weekday_weights: list[Decimal] | None = None,
    apply: bool = False,
    created_by=None,
) -> CascadePlan:
    """Plan (and with `apply`, store) the cascade of one monthly target.

    A day's weight is its calendar weight (a campaign day, an off-season day; 1 when
    none is set) times its weekday's weight (Monday first; 1 when not given).
    Applying replaces the month's earlier cascade of the same metric and team; the
    given day weights are saved as the team's calendar for those dates.
    """
    if weekday_weights is not None and (len(weekday_weights) != 7 or any(w < 0 for w in weekday_weights)):
        raise ValidationError({"weekday_weights": _("Give seven weights of zero or more, Monday first.")})
    if metric not in METRICS:
        raise ValidationError({"metric": _("Unknown metric %(metric)s.") % {"metric": metric}})
    if value < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    month = month.replace(day=1)
    days = [month.replace(day=d) for d in range(1, calendar.monthrange(month.year, month.month)[1] + 1)]
    for day in day_weights or {}:
        if day.replace(day=1) != month:
            raise ValidationError(
                {"day_weights": _("%(date)s is not in %(month)s.") % {"date": day, "month": f"{month:%Y-%m}"}}
            )
    weights = _month_weights(team, days, day_weights or {}, weekday_weights or [Decimal(1)] * 7)
    plan = CascadePlan(team=team, metric=metric, month=month, value=value, day_weights=weights)
    subtree = _subtree(team)
    shops = list(Shop.objects.filter(team__in=subtree, active=True).order_by("code"))
    if not shops and team.parent_id:  # a team under a department serves the department's shops
        shops = list(Shop.objects.filter(team_id=team.parent_id, active=True).order_by("code"))
    if not shops:
        raise ValidationError({"team": _("%(team)s serves no active shop to split the target over.") % {"team": team}})
    scheduled = _scheduled_agents(shops, days, subtree)

    decimals = ADDITIVE_DECIMALS.get(metric)
    unit = Decimal(1).scaleb(-decimals) if decimals is not None else None
    shop_amounts = (
        [unit * share for share in split_by_weights(int(value / unit), [1] * len(shops))]
        if unit
        else [value] * len(shops)
    )
    for shop, shop_amount in zip(shops, shop_amounts, strict=True):
        day_amounts = (
            [unit * share for share in split_by_weights(int(shop_amount / unit), [weights[d] for d in days])]
            if unit
            else [value] * len(days)
        )
        for day, day_amount in zip(days, day_amounts, strict=True):
            plan.shop_days.append(DailyTarget(date=day, shop=shop, team=shop.team, value=day_amount))
            agents = scheduled.get((day, shop.pk), [])
            if not agents:
                if day_amount:
                    plan.unstaffed.append((day, shop))
                continue
            agent_amounts = (
                [unit * share for share in split_by_weights(int(day_amount / unit), [1] * len(agents))]
                if unit
                else [value] * len(agents)
            )
            for (agent_id, team_id), amount in zip(agents, agent_amounts, strict=True):
                plan.agent_days.append(
                    DailyTarget(date=day, shop=shop, team_id=team_id, agent_id=agent_id, value=amount)
                )
    if apply:
        _store(plan, day_weights or {}, created_by)
    return plan


def _subtree(team: Team) -> list[int]:
    found, frontier = [team.pk], [team.pk]
    while frontier:
        frontier = list(Team.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        found += frontier
    return found


def _month_weights(team: Team, days: list[dt.date], given: dict, by_weekday: list) -> dict[dt.date, Decimal]:
    stored = dict(DayWeight.objects.filter(team=team, date__in=days).values_list("date", "weight"))
    calendar_weight = {day: (given[day][0] if day in given else stored.get(day, Decimal(1))) for day in days}
    return {day: calendar_weight[day] * Decimal(by_weekday[day.weekday()]) for day in days}


def _scheduled_agents(shops: list[Shop], days: list[dt.date], team_ids: list[int]) -> dict:
    """(day, shop id) -> [(agent id, team id)] for the agents of these teams scheduled on that shop."""
    scheduled: dict[tuple[dt.date, int], list[tuple[int, int]]] = {}
    shifts = (
        Shift.objects.filter(
            shop__in=shops, team_id__in=team_ids, date__gte=days[0], date__lte=days[-1], user__is_active=True
        )
        # agents only: a supervisor covering a shop for the day carries no personal target
        .filter(
            user__memberships__team_id=F("team_id"), user__memberships__role=Role.AGENT, user__memberships__active=True
        )
        .order_by("date", "shop_id", "user_id")
        .values_list("date", "shop_id", "user_id", "team_id")
    )
    for day, shop_id, user_id, team_id in shifts:
        scheduled.setdefault((day, shop_id), []).append((user_id, team_id))
    return scheduled


@transaction.atomic
def _store(plan: CascadePlan, given_weights: dict, created_by) -> None:
    for day, (weight, reason) in given_weights.items():
        DayWeight.objects.update_or_create(team=plan.team, date=day, defaults={"weight": weight, "reason": reason})
    monthly, _created = MonthlyTarget.objects.update_or_create(
        team=plan.team, metric=plan.metric, month=plan.month, defaults={"value": plan.value, "created_by": created_by}
    )
    monthly.daily_targets.all().delete()
    for line in [*plan.shop_days, *plan.agent_days]:
        line.monthly_target = monthly
    DailyTarget.objects.bulk_create([*plan.shop_days, *plan.agent_days], batch_size=2000)
    plan.monthly_target = monthly
