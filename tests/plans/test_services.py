"""The agent's day: plans from shifts, summary pre-fill, the submit / review / send-back flow,
5W2H tasks, and reminders that arrive once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kpi.computation.daily import daily_metrics_compute
from kpi.targets import kpi_targets_cascade
from notifications.models import Notification
from plans import services
from plans.models import DailyPlan, PlanStatus, Task, TaskStatus
from teams.models import Role, Shift, Team
from tests.conversations.factories import ConversationFactory
from tests.factories import ShopFactory, member

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 11, 20)


def at(hour, minute=0, day=DAY, zone=SHANGHAI):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def shift(team, person, day=DAY, start=dt.time(9), end=dt.time(18), shop=None):
    return Shift.objects.create(team=team, user=person, date=day, start_time=start, end_time=end, shop=shop)


def test_plan_is_made_when_the_shift_starts_in_the_teams_time_zone(team, agent, second_agent):
    shift(team, agent, start=dt.time(9))
    shift(team, second_agent, start=dt.time(13))
    assert services.daily_plans_create(now=at(8, 59)) == 0
    assert services.daily_plans_create(now=at(9, 0)) == 1
    assert services.daily_plans_create(now=at(12, 0)) == 0  # run again: nothing new
    assert list(DailyPlan.objects.values_list("agent__username", "date")) == [("alice", DAY)]
    services.daily_plans_create(now=at(13, 5))
    assert DailyPlan.objects.count() == 2


def test_no_plan_without_a_shift_and_none_for_supervisors(team, agent, supervisor):
    shift(team, supervisor)
    assert services.daily_plans_create(now=at(10)) == 0


def test_another_time_zone_starts_on_its_own_clock(db):
    new_york = Team.objects.create(name="Night desk", timezone="America/New_York")
    person = member(new_york, Role.AGENT)
    shift(new_york, person, day=dt.date(2026, 11, 19), start=dt.time(21))
    # 09:30 in Shanghai on the 20th is 20:30 on the 19th in New York: not yet
    assert services.daily_plans_create(now=at(9, 30)) == 0
    assert services.daily_plans_create(now=at(10, 30)) == 1
    assert DailyPlan.objects.get().date == dt.date(2026, 11, 19)


def test_targets_and_due_tasks_are_on_the_plan(team, agent, supervisor):
    shop = ShopFactory(team=team)
    shift(team, agent, shop=shop)
    kpi_targets_cascade(team=team, metric="sales_amount", month=DAY.replace(day=1), value=Decimal("3000"), apply=True)
    task = services.task_create(
        team=team, creator=supervisor, what="Learn the new return policy", due_at=at(17), assignees=[agent]
    )
    services.task_create(
        team=team,
        creator=supervisor,
        what="Next week's thing",
        due_at=at(17, day=DAY + dt.timedelta(days=7)),
        assignees=[agent],
    )
    services.daily_plans_create(now=at(9, 30))
    plan = DailyPlan.objects.get()
    assert plan.targets == [{"metric": "sales_amount", "value": "100.00", "direction": "up"}]
    assert [(item.text, item.task_id) for item in plan.items.all()] == [("Learn the new return policy", task.pk)]
    services.daily_plans_create(now=at(10))
    assert plan.items.count() == 1


def test_summary_is_prefilled_from_the_metrics(team, agent):
    shift(team, agent)
    services.daily_plans_create(now=at(9, 30))
    for minute in (0, 10, 20):
        ConversationFactory(
            team=team, agent=agent, started_at=at(10, minute), category="pre_sales", ordered=minute == 0
        )
    ConversationFactory(team=team, agent=agent, started_at=at(14), category="after_sales")
    daily_metrics_compute(day=DAY)
    plan = services.plan_submit(plan=DailyPlan.objects.get(), actor=agent)
    assert (plan.customers_served, plan.pre_sales_conversations, plan.after_sales_conversations) == (4, 3, 1)
    assert plan.busiest_hour == 10
    assert plan.conversion_rate == pytest.approx(1 / 3)
    assert plan.status == PlanStatus.SUBMITTED


@pytest.fixture
def plan(team, agent):
    shift(team, agent)
    services.daily_plans_create(now=at(9, 30))
    return DailyPlan.objects.get()


def test_agent_edits_ticks_and_submits_then_it_is_locked(plan, agent):
    item = services.plan_item_add(plan=plan, actor=agent, text="Answer the backlog")
    services.plan_item_set_done(item=item, actor=agent, done=True)
    services.plan_update(plan=plan, actor=agent, data={"problems": "Refund tool was slow"})
    services.plan_submit(plan=plan, actor=agent)
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, actor=agent, data={"note": "late edit"})
    with pytest.raises(ValidationError):
        services.plan_item_set_done(item=item, actor=agent, done=False)
    plan.refresh_from_db()
    assert (plan.problems, plan.note) == ("Refund tool was slow", "")


def test_another_agent_cannot_touch_the_plan(plan, second_agent):
    with pytest.raises(PermissionDenied):
        services.plan_update(plan=plan, actor=second_agent, data={"note": "x"})
    with pytest.raises(PermissionDenied):
        services.plan_submit(plan=plan, actor=second_agent)


def test_review_and_send_back(plan, agent, supervisor, qa_inspector, outsider):
    services.plan_submit(plan=plan, actor=agent)
    with pytest.raises(PermissionDenied):
        services.plan_review(plan=plan, reviewer=outsider)
    with pytest.raises(ValidationError):
        services.plan_review(plan=plan, reviewer=supervisor, send_back=True)  # a comment is required
    services.plan_review(plan=plan, reviewer=supervisor, comment="Add what you learnt", send_back=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert Notification.objects.get(recipient=agent, kind="plan-sent-back").text.endswith("Add what you learnt")
    services.plan_update(plan=plan, actor=agent, data={"improvements": "Use the size chart"})
    services.plan_submit(plan=plan, actor=agent)
    services.plan_review(plan=plan, reviewer=qa_inspector, comment="Good")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVIEWED


def test_reminders_arrive_once(plan, agent, supervisor):
    assert services.plan_reminders_send(now=at(17, 59)) == 0  # shift not over yet
    assert services.plan_reminders_send(now=at(18, 5)) == 2  # the agent's reminder and the supervisor's digest
    assert services.plan_reminders_send(now=at(18, 20)) == 0
    digest = Notification.objects.get(recipient=supervisor)
    assert digest.kind == "plan-digest" and agent.display_name in digest.text
    services.plan_submit(plan=plan, actor=agent)
    assert services.plan_reminders_send(now=at(19)) == 0


def test_tasks_are_5w2h_from_supervisors_with_history(team, agent, second_agent, supervisor, outsider, sibling_agent):
    with pytest.raises(PermissionDenied):
        services.task_create(team=team, creator=agent, what="x", due_at=at(17), assignees=[second_agent])
    with pytest.raises(ValidationError) as error:
        services.task_create(team=team, creator=supervisor, what="x", due_at=at(17), assignees=[sibling_agent])
    assert "assignees" in error.value.message_dict
    task = services.task_create(
        team=team,
        creator=supervisor,
        what="Call back unhappy buyers",
        why="Three 1-star ratings",
        where="Phone",
        how="Apologise, offer a coupon",
        how_much=Decimal("50.00"),
        how_much_unit="CNY per buyer",
        due_at=at(17),
        assignees=[agent, second_agent],
    )
    assert Notification.objects.filter(kind="task-assigned").count() == 2
    services.task_status_set(task=task, actor=agent, status=TaskStatus.IN_PROGRESS)
    services.task_status_set(task=task, actor=agent, status=TaskStatus.DONE)
    with pytest.raises(PermissionDenied):
        services.task_status_set(task=task, actor=outsider, status=TaskStatus.CANCELLED)
    assert list(Task.objects.get().history.values_list("from_status", "to_status")) == [
        ("", "open"),
        ("open", "in_progress"),
        ("in_progress", "done"),
    ]


def test_overdue_tasks_are_flagged_once(team, agent, supervisor):
    services.task_create(team=team, creator=supervisor, what="Update the FAQ", due_at=at(12), assignees=[agent])
    assert services.tasks_overdue_notify(now=at(11)) == 0
    assert services.tasks_overdue_notify(now=at(13)) == 1
    assert services.tasks_overdue_notify(now=at(14)) == 0
