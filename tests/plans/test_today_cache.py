"""GET /api/v1/me/today/ keeps each person's answer for a short while, and never shows their own changes stale."""

import datetime as dt

import pytest
from django.utils import timezone

from kpi.models import DailyAgentMetric
from notifications.services import Outgoing, notifications_mark_read, notifications_send
from plans import services
from plans.models import DailyPlan, PlanItem, Task
from teams.models import Role, Shift
from tests.factories import MembershipFactory
from training.models import Assignment, Course
from training.progress import assignment_refresh

TODAY = "/api/v1/me/today/"


@pytest.fixture
def plan(team, agent):
    today = timezone.localdate()
    Shift.objects.create(team=team, user=agent, date=today, start_time=dt.time(0), end_time=dt.time(23, 59))
    services.daily_plans_create(now=timezone.now())
    plan = DailyPlan.objects.get(agent=agent)
    plan.targets = [{"metric": "conversations", "value": "40.00", "direction": "up"}]
    plan.save(update_fields=["targets"])
    return plan


@pytest.fixture
def alice(api, agent):
    return api.as_user(agent)


def test_a_repeated_read_runs_no_query_and_says_it_is_private(alice, plan, django_assert_num_queries):
    first = alice.get(TODAY)
    with django_assert_num_queries(0):
        again = alice.get(TODAY)
    assert again.json() == first.json()
    assert "private" in again["Cache-Control"] and "max-age=30" in again["Cache-Control"]


def test_the_cached_answer_equals_a_fresh_one(alice, plan, settings, monkeypatch):
    alice.get(TODAY)
    cached = alice.get(TODAY).json()
    monkeypatch.setattr("plans.today_cache.MY_DAY_CACHE_SECONDS", 0)
    assert alice.get(TODAY).json() == cached


def test_ticking_an_item_or_submitting_shows_at_once(alice, plan):
    item = alice.post(f"/api/v1/plans/{plan.pk}/items/", {"text": "Answer the backlog"}, format="json").json()
    assert [i["done"] for i in alice.get(TODAY).json()["plan"]["items"] if i["id"] == item["id"]] == [False]
    alice.post(f"/api/v1/plans/{plan.pk}/items/{item['id']}/done/", {"done": True}, format="json")
    assert [i["done"] for i in alice.get(TODAY).json()["plan"]["items"] if i["id"] == item["id"]] == [True]
    alice.post(f"/api/v1/plans/{plan.pk}/submit/")
    assert alice.get(TODAY).json()["plan"]["status"] == "submitted"


def test_a_task_given_moved_or_taken_away_shows_at_once(alice, agent, second_agent, supervisor, team, plan):
    assert alice.get(TODAY).json()["tasks"] == []
    task = services.task_create(
        team=team,
        creator=supervisor,
        what="Call back buyer-77",
        due_at=timezone.now() + dt.timedelta(hours=1),
        assignees=[agent],
    )
    answer = alice.get(TODAY).json()
    assert [(t["what"], t["status"]) for t in answer["tasks"]] == [("Call back buyer-77", "open")]
    assert answer["unread_notifications"] == 1  # the new task's notification
    services.task_status_set(task=task, actor=agent, status="in_progress")
    assert [t["status"] for t in alice.get(TODAY).json()["tasks"]] == ["in_progress"]
    task.assignees.add(second_agent)
    assert alice.get(TODAY).json()["tasks"][0]["assignees"] == [agent.pk, second_agent.pk]
    task.assignees.remove(agent)
    assert alice.get(TODAY).json()["tasks"] == []
    task.assignees.add(agent)
    task.assignees.clear()
    assert alice.get(TODAY).json()["tasks"] == []
    task.assignees.add(agent)
    Task.objects.get(pk=task.pk).delete()
    assert alice.get(TODAY).json()["tasks"] == []


def test_notifications_sent_and_read_show_at_once(alice, agent, plan):
    before = alice.get(TODAY).json()["unread_notifications"]
    notifications_send(outgoing=[Outgoing(agent.pk, "test", "Hello", dedupe_key="hello")])
    assert alice.get(TODAY).json()["unread_notifications"] == before + 1
    notifications_mark_read(user=agent)
    assert alice.get(TODAY).json()["unread_notifications"] == 0


def test_a_completed_course_ticks_its_learning_item_at_once(alice, agent, supervisor, team, plan):
    course = Course.objects.create(team=team, title="Refund rules", created_by=supervisor)
    assignment = Assignment.objects.create(course=course, user=agent, team=team, due_date=timezone.localdate())
    services.plan_learning_items_add(plan=plan)
    learning = [i for i in alice.get(TODAY).json()["plan"]["items"] if i["kind"] == "learning"]
    assert [(i["text"], i["done"]) for i in learning] == [("Refund rules", False)]
    assert assignment_refresh(assignment)  # a course without materials or quiz is complete at once
    learning = [i for i in alice.get(TODAY).json()["plan"]["items"] if i["kind"] == "learning"]
    assert [i["done"] for i in learning] == [True]


def test_each_language_has_its_own_answer(alice, plan):
    english = alice.get(TODAY, HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = alice.get(TODAY, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert english["progress"][0]["label"] == "Conversations"
    assert chinese["progress"][0]["label"] != english["progress"][0]["label"]


def test_progress_reads_the_plans_team_only(alice, agent, team, sibling_team, plan):
    """An agent who also works in another team has a metrics row there too; today's plan is for `team`."""
    MembershipFactory(user=agent, team=sibling_team, role=Role.AGENT)
    DailyAgentMetric.objects.create(team=team, agent=agent, date=plan.date, conversations=12)
    DailyAgentMetric.objects.create(team=sibling_team, agent=agent, date=plan.date, conversations=30)
    progress = alice.get(TODAY).json()["progress"]
    assert [(p["metric"], p["actual"], p["percent"]) for p in progress] == [("conversations", 12.0, 30.0)]


def test_no_plan_today_means_no_plan_and_no_progress(alice, agent, team, plan):
    DailyPlan.objects.filter(pk=plan.pk).update(date=plan.date - dt.timedelta(days=1))
    PlanItem.objects.filter(plan=plan).delete()  # forgets the cached answer, as any write to the plan does
    answer = alice.get(TODAY).json()
    assert (answer["plan"], answer["progress"]) == (None, [])


def test_tasks_changed_from_the_persons_side_show_at_once(alice, agent, second_agent, supervisor, team, plan):
    task = services.task_create(
        team=team,
        creator=supervisor,
        what="Restock FAQ",
        due_at=timezone.now() + dt.timedelta(hours=2),
        assignees=[second_agent],
    )
    assert alice.get(TODAY).json()["tasks"] == []
    agent.tasks.add(task)
    assert [t["assignees"] for t in alice.get(TODAY).json()["tasks"]] == [[agent.pk, second_agent.pk]]
    second_agent.tasks.clear()  # alice's answer lists second_agent among the assignees
    assert [t["assignees"] for t in alice.get(TODAY).json()["tasks"]] == [[agent.pk]]
