"""The target cascade, starting with DESIGN.md's worked example."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from kpi.models import DailyTarget, MonthlyTarget
from kpi.targets import kpi_targets_cascade, split_by_weights
from teams.models import Role, Shift, Team
from tests.factories import ShopFactory, member

MONTH = dt.date(2026, 11, 1)  # 30 days
DAYS = [MONTH + dt.timedelta(days=n) for n in range(30)]


@pytest.fixture
def department(db):
    """10 shops, each staffed by 10 agents every day of the month."""
    department = Team.objects.create(name="Online Service")
    shops = [ShopFactory(team=department, code=f"shop-{n}") for n in range(10)]
    shifts = []
    for shop in shops:
        for _ in range(10):
            agent = member(department, Role.AGENT)
            shifts += [
                Shift(team=department, user=agent, shop=shop, date=day, start_time=dt.time(9), end_time=dt.time(18))
                for day in DAYS
            ]
    Shift.objects.bulk_create(shifts)
    return department


def test_worked_example_with_flat_weights(department):
    plan = kpi_targets_cascade(
        team=department, metric="sales_amount", month=MONTH, value=Decimal("3000000"), apply=True
    )
    assert {line.value for line in plan.shop_days} == {Decimal("10000.00")}
    assert {line.value for line in plan.agent_days} == {Decimal("1000.00")}
    assert len(plan.shop_days) == 300 and len(plan.agent_days) == 3000 and plan.unstaffed == []
    stored = DailyTarget.objects.filter(agent__isnull=False).aggregate(total=Sum("value"))["total"]
    assert stored == Decimal("3000000.00")


def test_day_weights_redistribute_and_preserve_the_total_to_the_cent(department):
    weights = {MONTH.replace(day=11): (Decimal(2), "campaign")}
    weights |= {day: (Decimal("0.8"), "off-season") for day in DAYS[20:]}
    plan = kpi_targets_cascade(
        team=department,
        metric="sales_amount",
        month=MONTH,
        value=Decimal("3000000.07"),
        day_weights=weights,
        apply=True,
    )
    by_day = {}
    for line in plan.shop_days:
        by_day[line.date] = by_day.get(line.date, 0) + line.value
    assert sum(by_day.values()) == Decimal("3000000.07")
    assert sum(line.value for line in plan.agent_days) == Decimal("3000000.07")
    # a campaign day carries twice an ordinary day, an off-season day 0.8 of one (within a cent per shop)
    ordinary, campaign, off_season = by_day[DAYS[0]], by_day[DAYS[10]], by_day[DAYS[25]]
    assert abs(campaign - 2 * ordinary) <= Decimal("0.10")
    assert abs(off_season - Decimal("0.8") * ordinary) <= Decimal("0.10")


def test_unscheduled_agents_get_no_target(department):
    day = DAYS[3]
    Shift.objects.filter(date=day, shop__code="shop-0").delete()
    plan = kpi_targets_cascade(team=department, metric="sales_amount", month=MONTH, value=Decimal("3000000"))
    assert (day, "shop-0") in [(d, shop.code) for d, shop in plan.unstaffed]
    assert not [line for line in plan.agent_days if line.date == day and line.shop.code == "shop-0"]


def test_levels_are_copied_not_split(department):
    plan = kpi_targets_cascade(team=department, metric="csat_avg", month=MONTH, value=Decimal("4.80"))
    assert {line.value for line in plan.agent_days} == {Decimal("4.80")}


def test_reapplying_replaces_the_cascade(department):
    kpi_targets_cascade(team=department, metric="sales_amount", month=MONTH, value=Decimal("3000000"), apply=True)
    kpi_targets_cascade(team=department, metric="sales_amount", month=MONTH, value=Decimal("1500000"), apply=True)
    assert MonthlyTarget.objects.count() == 1
    assert DailyTarget.objects.filter(agent__isnull=False).count() == 3000
    assert DailyTarget.objects.filter(agent__isnull=False).aggregate(total=Sum("value"))["total"] == Decimal(
        "1500000.00"
    )


def test_preview_writes_nothing(department):
    kpi_targets_cascade(team=department, metric="sales_amount", month=MONTH, value=Decimal("3000000"))
    assert not MonthlyTarget.objects.exists() and not DailyTarget.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"metric": "happiness"}, "metric"),
        ({"value": Decimal("-1")}, "value"),
        ({"day_weights": {dt.date(2026, 12, 1): (Decimal(2), "")}}, "day_weights"),
    ],
)
def test_invalid_cascade_names_the_field(department, changes, field):
    arguments = {"team": department, "metric": "sales_amount", "month": MONTH, "value": Decimal("100"), **changes}
    with pytest.raises(ValidationError) as error:
        kpi_targets_cascade(**arguments, apply=True)
    assert field in error.value.message_dict
    assert not MonthlyTarget.objects.exists()


def test_split_by_weights_is_exact_and_fair():
    assert split_by_weights(10, [1, 1, 1]) == [4, 3, 3]
    assert split_by_weights(100, [2, 1, 1]) == [50, 25, 25]
    assert sum(split_by_weights(300_000_007, [Decimal("0.8")] * 7 + [2] * 3)) == 300_000_007


def test_a_supervisor_covering_a_shop_gets_no_personal_target(department):
    boss = member(department, Role.SUPERVISOR)
    shop = department.shops.first()
    Shift.objects.create(
        team=department, user=boss, shop=shop, date=DAYS[0], start_time=dt.time(9), end_time=dt.time(18)
    )
    plan = kpi_targets_cascade(team=department, metric="sales_amount", month=MONTH, value=Decimal("3000000"))
    assert boss.pk not in {line.agent_id for line in plan.agent_days}
    assert {line.value for line in plan.agent_days} == {Decimal("1000.00")}


def test_weekday_weights_multiply_the_calendar(department):
    weekends_double = [Decimal(1)] * 5 + [Decimal(2)] * 2
    plan = kpi_targets_cascade(
        team=department, metric="conversations", month=MONTH, value=Decimal("3000"), weekday_weights=weekends_double
    )
    by_day = {}
    for line in plan.shop_days:
        by_day[line.date] = by_day.get(line.date, 0) + line.value
    saturday, monday = dt.date(2026, 11, 7), dt.date(2026, 11, 9)
    assert sum(by_day.values()) == 3000
    assert abs(by_day[saturday] - 2 * by_day[monday]) <= 10  # whole conversations, per shop


def test_weekday_weights_need_seven_values(department):
    with pytest.raises(ValidationError) as error:
        kpi_targets_cascade(
            team=department, metric="conversations", month=MONTH, value=Decimal("1"), weekday_weights=[Decimal(1)]
        )
    assert "weekday_weights" in error.value.message_dict


def test_a_team_under_a_department_splits_over_the_departments_shops_among_its_own_agents(department):
    pre_sales = Team.objects.create(name="Pre-sales", parent=department)
    agent = member(pre_sales, Role.AGENT)
    shop = department.shops.first()
    Shift.objects.create(
        team=pre_sales, user=agent, shop=shop, date=DAYS[0], start_time=dt.time(9), end_time=dt.time(18)
    )
    plan = kpi_targets_cascade(team=pre_sales, metric="conversations", month=MONTH, value=Decimal("3000"))
    assert len({line.shop_id for line in plan.shop_days}) == 10
    assert {line.agent_id for line in plan.agent_days} == {agent.pk}  # the department's own agents are not in it
